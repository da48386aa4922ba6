"""`/psif report`: the draft as Word and Markdown (opened with python-docx here), numbered
versions, comments on the draft, the final version, the LGBF summary, and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.core.checklist import Answer
from bot.core.findings import FindingKind
from bot.report.service import DRAFT_REQUEST_KIND
from bot.slack import ids
from storage.db import transaction
from storage.models.outbox import OutboxItem
from storage.models.reminders import MilestoneDone
from storage.models.report import ReportComment, ReportVersion
from storage.models.reviews import Review

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
    seed_self_assessment,
    uploads,
)
from slack_driver import SlackDriver

CHECKLIST_COMMENT = "Dave in the Kirkcaldy depot is brilliant"
PLAN_HEADER = [
    "Key action",
    "Owner",
    "Due",
    "Risks or costs",
    "How we'll know",
    "Outcome",
    "Status",
    "RAG",
]


@pytest.fixture(autouse=True)
def after_fieldwork(clock: SettableClock) -> None:
    """In the guidance's order, the report follows fieldwork (3–5 March 2027)."""
    clock.set(datetime(2027, 3, 15, 10, tzinfo=UTC))


def seed_everything(bot: RunningBot, fake: FakeSlack) -> Seeded:
    deps = bot.deps
    seeded = seed_fieldwork_review(deps.sessions)
    for user, name in (
        ("UHOST", "Hannah Host"),
        ("UIS", "Iain Service"),
        ("UPEER", "Priya Peer"),
        ("USTAKE", "Stella Stakeholder"),
        ("UOWNER", "Olivia Owner"),
        ("URESP0", "Rory Respondent"),
    ):
        fake.add_user(user, real_name=name)
    seed_self_assessment(
        deps,
        seeded.review_id,
        [Answer.AGREE, Answer.AGREE, Answer.DISAGREE, Answer.STRONGLY_AGREE, Answer.AGREE],
        comment=CHECKLIST_COMMENT,
    )
    budget, complaints = seeded.afis["budget"], seeded.afis["complaints"]
    group = seed_focus_group(
        deps, seeded.review_id, budget, participants="Depot supervisors", count=2
    )
    seed_finding(
        deps, seeded.review_id, budget, FindingKind.CONCERN, "Budgets are set a year ahead", group
    )
    seed_finding(
        deps,
        seeded.review_id,
        budget,
        FindingKind.OPTION,
        "Adopt a two-year cycle as Angus did",
        group,
    )
    seed_finding(
        deps,
        seeded.review_id,
        complaints,
        FindingKind.STRENGTH,
        "Staff know the complaints route",
        None,
    )
    seed_action(deps, seeded.review_id, budget, "Pilot rolling budgets", date(2027, 6, 30))
    seed_action(deps, seeded.review_id, complaints, "Publish complaint trends", date(2027, 5, 31))
    return seeded


def build(slack: SlackDriver, fake: FakeSlack, count: int = 1, *, user: str = "UHOST") -> None:
    slack.command("/psif", "report", user=user, channel=CHANNEL)
    wait_until(lambda: len(uploads(fake, ".docx")) >= count, f"draft {count}")


def test_the_draft_is_posted_with_word_and_markdown_and_names_no_respondent_or_interviewee(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_everything(bot, fake_slack)
    build(slack, fake_slack)
    [post] = [m for m in fake_slack.messages_in(CHANNEL) if "Draft report" in m["text"]]
    assert ids.REPORT_COMMENT in str(post["blocks"])
    assert validate_blocks(post["blocks"], "message") == []
    [word] = uploads(fake_slack, ".docx")
    [markdown] = uploads(fake_slack, ".md")
    assert word.thread_ts == post["ts"] and word.channel_id == CHANNEL
    text, tables = docx_text(word)
    for expected in (
        "Fife: peer collaborative improvement",
        "Draft report, version 1",
        "Hannah Host",  # the team, with roles
        "Priya Peer",
        "Peer councils",
        "Angus",
        "5 of 5 people invited completed the PSIF self-assessment",
        "1 focus group (fewer than 5 taking part)",  # a small group is suppressed
        "Area 3: Budget planning is annual only",
        "Budgets are set a year ahead (Focus group, 4 March 2027)",
        "Adopt a two-year cycle as Angus did",
        "Staff know the complaints route",
        "By 31 May 2027: Publish complaint trends (action 2)",
        "Leads' meeting on the draft",
    ):
        assert expected in text, expected
    plan = next(table for table in tables if table[0] == PLAN_HEADER)
    assert [row[0] for row in plan[1:]] == [
        "1. Pilot rolling budgets",
        "2. Publish complaint trends",
    ]
    assert plan[1][1:3] == ["Olivia Owner", "30 June 2027"] and plan[1][6] == "Open"
    for absent in (
        "Stella Stakeholder",
        "Rory Respondent",
        "Depot supervisors",
        CHECKLIST_COMMENT,
        "URESP",
        "key-",
    ):
        assert absent not in text, absent
    assert markdown.content is not None
    md = markdown.content.decode()
    assert "| Key action | Owner | Due |" in md and "Olivia Owner" in md
    assert "Depot supervisors" not in md and CHECKLIST_COMMENT not in md
    with transaction(bot.deps.sessions) as session:
        version = session.scalars(select(ReportVersion)).one()
        assert (version.number, version.ts) == (1, post["ts"])
        assert "Pilot rolling budgets" in version.markdown
        done = set(session.scalars(select(MilestoneDone.milestone)))
        assert done == {"draft_report"}


def test_too_few_respondents_give_no_figures_in_the_report(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    seed_self_assessment(bot.deps, seeded.review_id, [Answer.AGREE] * 4)
    build(slack, fake_slack)
    text, tables = docx_text(uploads(fake_slack, ".docx")[0])
    assert "figures are shown only when at least 5 people outside the review team" in text
    assert not any(table[0][0] == "Section" for table in tables)


def test_each_report_is_a_new_version_and_comments_stay_with_theirs(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_everything(bot, fake_slack)
    build(slack, fake_slack)
    [post] = [m for m in fake_slack.messages_in(CHANNEL) if "Draft report" in m["text"]]
    before = len(fake_slack.calls_to("views.open"))
    slack.click_in_message(post, ids.REPORT_COMMENT, user="UPEER", channel=CHANNEL)
    form = fake_slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    reply = slack.submit_view(
        form, {ids.REPORT_COMMENT_TEXT: "Say more about <!here> costs"}, user="UPEER"
    )
    assert reply.body in (b"", b"{}"), reply.body
    wait_until(
        lambda: any(
            c.args.get("thread_ts") == post["ts"] and "costs" in str(c.args.get("blocks"))
            for c in fake_slack.calls_to("chat.postMessage")
        ),
        "the comment in the thread",
    )
    build(slack, fake_slack, 2)
    with transaction(bot.deps.sessions) as session:
        numbers = list(session.scalars(select(ReportVersion.number).order_by(ReportVersion.number)))
        comment = session.scalars(select(ReportComment)).one()
        version = session.get(ReportVersion, comment.version_id)
        assert numbers == [1, 2] and version is not None and version.number == 1
    listing = answer_to(slack, fake_slack, "/psif", "report comments", user="UH2")
    assert "Draft 1" in str(listing["blocks"]) and "&lt;!here&gt;" in str(listing["blocks"])
    assert ids.REPORT_RESOLVE not in str(listing["blocks"])  # neither its author nor a lead
    mine = answer_to(slack, fake_slack, "/psif", "report comments", user="UPEER")
    url = fake_slack.new_response_url()
    slack.click_in_message(
        mine, ids.REPORT_RESOLVE, user="UPEER", channel=CHANNEL, response_url=url
    )
    assert "Resolved" in responses_to(fake_slack, url)[0]["text"]
    empty = answer_to(slack, fake_slack, "/psif", "report comments", user="UIS")
    assert "no open comments" in empty["text"]


def test_final_marks_a_version_and_completes_the_draft_and_final_milestones(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    none_yet = answer_to(slack, fake_slack, "/psif", "report final", user="UHOST")
    assert "no draft report yet" in none_yet["text"]
    build(slack, fake_slack)
    missing = answer_to(slack, fake_slack, "/psif", "report final 7", user="UHOST")
    assert "no version 7" in missing["text"]
    confirmation = answer_to(slack, fake_slack, "/psif", "report final", user="UHOST")
    assert "Mark version 1 of the report final?" in confirmation["text"]
    final = confirm(slack, fake_slack, confirmation)
    assert "Version 1 is marked final" in final
    with transaction(bot.deps.sessions) as session:
        assert set(session.scalars(select(MilestoneDone.milestone))) == {
            "draft_report",
            "final_report",
        }
        assert session.scalars(select(ReportVersion)).one().final_by == "UHOST"
    wait_until(
        lambda: any("final report" in m["text"] for m in fake_slack.messages_in(CHANNEL)),
        "the final report's notice in the channel",
    )
    wait_until(lambda: bool(uploads(fake_slack, "-report-final.docx")), "the final documents")
    [final_word] = uploads(fake_slack, "-report-final.docx")
    text, _ = docx_text(final_word)
    assert "Final report" in text and "Draft report" not in text


def confirm(
    slack: SlackDriver,
    fake: FakeSlack,
    confirmation: dict[str, Any],
    action_id: str = ids.REPORT_FINAL_CONFIRM,
    *,
    user: str = "UHOST",
) -> str:
    """Press the confirmation's button; what replaces the confirmation."""
    url = fake.new_response_url()
    slack.click_in_message(confirmation, action_id, user=user, channel=CHANNEL, response_url=url)
    return str(responses_to(fake, url)[0]["text"])


def test_the_lgbf_summary_shares_the_learning_a_lead_marked_with_no_names_or_figures(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_everything(bot, fake_slack)
    marked = answer_to(slack, fake_slack, "/afi", "share 3", user="UIS")  # the strength
    assert "Finding 3 is marked as learning to share" in marked["text"]
    told = answer_to(slack, fake_slack, "/psif", "report summary", user="UIS")
    assert "shows no checklist figures" in told["text"]
    wait_until(lambda: len(uploads(fake_slack, ".docx")) == 1, "the summary")
    [word] = uploads(fake_slack, ".docx")
    assert "lgbf-summary" in word.filename
    text, _ = docx_text(word)
    for expected in (
        "Focus: Roads maintenance",
        "How the review was done",
        "a PSIF self-assessment",
        "Areas for improvement",
        "Budget planning is annual only",
        "Learning to share",
        "Staff know the complaints route",
        "Next steps",
        "Pilot rolling budgets (by 30 June 2027)",
    ):
        assert expected in text, expected
    for absent in (
        "Hannah Host",
        "Olivia Owner",
        "Priya Peer",
        "Stella",
        CHECKLIST_COMMENT,
        "Depot supervisors",
        "<@",
        "%",  # no checklist figures
        "agree",
        "Budgets are set a year ahead",  # a concern no lead marked
    ):
        assert absent not in text, absent


def test_only_leads_build_finalise_and_summarise_and_only_the_team_comments(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    for text in ("report", "report summary", "report briefing"):
        answer = answer_to(slack, fake_slack, "/psif", text, user="UPEER")
        assert "Only the review's host lead or Improvement Service lead" in answer["text"]
    for user in ("UPEER", "UIS"):
        answer = answer_to(slack, fake_slack, "/psif", "report final", user=user)
        assert "Only the review's host lead can mark the report final" in answer["text"]
    stakeholder = answer_to(slack, fake_slack, "/psif", "report comments", user="USTAKE")
    assert "can comment on the draft report" in stakeholder["text"]
    assert fake_slack.files == {}


def test_the_request_refuses_in_its_acknowledgement_and_leaves_the_draft_to_the_worker(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    refused, _, _ = slack.command("/psif", "report", user="UPEER", channel=CHANNEL)
    assert "Only the review's host lead" in refused.json()["text"]
    asked, _, _ = slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
    assert asked.json() is None  # the answer follows once the draft is saved
    with transaction(bot.deps.sessions) as session:
        [owed] = session.scalars(
            select(OutboxItem).where(OutboxItem.kind == DRAFT_REQUEST_KIND.name)
        ).all()
        assert owed.payload["asked_at"] == "2027-03-15T10:00:00+00:00"
    wait_until(
        lambda: any("Draft 1 is saved" in str(r.body) for r in fake_slack.responses),
        "the worker's answer",
    )


def test_a_draft_request_delivered_again_saves_no_second_version(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    """As though the worker died after saving the draft but before recording the item sent."""
    seed_fieldwork_review(bot.deps.sessions)
    slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
    saved = "Draft 1 is saved"
    wait_until(lambda: any(saved in str(r.body) for r in fake_slack.responses), "the answer")
    again = OutboxItem.kind == DRAFT_REQUEST_KIND.name
    with transaction(bot.deps.sessions) as session:
        session.execute(
            update(OutboxItem)
            .where(again)
            .values(status="pending", not_before=datetime(2000, 1, 1, tzinfo=UTC))
        )

    def delivered_again() -> bool:
        with transaction(bot.deps.sessions) as session:
            return session.scalars(select(OutboxItem.status).where(again)).one() == "sent"

    wait_until(delivered_again, "the request delivered again")
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(ReportVersion)).all()) == 1
    assert sum(saved in str(r.body) for r in fake_slack.responses) == 1


def test_the_stage_check_says_when_there_is_no_draft_yet(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    with transaction(bot.deps.sessions) as session:
        session.execute(
            update(Review).where(Review.id == seeded.review_id).values(stage="reporting")
        )
    stage = answer_to(slack, fake_slack, "/psif", "stage", user="UHOST")
    assert "No draft report yet" in str(stage)


def test_a_draft_saved_while_slack_fails_is_posted_once_when_slack_recovers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    fake_slack.fail_next("files.completeUploadExternal", "internal_error", status=500, times=2)
    told = answer_to(slack, fake_slack, "/psif", "report", user="UHOST")
    assert "Draft 1 is saved" in told["text"] and "in a moment" in told["text"]
    wait_until(lambda: len(uploads(fake_slack, ".docx")) == 1, "the draft's documents")
    posts = [m for m in fake_slack.messages_in(CHANNEL) if "Draft report" in m["text"]]
    assert len(posts) == 1
    [word] = uploads(fake_slack, ".docx")
    assert word.thread_ts == posts[0]["ts"]
    with transaction(bot.deps.sessions) as session:
        version = session.scalars(select(ReportVersion)).one()
        assert version.ts == posts[0]["ts"] and "Draft report, version 1" in version.markdown


def test_a_lead_is_told_when_slack_refuses_the_draft_for_good(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    answer_to(slack, fake_slack, "/psif", "report", user="UHOST")
    wait_until(
        lambda: any(
            "The draft report is saved, but I couldn't post it" in str(p.body)
            and "I'm not a member of" in str(p.body)
            for p in fake_slack.responses
        ),
        "the lead told what to do",
    )
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ReportVersion.number)).one() == 1


def test_the_report_and_the_papers_go_only_to_a_private_channel(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    fake_slack.set_channel(CHANNEL, is_private=False)
    for text in ("report", "report final", "papers send"):
        answer = answer_to(slack, fake_slack, "/psif", text, user="UHOST")["text"]
        assert "public channel" in answer and "private" in answer, text
    peer = answer_to(slack, fake_slack, "/psif", "report", user="UPEER")["text"]
    assert "Only the review's host lead" in peer  # who may act is said before where
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ReportVersion)).all() == []
        assert session.scalars(select(MilestoneDone)).all() == []
    assert fake_slack.files == {}
    assert not [m for m in fake_slack.messages_in(CHANNEL) if "Papers for fieldwork" in m["text"]]

    fake_slack.set_channel(CHANNEL, is_private=True)
    told = answer_to(slack, fake_slack, "/psif", "report", user="UHOST")
    assert "Draft 1 is saved" in told["text"]
