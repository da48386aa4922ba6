"""Messages about a review: the opening summary, `/psif status` and the offer to move on."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date, format_day
from bot.core.roles import ROLE_LABELS, TEAM_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import ORDER, STAGES, MoveOffer, stage_number
from bot.core.timeline import milestones, next_milestone
from bot.reviews.councils import family_groups
from bot.reviews.moves import StageMove
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    fields_section,
    header,
    section,
)
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention


def _people(review: ReviewSnapshot, users: list[str]) -> str:
    if not users:
        return "_not named yet_"
    return join_words(
        [
            mention(user)
            + (f" ({escape_mrkdwn(org)})" if (org := review.organisations.get(user)) else "")
            for user in users
        ]
    )


def _heading(role: Role, count: int) -> str:
    """'Peer reviewer' above one name, 'Peer reviewers' above several."""
    label = ROLE_LABELS[role]
    return label + "s" if count > 1 and role is Role.PEER_REVIEWER else label


def team_fields(review: ReviewSnapshot) -> Block:
    pairs = [
        (_heading(role, len(review.with_role(role))), _people(review, review.with_role(role)))
        for role in TEAM_ROLES
    ]
    stakeholders = review.with_role(Role.STAKEHOLDER)
    if stakeholders:
        pairs.append(("Stakeholders invited", str(len(stakeholders))))
    return fields_section(pairs)


def timeline_text(
    review: ReviewSnapshot, *, today: date, done: frozenset[str] = frozenset()
) -> str:
    coming = next_milestone(review.timeline, today=today, done=done)
    lines = []
    for milestone in milestones(review.timeline):
        passed = milestone.day < today or milestone.key in done
        marker = "✅" if passed else ("👉" if milestone == coming else "▫️")
        lines.append(f"{marker} {milestone.label}: *{format_day(milestone.day)}*")
    if not lines:
        return "_No dates agreed yet. Fieldwork dates set the rest of the timeline._"
    return "\n".join(lines)


def peers_text(review: ReviewSnapshot) -> str:
    if not review.peer_councils:
        return "_No peer councils named yet (the guidance asks for three)._"
    text = join_words(list(review.peer_councils))
    if review.partners:
        text += f"\n_Partner organisations:_ {escape_mrkdwn(join_words(list(review.partners)))}"
    if review.peer_rationale:
        text += f"\n_Why:_ {escape_mrkdwn(review.peer_rationale)}"
    return text


def _host_line(review: ReviewSnapshot) -> str:
    people, other = family_groups(review.host_council)
    return (
        f"*Host:* {escape_mrkdwn(review.host_council)} "
        f"(LGBF family groups: people services {people}, other services {other})"
    )


def build_review_opened(
    review: ReviewSnapshot, *, opened_by: str, today: date
) -> tuple[str, list[Block]]:
    """The summary posted to the channel when a review is opened."""
    text = (
        f"PSIF review opened: {escape_mrkdwn(review.host_council)} – {escape_mrkdwn(review.focus)}"
    )
    blocks: list[Block] = [
        header(f"PSIF review: {review.host_council}"),
        section(
            f"{mention(opened_by)} opened a peer collaborative improvement review in this "
            f"channel.\n{_host_line(review)}\n*Focus:* {escape_mrkdwn(review.focus)}"
            + (f"\n*Why this focus:* {escape_mrkdwn(review.rationale)}" if review.rationale else "")
        ),
        team_fields(review),
        section(f"*Peer councils to approach*\n{peers_text(review)}"),
        divider(),
        section(f"*Timeline*\n{timeline_text(review, today=today)}"),
        section(
            "*What happens next*\nWe're in *Getting ready*. Next comes the self-assessment: "
            "the host invites stakeholders to the PSIF checklist. "
            "Type `/psif status` at any time to see where things stand, or `/psif help` "
            "for every command."
        ),
    ]
    return text, blocks


def move_offer_blocks(
    review: ReviewSnapshot, offer: MoveOffer, *, can_move: bool, who: str
) -> list[Block]:
    """The work is ahead of the recorded stage: say so, and offer the next move."""
    body = (
        f"↪️ *The work has reached {STAGES[offer.reached].label}*: {offer.because}. "
        f"The review is still recorded in {STAGES[review.stage].label}."
    )
    if not can_move:
        return [section(body), context(f"The review's {who} can move it on.")]
    value = StageMove(review.id, review.stage, offer.target).value
    label = f"Move to {STAGES[offer.target].label}"
    return [
        section(f"{body}\n{label}?"),
        actions(button(label, ids.STAGE_ADVANCE_CONFIRM, value, style="primary")),
    ]


def build_stage_offer(review: ReviewSnapshot, offer: MoveOffer) -> tuple[str, list[Block]]:
    """A lead's direct message when a milestone's work has happened: move the stage on?"""
    reached, target = STAGES[offer.reached].label, STAGES[offer.target].label
    text = f"The {review.host_council} review's work has reached {reached}. Move it to {target}?"
    blocks = [
        section(
            f"*{escape_mrkdwn(review.host_council)} review* in {channel_link(review.channel_id)}"
        ),
        *move_offer_blocks(review, offer, can_move=True, who=""),
        context(
            "`/psif stage` in the channel shows what the stage still lacks. "
            "`/psif reminders off stage` there stops these offers."
        ),
    ]
    return text, blocks


def build_status(
    review: ReviewSnapshot,
    *,
    today: date,
    gaps: list[str],
    offer: list[Block] | None = None,
    done: frozenset[str] = frozenset(),
) -> tuple[str, list[Block]]:
    """`/psif status`: stage (and the move the work calls for), what is next, team."""
    info = STAGES[review.stage]
    coming = next_milestone(review.timeline, today=today, done=done)
    next_line = (
        f"Next: *{coming.label}* on {format_day(coming.day)}." if coming else "No dates ahead."
    )
    # Notification text is plain: no mrkdwn asterisks.
    plain_next = f"Next: {coming.label} on {format_day(coming.day)}." if coming else ""
    text = f"{review.host_council} review – {info.label}. {plain_next}".strip()
    blocks: list[Block] = [header(f"PSIF review: {review.host_council}")]
    if review.closed_on:
        blocks.append(
            section(
                f"🔒 *Closed on {format_date(review.closed_on)}.* What it holds stays readable "
                "here (`/action plan`, `/psif results`); a lead can `/psif reopen` it."
            )
        )
        text = f"{review.host_council} review – closed on {format_date(review.closed_on)}."
    blocks += [
        section(f"*Focus:* {escape_mrkdwn(review.focus)}"),
        section(
            f"*Stage {stage_number(review.stage)} of {len(ORDER)}: {info.label}*\n"
            f"{info.purpose}\n{next_line}"
        ),
        *(offer or []),
    ]
    if gaps:
        blocks.append(section("*Still to do in this stage*\n" + "\n".join(f"• {g}" for g in gaps)))
    blocks += [
        section(f"*Timeline*\n{timeline_text(review, today=today, done=done)}"),
        team_fields(review),
        section(f"*Peer councils*\n{peers_text(review)}"),
    ]
    return text, blocks
