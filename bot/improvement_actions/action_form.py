"""What the action forms send: the log/edit form, the drop reason and a progress update,
parsed and checked."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, field_validator

from bot.core.actions import RagStatus
from bot.core.calendar import format_date
from bot.improvement_actions.rules import DETAIL_MAX, DROP_REASON_MAX, KEY_ACTION_MAX, NOTE_MAX
from bot.slack import ids
from bot.slack.blocks import input_value
from bot.slack.payloads import is_user_id, reading, record_id, whole_number

NOT_LINKED = "none"


class ActionForm(BaseModel):
    """The submitted form, before validation."""

    afi: str | None = None
    key_action: str = ""
    owner: str | None = None
    due: date | None = None
    risks: str = ""
    measure: str = ""
    outcome: str = ""
    option: str | None = None

    @property
    def afi_id(self) -> int | None:
        return record_id(self.afi) if self.afi and self.afi != NOT_LINKED else None

    @field_validator("afi")
    @classmethod
    def _an_offered_afi(cls, value: str | None) -> str | None:
        if value and value != NOT_LINKED:
            record_id(value)
        return value

    @field_validator("owner")
    @classmethod
    def _a_picked_user(cls, value: str | None) -> str | None:
        if value is not None and not is_user_id(value):
            raise ValueError("not a user from the picker")
        return value

    @property
    def option_id(self) -> int | None:
        return whole_number(self.option)


FORM_FIELDS = {
    ids.ACTION_AFI: "afi",
    ids.ACTION_KEY: "key_action",
    ids.ACTION_OWNER: "owner",
    ids.ACTION_DUE: "due",
    ids.ACTION_RISKS: "risks",
    ids.ACTION_MEASURE: "measure",
    ids.ACTION_OUTCOME: "outcome",
    ids.ACTION_OPTION: "option",
}


def parse_action_state(values: dict[str, dict[str, Any]]) -> ActionForm:
    """The submitted form; UnreadablePayload if it holds what the modal can't send."""
    data: dict[str, Any] = {}
    with reading("the action form"):
        for block_id, actions in values.items():
            if block_id in FORM_FIELDS:
                for state in actions.values():
                    data[FORM_FIELDS[block_id]] = input_value(state)
        return ActionForm.model_validate(data)


def validate_action_form(
    form: ActionForm, *, today: date, current_due: date | None = None
) -> dict[str, str]:
    """Errors keyed by input block_id; empty when the form can be saved.

    An edit may keep a due date that has since passed (the action is overdue, not wrong);
    a new or changed due date must not be in the past.
    """
    errors: dict[str, str] = {}
    if not form.afi:
        errors[ids.ACTION_AFI] = "Choose the area for improvement, or “Not linked to an AFI”."
    if not form.key_action:
        errors[ids.ACTION_KEY] = "Say what the key action is."
    elif len(form.key_action) > KEY_ACTION_MAX:
        errors[ids.ACTION_KEY] = f"Keep the key action under {KEY_ACTION_MAX} characters."
    for block_id, text in (
        (ids.ACTION_RISKS, form.risks),
        (ids.ACTION_MEASURE, form.measure),
        (ids.ACTION_OUTCOME, form.outcome),
    ):
        if len(text) > DETAIL_MAX:
            errors[block_id] = f"Keep this to {DETAIL_MAX} characters (this is {len(text)})."
    if not form.owner:
        errors[ids.ACTION_OWNER] = "Choose who owns this action."
    if form.due is None:
        errors[ids.ACTION_DUE] = "Choose a due date."
    elif form.due < today and form.due != current_due:
        errors[ids.ACTION_DUE] = (
            f"{format_date(form.due)} is in the past. Choose today ({format_date(today)}) or later."
        )
    return errors


def parse_drop_reason(values: dict[str, dict[str, Any]]) -> str:
    with reading("the drop form"):
        for state in values.get(ids.ACTION_DROP_REASON, {}).values():
            return str(state.get("value") or "").strip()
    return ""


class ProgressForm(BaseModel):
    """A submitted progress update: a note, a RAG status, or both."""

    note: str = ""
    rag: RagStatus | None = None


def parse_progress_state(values: dict[str, dict[str, Any]]) -> ProgressForm:
    """The progress form; UnreadablePayload if it holds what the modal can't send."""
    data: dict[str, Any] = {}
    with reading("the progress form"):
        for state in values.get(ids.ACTION_PROGRESS_NOTE, {}).values():
            data["note"] = str(state.get("value") or "").strip()
        for state in values.get(ids.ACTION_PROGRESS_RAG, {}).values():
            data["rag"] = input_value(state)
        return ProgressForm.model_validate(data)


def note_problem(note: str) -> str | None:
    if len(note) > NOTE_MAX:
        return f"Keep the note to {NOTE_MAX} characters (this is {len(note)})."
    return None


def drop_reason_problem(reason: str) -> str | None:
    if not reason:
        return "Say why, so the plan records it."
    if len(reason) > DROP_REASON_MAX:
        return f"Keep the reason to {DROP_REASON_MAX} characters (this is {len(reason)})."
    return None
