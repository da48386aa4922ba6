"""Reading answers exported from a survey tool: a CSV with one row per respondent and one
column per statement, headed by the statement's number ("2.07", or "2.07 The service…").

Pure: bytes in, what was understood out. Nothing here keeps the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from bot.core.checklist import Answer, Checklist

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
_STATEMENT_HEADER = re.compile(r"^\s*(\d{1,2}\.\d{2})\b")
# 'Strongly agree', 'strongly_agree', "Don't know"…, as lower-case words.
_ANSWER_WORDS: dict[str, Answer] = {
    **{answer.label.lower(): answer for answer in Answer},
    **{answer.value.replace("_", " "): answer for answer in Answer},
    "dont know": Answer.DONT_KNOW,
    "do not know": Answer.DONT_KNOW,
    "don’t know": Answer.DONT_KNOW,
}


class UnreadableFile(Exception):
    """The file is not a CSV this can read; the message says why, for the person."""


@dataclass(frozen=True)
class NotUnderstood:
    row: int  # as a spreadsheet numbers it: the header is row 1
    statement_id: str
    value: str


@dataclass(frozen=True)
class ReadAnswers:
    """What a file held: each respondent's understood answers, and what was not used."""

    respondents: list[dict[str, Answer]]
    statements_matched: list[str]
    other_columns: list[str]
    not_understood: list[NotUnderstood] = field(default_factory=list)
    empty_rows: int = 0


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def read_answers(content: bytes, checklist: Checklist) -> ReadAnswers:
    """The answers in `content`; UnreadableFile if it can't be read as such a CSV."""
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; a survey export "
            "of answers is much smaller. Check it is the right file."
        )
    text = _decode(content)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise UnreadableFile(f"I couldn't read the file as CSV ({error}).") from None
    if not rows:
        raise UnreadableFile("The file is empty.")
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows.")
    known = {statement.id for statement in checklist.statements}
    columns: dict[int, str] = {}
    other: list[str] = []
    for place, heading in enumerate(rows[0]):
        found = _STATEMENT_HEADER.match(heading)
        if found and found.group(1) in known and found.group(1) not in columns.values():
            columns[place] = found.group(1)
        elif heading.strip():
            other.append(heading.strip())
    if not columns:
        raise UnreadableFile(
            "No column is headed by a statement number such as `1.01`: put each statement's "
            "number at the start of its column's heading, one row per person."
        )
    respondents: list[dict[str, Answer]] = []
    not_understood: list[NotUnderstood] = []
    empty = 0
    for number, row in enumerate(rows[1:], start=2):
        given: dict[str, Answer] = {}
        for place, statement_id in columns.items():
            value = row[place].strip() if place < len(row) else ""
            if not value:
                continue
            answer = _ANSWER_WORDS.get(" ".join(value.lower().split()))
            if answer is None:
                not_understood.append(NotUnderstood(number, statement_id, value[:50]))
            else:
                given[statement_id] = answer
        if given:
            respondents.append(given)
        else:
            empty += 1
    return ReadAnswers(
        respondents=respondents,
        statements_matched=sorted(columns.values(), key=lambda s: tuple(map(int, s.split(".")))),
        other_columns=other,
        not_understood=not_understood,
        empty_rows=empty,
    )
