"""The parts of Slack's payloads listeners read, and the one way to read values we put in
them. Anything not what we sent raises UnreadablePayload, answered with OUT_OF_DATE."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

PRIVATE_METADATA_LIMIT = 3000
VALUE_LIMIT = 2000  # a button's value; option values are shorter still
# Ids are SQL integers: anything larger is not one of ours (PostgreSQL would refuse it).
MAX_RECORD_ID = 2**31 - 1

_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")

# Field types for metadata, so a forged value is refused when read, not by the database.
RecordId = Annotated[int, Field(gt=0, le=MAX_RECORD_ID)]
SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,32}$")]
ResponseUrl = Annotated[str, StringConstraints(max_length=1000)]

OUT_OF_DATE = (
    "That button or form is out of date, or isn't one I sent, so nothing was changed. "
    "Type the command again to get a fresh one."
)


class UnreadablePayload(ValueError):
    """A value in a payload is not one the bot sent."""


@contextmanager
def reading(what: str) -> Iterator[None]:
    try:
        yield
    except UnreadablePayload:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise UnreadablePayload(f"{what}: {type(error).__name__}") from error


class Metadata(BaseModel):
    """Base for what a modal carries between Slack round trips in `private_metadata`."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def dump(self) -> str:
        text = self.model_dump_json(exclude_none=True, by_alias=True)
        assert len(text) <= PRIVATE_METADATA_LIMIT, "private_metadata over Slack's limit"
        return text

    @classmethod
    def load(cls, raw: object) -> Self:
        if not isinstance(raw, str) or len(raw) > PRIVATE_METADATA_LIMIT:
            raise UnreadablePayload(f"{cls.__name__}: not metadata we wrote")
        try:
            return cls.model_validate_json(raw or "{}")
        except ValidationError as error:
            raise UnreadablePayload(f"{cls.__name__}: {error.error_count()} problems") from error


def whole_number(raw: object, *, digits: int = 9) -> int | None:
    """ASCII digits only ('²' is a digit to Python), at most `digits` long; else None."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > digits:
        return None
    return int(raw)


def record_id(raw: object) -> int:
    """A database id we put in a value: digits only, within an SQL integer."""
    number = whole_number(raw, digits=10)
    if number is None or not 0 < number <= MAX_RECORD_ID:
        raise UnreadablePayload("not an id")
    return number


def record_ids(raw: object, count: int) -> tuple[int, ...]:
    """`count` ids joined by ':' (e.g. a vote button's `round:afi`)."""
    parts = raw.split(":") if isinstance(raw, str) and len(raw) <= VALUE_LIMIT else []
    if len(parts) != count:
        raise UnreadablePayload(f"expected {count} ids")
    return tuple(record_id(part) for part in parts)


def verb_and_id(raw: object, verbs: frozenset[str]) -> tuple[str, int]:
    """An overflow option's `verb:id`, with the verb one of `verbs`."""
    verb, _, rest = raw.partition(":") if isinstance(raw, str) else ("", "", "")
    if verb not in verbs:
        raise UnreadablePayload("not a choice we offered")
    return verb, record_id(rest)


def is_user_id(text: str) -> bool:
    """A Slack user id as pickers give them ('U…' or, on Enterprise Grid, 'W…')."""
    return _USER_ID.fullmatch(text) is not None


def action_value(action: dict[str, Any]) -> object:
    """A clicked button's value, or a chosen option's (overflow, select)."""
    chosen = action.get("selected_option")
    if isinstance(chosen, dict):
        return chosen.get("value")
    return action.get("value")


class SlashCommand(BaseModel):
    model_config = ConfigDict(extra="ignore")

    command: str
    text: str = ""
    user_id: str
    channel_id: str
    channel_name: str = ""
    team_id: str
    trigger_id: str
    response_url: str = ""

    @property
    def in_direct_message(self) -> bool:
        return (
            self.channel_id.startswith("D")
            or self.channel_name == "directmessage"
            or self.channel_name.startswith("mpdm-")
        )


def team_id_of(body: dict[str, Any]) -> str:
    """The workspace where the app is installed, like Bolt (on Grid and Slack Connect `team`
    may be null, or the user's own team)."""
    view = body.get("view") or {}
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(
        view.get("app_installed_team_id")
        or team.get("id")
        or body.get("team_id")
        or user.get("team_id")
        or ""
    )


def submission_key(view: dict[str, Any]) -> str | None:
    """What makes a modal submission unique: Slack redelivers the same view id and hash."""
    view_id = str(view.get("id") or "")
    return f"{view_id}:{view.get('hash') or ''}" if view_id else None
