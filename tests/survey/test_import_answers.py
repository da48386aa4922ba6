"""`/psif import-answers`: a survey tool's CSV export, read back to the lead before it is
added, then counted like everyone else's answers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from survey_helpers import reply_to

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.slack import ids
from bot.survey._import import read_answers

from action_helpers import wait_until
from checklist_helpers import close_early, seed_checklist_review
from conftest import RunningBot

CHECKLIST = load_default_checklist()
IDS = [statement.id for statement in CHECKLIST.statements]


def export(rows: list[list[str]], headings: list[str] | None = None) -> bytes:
    head = headings or ["Respondent", *[f"{sid} {CHECKLIST.statement(sid).text}" for sid in IDS]]
    lines = [",".join(f'"{cell}"' for cell in row) for row in [head, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def test_the_reader_matches_statement_columns_and_reports_what_it_could_not_use() -> None:
    content = export(
        [["1", "Agree", "strongly disagree", "maybe"], ["2", "", "", ""], ["3", "Don't know"]],
        headings=["Respondent", "1.01", "1.02 The plan…", "1.03", "9.99 Not ours"],
    )
    read = read_answers(content, CHECKLIST)
    assert read.statements_matched == ["1.01", "1.02", "1.03"]
    assert read.other_columns == ["Respondent", "9.99 Not ours"]
    assert read.respondents == [
        {"1.01": Answer.AGREE, "1.02": Answer.STRONGLY_DISAGREE},
        {"1.01": Answer.DONT_KNOW},
    ]
    assert [(p.row, p.statement_id, p.value) for p in read.not_understood] == [(2, "1.03", "maybe")]
    assert read.empty_rows == 1


def open_import(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    opened = len(fake.calls_to("views.open"))
    slack.command("/psif", "import-answers")
    view = dict(fake.wait_for("views.open", opened + 1)[-1].response["view"])
    assert validate_view(view, "modal") == []
    return view


def test_imported_answers_are_shown_then_counted_when_confirmed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    rows = [[str(n), *["Agree" if n % 2 else "Disagree" for _ in IDS]] for n in range(6)]
    rows[0][3] = "Sometimes"
    chosen = fake_slack.user_uploads("survey-export.csv", export(rows))
    view = open_import(slack, fake_slack)
    updates = len(fake_slack.calls_to("views.update"))
    reply = slack.submit_view(view, {ids.SURVEY_IMPORT_FILE: [chosen]}, user="UHOST")
    assert reply.json()["response_action"] == "update"
    preview = fake_slack.wait_for("views.update", updates + 1)[-1].response["view"]
    assert validate_view(preview, "modal") == []
    shown = str(preview["blocks"])
    assert "*6 people* with answers" in shown
    assert f"*Statements matched:* {len(IDS)} of {len(IDS)}" in shown
    assert "row 2, statement 1.03: “Sometimes”" in shown
    assert "0 of 0 invited" in reply_to(slack, fake_slack, "status")  # nothing added yet
    assert slack.submit_view(preview, {}, user="UHOST").status == 200
    wait_until(
        lambda: any(
            "Added the answers of 6 people" in str(call.args.get("text"))
            for call in fake_slack.calls_to("chat.postMessage")
        ),
        "the lead told the answers were added",
    )
    status = reply_to(slack, fake_slack, "status")
    assert "6 of 6 invited have finished" in status
    assert (
        "Of the 6 who finished, 0 answered in Slack, 0 on the web and 6 by import from a "
        "survey tool." in status
    )
    # Six people outside the team: past the minimum of five, so results exist, and the
    # export says how they answered.
    close_early(slack, fake_slack)
    uploads = len(fake_slack.calls_to("files.completeUploadExternal"))
    assert "direct message" in reply_to(slack, fake_slack, "results export")
    upload = fake_slack.wait_for("files.completeUploadExternal", uploads + 1)[-1]
    assert "6 by import from a survey tool" in upload.args["initial_comment"]
    workbook = next(
        fake_slack.files[f["id"]] for f in upload.args["files"] if f["title"].endswith(".xlsx")
    )
    summary = load_workbook(io.BytesIO(workbook.content or b""))["Summary"]
    rows = [[cell.value for cell in row][:2] for row in summary.iter_rows()]
    assert ["Imported from a survey tool", 6] in rows and ["Finished on the web", 0] in rows


def test_a_file_without_statement_columns_is_refused_in_the_form(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    chosen = fake_slack.user_uploads("notes.csv", b"name,comment\r\nAnn,hello\r\n")
    view = open_import(slack, fake_slack)
    updates = len(fake_slack.calls_to("views.update"))
    slack.submit_view(view, {ids.SURVEY_IMPORT_FILE: [chosen]}, user="UHOST")
    notice = fake_slack.wait_for("views.update", updates + 1)[-1].response["view"]
    assert "No column is headed by a statement number" in str(notice["blocks"])
    assert "submit" not in notice


def test_only_the_host_and_is_teams_import(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    assert "Only the review's" in reply_to(slack, fake_slack, "import-answers", user="UPEER")


def test_a_forged_confirmation_adds_nothing_and_says_why(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    chosen = fake_slack.user_uploads("survey-export.csv", export([["1", *["Agree" for _ in IDS]]]))
    view = open_import(slack, fake_slack)
    confirm = {
        **view,
        "callback_id": ids.SURVEY_IMPORT_CONFIRM,
        "private_metadata": f'{{"review_id": {review_id}, "file_id": "{chosen["id"]}"}}',
    }
    assert slack.submit_view(confirm, {}, user="UPEER").status == 200
    missing = {**confirm, "private_metadata": f'{{"review_id": {review_id}, "file_id": "F0GONE"}}'}
    assert slack.submit_view(missing, {}, user="UHOST").status == 200

    def told(words: str) -> bool:
        return any(
            words in str(call.args.get("text")) for call in fake_slack.calls_to("chat.postMessage")
        )

    wait_until(lambda: told("Only the review's"), "the peer told they may not import")
    wait_until(lambda: told("I couldn't open the file"), "the lead told the file is gone")
    assert "0 of 0 invited" in reply_to(slack, fake_slack, "status")
