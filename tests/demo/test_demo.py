"""`psif-bot demo`: the whole review against the fake Slack, as a newcomer runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.play import Demo
from bot.demo.runner import DemoOptions, run_demo
from bot.demo.script import FORM, Step


def test_the_demo_plays_a_whole_review_and_writes_its_outputs(tmp_path: Path) -> None:
    out, kept = tmp_path / "out", tmp_path / "review.db"
    # No settings at all: the demo needs none, whatever the environment holds.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PSIF_"))}
    env["SLACK_BOT_TOKEN"] = "not-a-token"  # and a broken one changes nothing
    options = ["--people", "5", "--seed", "7", "--out", str(out), "--keep-db", str(kept)]
    finished = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", *options],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,  # returning at all means no server thread was left holding the process
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert "[1/" in finished.stdout and "played the whole review" in finished.stdout
    page = (out / "transcript.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Vote on the areas for improvement" in page
    assert "http://" not in page.replace("http://127.0.0.1", "")  # opens with no network
    written = {path.name for path in out.iterdir()}
    assert {"transcript.html", "transcript.txt", "fife-self-assessment.xlsx"} <= written
    assert any(name.endswith(".png") for name in written)
    assert any(name.startswith("improvement-plan") for name in written)
    documents = {
        "fife-self-assessment-report.docx",
        "fife-report-draft-1.docx",
        "fife-report-draft-2.docx",
        "fife-report-final.docx",
        "fife-lgbf-summary.docx",
        "fife-members-briefing.docx",
    }
    assert documents <= written
    assert "Slack Connect" in page and "Comment on draft 1" in page
    # Two stakeholders without Slack answer on the web page, which the transcript shows.
    assert 'class="webpage"' in page and "Section 1 of 6: Service Planning" in page
    assert "fife-self-assessment-links.csv" in written
    assert "answered in Slack and 2 on the web." in finished.stdout
    # The guidance's order: comments resolved, then the host lead confirms the final report
    # (nothing missing, so no "Do it anyway"); the learning is marked before the summary.
    assert "Mark final" in page and "Do it anyway" not in page
    marked = page.index("is marked as learning to share")
    summary = page.index("types <code>/psif report summary<")
    assert page.index("Resolved.") < page.index("Mark final") < marked < summary
    with sqlite3.connect(kept) as database:
        assert database.execute("select count(*) from actions").fetchone()[0] >= 3
        assert database.execute("select count(*) from findings").fetchone()[0] >= 3
        assert database.execute("select closed_at from reviews").fetchone()[0] is not None


def _a_form_with_a_past_fieldwork_date(demo: Demo) -> None:
    view = demo.modal(demo.command(demo.cast.host_lead, "/psif start"))
    demo.submit(demo.cast.host_lead, view, FORM | {"fieldwork_start": "2026-01-05"})


def test_a_step_that_does_not_go_through_fails_the_demo_naming_it(tmp_path: Path) -> None:
    printed: list[str] = []
    script = (
        Step(
            "Getting ready",
            "A review with a past fieldwork date",
            _a_form_with_a_past_fieldwork_date,
        ),
    )
    status = run_demo(DemoOptions(out=tmp_path, people=5), echo=printed.append, script=script)
    assert status == 1
    failure = next(line for line in printed if "FAILED" in line)
    assert "step 1 (A review with a past fieldwork date)" in failure
    assert (tmp_path / "transcript.html").exists()  # what happened up to then


def test_the_demo_refuses_fewer_stakeholders_than_results_need(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--people", "4", "--out", str(tmp_path)]) == 2
    assert "--people must be at least 5" in capsys.readouterr().err
    assert not (tmp_path / "transcript.html").exists()
