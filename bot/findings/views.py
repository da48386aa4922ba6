"""Block Kit for `/afi show`: an AFI with the figures behind it, its votes, findings, options
and actions, and the confirmation of a recorded finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.actions import STATUS_LABELS, ActionItem
from bot.core.afis import AfiItem
from bot.core.calendar import format_date
from bot.core.checklist import Answer
from bot.core.findings import KIND_HEADINGS, FindingItem
from bot.findings.rules import by_kind
from bot.self_assessment.service import Tally
from bot.self_assessment.views import describe_tally
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, header, option, section
from bot.slack.pages import PAGE_CHARACTER_BUDGET, block_size
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

LINE_LIMIT = 400


@dataclass(frozen=True)
class AfiDetail:
    """Everything `/afi show` shows about one AFI."""

    afi: AfiItem
    section_title: str | None
    figures: dict[str, Any]
    vote_held: bool
    findings: Sequence[FindingItem] = ()
    actions: Sequence[ActionItem] = ()
    session_count: int = 0
    can_add: bool = False
    merged_numbers: tuple[int, ...] = field(default=())
    changeable: frozenset[int] = frozenset()  # ids of the findings the viewer may change


def figures_line(figures: dict[str, Any]) -> str | None:
    """'Self-assessment: 12 respondents · 71% agree, 29% disagree (of 10 views); 17% don't
    know' from the counts stored at import, worded as the results are."""
    if not figures or "respondents" not in figures:
        return None
    counts = dict.fromkeys(Answer, 0)
    for answer, count in (figures.get("counts") or {}).items():
        if answer in Answer.__members__.values():
            counts[Answer(answer)] = int(count)
    reasons = ", ".join(str(reason) for reason in figures.get("reasons") or [])
    line = (
        f"Self-assessment: {plural(int(figures['respondents']), 'respondent')} · "
        f"{describe_tally(Tally(counts))}"
    )
    return f"{line} ({reasons})" if reasons else line


def finding_line(item: FindingItem) -> str:
    text = escape_mrkdwn(truncate(item.text, LINE_LIMIT))
    return f"• {text} _({escape_mrkdwn(item.source_label)})_"


def _change_menu(item: FindingItem) -> Block:
    return {
        "type": "overflow",
        "action_id": ids.FINDING_MANAGE,
        "options": [
            option("Edit", f"edit:{item.id}"),
            option("Remove", f"remove:{item.id}"),
        ],
    }


def _findings(title: str, items: Sequence[FindingItem], changeable: frozenset[int]) -> list[Block]:
    """The findings of one kind: listed together, except that each finding the viewer may
    change gets its own line with an Edit / Remove menu."""
    if not any(item.id in changeable for item in items):
        return _listing(title, [finding_line(item) for item in items])
    blocks = [section(f"*{title}*")]
    for item in items:
        menu = _change_menu(item) if item.id in changeable else None
        blocks.append(section(finding_line(item), accessory=menu))
    return blocks


def action_line(item: ActionItem) -> str:
    text = escape_mrkdwn(truncate(item.key_action, 200))
    return (
        f"• Action {item.number}: {text} – {mention(item.owner_id)}, due "
        f"{format_date(item.due)}, {STATUS_LABELS[item.status].lower()}"
    )


def _listing(title: str, lines: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    current = f"*{title}*"
    for line in lines:
        if len(current) + len(line) > 2800:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    blocks.append(section(current))
    return blocks


def build_afi_detail(detail: AfiDetail) -> tuple[str, list[Block]]:
    afi = detail.afi
    status = f"Prioritised (rank {afi.rank})" if afi.prioritised and afi.rank else "Not prioritised"
    facts = [status]
    if detail.section_title:
        facts.append(f"Section: {escape_mrkdwn(detail.section_title)}")
    if detail.vote_held:
        facts.append(f"{plural(afi.votes, 'vote')} in the latest vote")
    if detail.session_count:
        facts.append(f"probed in {plural(detail.session_count, 'fieldwork session')}")
    blocks: list[Block] = [
        header(f"AFI {afi.number}"),
        section(escape_mrkdwn(truncate(afi.text, 2900))),
        context(" · ".join(facts)),
    ]
    if detail.merged_numbers:
        merged = ", ".join(str(number) for number in detail.merged_numbers)
        blocks.append(context(f"Includes what was noted against merged areas {merged}."))
    figures = figures_line(detail.figures)
    if figures:
        blocks.append(section(figures))
    if afi.evidence:
        blocks.append(section(f"*Evidence*\n{escape_mrkdwn(truncate(afi.evidence, 2800))}"))
    grouped = by_kind(detail.findings)
    tail: list[Block] = []
    for kind, items in grouped.items():
        if items:
            tail += _findings(KIND_HEADINGS[kind], items, detail.changeable)
    if not detail.findings:
        tail.append(section("*Findings*\nNone recorded yet."))
    if detail.actions:
        tail += _listing("Actions", [action_line(item) for item in detail.actions])
    budget = PAGE_CHARACTER_BUDGET - sum(block_size(block) for block in blocks) - 600
    for block in tail:
        if len(blocks) >= 45 or block_size(block) > budget:
            blocks.append(context("…more than fits here: the report lists everything."))
            break
        blocks.append(block)
        budget -= block_size(block)
    if detail.can_add:
        blocks.append(actions(button("Add a finding", ids.FINDING_ADD, f"afi:{afi.id}")))
    blocks.append(context("Findings never record who said what."))
    count = plural(len(detail.findings), "finding")
    return f"AFI {afi.number}: {truncate(afi.text, 200)} ({count})", blocks
