"""Commands typed in the bot's direct message: the person's own picture as one message.

A DM has no review, and the invitation tells people to type commands there, so instead of
"no review here" they get their reviews (with channel links), their self-assessments and
their actions, within a message's 50 blocks: reviews as fit, the actions always.
"""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date
from bot.core.roles import ROLE_LABELS
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import STAGES
from bot.home.views import HomePicture
from bot.improvement_actions.rules import overdue_first
from bot.improvement_actions.views import status_text
from bot.slack.blocks import MESSAGE_BLOCKS_LIMIT, Block, context, header, section
from bot.slack.text import channel_link, escape_mrkdwn, join_words, plural, truncate

REVIEWS_SHOWN = 10
ACTIONS_SHOWN = 10
CHANNELS_LISTED = 30


def _review_blocks(review: ReviewSnapshot, picture: HomePicture, *, user_id: str) -> list[Block]:
    roles = [ROLE_LABELS[role] for user, role in review.members if user == user_id]
    role_line = f" · You: {join_words(roles).lower()}" if roles else ""
    blocks = [
        section(
            f"*{review.host_council}: {escape_mrkdwn(truncate(review.focus, 200))}*\n"
            f"{channel_link(review.channel_id)} · {STAGES[review.stage].label}{role_line}"
        )
    ]
    for part in picture.sections:
        if part.review_id == review.id:
            blocks += part.blocks
    return blocks


def _actions_blocks(picture: HomePicture, *, today: date) -> list[Block]:
    unfinished = overdue_first([a for a in picture.actions if a.unfinished], today=today)
    if not unfinished:
        return []
    channels = {review.id: review.channel_id for review in picture.reviews}
    lines = []
    for item in unfinished[:ACTIONS_SHOWN]:
        where = f" · {channel_link(channels[item.review_id])}" if item.review_id in channels else ""
        lines.append(
            f"• *{item.number}. {escape_mrkdwn(truncate(item.key_action, 150))}* – due "
            f"{format_date(item.due)} · {status_text(item, today=today)}{where}"
        )
    if len(unfinished) > ACTIONS_SHOWN:
        lines.append(f"…and {plural(len(unfinished) - ACTIONS_SHOWN, 'more')}.")
    return [section("*Your actions*\n" + "\n".join(lines))]


def build_dm_overview(
    picture: HomePicture, *, user_id: str, today: date, command: str
) -> tuple[str, list[Block]]:
    """The reply to a review command typed in the bot's DM."""
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
    tail = [
        *_actions_blocks(picture, today=today),
        context("Your Home tab here shows the same, with buttons."),
    ]
    room = MESSAGE_BLOCKS_LIMIT - len(tail) - 1  # 1: the note on reviews that don't fit
    shown = 0
    left_out: list[ReviewSnapshot] = []
    for review in picture.reviews:
        unit = _review_blocks(review, picture, user_id=user_id)
        if left_out or shown == REVIEWS_SHOWN or len(blocks) + len(unit) > room:
            left_out.append(review)
        else:
            blocks += unit
            shown += 1
    if left_out:
        listed = ", ".join(channel_link(r.channel_id) for r in left_out[:CHANNELS_LISTED])
        more = " …" if len(left_out) > CHANNELS_LISTED else ""
        blocks.append(context(f"…and {plural(len(left_out), 'more review')}: {listed}{more}"))
    return text, [*blocks, *tail]
