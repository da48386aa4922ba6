"""Data model for PSIF self-assessment checklists and the answers people give to them.

A checklist is a fixed, versioned questionnaire: numbered sections, each split into sub-areas
that hold statements. Statement ids ("2.07") are the stable keys that stored answers refer
to, so the validators below insist that they follow the section numbering exactly.
"""

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

# Slack allows 2000 characters in an input label and 3000 in section text; 300 keeps a
# statement readable as a modal question and leaves room when statements are quoted in
# messages, where Slack rejects blocks totalling roughly 12k characters.
MAX_STATEMENT_LENGTH = 300
# Each section is one Slack modal: a heading per sub-area and a question per statement, plus
# eight fixed blocks, must stay under Slack's 100 blocks. The final review screen has a row
# per section. Titles are shown in Slack headers (150 characters at most, with the number).
MAX_SECTION_ITEMS = 90
MAX_SECTIONS = 20
MAX_TITLE_LENGTH = 100
MAX_SUMMARY_LENGTH = 2000

# Relative location of a structural problem below the model that reports it. The loader appends
# it to pydantic's own ``loc`` so that the error points at the offending YAML line.
ERROR_LOC_KEY = "at"

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
StatementText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_STATEMENT_LENGTH)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_LENGTH)
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SUMMARY_LENGTH)
]
# Stored with each round (a 32-character column).
Version = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
StatementId = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*\.[0-9]{2}$")]
_Item = TypeVar("_Item")


def _not_empty(items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    # Field(min_length=...) on a tuple also reports "too short" whenever an item is invalid,
    # burying the real problem under an error for every enclosing level; this runs only
    # once the items themselves are valid.
    if not items:
        raise PydanticCustomError("empty", "at least one entry is required")
    return items


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]


class Answer(StrEnum):
    """One point on the PSIF response scale.

    The scale deliberately has no neutral middle; "Don't know" is for people who lack the
    information to judge, and it is kept out of the agreement percentages. Iteration order is
    the order in which options are shown.
    """

    STRONGLY_AGREE = "strongly_agree"
    AGREE = "agree"
    DISAGREE = "disagree"
    STRONGLY_DISAGREE = "strongly_disagree"
    DONT_KNOW = "dont_know"

    @property
    def label(self) -> str:
        """The UK-English label shown to respondents and in reports."""
        return (
            "Don't know" if self is Answer.DONT_KNOW else self.value.replace("_", " ").capitalize()
        )


STRENGTHS_QUESTION = "What works well in this area?"
IMPROVEMENTS_QUESTION = "What could be improved?"


class CommentKind(StrEnum):
    """Which of the two free-text questions at the end of every section a comment answers."""

    STRENGTHS = "strengths"
    IMPROVEMENTS = "improvements"

    @property
    def question(self) -> str:
        """The question put to respondents for this kind of comment."""
        return STRENGTHS_QUESTION if self is CommentKind.STRENGTHS else IMPROVEMENTS_QUESTION


class _Model(BaseModel):
    # Frozen because the default checklist is cached and shared; extra="forbid" so that a
    # misspelt key in a checklist file is reported rather than silently ignored.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Statement(_Model):
    """A single statement that respondents agree or disagree with."""

    id: StatementId
    text: StatementText


class SubArea(_Model):
    """A named group of statements within a section."""

    title: Title
    statements: Annotated[tuple[Statement, ...], AfterValidator(_not_empty)]


class Section(_Model):
    """One of the numbered checklist sections (for PSIF, six of them)."""

    number: int = Field(ge=1)
    title: Title
    summary: Summary
    sub_areas: Annotated[tuple[SubArea, ...], AfterValidator(_not_empty)]

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        """All statements in the section, in order, across its sub-areas."""
        return tuple(s for sub_area in self.sub_areas for s in sub_area.statements)

    @property
    def statement_count(self) -> int:
        return len(self.statements)


class Checklist(_Model):
    """A complete, versioned checklist.

    Invariants (checked on construction): sections are numbered 1..n in order, and statement
    ids are unique and run "n.01", "n.02", ... through each section, including across its
    sub-areas.
    """

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
        """All statements in checklist order."""
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
        """The statement with id ``statement_id``; raises ``KeyError`` if there is none."""
        try:
            return self._statements_by_id[statement_id]
        except KeyError:
            raise KeyError(f"checklist '{self.id}' has no statement '{statement_id}'") from None

    def section_of(self, statement_id: str) -> Section:
        """The section holding ``statement_id``; raises ``KeyError`` if there is none."""
        self.statement(statement_id)
        # Validation guarantees that the id's prefix is its section number and numbers run 1..n.
        return self.sections[int(statement_id.split(".")[0]) - 1]


def _structure_error(message: str, at: tuple[str | int, ...]) -> None:
    # Braces in the message would be read as template fields by pydantic-core.
    template = message.replace("{", "{{").replace("}", "}}")
    context: dict[str, Any] = {ERROR_LOC_KEY: at}
    raise PydanticCustomError("checklist_structure", template, context)


def format_loc(loc: tuple[str | int, ...]) -> str:
    """Render a pydantic-style location as ``sections[1].sub_areas[0].id``."""
    out = ""
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        else:
            out += f".{item}" if out else item
    return out
