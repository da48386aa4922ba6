"""The report: who may do what, and what the fieldwork and reporting stages still lack."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.permissions import Operation, permits
from bot.core.report import FieldworkFacts
from bot.core.roles import Role
from bot.core.stages import Stage
from bot.slack.text import join_words

COMMENT_MAX = 3000


def may_build_report(roles: Iterable[Role]) -> bool:
    """The host produces the report with the Improvement Service (guidance §5.4)."""
    return permits(Operation.BUILD_REPORT, roles)


def may_finalise_report(roles: Iterable[Role]) -> bool:
    return permits(Operation.BUILD_REPORT, roles)


def may_publish_summary(roles: Iterable[Role]) -> bool:
    return permits(Operation.BUILD_REPORT, roles)


def may_comment(roles: Iterable[Role]) -> bool:
    """Peers and the Improvement Service give feedback on the draft, as does the host team."""
    return permits(Operation.COMMENT_ON_DRAFT, roles)


def may_resolve_comment(*, author_id: str, user_id: str, roles: Iterable[Role]) -> bool:
    return user_id == author_id or permits(Operation.BUILD_REPORT, roles)


def comment_problem(text: str) -> str | None:
    if not text.strip():
        return "Write your comment on the draft."
    if len(text) > COMMENT_MAX:
        return f"Keep a comment to {COMMENT_MAX} characters (this is {len(text)})."
    return None


def fieldwork_gaps(stage: Stage, facts: FieldworkFacts) -> list[str]:
    """What the fieldwork and reporting stages still lack, in plain words."""
    gaps: list[str] = []
    if (
        stage in (Stage.FIELDWORK_CONTEXT, Stage.FIELDWORK_INTERVIEWS)
        and not facts.sessions_planned
    ):
        gaps.append("No interviews or focus groups are planned yet (`/psif fieldwork plan`).")
    missing = facts.prioritised_without_findings
    if stage in (Stage.FIELDWORK_INTERVIEWS, Stage.FIELDWORK_PLANNING) and missing:
        numbers = join_words([f"AFI {number}" for number in missing])
        gaps.append(f"No findings recorded yet for prioritised {numbers} (`/afi note`).")
    if stage is Stage.REPORTING and not facts.report_versions:
        gaps.append("No draft report yet: a lead builds one with `/psif report`.")
    if stage is Stage.SHARING and not facts.report_final:
        gaps.append("No version of the report is marked final (`/psif report final`).")
    return gaps
