"""Block Kit for findings: the form that records or corrects one, the question before one is
removed, and `/afi show`: an AFI with its figures, votes, findings, options and actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.actions import STATUS_LABELS, ActionItem
from bot.core.afis import AfiItem
from bot.core.calendar import format_date
from bot.core.fieldwork import AfiLabel, FieldworkSessionItem
from bot.core.findings import KIND_HEADINGS, KIND_LABELS, SOURCE_LABELS, FindingItem, FindingKind
from bot.core.findings import FindingSource as Source
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
)
from bot.slack.pages import PAGE_CHARACTER_BUDGET, block_size
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

FINDING_TEXT_MAX = 1500
OPTIONS_LIMIT = 100
SESSION_PREFIX = "session:"  # a source option's value: a fieldwork session's id follows
LINE_LIMIT = 400


def _element(kind: str, action_id: str, options: list[Block], **extra: Any) -> Block:
    return {"type": kind, "action_id": action_id, "options": options, **extra}


def build_finding_modal(
    *,
    private_metadata: str,
    afis: Sequence[AfiLabel],
    fixed_afi: AfiLabel | None,
    fieldwork_sessions: Sequence[FieldworkSessionItem],
    text: str = "",
    preselect: AfiLabel | None = None,
    from_session: int | None = None,
    editing: FindingItem | None = None,
) -> Block:
    """Record a finding against an AFI (fixed when opened from one), from a fieldwork session
    (preset) or other evidence; or correct one (`editing`)."""
    blocks: list[Block] = []
    if fixed_afi is not None:
        blocks.append(
            context(f"*AFI {fixed_afi.number}:* {escape_mrkdwn(truncate(fixed_afi.text, 500))}")
        )
    else:
        afi_options = {
            afi.id: option(truncate(f"AFI {afi.number}: {afi.text}", 75), str(afi.id))
            for afi in afis[:OPTIONS_LIMIT]
        }
        choices = list(afi_options.values()) or [option("No areas yet", "0")]
        choose = plain("Choose an area")
        afi_element = _element("static_select", ids.FINDING_AFI, choices, placeholder=choose)
        chosen = preselect if preselect in afis else (afis[0] if len(afis) == 1 else None)
        if chosen is not None and chosen.id in afi_options:
            afi_element["initial_option"] = afi_options[chosen.id]
        blocks.append(
            input_block(block_id=ids.FINDING_AFI, label="Area for improvement", element=afi_element)
        )
    sources = {
        f"{SESSION_PREFIX}{item.id}": option(truncate(item.label, 75), f"{SESSION_PREFIX}{item.id}")
        for item in fieldwork_sessions[: OPTIONS_LIMIT - 3]
    }
    sources |= {
        source.value: option(SOURCE_LABELS[source], source.value)
        for source in Source
        if source is not Source.SESSION
    }
    where = plain("Where it came from")
    source_element = _element(
        "static_select", ids.FINDING_SOURCE, list(sources.values()), placeholder=where
    )
    preset = f"{SESSION_PREFIX}{from_session}" if from_session else None
    if preset is None and editing is not None and editing.source is not Source.SESSION:
        preset = editing.source.value
    if preset in sources:
        source_element["initial_option"] = sources[preset]
    kinds = {kind: option(KIND_LABELS[kind], kind.value) for kind in FindingKind}
    kind_element = _element("radio_buttons", ids.FINDING_KIND, list(kinds.values()))
    if editing is not None:
        kind_element["initial_option"] = kinds[editing.kind]
    text_element: Block = {
        "type": "plain_text_input",
        "action_id": ids.FINDING_TEXT,
        "multiline": True,
        "max_length": FINDING_TEXT_MAX,
        "placeholder": plain("The key point, in a sentence or two"),
    }
    if text:
        text_element["initial_value"] = text[:FINDING_TEXT_MAX]
    blocks += [
        input_block(
            block_id=ids.FINDING_KIND, label="What kind of point is it?", element=kind_element
        ),
        input_block(block_id=ids.FINDING_SOURCE, label="Source", element=source_element),
        input_block(
            block_id=ids.FINDING_TEXT,
            label="Finding",
            element=text_element,
            hint="Never who said it: no names or @mentions. Describe a group if it matters.",
        ),
    ]
    return modal(
        title=f"Edit finding {editing.number}" if editing else "Add a finding",
        blocks=blocks,
        callback_id=ids.FINDING_MODAL,
        submit="Save" if editing else "Record finding",
        private_metadata=private_metadata,
    )


def build_remove_modal(item: FindingItem, *, private_metadata: str) -> Block:
    blocks: list[Block] = [
        section(
            f"Remove finding {item.number} from AFI {item.afi_number}?\n>"
            f"{escape_mrkdwn(truncate(item.text, 2500))}"
        ),
        context(f"{KIND_LABELS[item.kind]} · {escape_mrkdwn(item.source_label)}"),
    ]
    if item.kind is FindingKind.OPTION:
        blocks.append(
            context("Any action carrying out this option stays in the plan, without the link.")
        )
    return modal(
        title=f"Remove finding {item.number}",
        blocks=blocks,
        callback_id=ids.FINDING_REMOVE_MODAL,
        submit="Remove",
        private_metadata=private_metadata,
    )


def build_early_modal(*, problem: str, private_metadata: str) -> Block:
    """Pushed over the finding form when its session is still to come."""
    return modal(
        title="Before the session?",
        blocks=[
            section(
                f"*{escape_mrkdwn(problem)}*\nThe guidance records what a session found "
                "after it has taken place. Record this finding anyway?"
            ),
            context("Cancel goes back to the form, where you can choose another source."),
        ],
        callback_id=ids.FINDING_EARLY_MODAL,
        submit="Do it anyway",
        close="Cancel",
        private_metadata=private_metadata,
    )


@dataclass(frozen=True)
class AfiDetail:
    afi: AfiItem
    section_title: str | None
    figures: str | None  # the self-assessment figures of an imported AFI (`afi_figures_line`)
    vote_held: bool
    findings: Sequence[FindingItem] = ()
    actions: Sequence[ActionItem] = ()
    session_count: int = 0
    merged_numbers: tuple[int, ...] = ()
    changeable: frozenset[int] = frozenset()  # ids of the findings the viewer may change
    can_share: bool = False  # the viewer may mark findings as learning to share


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


def _line(item: FindingItem) -> str:
    shared = " · 🌟 learning to share" if item.learning_to_share else ""
    return (
        f"• {escape_mrkdwn(truncate(item.text, LINE_LIMIT))} "
        f"_({escape_mrkdwn(item.source_label)} · finding {item.number}{shared})_"
    )


def _findings(
    title: str, items: Sequence[FindingItem], changeable: frozenset[int], *, can_share: bool
) -> list[Block]:
    """Findings of one kind, listed together unless the viewer may change one: then each
    gets its own line, with a menu where they may."""
    lines = [_line(item) for item in items]
    if not any(item.id in changeable for item in items):
        return _listing(title, lines)
    blocks = [section(f"*{title}*")]
    for item, line in zip(items, lines, strict=True):
        choices = [option("Edit", f"edit:{item.id}"), option("Remove", f"remove:{item.id}")]
        if can_share:
            choices.append(
                option("Not learning to share", f"unshare:{item.id}")
                if item.learning_to_share
                else option("Learning to share", f"share:{item.id}")
            )
        menu = {"type": "overflow", "action_id": ids.FINDING_MANAGE, "options": choices}
        blocks.append(section(line, accessory=menu if item.id in changeable else None))
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
    if detail.figures:
        blocks.append(context(escape_mrkdwn(detail.figures)))
    if afi.evidence:
        blocks.append(section(f"*Evidence*\n{escape_mrkdwn(truncate(afi.evidence, 2800))}"))
    tail: list[Block] = []
    for kind in FindingKind:
        items = [item for item in detail.findings if item.kind is kind]
        if items:
            tail += _findings(
                KIND_HEADINGS[kind], items, detail.changeable, can_share=detail.can_share
            )
    if not detail.findings:
        tail.append(section("*Findings*\nNone recorded yet."))
    action_lines = [
        f"• Action {item.number}: {escape_mrkdwn(truncate(item.key_action, 200))} – "
        f"{mention(item.owner_id)}, due {format_date(item.due)}, "
        f"{STATUS_LABELS[item.status].lower()}"
        for item in detail.actions
    ]
    if action_lines:
        tail += _listing("Actions", action_lines)
    budget = PAGE_CHARACTER_BUDGET - sum(block_size(block) for block in blocks) - 600
    for block in tail:
        if len(blocks) >= 45 or block_size(block) > budget:
            blocks.append(context("…more than fits here: the report lists everything."))
            break
        blocks.append(block)
        budget -= block_size(block)
    blocks += [
        actions(button("Add a finding", ids.FINDING_ADD, f"afi:{afi.id}")),
        context("Findings never record who said what."),
    ]
    count = plural(len(detail.findings), "finding")
    return f"AFI {afi.number}: {truncate(afi.text, 200)} ({count})", blocks
