"""The App Home tab: each user's own picture across every review they belong to.

The builder takes a `HomePicture`: the user's reviews and actions, plus `HomeSection`s that
other features build with their own builders (checklist sections still to answer, open
votes…) and pass in. A section with a `review_id` shows under that review; one without
shows after the actions. The builder owns the layout and Slack's 100-block limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.actions import ActionItem
from bot.core.calendar import format_date
from bot.core.roles import ROLE_LABELS, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import STAGES
from bot.core.timeline import next_milestone
from bot.improvement_actions.rules import overdue_first
from bot.improvement_actions.views import action_controls, status_text
from bot.slack.blocks import VIEW_BLOCKS_LIMIT, Block, context, divider, header, section
from bot.slack.text import channel_link, escape_mrkdwn, join_words, plural, truncate

ACTIONS_SHOWN_LIMIT = 20
# However many reviews a user belongs to (Improvement Service staff support many), this
# much of the tab stays for their own actions: the heading, five actions and the "more" note.
ACTIONS_RESERVED_BLOCKS = 3 + 2 * 5 + 1
CHANNELS_LISTED_LIMIT = 40


@dataclass(frozen=True)
class HomeSection:
    """A feature's part of the Home tab, built by that feature."""

    title: str
    blocks: tuple[Block, ...]
    review_id: int | None = None


@dataclass(frozen=True)
class HomePicture:
    """Everything one user's Home tab shows."""

    reviews: tuple[ReviewSnapshot, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    sections: tuple[HomeSection, ...] = ()
    done: dict[int, frozenset[str]] = field(default_factory=dict)  # milestones done, by review


def _section_blocks(home_section: HomeSection) -> list[Block]:
    if not home_section.title:  # a section whose own first block says what it is
        return list(home_section.blocks)
    return [section(f"*{escape_mrkdwn(home_section.title)}*"), *home_section.blocks]


def _review_blocks(
    review: ReviewSnapshot, picture: HomePicture, *, user_id: str, today: date
) -> list[Block]:
    held = [role for user, role in review.members if user == user_id]
    roles = [ROLE_LABELS[role] for role in held]
    coming = next_milestone(
        review.timeline, today=today, done=picture.done.get(review.id, frozenset())
    )
    # A lead's own summary below says what's next, counting milestones recorded done.
    leads = any(role in (Role.HOST_LEAD, Role.IS_LEAD) for role in held)
    next_line = f"\nNext: {coming.label}, {format_date(coming.day)}" if coming and not leads else ""
    blocks: list[Block] = [
        divider(),
        section(
            f"*{review.host_council}: {escape_mrkdwn(truncate(review.focus, 500))}*\n"
            f"{STAGES[review.stage].label} · {channel_link(review.channel_id)}{next_line}"
        ),
    ]
    if roles:
        blocks.append(context(f"Your role: {join_words(roles)}"))
    for home_section in picture.sections:
        if home_section.review_id == review.id:
            blocks += _section_blocks(home_section)
    return blocks


def _action_blocks(
    item: ActionItem, reviews: dict[int, ReviewSnapshot], *, today: date
) -> list[Block]:
    review = reviews.get(item.review_id)
    where = f" · {review.host_council} {channel_link(review.channel_id)}" if review else ""
    afi = f" · AFI {item.afi.number}" if item.afi else ""
    text = (
        f"*{item.number}. {escape_mrkdwn(truncate(item.key_action, 300))}*\n"
        f"Due {format_date(item.due)} · {status_text(item, today=today)}{where}{afi}"
    )
    return [section(text), action_controls(item, block_id=f"home_action:{item.id}")]


def _actions_part(picture: HomePicture, *, today: date, room: int) -> list[Block]:
    unfinished = overdue_first([a for a in picture.actions if a.unfinished], today=today)
    finished = len(picture.actions) - len(unfinished)
    if not picture.actions:
        return []
    overdue = sum(1 for item in unfinished if item.overdue(today))
    summary = f"{plural(len(unfinished), 'open action')}"
    if overdue:
        summary += f" · ⚠️ {overdue} overdue"
    if finished:
        summary += f" · {finished} done or dropped"
    blocks: list[Block] = [divider(), header("Your actions"), context(summary)]
    shown = max(0, min(ACTIONS_SHOWN_LIMIT, (room - len(blocks) - 1) // 2))
    reviews = {review.id: review for review in picture.reviews}
    for item in unfinished[:shown]:
        blocks += _action_blocks(item, reviews, today=today)
    if len(unfinished) > shown:
        blocks.append(
            context(
                f"…and {plural(len(unfinished) - shown, 'more open action')}. Type "
                "`/action list mine` in a review's channel to see them all."
            )
        )
    return blocks


def _more_reviews_note(reviews: list[ReviewSnapshot]) -> Block:
    channels = ", ".join(
        channel_link(review.channel_id) for review in reviews[:CHANNELS_LISTED_LIMIT]
    )
    if len(reviews) > CHANNELS_LISTED_LIMIT:
        channels += " …"
    return context(
        f"…and {plural(len(reviews), 'more review')} that don't fit here: {channels}. "
        "Type `/psif status` in a review's channel to see it."
    )


def build_home(picture: HomePicture, *, user_id: str, today: date) -> Block:
    """The tab within Slack's 100 blocks: reviews as fit, with room kept for the actions."""
    blocks: list[Block] = [header("Your PSIF reviews")]
    if not picture.reviews:
        blocks.append(
            section(
                "You're not part of any open review yet. A host lead starts one in a channel "
                "with `/psif start`; type `/psif help` to see every command."
            )
        )
    others: list[Block] = []
    for home_section in picture.sections:
        if home_section.review_id is None:
            others += [divider(), *_section_blocks(home_section)]
    wanted = len(_actions_part(picture, today=today, room=VIEW_BLOCKS_LIMIT))
    reserved = min(wanted, ACTIONS_RESERVED_BLOCKS) + len(others)
    reviews_limit = VIEW_BLOCKS_LIMIT - reserved - 1  # 1: the "more reviews" note
    left_out: list[ReviewSnapshot] = []
    for review in picture.reviews:
        unit = _review_blocks(review, picture, user_id=user_id, today=today)
        if left_out or len(blocks) + len(unit) > reviews_limit:
            left_out.append(review)
        else:
            blocks += unit
    if left_out:
        blocks.append(_more_reviews_note(left_out))
    room = VIEW_BLOCKS_LIMIT - len(blocks) - len(others)
    blocks += _actions_part(picture, today=today, room=room)
    blocks += others
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS_LIMIT]}
