"""Findings: what they may say, where they came from, and who may record them.

Findings never record who said what (guidance §2): a text that mentions a Slack user is
refused, and a source is a kind of evidence or a session, never a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.findings import FindingItem, FindingKind
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.slack.payloads import whole_number

FINDING_TEXT_MAX = 1500

# `<@U123>` / `<@U123|name>` as Slack encodes a mention, `<!subteam^S1>` for a user group, and
# an "@name" typed into a form (Slack leaves those as plain text), but not an email address.
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(\|[^>]*)?>|<!subteam\^[A-Z0-9]+(\|[^>]*)?>|(?<![\w.])@\w")


NO_MENTIONS = (
    "Findings never say who said what, so they can't mention people. Take out the "
    "@mention and describe the group instead (for example “a depot supervisor” or "
    "“staff in the focus group”)."
)


def mentions_a_person(text: str) -> bool:
    return _MENTION.search(text) is not None


def finding_text_problem(text: str) -> str | None:
    cleaned = text.strip()
    if not cleaned:
        return "Write the key point you want to record."
    if len(cleaned) > FINDING_TEXT_MAX:
        return f"Keep a finding to {FINDING_TEXT_MAX} characters (this is {len(cleaned)})."
    if mentions_a_person(cleaned):
        return NO_MENTIONS
    return None


def may_record_finding(roles: Iterable[Role]) -> bool:
    """Peer reviewers, the host team and the Improvement Service record findings."""
    return permits(Operation.RECORD_FINDING, roles)


def may_see_findings(roles: Iterable[Role]) -> bool:
    """What was learnt in interviews stays with the review team (guidance §2)."""
    return permits(Operation.RECORD_FINDING, roles)


def may_change_finding(roles: Iterable[Role], *, recorded_it: bool) -> bool:
    """Whoever recorded a finding may correct or remove it while on the team; the leads and
    the Improvement Service team may change anyone's."""
    held = frozenset(roles)
    return permits(Operation.MANAGE_ANY_FINDING, held) or (recorded_it and may_record_finding(held))


def parse_note(text: str) -> tuple[int, str] | str:
    """`/afi note <number> [text]` → (number, text), or how to type it."""
    number_text, _, rest = text.strip().partition(" ")
    number = whole_number(number_text.removeprefix("#"), digits=6)
    if number is None:
        return (
            "Say which area the finding is about, for example "
            "`/afi note 3 Depot staff don't see the repair backlog`."
        )
    return number, rest.strip()


def by_kind(items: Iterable[FindingItem]) -> dict[FindingKind, list[FindingItem]]:
    grouped: dict[FindingKind, list[FindingItem]] = {kind: [] for kind in FindingKind}
    for item in items:
        grouped[item.kind].append(item)
    return grouped
