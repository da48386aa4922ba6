"""The papers sent to the team at least 2 weeks before fieldwork (guidance §5.2): the host's
short paper on what it wants from fieldwork, the self-assessment report and other evidence
(KPIs, plans, recent reviews), as titled links. Plain rules, no Slack and no database."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.permissions import Operation, permits
from bot.core.roles import Role

TITLE_MAX = 200
URL_MAX = 2000
PAPERS_MILESTONE = "papers_due"

# Slack sends a link typed in a command as <https://…> or <https://…|label>.
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"(?<![<\w])(https?://\S+)")


def split_link(text: str) -> tuple[str, str] | str:
    """'KPI dashboard <https://x>' → ('KPI dashboard', 'https://x'), or what is wrong."""
    found = _SLACK_LINK.search(text) or _BARE_LINK.search(text)
    if found is None:
        return (
            "Add a web link (starting https://) to the paper, for example "
            "`/psif papers add Roads KPIs 2025-26 https://…`."
        )
    url = found.group(1)
    title = " ".join((text[: found.start()] + text[found.end() :]).split())
    if any(char in url for char in '<>|"'):
        return "That link has characters a Slack message can't hold; copy it from the address bar."
    if len(url) > URL_MAX:
        return f"That link is longer than {URL_MAX} characters."
    if len(title) > TITLE_MAX:
        return f"Keep the title to {TITLE_MAX} characters."
    return title, url


def may_see_papers(roles: Iterable[Role]) -> bool:
    return permits(Operation.SEE_PAPERS, roles)


def may_add_papers(roles: Iterable[Role]) -> bool:
    """The host gathers the evidence, supported by the Improvement Service (§5.2)."""
    return permits(Operation.ADD_PAPERS, roles)


def may_send_papers(roles: Iterable[Role]) -> bool:
    return permits(Operation.SEND_PAPERS, roles)
