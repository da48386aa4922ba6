"""The report in the guidance's order, with room to bend: the draft after fieldwork, the final
report after the leads' meeting and the comments, each earlier only with "Do it anyway"; the
host lead finalises, seeing the open comments; the report names only the peer councils that
agreed; the final report is announced once; the summary shares the learning; the briefing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update

from bot.core.findings import FindingKind
from bot.core.peers import PeerState
from bot.core.roles import Role
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.models.reminders import MilestoneDone
from storage.models.report import ReportVersion
from storage.models.reviews import PeerCouncil, TeamMember
from storage.repositories.reviews import add_members

from action_helpers import CHANNEL, Seeded, wait_until
from afi_helpers import responses_to
from conftest import RunningBot, SettableClock
from fake_slack import FakeSlack, validate_blocks
from fieldwork_helpers import (
    answer_to,
    docx_text,
    seed_action,
    seed_fieldwork_review,
    seed_finding,
    seed_focus_group,
    uploads,
)
from slack_driver import SlackDriver

DATES = {
    "draft_report": date(2027, 3, 19),
    "leads_meeting": date(2027, 4, 2),
    "final_report": date(2027, 4, 16),
}


def press(
    slack: SlackDriver, fake: FakeSlack, message: dict[str, Any], action_id: str, user: str
) -> dict[str, Any]:
    """Press a button in an ephemeral answer; what replaces it."""
    url = fake.new_response_url()
    slack.click_in_message(message, action_id, user=user, channel=CHANNEL, response_url=url)
    return responses_to(fake, url)[0]


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action id → label of the buttons in a message."""
    return {
        element["action_id"]: element["text"]["text"]
        for block in message.get("blocks", [])
        for element in block.get("elements", [])
        if element.get("type") == "button"
    }


def versions(bot: RunningBot) -> list[ReportVersion]:
    with transaction(bot.deps.sessions) as session:
        return list(session.scalars(select(ReportVersion).order_by(ReportVersion.number)))


def test_a_draft_before_fieldwork_asks_do_it_anyway_and_reads_future_dates_as_planned(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2026, 12, 7, 10, tzinfo=UTC))
    seeded = seed_fieldwork_review(bot.deps.sessions, **DATES)
    seed_focus_group(
        bot.deps, seeded.review_id, seeded.afis["budget"], participants="Depot staff", count=6
    )
    question = answer_to(slack, fake_slack, "/psif", "report", user="UHOST")
    assert "The guidance puts the draft report after fieldwork" in question["text"]
    assert "Fieldwork ends on 5 March 2027" in str(question["blocks"])
    assert buttons(question) == {
        ids.REPORT_DRAFT_ANYWAY: "Do it anyway",
        ids.REPORT_CANCEL: "Cancel",
    }
    assert validate_blocks(question["blocks"], "message") == []
    assert versions(bot) == []  # nothing is built until they say so
    cancelled = press(slack, fake_slack, question, ids.REPORT_CANCEL, "UHOST")
    assert cancelled["text"] == "OK, nothing has changed." and cancelled["replace_original"]
    done = press(slack, fake_slack, question, ids.REPORT_DRAFT_ANYWAY, "UHOST")
    assert "Draft 1 is saved" in done["text"]
    wait_until(lambda: bool(uploads(fake_slack, ".docx")), "the early draft")
    text, _ = docx_text(uploads(fake_slack, ".docx")[0])
    for expected in (
        "planned for 3 to 5 March 2027",
        "Fieldwork starts: planned for 3 March 2027",
        "Draft report circulated: 7 December 2026 (planned for 19 March 2027)",
        "Leads' meeting on the draft: planned for 2 April 2027",
        "Final reporting: planned for 16 April 2027",
        "No fieldwork sessions have been held yet.",
        "Fieldwork sessions planned: 1 focus group (6 taking part)",
    ):
        assert expected in text, expected
    assert "Fieldwork sessions held:" not in text
    brief = answer_to(slack, fake_slack, "/psif", "status", user="UHOST")
    before = len(fake_slack.responses)
    slack.click_in_message(
        brief,
        ids.STATUS_MORE,
        user="UHOST",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    status = str(fake_slack.wait_for_responses(count=before + 1)[-1].body)
    assert "Draft report circulated: done ahead of plan (planned for" in status
    assert "✅ Final reporting" not in status and "✅ Leads' meeting" not in status
    assert "✅ Fieldwork" not in status


def comment_on(slack: SlackDriver, fake: FakeSlack, user: str, text: str) -> None:
    [post] = [m for m in fake.messages_in(CHANNEL) if "Draft report" in m["text"]]
    before = len(fake.calls_to("views.open"))
    slack.click_in_message(post, ids.REPORT_COMMENT, user=user, channel=CHANNEL)
    form = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    slack.submit_view(form, {ids.REPORT_COMMENT_TEXT: text}, user=user)
    wait_until(
        lambda: any(text in str(c.args.get("blocks")) for c in fake.calls_to("chat.postMessage")),
        "the comment in the thread",
    )


def test_only_the_host_lead_finalises_after_seeing_the_open_comments_listed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2027, 3, 19, 10, tzinfo=UTC))
    seed_fieldwork_review(bot.deps.sessions, **DATES)
    answer_to(slack, fake_slack, "/psif", "report", user="UIS")  # the IS lead can draft
    wait_until(lambda: bool(uploads(fake_slack, ".docx")), "the draft")
    comment_on(slack, fake_slack, "UPEER", "Say what the two-year cycle costs")
    refused = answer_to(slack, fake_slack, "/psif", "report final", user="UIS")
    assert "Only the review's host lead can mark the report final" in refused["text"]

    early = answer_to(slack, fake_slack, "/psif", "report final", user="UHOST")
    shown = str(early["blocks"])
    assert "Say what the two-year cycle costs" in shown and "<@UPEER>" in shown
    assert "The leads' meeting on the draft is planned for 2 April 2027" in shown
    assert "1 comment on the draft is still open" in shown
    assert buttons(early)[ids.REPORT_FINAL_CONFIRM] == "Do it anyway"
    assert validate_blocks(early["blocks"], "message") == []

    clock.set(datetime(2027, 4, 16, 10, tzinfo=UTC))
    answer_to(slack, fake_slack, "/psif", "done leads-meeting", user="UHOST")
    listing = answer_to(slack, fake_slack, "/psif", "report comments", user="UHOST")
    press(slack, fake_slack, listing, ids.REPORT_RESOLVE, "UHOST")
    ready = answer_to(slack, fake_slack, "/psif", "report final", user="UHOST")
    assert "There are no open comments on the draft." in str(ready["blocks"])
    assert buttons(ready)[ids.REPORT_FINAL_CONFIRM] == "Mark final"
    assert "guidance puts these" not in str(ready["blocks"])
    assert versions(bot)[0].final_at is None  # asking marks nothing
    done = press(slack, fake_slack, ready, ids.REPORT_FINAL_CONFIRM, "UHOST")
    assert "Version 1 is marked final" in done["text"]
    assert versions(bot)[0].final_by == "UHOST"
    wait_until(lambda: bool(uploads(fake_slack, "-report-final.docx")), "the final documents")
    notices = [
        c.args
        for c in fake_slack.calls_to("chat.postMessage")
        if "the final report for" in str(c.args.get("text"))
    ]
    assert len(notices) == 1 and not notices[0].get("thread_ts")  # said once, in the channel
    again = answer_to(slack, fake_slack, "/psif", "report final", user="UHOST")
    assert "already marked final" in again["text"]


def agree(bot: RunningBot, seeded: Seeded) -> None:
    """Angus agreed (two reviewers on the team), Moray declined, Stirling not yet asked."""
    with transaction(bot.deps.sessions) as session:
        review = get_review(session=session, review_id=seeded.review_id)
        assert review is not None
        add_members(
            session=session,
            review=review,
            user_ids=["UPEER2"],
            role=Role.PEER_REVIEWER,
            actor_id="UIS",
            now=bot.deps.now(),
        )
        session.execute(
            update(TeamMember)
            .where(TeamMember.role == Role.PEER_REVIEWER.value)
            .values(organisation="Angus")
        )
        session.add_all(
            [
                PeerCouncil(review_id=review.id, council="Moray", position=2, state="declined"),
                PeerCouncil(review_id=review.id, council="Stirling", position=3),
            ]
        )
        session.execute(
            update(PeerCouncil)
            .where(PeerCouncil.council == "Angus")
            .values(state=PeerState.AGREED.value)
        )


def test_every_output_names_only_the_peer_councils_that_agreed_with_their_reviewers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2027, 3, 19, 10, tzinfo=UTC))
    seeded = seed_fieldwork_review(bot.deps.sessions, **DATES)
    agree(bot, seeded)
    fake_slack.add_user("UPEER", real_name="Priya Peer")
    fake_slack.add_user("UPEER2", real_name="Paul Peer")
    answer_to(slack, fake_slack, "/psif", "report", user="UHOST")
    answer_to(slack, fake_slack, "/psif", "report summary", user="UHOST")
    answer_to(slack, fake_slack, "/psif", "report briefing", user="UHOST")
    wait_until(lambda: len(uploads(fake_slack, ".docx")) == 3, "the three documents")
    report = next(f for f in uploads(fake_slack, ".docx") if "draft" in f.filename)
    _, tables = docx_text(report)
    cover = dict((row[0], row[1]) for row in tables[0])
    assert cover["Peer councils"] == "Angus (Priya Peer, Paul Peer)"
    assert cover["Peer reviewers"] == "Priya Peer, Paul Peer"  # the plural over two names
    for shared in ("lgbf-summary", "members-briefing"):
        text, _ = docx_text(next(f for f in uploads(fake_slack, ".docx") if shared in f.filename))
        assert "peers from Angus and the Improvement Service" in text, shared
        assert "Priya Peer" not in text, shared  # public documents name no one
    for upload in uploads(fake_slack, ".docx"):
        text, _ = docx_text(upload)
        assert "Moray" not in text and "Stirling" not in text, upload.filename


def test_the_members_briefing_is_one_page_of_purpose_findings_and_plan(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2027, 3, 19, 10, tzinfo=UTC))
    seeded = seed_fieldwork_review(bot.deps.sessions, **DATES)
    budget, complaints = seeded.afis["budget"], seeded.afis["complaints"]
    seed_finding(
        bot.deps, seeded.review_id, complaints, FindingKind.STRENGTH, "Staff know the route", None
    )
    seed_finding(
        bot.deps, seeded.review_id, budget, FindingKind.CONCERN, "Budgets are set yearly", None
    )
    for number in range(1, 9):
        seed_action(bot.deps, seeded.review_id, budget, f"Step {number}", date(2027, 5, number))
    told = answer_to(slack, fake_slack, "/psif", "report briefing", user="UIS")
    assert "one-page Word document" in told["text"]
    wait_until(lambda: bool(uploads(fake_slack, "-members-briefing.docx")), "the briefing")
    assert uploads(fake_slack, ".md") == []  # Word only, for committee papers
    text, tables = docx_text(uploads(fake_slack, "-members-briefing.docx")[0])
    for expected in (
        "Fife: briefing for elected members",
        "Purpose",
        "What was found",
        "Staff know the route",
        "Budget planning is annual only",
        "The plan and its timescales",
        "Step 1 (by 1 May 2027)",
        "…and 3 more in the improvement plan.",
        "The final report is planned for 16 April 2027.",
    ):
        assert expected in text, expected
    assert "Step 6" not in text and "Olivia" not in text and "UOWNER" not in text
    assert tables == [] and len(text.splitlines()) < 30  # one page: no tables, few lines
    peer = answer_to(slack, fake_slack, "/psif", "report briefing", user="UPEER")
    assert "Only the review's host lead or Improvement Service lead" in peer["text"]


def test_the_leads_meeting_is_recorded_before_a_draft_only_with_do_it_anyway(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2027, 3, 19, 10, tzinfo=UTC))
    seed_fieldwork_review(bot.deps.sessions, **DATES)
    question = answer_to(slack, fake_slack, "/psif", "done leads-meeting", user="UHOST")
    assert "Record Leads' meeting on the draft as done already?" in question["text"]
    assert "No draft report has been built yet" in str(question["blocks"])
    assert buttons(question)[ids.MILESTONE_DONE_ANYWAY] == "Do it anyway"
    assert validate_blocks(question["blocks"], "message") == []
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(MilestoneDone.milestone)).all() == []
    cancelled = press(slack, fake_slack, question, ids.MILESTONE_DONE_CANCEL, "UHOST")
    assert cancelled["text"] == "OK, nothing was recorded."
    done = press(slack, fake_slack, question, ids.MILESTONE_DONE_ANYWAY, "UHOST")
    assert "Recorded: the leads have met on the draft" in done["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(MilestoneDone.milestone)).all() == ["leads_meeting"]
    listing = answer_to(slack, fake_slack, "/psif", "done", user="UHOST")["text"]
    assert "Leads' meeting on the draft (done ahead of plan, planned for 2 April 2027)" in listing
    assert "▫️ `final-report`: Final reporting (16 April 2027)" in listing
    # After a draft, in the guidance's order, nothing is asked.
    answer_to(slack, fake_slack, "/psif", "report", user="UIS")
    wait_until(lambda: bool(uploads(fake_slack, ".docx")), "the draft")
    final = answer_to(slack, fake_slack, "/psif", "done final-report", user="UHOST")
    assert "Recorded: the final report is out" in final["text"]
