"""The "Add a finding" modal, the parser for its state and the check of what was typed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bot.core.fieldwork import AfiLabel, SessionItem
from bot.core.findings import KIND_LABELS, SOURCE_LABELS, FindingItem, FindingKind, FindingSource
from bot.findings.rules import FINDING_TEXT_MAX, finding_text_problem
from bot.slack import ids
from bot.slack.blocks import Block, context, input_block, input_value, modal, option, plain, section
from bot.slack.payloads import whole_number
from bot.slack.text import escape_mrkdwn, truncate

OPTIONS_LIMIT = 100
SESSION_PREFIX = "session:"


class FindingMetadata(BaseModel):
    """What the modal carries: the review, the AFI or session it was opened from, and the
    finding when it edits one."""

    review_id: int
    afi_id: int | None = None
    session_id: int | None = None
    finding_id: int | None = None
    response_url: str | None = None

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str) -> FindingMetadata:
        return cls.model_validate(json.loads(raw or "{}"))


@dataclass(frozen=True)
class FindingForm:
    afi: str | None
    kind: str | None
    source: str | None
    text: str


@dataclass(frozen=True)
class FindingFields:
    afi_id: int
    kind: FindingKind
    source: FindingSource
    session_id: int | None
    text: str


def _afi_option(afi: AfiLabel) -> Block:
    return option(truncate(f"AFI {afi.number}: {afi.text}", 75), str(afi.id))


def _kind_option(kind: FindingKind) -> Block:
    return option(KIND_LABELS[kind], kind.value)


def _session_option(item: SessionItem) -> Block:
    return option(truncate(item.label, 75), f"{SESSION_PREFIX}{item.id}")


def _source_option(source: FindingSource) -> Block:
    return option(SOURCE_LABELS[source], source.value)


def build_finding_modal(
    *,
    metadata: FindingMetadata,
    afis: Sequence[AfiLabel],
    fixed_afi: AfiLabel | None,
    sessions: Sequence[SessionItem],
    text: str = "",
    preselect: AfiLabel | None = None,
    editing: FindingItem | None = None,
) -> Block:
    """Record a finding against an AFI (fixed when opened from one), from a session or
    other evidence; or correct one already recorded (`editing`)."""
    blocks: list[Block] = []
    if fixed_afi is not None:
        blocks.append(
            context(f"*AFI {fixed_afi.number}:* {escape_mrkdwn(truncate(fixed_afi.text, 500))}")
        )
    else:
        afi_element: Block = {
            "type": "static_select",
            "action_id": ids.FINDING_AFI,
            "placeholder": plain("Choose an area"),
            "options": [_afi_option(afi) for afi in afis[:OPTIONS_LIMIT]]
            or [option("No areas yet", "0")],
        }
        chosen = preselect if preselect in afis else (afis[0] if len(afis) == 1 else None)
        if chosen is not None:
            afi_element["initial_option"] = _afi_option(chosen)
        blocks.append(
            input_block(block_id=ids.FINDING_AFI, label="Area for improvement", element=afi_element)
        )
    source_options = [_session_option(item) for item in sessions[: OPTIONS_LIMIT - 3]]
    source_options += [
        _source_option(source) for source in FindingSource if source is not FindingSource.SESSION
    ]
    source_element: Block = {
        "type": "static_select",
        "action_id": ids.FINDING_SOURCE,
        "placeholder": plain("Where it came from"),
        "options": source_options,
    }
    preset = next((item for item in sessions if item.id == metadata.session_id), None)
    if preset is not None:
        source_element["initial_option"] = _session_option(preset)
    elif editing is not None and editing.source is not FindingSource.SESSION:
        source_element["initial_option"] = _source_option(editing.source)
    kind_element: Block = {
        "type": "radio_buttons",
        "action_id": ids.FINDING_KIND,
        "options": [_kind_option(kind) for kind in FindingKind],
    }
    if editing is not None:
        kind_element["initial_option"] = _kind_option(editing.kind)
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
            block_id=ids.FINDING_KIND,
            label="What kind of point is it?",
            element=kind_element,
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
        private_metadata=metadata.dump(),
    )


def parse_finding_state(values: dict[str, dict[str, Any]]) -> FindingForm:
    def value(block_id: str) -> Any:
        for state in values.get(block_id, {}).values():
            return input_value(state)
        return None

    return FindingForm(
        afi=value(ids.FINDING_AFI),
        kind=value(ids.FINDING_KIND),
        source=value(ids.FINDING_SOURCE),
        text=value(ids.FINDING_TEXT) or "",
    )


def validate_finding(
    form: FindingForm,
    *,
    fixed_afi_id: int | None,
    afi_ids: frozenset[int],
    session_ids: frozenset[int],
) -> FindingFields | dict[str, str]:
    """The finding to store, or errors keyed by input block id."""
    errors: dict[str, str] = {}
    afi_id = fixed_afi_id
    if afi_id is None:
        afi_id = whole_number(form.afi)
        if afi_id is None or afi_id not in afi_ids:
            errors[ids.FINDING_AFI] = "Choose the area for improvement it's about."
    elif afi_id not in afi_ids:
        errors[ids.FINDING_TEXT] = "This area has since been withdrawn or merged."
    kind = FindingKind(form.kind) if form.kind in set(FindingKind) else None
    if kind is None:
        errors[ids.FINDING_KIND] = "Say whether it's a strength, a concern or an option."
    source, session_id = _source(form.source, session_ids)
    if source is None:
        errors[ids.FINDING_SOURCE] = "Choose where it came from."
    problem = finding_text_problem(form.text)
    if problem:
        errors[ids.FINDING_TEXT] = problem
    if errors:
        return errors
    assert afi_id is not None and kind is not None and source is not None
    return FindingFields(afi_id, kind, source, session_id, form.text.strip())


def _source(
    raw: str | None, session_ids: frozenset[int]
) -> tuple[FindingSource | None, int | None]:
    if raw and raw.startswith(SESSION_PREFIX):
        number = raw.removeprefix(SESSION_PREFIX)
        if whole_number(number) in session_ids:
            return FindingSource.SESSION, int(number)
        return None, None
    if raw in set(FindingSource) and raw != FindingSource.SESSION.value:
        return FindingSource(raw), None
    return None, None


def build_remove_modal(item: FindingItem, metadata: FindingMetadata) -> Block:
    """Ask before a finding goes: it can't be brought back."""
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
        private_metadata=metadata.dump(),
    )


def build_not_removed_modal(reason: str) -> Block:
    """The removal question has no input to hang an error on, so it turns into the reason."""
    return modal(
        title="Finding not removed",
        blocks=[section(escape_mrkdwn(reason))],
        callback_id=ids.FINDING_REMOVE_MODAL,
        close="Close",
    )
