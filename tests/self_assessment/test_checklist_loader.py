"""Tests for loading checklist files and the error messages for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.checklist_loader import (
    ChecklistError,
    load_checklist,
    load_checklists,
    load_default_checklist,
    parse_checklist,
)

EXPECTED_SUB_AREAS = {
    "Service Planning": [
        "Strategy and Plans",
        "Empowering and Involving Communities, Customers and Stakeholders",
        "Performance Management",
    ],
    "Staff": [
        "Planning and Managing Staff",
        "Developing Staff",
        "Involving Staff",
        "Staff Communication",
        "Recognising and Caring for Staff",
    ],
    "Partnerships and Resources": [
        "Managing Partnerships",
        "Managing Financial and Information Resources",
        "Managing Assets and other Resources",
    ],
    "Processes and Services": [
        "Managing Customer Needs and Expectations",
        "Developing Services around Customer Needs",
        "Reviewing and Improving Service Delivery",
    ],
    "Leadership": [
        "Planning for the Future",
        "Creating a Positive Culture",
        "Engaging Communities, Customers, Partners and Other Stakeholders",
    ],
    "Results": [
        "Customer Results",
        "Staff Results",
        "Community Results",
        "Key Performance Results",
    ],
}

# Line numbers matter in these tests: line 1 is "id: small".
SMALL = """\
id: small
name: Small checklist
version: "1"
description: Two sections.
sections:
  - number: 1
    title: First
    summary: The first section.
    sub_areas:
      - title: Only
        statements:
          - id: "1.01"
            text: One.
          - id: "1.02"
            text: Two.
  - number: 2
    title: Second
    summary: The second section.
    sub_areas:
      - title: Only
        statements:
          - id: "2.01"
            text: Three.
          - id: "2.02"
            text: Four.
"""


def _write(tmp_path: Path, text: str, name: str = "ours.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    message = str(info.value)
    assert message.startswith(str(path))
    return message[len(str(path)) :]


def test_default_checklist_shape() -> None:
    checklist = load_default_checklist()

    assert checklist.id == "psif-default"
    assert checklist.name and checklist.version
    assert checklist.statement_count == 61
    assert [s.number for s in checklist.sections] == [1, 2, 3, 4, 5, 6]
    assert {s.title: [a.title for a in s.sub_areas] for s in checklist.sections} == (
        EXPECTED_SUB_AREAS
    )
    assert list(EXPECTED_SUB_AREAS) == [s.title for s in checklist.sections]
    assert all(s.statement_count <= 14 for s in checklist.sections)
    assert checklist.statements[0].id == "1.01"
    assert checklist.statements[-1].id == f"6.{checklist.sections[-1].statement_count:02d}"


def test_default_checklist_wording_is_uk_english() -> None:
    text = " ".join(s.text for s in load_default_checklist().statements).lower()

    for americanism in ("organization", "prioritiz", "program ", "center", "behavior"):
        assert americanism not in text


def test_default_checklist_is_cached() -> None:
    assert load_default_checklist() is load_default_checklist()


def test_load_checklist_from_file(tmp_path: Path) -> None:
    checklist = load_checklist(_write(tmp_path, SMALL))

    assert checklist.id == "small"
    assert [s.id for s in checklist.statements] == ["1.01", "1.02", "2.01", "2.02"]


def test_load_checklists_keys_by_id(tmp_path: Path) -> None:
    first = _write(tmp_path, SMALL, "a.yaml")
    second = _write(tmp_path, SMALL.replace("id: small", "id: other"), "b.yaml")

    assert list(load_checklists([first, second])) == ["small", "other"]


def test_load_checklists_rejects_duplicate_ids(tmp_path: Path) -> None:
    first = _write(tmp_path, SMALL, "a.yaml")
    second = _write(tmp_path, SMALL, "b.yaml")

    with pytest.raises(ChecklistError, match=r"b\.yaml: checklist id 'small' is already used by"):
        load_checklists([first, second])


def test_bad_yaml_syntax_reports_line(tmp_path: Path) -> None:
    broken = SMALL.replace("    title: Second\n", "    title: [Second\n")

    message = _load_error(tmp_path, broken)

    assert message.startswith(", line ")
    assert "invalid YAML" in message


def test_duplicate_statement_id(tmp_path: Path) -> None:
    message = _load_error(tmp_path, SMALL.replace('id: "1.02"', 'id: "1.01"'))

    assert message == (
        ", line 14 (sections[0].sub_areas[0].statements[1].id): duplicate statement id "
        "'1.01' (already used at sections[0].sub_areas[0].statements[0].id)"
    )


def test_out_of_sequence_statement_id(tmp_path: Path) -> None:
    message = _load_error(tmp_path, SMALL.replace('id: "2.02"', 'id: "2.03"'))

    assert message == (
        ", line 24 (sections[1].sub_areas[0].statements[1].id): statement id '2.03' is out "
        "of sequence; expected '2.02'"
    )


def test_missing_field(tmp_path: Path) -> None:
    message = _load_error(tmp_path, SMALL.replace("            text: Three.\n", ""))

    assert message == (
        ", line 22 (sections[1].sub_areas[0].statements[0].text): required field is missing"
    )


def test_missing_top_level_field(tmp_path: Path) -> None:
    message = _load_error(tmp_path, SMALL.replace("description: Two sections.\n", ""))

    assert message == ", line 1 (description): required field is missing"


def test_unquoted_id_gets_a_hint(tmp_path: Path) -> None:
    message = _load_error(tmp_path, SMALL.replace('id: "1.02"', "id: 1.02"))

    assert message.startswith(", line 14 (sections[0].sub_areas[0].statements[1].id): ")
    assert message.endswith("(put the value in quotes)")


def test_empty_statement_list(tmp_path: Path) -> None:
    broken = SMALL.replace(
        '        statements:\n          - id: "1.01"\n            text: One.\n'
        '          - id: "1.02"\n            text: Two.\n',
        "        statements: []\n",
    )

    message = _load_error(tmp_path, broken)

    assert message == (
        ", line 11 (sections[0].sub_areas[0].statements): at least one entry is required"
    )


def test_several_problems_one_per_line(tmp_path: Path) -> None:
    broken = SMALL.replace("text: One.", "text: ''").replace("name: Small checklist", "nme: x")

    lines = _load_error(tmp_path, broken).splitlines()

    assert len(lines) == 3  # name missing, nme unknown, empty text
    assert any("(nme): unknown field" in line for line in lines)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert "expected a mapping" in _load_error(tmp_path, "- just a list\n")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match="cannot read file"):
        load_checklist(tmp_path / "missing.yaml")


def test_parse_checklist_names_the_source() -> None:
    with pytest.raises(ChecklistError, match=r"^upload\.yaml, line 1: invalid YAML"):
        parse_checklist("id: [", "upload.yaml")


def test_a_section_too_big_for_one_slack_form_is_refused(tmp_path: Path) -> None:
    statements = "".join(
        f'          - id: "1.{n:02d}"\n            text: Statement {n}.\n' for n in range(1, 91)
    )
    broken = SMALL.replace(
        '          - id: "1.01"\n            text: One.\n          - id: "1.02"\n'
        "            text: Two.\n",
        statements,
    )

    message = _load_error(tmp_path, broken)

    assert message.startswith(", line 6 (sections[0]): section 1 has 90 statements in 1 ")
    assert "at most 90 to fit in one Slack form" in message


def test_titles_too_long_for_slack_and_long_versions_are_refused(tmp_path: Path) -> None:
    broken = SMALL.replace("title: First", "title: " + "F" * 101).replace(
        'version: "1"', 'version: "' + "9" * 33 + '"'
    )

    message = _load_error(tmp_path, broken)

    assert ", line 3 (version): String should have at most 32 characters" in message
    assert ", line 7 (sections[0].title): String should have at most 100 characters" in message
