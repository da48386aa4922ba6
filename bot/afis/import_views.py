"""The `/afi import` form: each candidate area worded as a gap, editable, ticked to be added."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.afis.rules import AFI_TEXT_MAX
from bot.slack import ids
from bot.slack.blocks import PLAIN_TEXT_INPUT_LIMIT, Block, context, input_block, modal, section
from bot.slack.payloads import Metadata, ResponseUrl, SlackId, reading
from bot.slack.text import plural, truncate

# Two blocks per candidate and two around them keep a form inside Slack's 100 blocks.
FORM_MAX = 45
KEEP_VALUE = "add"

UNTICK_OR_WRITE = "Write the area for improvement, or untick it above to leave it out."
NOTHING_TICKED = "Tick at least one area to add, or press Cancel."


class ImportFormMetadata(Metadata):
    """What the import form carries: where the command was typed."""

    channel_id: SlackId
    response_url: ResponseUrl = ""


@dataclass(frozen=True, slots=True)
class Offered:
    """One candidate as the form offers it."""

    statement_id: str
    statement: str
    why: str  # "0% agree of 7; flagged for low agreement"
    wording: str  # the gap, as it would be added


def keep_block_id(statement_id: str) -> str:
    return f"{ids.AFI_IMPORT_KEEP}/{statement_id}"


def text_block_id(statement_id: str) -> str:
    return f"{ids.AFI_IMPORT_TEXT}/{statement_id}"


def _offer(offered: Offered) -> list[Block]:
    keep_option = {
        "text": {"type": "plain_text", "text": "Add this area"},
        "value": KEEP_VALUE,
    }
    wording: Block = {
        "type": "plain_text_input",
        "action_id": ids.AFI_IMPORT_TEXT,
        "multiline": True,
        # Slack refuses a starting value longer than the box; saving checks the real limit.
        "max_length": min(max(AFI_TEXT_MAX, len(offered.wording)), PLAIN_TEXT_INPUT_LIMIT),
        "initial_value": offered.wording[:PLAIN_TEXT_INPUT_LIMIT],
    }
    return [
        input_block(
            block_id=keep_block_id(offered.statement_id),
            label=truncate(f"{offered.statement_id}: {offered.statement}", 2000),
            element={
                "type": "checkboxes",
                "action_id": ids.AFI_IMPORT_KEEP,
                "options": [keep_option],
                "initial_options": [keep_option],
            },
            optional=True,
        ),
        input_block(
            block_id=text_block_id(offered.statement_id),
            label="Worded as a gap",
            element=wording,
            optional=True,
            hint=truncate(offered.why, 2000),
        ),
    ]


def build_import_modal(
    offered: Sequence[Offered], metadata: ImportFormMetadata, *, more: int, earlier: int
) -> Block:
    """The form `/afi import` opens; `more` candidates wait for a later form, `earlier` were
    imported already."""
    intro = (
        f"The self-assessment flagged {plural(len(offered), 'statement')} as candidate areas "
        "for improvement. Each is worded below as the gap it names, with its figures. Edit the "
        "wording as you like, and untick any you don't want. Nothing is added until you press "
        "*Add the ticked areas*."
    )
    notes = []
    if earlier:
        notes.append(f"{plural(earlier, 'candidate')} imported earlier not shown.")
    if more:
        notes.append(f"{more} more after these: type `/afi import` again once these are added.")
    blocks: list[Block] = [section(intro)]
    for item in offered[:FORM_MAX]:
        blocks.extend(_offer(item))
    if notes:
        blocks.append(context(" ".join(notes)))
    return modal(
        title="Import areas",
        blocks=blocks,
        callback_id=ids.AFI_IMPORT_MODAL,
        submit="Add the ticked areas",
        private_metadata=metadata.dump(),
    )


def parse_import_form(values: dict[str, Any]) -> dict[str, str | None]:
    """Statement id → the wording typed for it if ticked, None if unticked, in form order."""
    with reading("the import form"):
        chosen: dict[str, str | None] = {}
        for block_id, state in values.items():
            kind, _, statement_id = block_id.partition("/")
            if kind != ids.AFI_IMPORT_KEEP or not statement_id:
                continue
            ticked = state[ids.AFI_IMPORT_KEEP].get("selected_options") or []
            typed = values.get(text_block_id(statement_id), {}).get(ids.AFI_IMPORT_TEXT, {})
            wording = str(typed.get("value") or "").strip()
            chosen[statement_id] = wording if ticked else None
        return chosen
