"""Tests for the CSV and Excel exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from bot.core.checklist import Answer, CommentKind
from bot.core.checklist_loader import load_default_checklist
from bot.core.responses import Comment, RespondentAnswers
from bot.self_assessment._analysis import AnalysisSettings, analyse
from bot.self_assessment._export import (
    AGGREGATE_HEADER,
    aggregates_csv,
    analysis_xlsx,
    comments_csv,
)

A, D, K = Answer.AGREE, Answer.DISAGREE, Answer.DONT_KNOW
THREE = AnalysisSettings(min_respondents=3)

RESPONSES = [
    RespondentAnswers({"1.01": A, "1.02": D, "6.09": K}),
    RespondentAnswers({}),  # answered nothing: left out and not numbered
    RespondentAnswers({"1.01": A, "6.09": A}),
    RespondentAnswers({"1.01": D, "1.02": Answer.STRONGLY_AGREE}),
]
COMMENTS = [
    Comment(2, CommentKind.IMPROVEMENTS, "More training please."),
    Comment(1, CommentKind.IMPROVEMENTS, '=HYPERLINK("http://example.invalid")'),
    Comment(1, CommentKind.STRENGTHS, "  Clear plan.  "),
    Comment(1, CommentKind.STRENGTHS, "   "),
]
# A Slack user id must never reach an export; none is ever passed in, and this guards
# against one creeping in through a label or the checklist.
SLACK_ID_FRAGMENTS = ("U0", "<@")


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_aggregates_csv() -> None:
    checklist = load_default_checklist()
    rows = _rows(aggregates_csv(analyse(checklist, RESPONSES, THREE)))

    assert rows[0] == AGGREGATE_HEADER
    assert rows[0][6:11] == [
        "Strongly agree",
        "Agree",
        "Disagree",
        "Strongly disagree",
        "Don't know",
    ]
    assert len(rows) == 1 + 1 + 6 + 61  # header, overall, sections, statements
    # Only 1.01's three answers count: 1.02 and 6.09 had two respondents each.
    assert rows[1][:6] == ["Overall", "", "", "All statements", "3", "3"]
    assert rows[2][:5] == ["Section", "1", "", "Service Planning", "3"]
    statement = rows[3]
    assert statement[:3] == ["Statement", "1", "1.01"]
    assert statement[3] == checklist.statement("1.01").text
    # 1.01: A, A, D -> 67% agree, 33% disagree, 0% don't know: whole, adding up to 100.
    assert statement[4:] == ["3", "3", "0", "2", "1", "0", "0", "3", "67", "33", "0"]
    unanswered = next(row for row in rows if row[2] == "1.03")
    assert unanswered[4:] == ["0", "0", "0", "0", "0", "0", "0", "0", "", "", ""]
    withheld = next(row for row in rows if row[2] == "1.02")
    assert withheld[4:] == ["Too few answers (withheld)", *[""] * 10]
    section_6 = next(row for row in rows if row[:2] == ["Section", "6"])
    assert section_6[4:] == ["Every statement withheld", *[""] * 10]


def test_a_statement_with_too_few_views_has_no_figures_in_either_export() -> None:
    checklist = load_default_checklist()
    # 1.01: five answers, but only two views; 1.02: five views.
    five = [
        RespondentAnswers({"1.01": answer, "1.02": A})
        for answer in (A, Answer.STRONGLY_AGREE, K, K, K)
    ]
    analysis = analyse(checklist, five)

    rows = _rows(aggregates_csv(analysis))
    few_views = next(row for row in rows if row[2] == "1.01")
    assert few_views[4:] == ["Too few took a side (withheld)", *[""] * 10]
    assert rows[1][:6] == ["Overall", "", "", "All statements", "5", "5"]  # 1.02's only
    workbook = load_workbook(io.BytesIO(analysis_xlsx(checklist, analysis)))
    statement = next(
        r for r in workbook["Statements"].iter_rows(values_only=True) if r[2] == "1.01"
    )
    assert statement[4:] == ("Too few took a side (withheld)", *[None] * 10)
    summary = [row[0] for row in workbook["Summary"].iter_rows(values_only=True)]
    withheld = [str(cell) for cell in summary if str(cell).startswith("Too few took a side")]
    assert any("1.01" in cell for cell in withheld)


def test_aggregates_csv_suppressed() -> None:
    analysis = analyse(load_default_checklist(), RESPONSES[:2], THREE)

    rows = _rows(aggregates_csv(analysis))

    assert len(rows) == 2
    assert rows[1][0] == "Overall"
    assert rows[1][3].startswith("Results suppressed: 1 respondent outside the review team,")
    assert rows[1][4] == "1"


def test_no_export_has_a_row_per_respondent() -> None:
    """The exports carry totals per statement and scale point, never one person's answers."""
    import bot.self_assessment._export as export

    checklist = load_default_checklist()
    analysis = analyse(checklist, RESPONSES, THREE)
    assert not hasattr(export, "responses_csv")
    figures = _rows(aggregates_csv(analysis))
    assert not any(row[0].startswith("Respondent") for row in figures)
    workbook = load_workbook(io.BytesIO(analysis_xlsx(checklist, analysis, COMMENTS)))
    assert workbook.sheetnames == ["Summary", "Statements", "Comments"]
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            assert not (isinstance(row[0], str) and row[0].startswith("Respondent "))


def test_comments_csv_sorted_stripped_and_defused() -> None:
    rows = _rows(comments_csv(load_default_checklist(), COMMENTS))

    assert rows == [
        ["Section", "Section title", "Question", "Comment"],
        ["1", "Service Planning", "What works well in this area?", "Clear plan."],
        [
            "1",
            "Service Planning",
            "What could be improved?",
            '\'=HYPERLINK("http://example.invalid")',
        ],
        ["2", "Staff", "What could be improved?", "More training please."],
    ]


def test_comments_csv_rejects_unknown_section() -> None:
    with pytest.raises(ValueError, match="section 7"):
        comments_csv(load_default_checklist(), [Comment(7, CommentKind.STRENGTHS, "Hi")])


def test_analysis_xlsx_sheets() -> None:
    checklist = load_default_checklist()
    analysis = analyse(checklist, RESPONSES, THREE)

    workbook = load_workbook(io.BytesIO(analysis_xlsx(checklist, analysis, COMMENTS)))

    assert workbook.sheetnames == ["Summary", "Statements", "Comments"]
    summary = [list(row) for row in workbook["Summary"].iter_rows(values_only=True)]
    assert summary[0][:2] == ["Checklist", checklist.name]
    assert summary[2][:2] == ["Respondents", 3]
    section_1 = next(row for row in summary if row[0] == 1)
    # Section 1 pools 1.01 A, A, D only (1.02's two answers are withheld): 2 of 3 agree.
    assert section_1[:7] == [1, "Service Planning", 3, 3, 67, 33, 0]
    assert any(row[0] == "Candidate areas for improvement" for row in summary)

    statements = list(workbook["Statements"].iter_rows(values_only=True))
    assert list(statements[0]) == AGGREGATE_HEADER
    assert len(statements) == 1 + 1 + 6 + 61

    comments = workbook["Comments"]
    injected = comments.cell(row=3, column=4)
    assert injected.value == '=HYPERLINK("http://example.invalid")'
    assert injected.data_type == "s"  # stored as text, not as a formula

    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(SLACK_ID_FRAGMENTS))


def test_analysis_xlsx_suppressed_withholds_raw_data() -> None:
    checklist = load_default_checklist()
    analysis = analyse(checklist, RESPONSES[:2], THREE)

    workbook = load_workbook(io.BytesIO(analysis_xlsx(checklist, analysis, COMMENTS)))

    rows = list(workbook["Comments"].iter_rows(values_only=True))
    assert len(rows) == 1
    assert str(rows[0][0]).startswith("Results suppressed")


def test_analysis_xlsx_rejects_other_checklist() -> None:
    checklist = load_default_checklist()
    other = checklist.model_copy(update={"id": "other"})

    with pytest.raises(ValueError, match="not 'other'"):
        analysis_xlsx(other, analyse(checklist, RESPONSES, THREE))
