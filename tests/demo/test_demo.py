"""`psif-bot demo`: the whole review against the fake Slack, as a newcomer runs it."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.play import Demo
from bot.demo.runner import DemoOptions, run_demo
from bot.demo.script import FORM, REVIEW, Step, build_cast


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
    finalising = page[page.index("Morag Reid</span> types <code>/psif report final") :]
    assert (
        "Mark final" in page and "Do it anyway" not in finalising[: finalising.index("Mark final")]
    )
    marked = page.index("is marked as learning to share")
    summary = page.index("types <code>/psif report summary<")
    assert page.index("Resolved.") < page.index("Mark final") < marked < summary
    text = (out / "transcript.txt").read_text(encoding="utf-8")
    _the_peers_comments_change_the_second_draft(out, text)
    _each_finding_fits_its_area_and_comes_from_who_heard_it(out, text)
    # The final report's files are shown when they were sent, before the next step.
    assert text.index("fife-report-final.docx") < text.index("The review moves on to sharing")
    # A repeat names what it repeats; direct messages sent together are in name order.
    assert "the same again" not in text and "'s DM above" in text
    invited = [line for line in text.splitlines() if re.match(r"14:30 PSIF bot → DM to ", line)]
    assert len(invited) >= 5 and invited == sorted(invited)
    # A tie for the last place at the vote's close goes to a tie-break (seed 7 has one).
    if "tie for the last place" in text:
        tied = text.index("tie for the last place")
        assert tied < text.index("clicks [Run a tie-break]") < text.index("TIE-BREAK RESULT")
    # A finding from a session still to come is asked about first ("Do it anyway").
    early = text.index("Before the session?")
    assert early < text.index("cancels, to record it after the session") < text.index("Day two")
    # A council that declined to send a peer reviewer is named in the channel, not the report.
    assert re.search(r"Highland[^\n]* declined", text)
    assert "Highland" not in (out / "fife-report-final.md").read_text(encoding="utf-8")
    # Asked for the results again, the bot points to its first post.
    assert "The results were posted on 25 January 2027: see the post" in text
    # Only the host lead finalises: the IS lead asking first is told so.
    refused = text.index("Only the review's host lead can mark the report final.")
    assert (
        text.index("Eilidh Grant: types /psif report final") < refused < text.index("Mark final]")
    )
    with sqlite3.connect(kept) as database:
        assert database.execute("select count(*) from actions").fetchone()[0] >= 3
        assert database.execute("select count(*) from findings").fetchone()[0] >= 3
        assert database.execute("select closed_at from reviews").fetchone()[0] is not None


def _the_peers_comments_change_the_second_draft(out: Path, transcript: str) -> None:
    """Each comment on draft 1 asks for a change to an action; the host lead makes it with
    `/action edit` before resolving it, and draft 2 shows it."""
    first, second = (
        (out / f"fife-report-draft-{n}.md").read_text(encoding="utf-8").splitlines() for n in (1, 2)
    )
    changed = [line for line in second if line not in first and "Draft report" not in line]
    assert any("30 June 2027" in line for line in changed)
    assert any("checked by the leads each quarter" in line for line in changed)
    assert transcript.index("Morag Reid: types /action edit 1") < transcript.index("Resolved.")
    assert "Action 1 now runs to 30 June 2027." in transcript


def _each_finding_fits_its_area_and_comes_from_who_heard_it(out: Path, transcript: str) -> None:
    """A prioritised area's findings are those review.yaml gives its statement; a finding from
    a session is recorded by someone who ran it."""
    report = (out / "fife-report-final.md").read_text(encoding="utf-8")
    areas = report.split("\n## Area ")[1:]
    assert areas
    for area in areas:
        area = area.partition("\n## Other areas")[0]
        statement = re.search(r"statement (\d\.\d\d)", area)
        key = statement.group(1) if statement else area.partition(": ")[2].splitlines()[0]
        heard = {v for k, v in REVIEW["areas"].get(key, {}).items() if k != "plan"}
        found = re.findall(r"^- (.+?) \((?:Data|Focus group|Interview)", area, re.M)
        assert set(found) <= heard, (key, found)
    cast = build_cast(5)
    runners = [
        {cast.team[i].name for i in session["runners"]} for session in REVIEW["fieldwork_sessions"]
    ]
    recorded = re.findall(
        r"(\S+ \S+): submits “Add a finding”\n.*\n\s+Source: Session (\d)", transcript
    )
    assert recorded
    for name, session in recorded:
        assert name in runners[int(session) - 1], (name, session)


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


def test_the_readme_walkthrough_votes_in_fieldwork_as_the_demo_does() -> None:
    """The guidance (and the demo) vote on fieldwork's first day, after the papers and the
    fieldwork plan: the README's numbered walkthrough keeps that order."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    walkthrough = readme.partition("## Your first review")[2].partition("\n## ")[0]
    commands = ("`/psif papers send`", "`/psif fieldwork plan`", "`/afi vote`", "`/afi note`")
    where = [walkthrough.index(command) for command in commands]
    assert where == sorted(where)
    vote = where[2]
    assert walkthrough.index("**Fieldwork.**") < vote
