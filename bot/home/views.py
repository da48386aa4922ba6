"""The App Home tab, the same picture as one DM message, and a lead's part per review led.
Other features pass in `HomeSection`s: with a `review_id` under that review, else after
the actions. The builders own the layout and Slack's block limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.actions import NO_ACTIONS, ActionItem, OwnedActions, status_text
from bot.core.calendar import format_date
from bot.core.milestones_done import WORD_FOR
from bot.core.permissions import Operation
from bot.core.responses import RoundState, RoundStatus
from bot.core.roles import LEAD_ROLES, ROLE_LABELS
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import ORDER, Stage, stage_heading
from bot.core.timeline import Milestone, next_milestone
from bot.improvement_actions.views import action_controls
from bot.slack import ids
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    VIEW_BLOCKS_LIMIT,
    Block,
    HomeSection,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    modal,
    section,
)
from bot.slack.payloads import Metadata, RecordId
from bot.slack.text import channel_link, escape_mrkdwn, join_words, plural, truncate

ACTIONS_SHOWN_LIMIT = 20
# However many reviews a user belongs to (Improvement Service staff support many), this
# much of the tab stays for their own actions: the heading, five actions and the "more" note.
ACTIONS_RESERVED_BLOCKS = 3 + 2 * 5 + 1
# A direct message holds 50 blocks: reviews as fit, the actions always.
DM_ACTIONS_SHOWN = 10
NOT_IN_ANY = "You're not part of any open review yet. A host lead starts one in a channel with "


@dataclass(frozen=True)
class HomePicture:
    reviews: tuple[ReviewSnapshot, ...] = ()
    owned: OwnedActions = NO_ACTIONS
    sections: tuple[HomeSection, ...] = ()
    done: dict[int, frozenset[str]] = field(default_factory=dict)  # milestones done, by review


@dataclass(frozen=True)
class VoteFacts:
    """The latest prioritisation vote: how many votes and voters, not for what or by whom."""

    is_open: bool
    votes: int
    voters: int


@dataclass(frozen=True)
class NextStep:
    milestone: Milestone
    late: bool  # its date has passed and nobody has recorded it done

    @property
    def done_command(self) -> str | None:
        word = WORD_FOR.get(self.milestone.key)
        return f"/psif done {word}" if word else None


@dataclass(frozen=True)
class LeadFacts:
    """What a lead's part says about a review they lead: counts and dates, never who."""

    review_id: int
    stage: Stage
    self_assessment: RoundStatus | None  # None until stakeholders are first invited
    afi_count: int
    prioritised_count: int
    vote: VoteFacts | None  # None until a vote is started
    open_actions: int
    overdue_actions: int
    next_step: NextStep | None


class InviteMetadata(Metadata):
    review_id: RecordId


def _section_blocks(home_section: HomeSection) -> list[Block]:
    if not home_section.title:  # a section whose own first block says what it is
        return list(home_section.blocks)
    return [section(f"*{escape_mrkdwn(home_section.title)}*"), *home_section.blocks]


def _roles_of(review: ReviewSnapshot, user_id: str) -> list[str]:
    return [ROLE_LABELS[role] for user, role in review.members if user == user_id]


def _review_blocks(
    review: ReviewSnapshot, picture: HomePicture, *, user_id: str, today: date
) -> list[Block]:
    roles = _roles_of(review, user_id)
    coming = next_milestone(
        review.timeline, today=today, done=picture.done.get(review.id, frozenset())
    )
    # A lead's own summary below says what's next, counting milestones recorded done.
    leads = any(user == user_id and role in LEAD_ROLES for user, role in review.members)
    next_line = f"\nNext: {coming.label}, {format_date(coming.day)}" if coming and not leads else ""
    blocks: list[Block] = [
        divider(),
        section(
            f"*{review.host_council}: {escape_mrkdwn(truncate(review.focus, 500))}*\n"
            f"{stage_heading(review.stage)} · {channel_link(review.channel_id)}{next_line}"
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


def _actions_shown(owned: OwnedActions, *, room: int) -> int:
    """How many actions fit in `room` blocks beside the heading, summary and "more" note."""
    return max(0, min(ACTIONS_SHOWN_LIMIT, len(owned.first), (room - 3 - 1) // 2))


def _actions_part_size(owned: OwnedActions, *, room: int) -> int:
    """How many blocks `_actions_part` gives, without building them."""
    if not owned.unfinished and not owned.finished:
        return 0
    shown = _actions_shown(owned, room=room)
    return 3 + 2 * shown + (1 if owned.unfinished > shown else 0)


def _actions_part(picture: HomePicture, *, today: date, room: int) -> list[Block]:
    owned = picture.owned
    if not owned.unfinished and not owned.finished:
        return []
    summary = f"{plural(owned.unfinished, 'open action')}"
    if owned.overdue:
        summary += f" · ⚠️ {owned.overdue} overdue"
    if owned.finished:
        summary += f" · {owned.finished} done or dropped"
    blocks: list[Block] = [divider(), header("Your actions"), context(summary)]
    shown = _actions_shown(owned, room=room)
    reviews = {review.id: review for review in picture.reviews}
    for item in owned.first[:shown]:
        blocks += _action_blocks(item, reviews, today=today)
    if owned.unfinished > shown:
        blocks.append(
            context(
                f"…and {plural(owned.unfinished - shown, 'more open action')}. Type "
                "`/action list mine` in a review's channel to see them all."
            )
        )
    return blocks


def build_home(picture: HomePicture, *, user_id: str, today: date) -> Block:
    """The tab within Slack's 100 blocks: reviews as fit, with room kept for the actions."""
    blocks: list[Block] = [header("Your PSIF reviews")]
    if not picture.reviews:
        blocks.append(
            section(NOT_IN_ANY + "`/psif start`; type `/psif help` to see every command.")
        )
    others: list[Block] = []
    for home_section in picture.sections:
        if home_section.review_id is None:
            others += [divider(), *_section_blocks(home_section)]
    wanted = _actions_part_size(picture.owned, room=VIEW_BLOCKS_LIMIT)
    reserved = min(wanted, ACTIONS_RESERVED_BLOCKS) + len(others)
    reviews_limit = VIEW_BLOCKS_LIMIT - reserved - 1  # 1: the "more reviews" note
    units = [(r, _review_blocks(r, picture, user_id=user_id, today=today)) for r in picture.reviews]
    note = "{} that don't fit here: {}. Type `/psif status` in a review's channel to see it."
    _fit(blocks, units, room=reviews_limit, listed=40, note=note)
    room = VIEW_BLOCKS_LIMIT - len(blocks) - len(others)
    blocks += _actions_part(picture, today=today, room=room)
    blocks += others
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS_LIMIT]}


def _dm_actions(picture: HomePicture, *, today: date) -> list[Block]:
    unfinished = picture.owned.first
    if not unfinished:
        return []
    channels = {review.id: review.channel_id for review in picture.reviews}
    lines = []
    for item in unfinished[:DM_ACTIONS_SHOWN]:
        where = f" · {channel_link(channels[item.review_id])}" if item.review_id in channels else ""
        lines.append(
            f"• *{item.number}. {escape_mrkdwn(truncate(item.key_action, 150))}* – due "
            f"{format_date(item.due)} · {status_text(item, today=today)}{where}"
        )
    if picture.owned.unfinished > DM_ACTIONS_SHOWN:
        lines.append(f"…and {plural(picture.owned.unfinished - DM_ACTIONS_SHOWN, 'more')}.")
    return [section("*Your actions*\n" + "\n".join(lines))]


def build_dm_overview(
    picture: HomePicture, *, user_id: str, today: date, command: str
) -> tuple[str, list[Block]]:
    """A review command typed in the bot's DM (where invitations send people): everything
    of theirs instead of "no review here"."""
    text = (
        f"Your PSIF reviews: {plural(len(picture.reviews), 'review')}, "
        f"{plural(picture.owned.unfinished, 'open action')}."
    )
    blocks: list[Block] = [
        header("Your PSIF reviews"),
        context(
            f"`{escape_mrkdwn(command)}` works on one review, so type it in that review's "
            "channel. Here is everything of yours:"
        ),
    ]
    if not picture.reviews:
        blocks.append(section(NOT_IN_ANY + "`/psif start`."))
    tail = [
        *_dm_actions(picture, today=today),
        context("Your Home tab here shows the same, with buttons."),
    ]
    units = []
    for review in picture.reviews:
        roles = _roles_of(review, user_id)
        role_line = f" · You: {join_words(roles).lower()}" if roles else ""
        head = (
            f"*{review.host_council}: {escape_mrkdwn(truncate(review.focus, 200))}*\n"
            f"{channel_link(review.channel_id)} · {stage_heading(review.stage)}{role_line}"
        )
        parts = [b for part in picture.sections if part.review_id == review.id for b in part.blocks]
        units.append((review, [section(head), *parts]))
    room = MESSAGE_BLOCKS_LIMIT - len(tail) - 1  # 1: the note on reviews that don't fit
    _fit(blocks, units, room=room, listed=30, note="{}: {}", most=10)
    return text, [*blocks, *tail]


def _fit(
    blocks: list[Block],
    units: list[tuple[ReviewSnapshot, list[Block]]],
    *,
    room: int,
    listed: int,
    note: str,
    most: int = VIEW_BLOCKS_LIMIT,
) -> None:
    """Add each review's blocks while they fit, then a `note` of how many more ('…and 3
    more reviews') and their channels."""
    shown = 0
    for _, unit in units:
        if shown == most or len(blocks) + len(unit) > room:
            break
        blocks += unit
        shown += 1
    left_out = [review for review, _ in units[shown:]]
    if left_out:
        channels = ", ".join(channel_link(r.channel_id) for r in left_out[:listed])
        more = " …" if len(left_out) > listed else ""
        blocks.append(
            context(note.format(f"…and {plural(len(left_out), 'more review')}", channels + more))
        )


def self_assessment_line(status: RoundStatus | None) -> str:
    if status is None:
        return "📝 Self-assessment: nobody invited yet."
    counts = status.completion.line()
    if status.state is RoundState.OPEN:
        return f"📝 Self-assessment: {counts}. Closes {format_date(status.closes_on)}."
    if status.state is RoundState.CLOSED:
        return f"📝 Self-assessment closed: {counts}. Results not posted yet."
    return f"📝 Self-assessment closed: {counts}. Results posted."


def vote_line(vote: VoteFacts | None, *, afi_count: int, prioritised: int) -> str:
    areas = plural(afi_count, "area")
    if vote is None:
        return f"🗳️ Vote: not started · {areas} for improvement so far."
    cast = f"{plural(vote.votes, 'vote')} from {plural(vote.voters, 'person', 'people')}"
    if vote.is_open:
        return f"🗳️ Vote open: {cast} so far."
    return f"🗳️ Vote closed: {cast} · {prioritised} of {areas} prioritised."


def next_line(step: NextStep | None) -> str:
    if step is None:
        return "➡️ Next: nothing left on the timeline."
    milestone = step.milestone
    if not step.late:
        return f"➡️ Next: {milestone.label}, {format_date(milestone.day)}."
    how = f" Type `{step.done_command}` once it has." if step.done_command else ""
    return (
        f"⚠️ Next: {milestone.label} was due {format_date(milestone.day)} and isn't "
        f"recorded done.{how}"
    )


# A lead's buttons: label, what pressing needs, and the last stage it's offered in (a review
# in Follow-up isn't offered an invitation, results or a vote).
LEAD_BUTTONS: dict[str, tuple[str, Operation, Stage]] = {
    ids.HOME_INVITE: ("Invite stakeholders", Operation.INVITE_STAKEHOLDERS, Stage.PRE_WORK),
    ids.HOME_RESULTS: ("Post results", Operation.SEE_RESULTS, Stage.FIELDWORK_CONTEXT),
    ids.HOME_VOTE: ("Start a vote", Operation.RUN_VOTE, Stage.FIELDWORK_CONTEXT),
    ids.HOME_PLAN: ("Post the plan", Operation.SEE_PLAN, Stage.FOLLOW_UP),
}


def build_lead_home(facts: LeadFacts) -> HomeSection:
    """The review's progress in counts only, with buttons for the leads' commands."""
    overdue = facts.overdue_actions
    late = f" · ⚠️ {overdue} overdue" if overdue else " · none overdue"
    actions_line = (
        f"📋 Actions: {facts.open_actions} open{late}."
        if facts.open_actions
        else "📋 Actions: none open."
    )
    lines = [
        "*You lead this review*",
        self_assessment_line(facts.self_assessment),
        vote_line(facts.vote, afi_count=facts.afi_count, prioritised=facts.prioritised_count),
        actions_line,
        next_line(facts.next_step),
    ]
    value = str(facts.review_id)
    buttons = actions(
        *(
            button(label, action_id, value)
            for action_id, (label, _, last) in LEAD_BUTTONS.items()
            if ORDER.index(facts.stage) <= ORDER.index(last)
        ),
        block_id=f"{ids.HOME_LEAD_BUTTONS}{facts.review_id}",
    )
    return HomeSection("", (section("\n".join(lines)), buttons), review_id=facts.review_id)


def build_invite_modal(*, review_id: int, host_council: str, channel_id: str) -> Block:
    """`/psif invite` as a form: pick the people; the same invitations follow."""
    return modal(
        title="Invite stakeholders",
        callback_id=ids.HOME_INVITE_MODAL,
        submit="Invite",
        private_metadata=InviteMetadata(review_id=review_id).dump(),
        blocks=[
            section(
                f"Invite people to the *{escape_mrkdwn(host_council)}* self-assessment. Each "
                "gets a direct message with a button to start; their answers stay anonymous."
            ),
            input_block(
                block_id=ids.HOME_INVITE_PEOPLE,
                label="People to invite",
                element={"type": "multi_users_select", "action_id": ids.HOME_INVITE_PEOPLE},
            ),
            context(
                "To invite a whole Slack user group, type `/psif invite @group-name` in "
                f"{channel_link(channel_id)}."
            ),
        ],
    )
