"""Commands typed in the bot's direct message: the person's own picture as one message.

A DM has no review, and the invitation tells people to type commands there, so instead of
"no review here" they get their reviews (with channel links), their self-assessments and
their actions, within a message's 50 blocks.
"""

from __future__ import annotations

from datetime import date

from bot.home.views import HomePicture
from bot.improvement_actions.rules import overdue_first
from bot.improvement_actions.views import status_text
from bot.reviews.roles import ROLE_LABELS
from bot.reviews.stages import STAGES
from bot.slack.blocks import Block, context, header, section
from bot.slack.text import channel_link, escape_mrkdwn, format_date, join_words, plural, truncate

REVIEWS_SHOWN = 10
ACTIONS_SHOWN = 10


def build_dm_overview(
    picture: HomePicture, *, user_id: str, today: date, command: str
) -> tuple[str, list[Block]]:
    """The reply to a review command typed in the bot's DM."""
    reviews = {review.id: review for review in picture.reviews}
    text = (
        f"Your PSIF reviews: {plural(len(picture.reviews), 'review')}, "
        f"{plural(len([a for a in picture.actions if a.unfinished]), 'open action')}."
    )
    blocks: list[Block] = [
        header("Your PSIF reviews"),
        context(
            f"`{escape_mrkdwn(command)}` works on one review, so type it in that review's "
            "channel. Here is everything of yours:"
        ),
    ]
    if not picture.reviews:
        blocks.append(
            section(
                "You're not part of any open review yet. A host lead starts one in a channel "
                "with `/psif start`."
            )
        )
    for review in picture.reviews[:REVIEWS_SHOWN]:
        roles = [ROLE_LABELS[role] for user, role in review.members if user == user_id]
        role_line = f" · You: {join_words(roles).lower()}" if roles else ""
        blocks.append(
            section(
                f"*{review.host_council}: {escape_mrkdwn(truncate(review.focus, 200))}*\n"
                f"{channel_link(review.channel_id)} · {STAGES[review.stage].label}{role_line}"
            )
        )
        for part in picture.sections:
            if part.review_id == review.id:
                blocks += part.blocks
    if len(picture.reviews) > REVIEWS_SHOWN:
        more = picture.reviews[REVIEWS_SHOWN:]
        blocks.append(
            context(
                f"…and {plural(len(more), 'more review')}: "
                + ", ".join(channel_link(review.channel_id) for review in more[:30])
            )
        )
    unfinished = overdue_first([a for a in picture.actions if a.unfinished], today=today)
    if unfinished:
        lines = []
        for item in unfinished[:ACTIONS_SHOWN]:
            owner_review = reviews.get(item.review_id)
            where = f" · {channel_link(owner_review.channel_id)}" if owner_review else ""
            lines.append(
                f"• *{item.number}. {escape_mrkdwn(truncate(item.key_action, 150))}* – due "
                f"{format_date(item.due)} · {status_text(item, today=today)}{where}"
            )
        if len(unfinished) > ACTIONS_SHOWN:
            lines.append(f"…and {plural(len(unfinished) - ACTIONS_SHOWN, 'more')}.")
        blocks.append(section("*Your actions*\n" + "\n".join(lines)))
    blocks.append(context("Your Home tab here shows the same, with buttons."))
    return text, blocks[:50]
