"""What the team shows: `/psif team`, a new member's welcome and the channel's lines on a
change; `/psif peers`, its modal (and reading it back) and its channel line; `/psif
participants`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.core.calendar import format_date
from bot.core.peers import STATE_LABELS, PeerCouncilItem, PeerState, PeerUpdate
from bot.core.roles import ROLE_LABELS, TEAM_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.timeline import milestones
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    input_value,
    modal,
    option,
    section,
    text_input,
)
from bot.slack.payloads import Metadata, RecordId, ResponseUrl, UnreadablePayload, reading
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural, truncate
from bot.team._rules import (
    NOMINEES_MAX,
    PARTNER_MAX,
    PEER_COUNCILS_WANTED,
    REASON_MAX,
    USAGE,
    PeerField,
    PeersCheck,
    PeersForm,
    label,
)

CONFIDENTIAL = (
    "*Confidentiality.* The team respects the confidentiality of all the host council's "
    "documents and of everything said in meetings, interviews and focus groups. Keep papers "
    "within the review team, and don't attribute anything to the person who said it."
)
ASKS: dict[Role, str] = {
    Role.PEER_REVIEWER: (
        "You're here as a *critical friend*, not an auditor: peer collaborative improvement "
        "is voluntary and *is not an audit or inspection*. You bring an outside view and your "
        "own experience: ask reflective questions about the evidence, give supportive, robust "
        "and constructive challenge, and share practice from your own organisation.\n"
        "What it asks of you: read the papers (they come at least 2 weeks before fieldwork), "
        "join the team pre-meeting, take part in 2–3 days of fieldwork (context setting and "
        "prioritising the areas for improvement, interviews and focus groups, improvement "
        "planning), then comment on the draft report."
    ),
    Role.HOST_LEAD: (
        "You lead the review for the host council: you agree the focus and timeline with the "
        "Improvement Service, make sure the team has the papers and evidence it needs, lead "
        "the fieldwork and finalise the report with its actions and next steps."
    ),
    Role.HOST_TEAM: (
        "You're on the host council's side of the team: gathering evidence and papers, "
        "taking part in the fieldwork, and carrying out the improvement actions agreed."
    ),
    Role.IS_LEAD: (
        "You coordinate and facilitate the review for the Improvement Service: with the host, "
        "you approach the peer councils, support the analysis of the self-assessment and "
        "facilitate the fieldwork sessions."
    ),
    Role.IS_TEAM: (
        "You support the review for the Improvement Service: analysis of the self-assessment "
        "and data (such as LGBF family groups), and facilitating the fieldwork."
    ),
}
COMMANDS: dict[Role, str] = {
    Role.PEER_REVIEWER: (
        "`/psif status` where things stand · `/psif results` the self-assessment results · "
        "`/afi add`, `/afi list` areas for improvement (and the vote buttons in the channel) · "
        "`/action log`, `/action plan` the improvement plan"
    ),
    Role.HOST_LEAD: (
        "`/psif status` · `/psif team` · `/psif edit` · `/psif invite` · "
        "`/psif stage next` · `/afi vote` · `/action plan` · `/psif close`"
    ),
    Role.IS_LEAD: (
        "`/psif status` · `/psif team` · `/psif edit` · `/psif invite` · "
        "`/psif stage next` · `/afi vote` · `/action plan`"
    ),
    Role.HOST_TEAM: (
        "`/psif status` · `/psif invite` · `/psif done` · `/afi add` · `/action log` · "
        "`/action list mine`"
    ),
    Role.IS_TEAM: (
        "`/psif status` · `/psif invite` · `/psif results` · `/afi list` · `/action plan`"
    ),
}


def _who(user: str, review: ReviewSnapshot) -> str:
    organisation = review.organisations.get(user)
    return mention(user) + (f" ({escape_mrkdwn(organisation)})" if organisation else "")


def build_team(review: ReviewSnapshot, *, can_change: bool) -> tuple[str, list[Block]]:
    """`/psif team`: the team by role."""
    lines = []
    for role in TEAM_ROLES:
        people = [_who(user, review) for user in review.with_role(role)]
        title = ROLE_LABELS[role] + ("s" if role is Role.PEER_REVIEWER else "")
        lines.append(f"*{title}:* {join_words(people) if people else '_nobody yet_'}")
    stakeholders = len(review.with_role(Role.STAKEHOLDER))
    blocks: list[Block] = [
        header(f"The review team: {review.host_council}"),
        section("\n".join(lines)),
    ]
    if stakeholders:
        blocks.append(
            context(f"{plural(stakeholders, 'stakeholder')} invited to the self-assessment.")
        )
    blocks.append(
        context(
            USAGE if can_change else "The host lead or Improvement Service lead changes the team."
        )
    )
    return f"The review team for {review.host_council}", blocks


def build_welcome(
    review: ReviewSnapshot, *, user: str, role: Role, added_by: str, today: date
) -> tuple[str, list[Block]]:
    """The direct message a person gets when added to the team (or made lead)."""
    organisation = review.organisations.get(user)
    joining = f" from {escape_mrkdwn(organisation)}" if organisation else ""
    text = (
        f"You've been added to the {review.host_council} peer collaborative improvement "
        f"review as {label(role)}."
    )
    coming = [m for m in milestones(review.timeline) if m.day >= today]
    timeline = (
        "\n".join(f"• {m.label}: {format_date(m.day)}" for m in coming)
        if coming
        else "_No dates agreed yet; the leads will set them._"
    )
    blocks: list[Block] = [
        header("Welcome to the review team"),
        section(
            f"{mention(added_by)} added you to the *{review.host_council}* review in "
            f"{channel_link(review.channel_id)} as *{label(role)}*{joining}.\n"
            f"*Focus:* {escape_mrkdwn(review.focus)}"
        ),
        section(f"*Your part*\n{ASKS[role]}"),
        section(CONFIDENTIAL),
        section(f"*Timeline*\n{timeline}"),
        section(f"*Commands you'll use*\n{COMMANDS[role]}\n`/psif help` lists every command."),
    ]
    return text, blocks


def build_removed_notice(review: ReviewSnapshot, *, removed_by: str) -> str:
    return (
        f"{mention(removed_by)} took you off the team of the {review.host_council} review in "
        f"{channel_link(review.channel_id)}. You won't get its team reminders any more. "
        "Please keep its papers and discussions confidential."
    )


def change_line(actor: str, users: Sequence[str], *, added: bool, what: str) -> str:
    """The channel's line on people added to (➕) or taken off (➖) the team or a list."""
    sign, verb = ("➕", "added") if added else ("➖", "took")
    return f"{sign} {mention(actor)} {verb} {join_words([mention(u) for u in users])} {what}."


def added_line(actor: str, users: tuple[str, ...], role: Role, organisation: str | None) -> str:
    where = f" from {escape_mrkdwn(organisation)}" if organisation else ""
    return change_line(actor, users, added=True, what=f"to the team as {label(role)}{where}")


def lead_line(actor: str, role: Role, user: str, previous: str | None) -> str:
    line = f"⭐ {mention(actor)} made {mention(user)} the {label(role)}."
    if previous:
        side = "host team" if role is Role.HOST_LEAD else "Improvement Service team"
        line += f" {mention(previous)} stays on the {side}."
    return line


REMOVE = "remove"  # the state option that takes a partner organisation off the list
BLOCK_PREFIXES = {field: getattr(ids, f"PEER_{field.name}") for field in PeerField}


class PeersMetadata(Metadata):
    """The review, and the entries the form showed (only those are changed)."""

    review_id: RecordId
    council_ids: list[RecordId]
    response_url: ResponseUrl | None = None


def describe(item: PeerCouncilItem) -> str:
    """'*Angus*: agreed — nominees: …' for the list."""
    name = f"*{escape_mrkdwn(item.name)}*" + (" (partner organisation)" if item.is_partner else "")
    state = STATE_LABELS[item.state].lower()
    if item.approached_on and item.state is not PeerState.TO_APPROACH:
        state += f" (approached {format_date(item.approached_on)})"
    if item.state is PeerState.AGREED:
        state += f" — nominees: {escape_mrkdwn(item.nominees)}"
    if item.state is PeerState.DECLINED:
        state += f" — {escape_mrkdwn(item.declined_reason)}"
    return f"{name}: {state}"


def build_peers(
    items: Sequence[PeerCouncilItem], *, review_id: int, can_record: bool, closed_note: str = ""
) -> tuple[str, list[Block]]:
    """The ephemeral list `/psif peers` shows the review team."""
    agreed = sum(item.state is PeerState.AGREED and not item.is_partner for item in items)
    text = f"Peer councils: {agreed} of {PEER_COUNCILS_WANTED} agreed"
    lines = [describe(item) for item in items] or ["No peer councils are named yet."]
    blocks: list[Block] = [header("Peer councils"), section("\n".join(f"• {x}" for x in lines))]
    notes = [
        f"{agreed} of the {PEER_COUNCILS_WANTED} peer councils the guidance asks for have "
        "agreed. Their peer reviewers join the team with `/psif team add @a as peer` "
        "followed by the council's name."
    ]
    if closed_note:
        notes.append(closed_note)
    blocks.append(context(*notes))
    if can_record:
        blocks.append(
            actions(button("Record answers", ids.PEERS_EDIT, str(review_id), style="primary"))
        )
    return text, blocks


def _state_option(state: PeerState) -> Block:
    return option(STATE_LABELS[state], state.value)


def _entry(item: PeerCouncilItem) -> list[Block]:
    options = [_state_option(state) for state in PeerState]
    if item.is_partner:
        options.append(option("Take off the list", REMOVE))
    date_element: Block = {"type": "datepicker", "action_id": ids.PEER_APPROACHED}
    if item.approached_on:
        date_element["initial_date"] = item.approached_on.isoformat()
    kind = " (partner organisation)" if item.is_partner else ""
    return [
        section(f"*{escape_mrkdwn(item.name)}*{kind}"),
        input_block(
            block_id=f"{ids.PEER_STATE}{item.id}",
            label="Where things stand",
            element={
                "type": "static_select",
                "action_id": ids.PEER_STATE,
                "options": options,
                "initial_option": _state_option(item.state),
            },
        ),
        input_block(
            block_id=f"{ids.PEER_APPROACHED}{item.id}",
            label="Approached on",
            element=date_element,
            optional=True,
        ),
        input_block(
            block_id=f"{ids.PEER_NOMINEES}{item.id}",
            label="Nominees (if they agreed)",
            element=text_input(
                ids.PEER_NOMINEES,
                max_length=NOMINEES_MAX,
                placeholder="Names and roles",
                initial=item.nominees,
            ),
            optional=True,
        ),
        input_block(
            block_id=f"{ids.PEER_REASON}{item.id}",
            label="Reason (if they declined)",
            element=text_input(
                ids.PEER_REASON,
                max_length=REASON_MAX,
                placeholder="Why, briefly",
                initial=item.declined_reason,
            ),
            optional=True,
        ),
    ]


def build_peers_modal(
    items: Sequence[PeerCouncilItem], *, review_id: int, response_url: str | None
) -> Block:
    """One entry per council and partner organisation, and a field to add a partner."""
    blocks: list[Block] = [
        context(
            "Record who has been approached to contribute peer reviewers and what they said. "
            "The review team sees this with `/psif peers`; the channel is told only which "
            "councils agreed or declined."
        )
    ]
    for item in items:
        blocks += _entry(item)
    blocks.append(
        input_block(
            block_id=ids.PEER_PARTNER,
            label="Add a partner organisation",
            element=text_input(
                ids.PEER_PARTNER, max_length=PARTNER_MAX, placeholder="For example, NHS Fife"
            ),
            optional=True,
            hint="Councils are added to the review's peer councils with `/psif edit`.",
        )
    )
    metadata = PeersMetadata(
        review_id=review_id, council_ids=[item.id for item in items], response_url=response_url
    )
    return modal(
        title="Peer councils",
        blocks=blocks,
        callback_id=ids.PEERS_MODAL,
        submit="Save",
        private_metadata=metadata.dump(),
    )


def read_peers_state(view: dict[str, Any], metadata: PeersMetadata) -> PeersForm:
    """The form's answers for the entries it showed; UnreadablePayload if they aren't ours."""
    values: dict[str, Any] = (view.get("state") or {}).get("values") or {}

    def field(prefix: str, council_id: int) -> Any:
        block = values.get(f"{prefix}{council_id}") or {}
        return input_value(block.get(prefix) or {})

    updates = []
    with reading("the peer councils form"):
        for council_id in metadata.council_ids:
            state = field(ids.PEER_STATE, council_id)
            if state is None:
                raise UnreadablePayload("an entry without its state")
            approached = field(ids.PEER_APPROACHED, council_id)
            updates.append(
                PeerUpdate(
                    council_id,
                    None if state == REMOVE else PeerState(state),
                    approached_on=date.fromisoformat(approached) if approached else None,
                    nominees=str(field(ids.PEER_NOMINEES, council_id) or ""),
                    declined_reason=str(field(ids.PEER_REASON, council_id) or ""),
                )
            )
        partner = (values.get(ids.PEER_PARTNER) or {}).get(ids.PEER_PARTNER) or {}
        new_partner = " ".join(str(input_value(partner) or "").split())
    return PeersForm(tuple(updates), new_partner)


def form_errors(check: PeersCheck) -> dict[str, str]:
    """The check's problems by the block they belong to."""
    errors = {
        f"{BLOCK_PREFIXES[field]}{council_id}": message
        for (field, council_id), message in check.entries.items()
    }
    if check.partner:
        errors[ids.PEER_PARTNER] = check.partner
    return errors


def whole_form_block(metadata: PeersMetadata) -> str:
    """Where a refusal of the whole form shows: the first entry's state, else the partner."""
    if metadata.council_ids:
        return f"{ids.PEER_STATE}{metadata.council_ids[0]}"
    return ids.PEER_PARTNER


def channel_line(user_id: str, news: Sequence[tuple[str, PeerState | None]]) -> str:
    """'<@U> updated the peer councils: Angus and Stirling have agreed …; Moray has declined.'
    States only: nominees and reasons stay with the review team (`/psif peers`)."""
    said = {
        PeerState.TO_APPROACH: ("is to be approached", "are to be approached"),
        PeerState.APPROACHED: ("has been approached", "have been approached"),
        PeerState.AGREED: (
            "has agreed to contribute peer reviewers",
            "have agreed to contribute peer reviewers",
        ),
        PeerState.DECLINED: ("has declined", "have declined"),
        None: ("is off the list", "are off the list"),
    }
    by_state: dict[PeerState | None, list[str]] = {}
    for name, state in news:
        by_state.setdefault(state, []).append(escape_mrkdwn(name))
    parts = [
        f"{join_words(names)} {said[state][0 if len(names) == 1 else 1]}"
        for state, names in by_state.items()
    ]
    return (
        f"{mention(user_id)} updated the peer councils: {'; '.join(parts)}. "
        "The review team can see the details with `/psif peers`."
    )


def build_participants(
    review: ReviewSnapshot, participants: Sequence[str], *, can_change: bool
) -> tuple[str, list[Block]]:
    """`/psif participants`: the host council's officers taking part in fieldwork."""
    council = escape_mrkdwn(review.host_council)
    listed = join_words([mention(user) for user in participants]) if participants else "_None yet._"
    blocks: list[Block] = [
        section(
            f"*Host participants* ({council} officers taking part in fieldwork; neither the "
            f"review team nor stakeholders)\n{listed}"
        ),
        context(
            "They get the papers when the leads send them, and the fieldwork schedule with "
            "`/psif participants send`."
        ),
    ]
    if can_change:
        blocks.append(context("Leads: `/psif participants add @a @b`, `remove @a`, `send`."))
    return f"Host participants: {len(participants)}", blocks


def build_participant_welcome(review: ReviewSnapshot, *, added_by: str) -> tuple[str, list[Block]]:
    """The direct message a host participant gets when added."""
    council = escape_mrkdwn(review.host_council)
    text = (
        f"You're taking part in fieldwork for the {review.host_council} peer collaborative "
        "improvement review."
    )
    window = review.timeline.fieldwork_start
    when = f" Fieldwork starts on {format_date(window)}." if window else ""
    return text, [
        section(
            f"{mention(added_by)} added you as one of *{council}*'s officers taking part in "
            f"fieldwork for the review of _{escape_mrkdwn(truncate(review.focus, 200))}_.{when}\n"
            "I'll send you the papers to read beforehand and the fieldwork schedule here. "
            "Please keep them confidential."
        )
    ]
