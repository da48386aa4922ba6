"""A lead's part of the Home tab for one review: how it is going, and buttons for what they
would otherwise type (`/psif invite`, `/psif results`, `/afi vote`, `/action plan`)."""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.core.responses import RoundState, RoundStatus
from bot.home.lead_facts import LeadFacts, NextStep, VoteFacts
from bot.home.views import HomeSection
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, input_block, modal, section
from bot.slack.payloads import Metadata, RecordId
from bot.slack.text import channel_link, escape_mrkdwn, plural

# Within the 100-block tab, a led review adds two blocks: the summary and its buttons.
LEAD_BLOCKS = 2


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


def actions_line(open_actions: int, overdue: int) -> str:
    if not open_actions:
        return "📋 Actions: none open."
    late = f" · ⚠️ {overdue} overdue" if overdue else " · none overdue"
    return f"📋 Actions: {open_actions} open{late}."


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


def lead_buttons(review_id: int) -> Block:
    value = str(review_id)
    return actions(
        button("Invite stakeholders", ids.HOME_INVITE, value),
        button("Post results", ids.HOME_RESULTS, value),
        button("Start a vote", ids.HOME_VOTE, value),
        button("Post the plan", ids.HOME_PLAN, value),
        block_id=f"{ids.HOME_LEAD_BUTTONS}{review_id}",
    )


def build_lead_home(facts: LeadFacts) -> HomeSection:
    """The review's progress as a lead sees it, in counts only, with the lead's buttons."""
    lines = [
        "*You lead this review*",
        self_assessment_line(facts.self_assessment),
        vote_line(facts.vote, afi_count=facts.afi_count, prioritised=facts.prioritised_count),
        actions_line(facts.open_actions, facts.overdue_actions),
        next_line(facts.next_step),
    ]
    blocks = (section("\n".join(lines)), lead_buttons(facts.review_id))
    return HomeSection("", blocks, review_id=facts.review_id)


class InviteMetadata(Metadata):
    """What the Home tab's invite modal carries: the review it invites to."""

    review_id: RecordId


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
