"""`/psif papers`: the pack (the host's paper, the self-assessment report, evidence links),
adding and removing links, and sending it to the team with the papers milestone done."""

from __future__ import annotations

import io

from docx import Document
from sqlalchemy import select

from bot.core.checklist import Answer
from storage.db import transaction
from storage.models.reminders import MilestoneDone

from action_helpers import CHANNEL, wait_until
from conftest import RunningBot
from fake_slack import FakeSlack, validate_blocks
from fieldwork_helpers import answer_to, dms_to, seed_fieldwork_review, seed_self_assessment
from helpers import wait_until_delivered
from slack_driver import SlackDriver

COMMENT = "Jo on the night shift deserves praise"


def test_the_pack_collects_the_hosts_paper_and_titled_evidence_links(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    added = answer_to(
        slack,
        fake_slack,
        "/psif",
        "papers add Roads KPIs 2025-26 <https://fife.example/kpis>",
        user="UH2",
    )
    assert "in the pack" in added["text"]
    answer_to(
        slack, fake_slack, "/psif", "papers paper https://fife.example/aims?a=1&b=2", user="UHOST"
    )
    answer_to(
        slack, fake_slack, "/psif", "papers add Old plan <https://fife.example/old>", user="UIS"
    )
    removed = answer_to(slack, fake_slack, "/psif", "papers remove 2", user="UHOST")
    assert "Removed “Old plan”" in removed["text"]
    pack = answer_to(slack, fake_slack, "/psif", "papers", user="UPEER")
    shown = str(pack["blocks"])
    assert "<https://fife.example/aims?a=1&amp;b=2|What we want from fieldwork>" in shown
    assert "<https://fife.example/kpis|Roads KPIs 2025-26>" in shown and "Old plan" not in shown
    assert "Due to the team by 17 February 2027" in shown
    assert "not available yet" in shown  # no self-assessment yet
    assert validate_blocks(pack["blocks"], "message") == []


def test_links_need_a_title_and_a_web_address_and_only_host_and_is_add_them(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    no_link = answer_to(slack, fake_slack, "/psif", "papers add Roads KPIs", user="UHOST")
    assert "web link" in no_link["text"]
    no_title = answer_to(slack, fake_slack, "/psif", "papers add https://x.example", user="UHOST")
    assert "title" in no_title["text"]
    peer = answer_to(slack, fake_slack, "/psif", "papers add KPIs https://x.example", user="UPEER")
    assert "can add papers for fieldwork" in peer["text"]
    stakeholder = answer_to(slack, fake_slack, "/psif", "papers", user="USTAKE")
    assert "can see the papers for fieldwork" in stakeholder["text"]


def test_sending_posts_the_pack_with_the_self_assessment_report_and_dms_the_team(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    seed_self_assessment(
        bot.deps,
        seeded.review_id,
        [Answer.AGREE, Answer.DISAGREE] * 2 + [Answer.AGREE],
        comment=COMMENT,
    )
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    refused = answer_to(slack, fake_slack, "/psif", "papers send", user="UH2")
    assert "Only the review's host lead or Improvement Service lead" in refused["text"]
    sent = answer_to(slack, fake_slack, "/psif", "papers send", user="UHOST")
    assert sent["text"] == "✅ Papers sent."  # short: the pack is in the channel
    wait_until(lambda: any(f.completed for f in fake_slack.files.values()), "the report")
    team = ("UIS", "UH2", "UPEER")
    wait_until(lambda: all(dms_to(fake_slack, member) for member in team), "the team's papers")
    for member in team:
        assert "fife.example/kpis" in str(dms_to(fake_slack, member)[-1]["blocks"])
    wait_until_delivered(bot.deps)
    # Not the sender, who saw the pack posted, nor anyone off the team.
    assert not any("fife.example/kpis" in str(dm) for dm in dms_to(fake_slack, "UHOST"))
    assert dms_to(fake_slack, "USTAKE") == []
    [post] = [m for m in fake_slack.messages_in(CHANNEL) if "Papers for fieldwork" in m["text"]]
    [report] = [f for f in fake_slack.files.values() if f.completed]
    assert report.thread_ts == post["ts"] and report.filename.endswith(".docx")
    document = Document(io.BytesIO(report.content or b""))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "5 of 5 people invited completed the self-assessment" in text
    assert cells[:5] == ["Section", "Respondents", "% agree", "% disagree", "% don't know"]
    assert len(document.inline_shapes) == 1  # the chart of agreement by section
    assert COMMENT not in text and COMMENT not in str(cells)
    with transaction(bot.deps.sessions) as session:
        assert list(session.scalars(select(MilestoneDone.milestone))) == ["papers_due"]
    pack = answer_to(slack, fake_slack, "/psif", "papers", user="UPEER")
    assert "Sent to the team" in str(pack["blocks"])
