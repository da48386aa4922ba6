"""Tests for the checklist data model and its numbering rules."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.core.checklist import (
    IMPROVEMENTS_QUESTION,
    MAX_STATEMENT_LENGTH,
    STRENGTHS_QUESTION,
    Answer,
    Checklist,
    CommentKind,
)


def _data(sections: list[list[list[str]]]) -> dict[str, Any]:
    """Checklist data whose sections hold sub-areas holding the given statement ids."""
    return {
        "id": "tiny",
        "name": "Tiny",
        "version": "1",
        "description": "A tiny checklist.",
        "sections": [
            {
                "number": number,
                "title": f"Section {number}",
                "summary": "Summary.",
                "sub_areas": [
                    {
                        "title": f"Sub-area {index}",
                        "statements": [{"id": sid, "text": f"Statement {sid}."} for sid in ids],
                    }
                    for index, ids in enumerate(sub_areas)
                ],
            }
            for number, sub_areas in enumerate(sections, start=1)
        ],
    }


def _error(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        Checklist.model_validate(data)
    errors = info.value.errors()
    assert len(errors) == 1
    return dict(errors[0])


def test_valid_checklist_helpers() -> None:
    checklist = Checklist.model_validate(_data([[["1.01", "1.02"], ["1.03"]], [["2.01"]]]))

    assert [s.id for s in checklist.statements] == ["1.01", "1.02", "1.03", "2.01"]
    assert checklist.statement_count == 4
    assert checklist.section_count == 2
    assert checklist.sections[0].statement_count == 3
    assert checklist.statement("1.03").text == "Statement 1.03."
    assert checklist.section_of("2.01").number == 2
    assert checklist.has_statement("1.02")
    assert not checklist.has_statement("9.01")
    with pytest.raises(KeyError):
        checklist.statement("1.04")
    with pytest.raises(KeyError):
        checklist.section_of("3.01")


def test_statement_ids_run_in_sequence_across_sub_areas() -> None:
    error = _error(_data([[["1.01"], ["1.03"]]]))

    assert error["msg"] == "statement id '1.03' is out of sequence; expected '1.02'"
    assert error["ctx"]["at"] == ("sections", 0, "sub_areas", 1, "statements", 0, "id")


def test_duplicate_statement_id() -> None:
    error = _error(_data([[["1.01", "1.01"]]]))

    assert error["msg"].startswith("duplicate statement id '1.01'")


def test_statement_id_must_match_its_section() -> None:
    error = _error(_data([[["1.01"]], [["1.02"]]]))

    assert error["msg"] == "statement id '1.02' does not belong to section 2; expected '2.01'"


def test_sections_numbered_in_order() -> None:
    data = _data([[["1.01"]], [["2.01"]]])
    data["sections"][1]["number"] = 3

    assert _error(data)["msg"] == "section number 3 is out of order; expected 2"


@pytest.mark.parametrize("bad_id", ["1.1", "01.01", "1.001", "a.01", ""])
def test_statement_id_format(bad_id: str) -> None:
    assert _error(_data([[[bad_id]]]))["type"] == "string_pattern_mismatch"


def test_statement_text_rules() -> None:
    data = _data([[["1.01"]]])
    data["sections"][0]["sub_areas"][0]["statements"][0]["text"] = "   "
    assert _error(data)["type"] == "string_too_short"

    data["sections"][0]["sub_areas"][0]["statements"][0]["text"] = "x" * (MAX_STATEMENT_LENGTH + 1)
    assert _error(data)["type"] == "string_too_long"


def test_unknown_field_rejected() -> None:
    data = _data([[["1.01"]]])
    data["colour"] = "blue"

    assert _error(data)["type"] == "extra_forbidden"


def test_checklist_is_immutable() -> None:
    checklist = Checklist.model_validate(_data([[["1.01"]]]))

    with pytest.raises(ValidationError):
        checklist.name = "Other"


def test_answer_scale_values_labels_and_order() -> None:
    assert [(a.value, a.label) for a in Answer] == [
        ("strongly_agree", "Strongly agree"),
        ("agree", "Agree"),
        ("disagree", "Disagree"),
        ("strongly_disagree", "Strongly disagree"),
        ("dont_know", "Don't know"),
    ]
    assert Answer("dont_know") is Answer.DONT_KNOW


def test_free_text_questions() -> None:
    assert STRENGTHS_QUESTION == "What works well in this area?"
    assert IMPROVEMENTS_QUESTION == "What could be improved?"
    assert CommentKind.STRENGTHS.question == STRENGTHS_QUESTION
    assert CommentKind.IMPROVEMENTS.question == IMPROVEMENTS_QUESTION
