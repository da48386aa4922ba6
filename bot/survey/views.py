"""Block Kit for importing answers from a survey tool: the form with its file input, what
was understood (to confirm), and notices."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from bot.core.checklist import Answer
from bot.slack import ids
from bot.slack.blocks import Block, context, input_block, modal, section
from bot.slack.payloads import Metadata, RecordId, reading
from bot.slack.text import escape_mrkdwn, join_words, plural
from bot.survey._import import ReadAnswers

SHOWN_PROBLEMS = 10
_FILE_ID = re.compile(r"^F[A-Z0-9]{1,30}$")


class ImportMetadata(Metadata):
    """What the import modals carry: the review, and once read, the file chosen."""

    review_id: RecordId
    file_id: Annotated[str, Field(pattern=_FILE_ID.pattern)] | None = None


def build_import_form(*, review_id: int, host_council: str) -> Block:
    scale = join_words([f"“{answer.label}”" for answer in Answer])
    return modal(
        title="Import answers",
        callback_id=ids.SURVEY_IMPORT_MODAL,
        submit="Read the file",
        private_metadata=ImportMetadata(review_id=review_id).dump(),
        blocks=[
            section(
                f"Add answers collected outside Slack to the *{escape_mrkdwn(host_council)}* "
                "self-assessment, from a CSV file exported from a survey tool: one row per "
                "person, one column per statement, headed by the statement's number (such as "
                f"`1.01`), each answer one of {scale}."
            ),
            input_block(
                block_id=ids.SURVEY_IMPORT_FILE,
                label="CSV file",
                element={
                    "type": "file_input",
                    "action_id": ids.SURVEY_IMPORT_FILE,
                    "filetypes": ["csv", "txt"],
                    "max_files": 1,
                },
            ),
            context(
                "I'll show you what I understood before adding anything. I don't keep the file: "
                "each person's answers are stored like everyone else's, under a key nobody can "
                "trace back to a row."
            ),
        ],
    )


def chosen_file(values: dict[str, Any]) -> str | None:
    """The id of the file chosen in the import form's state; None if there is none."""
    with reading("the import form"):
        files = values[ids.SURVEY_IMPORT_FILE][ids.SURVEY_IMPORT_FILE].get("files") or []
        found = str(files[0]["id"]) if files else None
    return found if found and _FILE_ID.match(found) else None


def build_import_reading() -> Block:
    return build_import_notice("Reading your file", "Reading your file…")


def build_import_notice(title: str, text: str, *more: Block) -> Block:
    blocks = [section(text), *more]
    return modal(title=title, blocks=blocks, callback_id=ids.SURVEY_IMPORT_NOTICE, close="OK")


def build_import_preview(
    *, review_id: int, file_id: str, read: ReadAnswers, statement_count: int
) -> Block:
    """What was understood, and the button to add it."""
    lines = [
        f"*{plural(len(read.respondents), 'person', 'people')}* with answers "
        f"({plural(read.empty_rows, 'empty row')} left out).",
        f"*Statements matched:* {len(read.statements_matched)} of {statement_count}.",
    ]
    if read.other_columns:
        shown = join_words([f"“{escape_mrkdwn(c[:40])}”" for c in read.other_columns[:5]])
        more = f" and {len(read.other_columns) - 5} more" if len(read.other_columns) > 5 else ""
        lines.append(f"*Columns not used:* {shown}{more}.")
    if read.not_understood:
        examples = "\n".join(
            f"• row {p.row}, statement {p.statement_id}: “{escape_mrkdwn(p.value)}”"
            for p in read.not_understood[:SHOWN_PROBLEMS]
        )
        lines.append(
            f"*Values not understood* ({len(read.not_understood)}; these are left blank):\n"
            + examples
        )
    else:
        lines.append("*Values not understood:* none.")
    if not read.respondents:
        nothing = context("There is nothing to add: no row has an answer I understood.")
        return build_import_notice("Import answers", "\n".join(lines), nothing)
    return modal(
        title="Import answers",
        blocks=[
            section("\n".join(lines)),
            context(
                "Adding them counts these people as having answered, in the same confidential "
                "totals as everyone else. It can't be undone, so check the figures first."
            ),
        ],
        callback_id=ids.SURVEY_IMPORT_CONFIRM,
        submit="Add these answers",
        private_metadata=ImportMetadata(review_id=review_id, file_id=file_id).dump(),
    )
