"""Who may do what in a review: the one permission table (README's is `markdown_table()`).

Columns are roles, then people with none who can type in the channel (of this workspace
or, through Slack Connect, another: alike here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.core.people import REMOVED_PERSON, is_forgotten
from bot.core.roles import ROLE_LABELS, Role


class Column(StrEnum):
    HOST_LEAD = Role.HOST_LEAD.value
    HOST_TEAM = Role.HOST_TEAM.value
    IS_LEAD = Role.IS_LEAD.value
    IS_TEAM = Role.IS_TEAM.value
    PEER_REVIEWER = Role.PEER_REVIEWER.value
    STAKEHOLDER = Role.STAKEHOLDER.value
    CHANNEL_MEMBER = "channel_member"
    SLACK_CONNECT_MEMBER = "slack_connect_member"


COLUMN_LABELS: dict[Column, str] = {
    **{Column(role.value): label for role, label in ROLE_LABELS.items()},
    Column.CHANNEL_MEMBER: "Other channel member",
    Column.SLACK_CONNECT_MEMBER: "Slack Connect member",
}
NO_ROLE_COLUMNS: tuple[Column, ...] = (Column.CHANNEL_MEMBER, Column.SLACK_CONNECT_MEMBER)


class Operation(StrEnum):
    VIEW_REVIEW = "view_review"
    START_REVIEW = "start_review"
    EDIT_REVIEW = "edit_review"
    CHANGE_TEAM = "change_team"
    SEE_HOST_PARTICIPANTS = "see_host_participants"
    CHANGE_HOST_PARTICIPANTS = "change_host_participants"
    SEE_PEERS = "see_peers"
    RECORD_PEERS = "record_peers"
    MOVE_STAGE = "move_stage"
    CLOSE_REVIEW = "close_review"
    RECORD_MILESTONE = "record_milestone"
    SWITCH_REMINDERS = "switch_reminders"
    SNOOZE = "snooze"
    INVITE_STAKEHOLDERS = "invite_stakeholders"
    SET_SELF_ASSESSMENT_CLOSE = "set_self_assessment_close"
    SEE_RESULTS = "see_results"
    REPOST_RESULTS = "repost_results"
    SURVEY_LINKS = "survey_links"
    ADD_AFI = "add_afi"
    MANAGE_ANY_AFI = "manage_any_afi"
    IMPORT_AFIS = "import_afis"
    RUN_VOTE = "run_vote"
    VOTE = "vote"
    LOG_ACTION = "log_action"
    MANAGE_ANY_ACTION = "manage_any_action"
    SEE_PLAN = "see_plan"
    SEE_PAPERS = "see_papers"
    ADD_PAPERS = "add_papers"
    SEND_PAPERS = "send_papers"
    PLAN_FIELDWORK = "plan_fieldwork"
    RECORD_FINDING = "record_finding"
    MANAGE_ANY_FINDING = "manage_any_finding"
    BUILD_REPORT = "build_report"
    FINALISE_REPORT = "finalise_report"
    MARK_LEARNING = "mark_learning"
    COMMENT_ON_DRAFT = "comment_on_draft"


@dataclass(frozen=True)
class Permission:
    label: str  # the README row: "`/psif edit`: change the Appendix 1 details"
    doing: str  # completes "Only the review's … can …": "change the review's details"
    roles: frozenset[Role]
    anyone_in_channel: bool = False


LEADS = frozenset({Role.HOST_LEAD, Role.IS_LEAD})
HOST_AND_IS = frozenset({Role.HOST_LEAD, Role.HOST_TEAM, Role.IS_LEAD, Role.IS_TEAM})
REVIEW_TEAM = HOST_AND_IS | {Role.PEER_REVIEWER}
EVERYONE = frozenset(Role)

PERMISSIONS: dict[Operation, Permission] = {
    Operation.VIEW_REVIEW: Permission(
        "`/psif status`, `/psif stage`, `/psif team`, `/psif reminders`",
        "see the review",
        EVERYONE,
        anyone_in_channel=True,
    ),
    Operation.START_REVIEW: Permission(
        "`/psif start` (the opener must be a lead or on the IS team)",
        "open a review",
        EVERYONE,
        anyone_in_channel=True,
    ),
    Operation.EDIT_REVIEW: Permission(
        "`/psif edit`: change the Appendix 1 details and dates", "change the review", LEADS
    ),
    Operation.CHANGE_TEAM: Permission(
        "`/psif team add`, `remove`, `lead`", "change the team", LEADS
    ),
    Operation.SEE_HOST_PARTICIPANTS: Permission(
        "`/psif participants`: the host's officers taking part in fieldwork",
        "see the host participants",
        REVIEW_TEAM,
    ),
    Operation.CHANGE_HOST_PARTICIPANTS: Permission(
        "`/psif participants add`, `remove`, `send`",
        "change or send to the host participants",
        LEADS,
    ),
    Operation.SEE_PEERS: Permission(
        "`/psif peers`: the peer councils approached and their answers",
        "see the peer councils' answers",
        REVIEW_TEAM,
    ),
    Operation.RECORD_PEERS: Permission(
        "`/psif peers edit`: record approaches and answers, add partner organisations",
        "record the peer councils' answers",
        LEADS,
    ),
    Operation.MOVE_STAGE: Permission(
        "`/psif stage next`", "move the review to its next stage", LEADS
    ),
    Operation.CLOSE_REVIEW: Permission(
        "`/psif close`, `/psif reopen`", "close or reopen the review", LEADS
    ),
    Operation.RECORD_MILESTONE: Permission(
        "`/psif done <milestone>`", "record milestones done", HOST_AND_IS
    ),
    Operation.SWITCH_REMINDERS: Permission(
        "`/psif reminders off`, `on`", "switch reminders on or off", LEADS
    ),
    Operation.SNOOZE: Permission(
        "`/psif snooze` (your own direct messages)",
        "snooze reminders",
        EVERYONE,
        anyone_in_channel=True,
    ),
    Operation.INVITE_STAKEHOLDERS: Permission("`/psif invite`", "invite stakeholders", HOST_AND_IS),
    Operation.SET_SELF_ASSESSMENT_CLOSE: Permission(
        "`/psif checklist close-date`", "move the self-assessment's closing date", LEADS
    ),
    Operation.SEE_RESULTS: Permission("`/psif results`", "see the results", REVIEW_TEAM),
    Operation.REPOST_RESULTS: Permission("`/psif results repost`", "post the results again", LEADS),
    Operation.SURVEY_LINKS: Permission(
        "`/psif links`, `links withdraw`, `/psif import-answers`: answers from people "
        "outside Slack",
        "make survey links or import answers",
        HOST_AND_IS,
    ),
    Operation.ADD_AFI: Permission("`/afi add`", "add areas for improvement", REVIEW_TEAM),
    Operation.MANAGE_ANY_AFI: Permission(
        "Edit, merge or withdraw anyone's AFI",
        "change other people's areas for improvement",
        frozenset({Role.HOST_LEAD, Role.IS_LEAD, Role.IS_TEAM}),
    ),
    Operation.IMPORT_AFIS: Permission(
        "`/afi import`", "import the self-assessment's candidates", REVIEW_TEAM
    ),
    Operation.RUN_VOTE: Permission(
        "`/afi vote`, `/afi close`, `/afi reopen`", "run the vote", LEADS
    ),
    Operation.VOTE: Permission(
        "Vote on AFIs (a lead may open a vote to everyone in the channel)", "vote", REVIEW_TEAM
    ),
    Operation.LOG_ACTION: Permission("`/action log`", "log actions", REVIEW_TEAM),
    Operation.MANAGE_ANY_ACTION: Permission(
        "`/action done`, `edit` or drop anyone's action",
        "change other people's actions",
        frozenset({Role.HOST_LEAD, Role.IS_LEAD, Role.IS_TEAM}),
    ),
    Operation.SEE_PLAN: Permission(
        "`/action plan`, `/action export`", "see the improvement plan", REVIEW_TEAM
    ),
    Operation.SEE_PAPERS: Permission("`/psif papers`", "see the papers for fieldwork", REVIEW_TEAM),
    Operation.ADD_PAPERS: Permission(
        "`/psif papers add`, `paper`, `remove`", "add papers for fieldwork", HOST_AND_IS
    ),
    Operation.SEND_PAPERS: Permission("`/psif papers send`", "send the papers", LEADS),
    Operation.PLAN_FIELDWORK: Permission(
        "`/psif fieldwork plan`: add, move or cancel sessions", "plan fieldwork sessions", LEADS
    ),
    Operation.RECORD_FINDING: Permission(
        "`/afi note`, `/afi show`: record and read findings", "record or read findings", REVIEW_TEAM
    ),
    Operation.MANAGE_ANY_FINDING: Permission(
        "Edit or remove anyone's finding",
        "change findings other people recorded",
        frozenset({Role.HOST_LEAD, Role.IS_LEAD, Role.IS_TEAM}),
    ),
    Operation.BUILD_REPORT: Permission(
        "`/psif report`, `report summary`, `report briefing`", "produce the report", LEADS
    ),
    # The host authority finalises its report, reflecting the peers' and the IS's input.
    Operation.FINALISE_REPORT: Permission(
        "`/psif report final`: mark the report final",
        "mark the report final",
        frozenset({Role.HOST_LEAD}),
    ),
    Operation.MARK_LEARNING: Permission(
        "`/afi share`: mark a finding as learning to share", "mark learning to share", LEADS
    ),
    Operation.COMMENT_ON_DRAFT: Permission(
        "Comment on the draft report", "comment on the draft report", REVIEW_TEAM
    ),
}


def allows(operation: Operation, column: Column) -> bool:
    permission = PERMISSIONS[operation]
    if column in NO_ROLE_COLUMNS:
        return permission.anyone_in_channel
    return Role(column.value) in permission.roles


def permits(operation: Operation, roles: Iterable[Role]) -> bool:
    """True if someone holding `roles` may do it (none: a channel member)."""
    held = frozenset(roles)
    permission = PERMISSIONS[operation]
    return bool(held & permission.roles) if held else permission.anyone_in_channel


def who_can(operation: Operation) -> str:
    """'host lead or Improvement Service lead'."""
    roles = PERMISSIONS[operation].roles
    if roles == REVIEW_TEAM:
        return "team (host, Improvement Service and peer reviewers)"
    if roles == HOST_AND_IS:
        return "host or Improvement Service team members"
    labels = [ROLE_LABELS[role].lower() for role in Role if role in PERMISSIONS[operation].roles]
    labels = [label.replace("improvement service", "Improvement Service") for label in labels]
    return ", ".join(labels[:-1]) + (" or " if len(labels) > 1 else "") + labels[-1]


def refusal(operation: Operation) -> str:
    return f"Only the review's {who_can(operation)} can {PERMISSIONS[operation].doing}."


# Whom to name in a refusal: the leads first, as they change the team and run the review.
_ASK_ORDER = (Role.HOST_LEAD, Role.IS_LEAD, Role.HOST_TEAM, Role.IS_TEAM, Role.PEER_REVIEWER)


def refusal_naming(members: Sequence[tuple[str, str]], operation: Operation) -> str:
    """The refusal, naming up to two of the review's `members` (user id, role) who can:
    "… Ask @Alice if you should."."""
    allowed = [role.value for role in _ASK_ORDER if role in PERMISSIONS[operation].roles]
    people = [user for role in allowed for user, held in members if held == role]
    named = [
        REMOVED_PERSON if is_forgotten(user) else f"<@{user}>" for user in dict.fromkeys(people)
    ][:2]
    if not named:
        return refusal(operation)
    return f"{refusal(operation)} Ask {' or '.join(named)} if you should be able to."


def markdown_table() -> str:
    head = "| What | " + " | ".join(COLUMN_LABELS[column] for column in Column) + " |"
    rule = "| --- |" + " :-: |" * len(Column)
    rows = [
        f"| {PERMISSIONS[op].label} | "
        + " | ".join("✓" if allows(op, column) else "–" for column in Column)
        + " |"
        for op in Operation
    ]
    return "\n".join([head, rule, *rows])
