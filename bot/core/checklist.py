"""PSIF self-assessment checklists: versioned sections of sub-areas of statements, whose ids
("2.07") stored answers refer to, so they must follow the section numbering exactly."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Readable as a modal question, with room to quote statements in ~12k-character messages.
MAX_STATEMENT_LENGTH = 300
# A section is one modal: a block per sub-area and statement plus eight fixed, under 100.
MAX_SECTION_ITEMS = 90
MAX_SECTIONS = 20
MAX_TITLE_LENGTH = 100
MAX_SUMMARY_LENGTH = 2000

# A structural problem's location below its model, appended by the loader to pydantic's loc.
ERROR_LOC_KEY = "at"

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
StatementText = Annotated[NonEmptyText, StringConstraints(max_length=MAX_STATEMENT_LENGTH)]
Title = Annotated[NonEmptyText, StringConstraints(max_length=MAX_TITLE_LENGTH)]
Summary = Annotated[NonEmptyText, StringConstraints(max_length=MAX_SUMMARY_LENGTH)]
# Stored with each round (a 32-character column).
Version = Annotated[NonEmptyText, StringConstraints(max_length=32)]
StatementId = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*\.[0-9]{2}$")]
_Item = TypeVar("_Item")


def _not_empty(items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    # Unlike Field(min_length=...), runs only once the items are valid, so it can't bury them.
    if not items:
        raise PydanticCustomError("empty", "at least one entry is required")
    return items


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]


class Answer(StrEnum):
    """The PSIF scale, in display order: no neutral middle; "Don't know" is kept out of the
    agreement percentages."""

    STRONGLY_AGREE = "strongly_agree"
    AGREE = "agree"
    DISAGREE = "disagree"
    STRONGLY_DISAGREE = "strongly_disagree"
    DONT_KNOW = "dont_know"

    @property
    def label(self) -> str:
        return (
            "Don't know" if self is Answer.DONT_KNOW else self.value.replace("_", " ").capitalize()
        )


STRENGTHS_QUESTION = "What works well in this area?"
IMPROVEMENTS_QUESTION = "What could be improved?"


class CommentKind(StrEnum):
    """Which of a section's two closing free-text questions a comment answers."""

    STRENGTHS = "strengths"
    IMPROVEMENTS = "improvements"

    @property
    def question(self) -> str:
        return STRENGTHS_QUESTION if self is CommentKind.STRENGTHS else IMPROVEMENTS_QUESTION


class _Model(BaseModel):
    # Frozen: the default checklist is shared; forbid: a misspelt key in a file is reported.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Statement(_Model):
    id: StatementId
    text: StatementText


class SubArea(_Model):
    title: Title
    statements: Annotated[tuple[Statement, ...], AfterValidator(_not_empty)]


class Section(_Model):
    number: int = Field(ge=1)
    title: Title
    summary: Summary
    sub_areas: Annotated[tuple[SubArea, ...], AfterValidator(_not_empty)]

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for sub_area in self.sub_areas for s in sub_area.statements)

    @property
    def statement_count(self) -> int:
        return len(self.statements)


class Checklist(_Model):
    """Sections run 1..n; statement ids are unique and run "n.01", "n.02", … per section."""

    id: Slug
    name: NonEmptyText
    version: Version
    description: NonEmptyText
    sections: Annotated[tuple[Section, ...], AfterValidator(_not_empty)]

    @model_validator(mode="after")
    def _check_numbering(self) -> Checklist:
        if len(self.sections) > MAX_SECTIONS:
            _structure_error(
                f"{len(self.sections)} sections are more than the {MAX_SECTIONS} allowed",
                ("sections",),
            )
        seen: dict[str, str] = {}
        for s_index, section in enumerate(self.sections):
            items = section.statement_count + len(section.sub_areas)
            if items > MAX_SECTION_ITEMS:
                _structure_error(
                    f"section {section.number} has {section.statement_count} statements in "
                    f"{len(section.sub_areas)} sub-areas; together they must be at most "
                    f"{MAX_SECTION_ITEMS} to fit in one Slack form",
                    ("sections", s_index),
                )
            expected_number = s_index + 1
            if section.number != expected_number:
                _structure_error(
                    f"section number {section.number} is out of order; expected {expected_number}",
                    ("sections", s_index, "number"),
                )
            sequence = 0
            for a_index, sub_area in enumerate(section.sub_areas):
                for t_index, statement in enumerate(sub_area.statements):
                    sequence += 1
                    here = ("sections", s_index, "sub_areas", a_index, "statements", t_index, "id")
                    expected_id = f"{section.number}.{sequence:02d}"
                    if statement.id in seen:
                        _structure_error(
                            f"duplicate statement id '{statement.id}' "
                            f"(already used at {seen[statement.id]})",
                            here,
                        )
                    seen[statement.id] = format_loc(here)
                    if statement.id.split(".")[0] != str(section.number):
                        _structure_error(
                            f"statement id '{statement.id}' does not belong to section "
                            f"{section.number}; expected '{expected_id}'",
                            here,
                        )
                    if statement.id != expected_id:
                        _structure_error(
                            f"statement id '{statement.id}' is out of sequence; "
                            f"expected '{expected_id}'",
                            here,
                        )
        return self

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for section in self.sections for s in section.statements)

    @cached_property
    def _statements_by_id(self) -> Mapping[str, Statement]:
        return {s.id: s for s in self.statements}

    @property
    def statement_count(self) -> int:
        return len(self.statements)

    @property
    def section_count(self) -> int:
        return len(self.sections)

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._statements_by_id

    def statement(self, statement_id: str) -> Statement:
        try:
            return self._statements_by_id[statement_id]
        except KeyError:
            raise KeyError(f"checklist '{self.id}' has no statement '{statement_id}'") from None

    def section_of(self, statement_id: str) -> Section:
        self.statement(statement_id)  # KeyError if none; the id's prefix is its section
        return self.sections[int(statement_id.split(".")[0]) - 1]


def _structure_error(message: str, at: tuple[str | int, ...]) -> None:
    # Braces in the message would be read as template fields by pydantic-core.
    template = message.replace("{", "{{").replace("}", "}}")
    context: dict[str, Any] = {ERROR_LOC_KEY: at}
    raise PydanticCustomError("checklist_structure", template, context)


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``sections[1].sub_areas[0].id``."""
    out = ""
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        else:
            out += f".{item}" if out else item
    return out
