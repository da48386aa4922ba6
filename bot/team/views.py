"""Messages about the team: `/psif team`, the welcome a new member gets, channel lines."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date
from bot.core.roles import TEAM_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.timeline import milestones
from bot.slack.blocks import Block, context, header, section
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural
from bot.team.rules import USAGE, label

TITLES = {
    Role.HOST_LEAD: "Host lead",
    Role.IS_LEAD: "Improvement Service lead",
    Role.HOST_TEAM: "Host team",
    Role.IS_TEAM: "Improvement Service team",
    Role.PEER_REVIEWER: "Peer reviewers",
}

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
        lines.append(f"*{TITLES[role]}:* {join_words(people) if people else '_nobody yet_'}")
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


def added_line(actor: str, users: tuple[str, ...], role: Role, organisation: str | None) -> str:
    where = f" from {escape_mrkdwn(organisation)}" if organisation else ""
    return (
        f"➕ {mention(actor)} added {join_words([mention(u) for u in users])} to the team "
        f"as {label(role)}{where}."
    )


def removed_line(actor: str, users: tuple[str, ...]) -> str:
    return f"➖ {mention(actor)} took {join_words([mention(u) for u in users])} off the team."


def lead_line(actor: str, role: Role, user: str, previous: str | None) -> str:
    line = f"⭐ {mention(actor)} made {mention(user)} the {label(role)}."
    if previous:
        side = "host team" if role is Role.HOST_LEAD else "Improvement Service team"
        line += f" {mention(previous)} stays on the {side}."
    return line
