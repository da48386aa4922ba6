"""The modal that plans, edits or moves a fieldwork session, and the parser for its state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from bot.core.fieldwork import (
    KIND_LABELS,
    MODE_LABELS,
    AfiLabel,
    SessionItem,
    SessionKind,
    SessionMode,
    clock,
)
from bot.fieldwork.rules import (
    LENGTHS,
    MAX_PARTICIPANTS,
    PARTICIPANTS_MAX,
    SessionForm,
    fieldwork_window_text,
    length_label,
    start_minutes,
)
from bot.slack import ids
from bot.slack.blocks import Block, input_block, input_value, modal, option, plain
from bot.slack.payloads import whole_number
from bot.slack.text import truncate

AFI_OPTIONS_LIMIT = 100


class SessionMetadata(BaseModel):
    """What the session modal carries between Slack round trips (private_metadata)."""

    review_id: int
    session_id: int | None = None
    response_url: str | None = None

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str) -> SessionMetadata:
        return cls.model_validate(json.loads(raw or "{}"))


def _kind_option(kind: SessionKind) -> Block:
    return option(KIND_LABELS[kind], kind.value)


def _time_option(minute: int) -> Block:
    return option(clock(minute), str(minute))


def _length_option(minutes: int) -> Block:
    return option(length_label(minutes), str(minutes))


def _mode_option(mode: SessionMode) -> Block:
    return option(MODE_LABELS[mode], mode.value)


def _afi_option(afi: AfiLabel) -> Block:
    return option(truncate(f"AFI {afi.number}: {afi.text}", 75), str(afi.id))


def _select(action_id: str, placeholder: str, options: list[Block], initial: Block | None) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder),
        "options": options,
    }
    if initial:
        element["initial_option"] = initial
    return element


def _text(action_id: str, *, initial: str, max_length: int, placeholder: str) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "max_length": max_length,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    return element


def build_session_modal(
    *,
    metadata: SessionMetadata,
    afis: Sequence[AfiLabel],
    prioritised: bool,
    window: tuple[date, date] | None,
    planner: str,
    existing: SessionItem | None = None,
) -> Block:
    """Plan a session, or with `existing` edit or move it."""
    day: Block = {"type": "datepicker", "action_id": ids.FIELDWORK_DAY}
    first_day = existing.day if existing else (window[0] if window else None)
    if first_day:
        day["initial_date"] = first_day.isoformat()
    choices = list(afis[:AFI_OPTIONS_LIMIT])
    afi_element: Block = {
        "type": "multi_static_select",
        "action_id": ids.FIELDWORK_AFIS,
        "placeholder": plain("Choose areas"),
        "options": [_afi_option(afi) for afi in choices] or [option("No areas yet", "0")],
    }
    chosen = [afi for afi in choices if existing and afi in existing.afis]
    if chosen:
        afi_element["initial_options"] = [_afi_option(afi) for afi in chosen]
    runners: Block = {
        "type": "multi_users_select",
        "action_id": ids.FIELDWORK_RUNNERS,
        "placeholder": plain("Choose team members"),
        "initial_users": list(existing.runners) if existing else [planner],
    }
    mode = existing.mode if existing else SessionMode.IN_PERSON
    window_hint = (
        f"Fieldwork runs {fieldwork_window_text(*window)}."
        if window
        else "Fieldwork dates aren't agreed yet."
    )
    blocks: list[Block] = [
        input_block(
            block_id=ids.FIELDWORK_KIND,
            label="Kind of session",
            element=_select(
                ids.FIELDWORK_KIND,
                "Choose a kind",
                [_kind_option(kind) for kind in SessionKind],
                _kind_option(existing.kind) if existing else None,
            ),
        ),
        input_block(block_id=ids.FIELDWORK_DAY, label="Day", element=day, hint=window_hint),
        input_block(
            block_id=ids.FIELDWORK_START,
            label="Starts at",
            element=_select(
                ids.FIELDWORK_START,
                "Choose a time",
                [_time_option(minute) for minute in start_minutes()],
                _time_option(existing.start_minute) if existing else None,
            ),
        ),
        input_block(
            block_id=ids.FIELDWORK_LENGTH,
            label="Length",
            element=_select(
                ids.FIELDWORK_LENGTH,
                "Choose a length",
                [_length_option(minutes) for minutes in LENGTHS],
                _length_option(existing.minutes if existing else 60),
            ),
        ),
        input_block(
            block_id=ids.FIELDWORK_AFIS,
            label="Areas for improvement it probes",
            element=afi_element,
            hint=None
            if prioritised
            else "No areas have been prioritised yet, so every open area is listed.",
        ),
        input_block(
            block_id=ids.FIELDWORK_RUNNERS,
            label="Run by",
            element=runners,
            hint="Members of the review team: they get the session by direct message.",
        ),
        input_block(
            block_id=ids.FIELDWORK_PARTICIPANTS,
            label="Who takes part",
            element=_text(
                ids.FIELDWORK_PARTICIPANTS,
                initial=existing.participants if existing else "",
                max_length=PARTICIPANTS_MAX,
                placeholder="For example: depot supervisors from the three areas",
            ),
            hint="Describe the group, never people's names: what is said stays confidential.",
        ),
        input_block(
            block_id=ids.FIELDWORK_COUNT,
            label="How many take part",
            element=_text(
                ids.FIELDWORK_COUNT,
                initial=str(existing.participant_count) if existing else "",
                max_length=len(str(MAX_PARTICIPANTS)),
                placeholder="A number, for example 6",
            ),
        ),
        input_block(
            block_id=ids.FIELDWORK_MODE,
            label="In person or remote",
            element={
                "type": "radio_buttons",
                "action_id": ids.FIELDWORK_MODE,
                "options": [_mode_option(each) for each in SessionMode],
                "initial_option": _mode_option(mode),
            },
        ),
    ]
    return modal(
        title=f"Edit session {existing.number}" if existing else "Plan a session",
        blocks=blocks,
        callback_id=ids.FIELDWORK_SESSION_MODAL,
        submit="Save changes" if existing else "Add to the plan",
        private_metadata=metadata.dump(),
    )


def parse_session_state(values: dict[str, dict[str, Any]]) -> SessionForm:
    """The session modal's submitted state as a form, whatever Slack left empty."""

    def value(block_id: str) -> Any:
        for state in values.get(block_id, {}).values():
            return input_value(state)
        return None

    def day() -> date | None:
        raw = value(ids.FIELDWORK_DAY)
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    afi_ids = [n for raw in value(ids.FIELDWORK_AFIS) or [] if (n := whole_number(raw))]
    return SessionForm(
        kind=value(ids.FIELDWORK_KIND),
        day=day(),
        start=value(ids.FIELDWORK_START),
        length=value(ids.FIELDWORK_LENGTH),
        afi_ids=[afi_id for afi_id in afi_ids if afi_id],
        runners=list(value(ids.FIELDWORK_RUNNERS) or []),
        participants=value(ids.FIELDWORK_PARTICIPANTS) or "",
        participant_count=value(ids.FIELDWORK_COUNT) or "",
        mode=value(ids.FIELDWORK_MODE),
    )
