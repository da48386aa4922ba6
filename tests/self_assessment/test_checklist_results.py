"""Self-assessment results, export and AFI import end to end."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from bot.afis.views import (
    KEEP_VALUE,
    NOTHING_TICKED,
    UNTICK_OR_WRITE,
    keep_block_id,
    text_block_id,
)
from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import Call, FakeSlack, validate_blocks, validate_view
from bot.self_assessment.service import RESULTS_EXPORT_KIND, RESULTS_POST, RESULTS_POST_KIND
from bot.slack import ids
from bot.slack.client import make_client
from bot.slack.outbox import Delivery
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.outbox import OutboxItem, OutboxStatus

from action_helpers import wait_until
from checklist_helpers import (
    CHANNEL,
    CHECKLIST,
    answer_everything,
    close_early,
    invite,
    seed_checklist_review,
)
from conftest import RunningBot, SettableClock
from helpers import wait_until_delivered

SA, A, D, SD, DK = (
    Answer.STRONGLY_AGREE,
    Answer.AGREE,
    Answer.DISAGREE,
    Answer.STRONGLY_DISAGREE,
    Answer.DONT_KNOW,
)
RESPONDENTS = {
    # 1.01 agreed by all; 1.02 disagreed by most; 1.03 mostly "don't know" (two views, too
    # few to show); 2.01 agreed by most, but not enough for a strength. The rest: agree.
    "UA": {"1.01": SA, "1.02": D, "1.03": DK, "2.01": D},
    "UB": {"1.01": A, "1.02": SD, "1.03": DK, "2.01": D},
    "UC": {"1.01": A, "1.02": A, "1.03": A},
    "UD": {"1.01": A, "1.02": D, "1.03": DK},
    "UE": {"1.01": A, "1.02": SD, "1.03": A},
}


def five_respond(
    slack: SlackDriver, fake: FakeSlack, bot: RunningBot, *, close: bool = True
) -> None:
    """UA to UE answer (UF doesn't) in a private channel; then a lead closes it."""
    seed_checklist_review(bot.deps)
    invite(slack, fake, *RESPONDENTS, "UF")
    for user, answers in RESPONDENTS.items():

        def pick(sid: str, answers: dict[str, Answer] = answers) -> Answer:
            return answers.get(sid, Answer.AGREE)

        answer_everything(
            slack,
            fake,
            user,
            pick,
            comments=(f"Strength from {user.lower()}", "<!channel> please fix"),
        )
    if close:
        close_early(slack, fake)


def results_reply(fake: FakeSlack, before: int) -> str:
    return str(fake.wait_for_responses(before + 1)[-1].body["text"])


def wait_for_thread(fake: FakeSlack, ts: str) -> list[Call]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        replies = [c for c in fake.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
        if replies:
            return replies
        time.sleep(0.02)
    raise AssertionError("no replies in the thread")


def test_results_are_withheld_until_five_people_have_answered(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE")
    clock.advance(days=15)  # closed by date with nobody answering
    before = len(fake_slack.responses)
    slack.command("/psif", "results", user="UHOST")
    assert "Nobody answered" in results_reply(fake_slack, before)
    slack.command("/psif", "checklist close-date 2026-12-31", user="UHOST")  # reopened
    fake_slack.wait_for_responses(before + 2)
    for user in ("UA", "UB", "UC", "UD"):
        answer_everything(slack, fake_slack, user, lambda _: Answer.AGREE)
    close_early(slack, fake_slack)
    for asked in ("results", "results export"):
        before = len(fake_slack.responses)
        slack.command("/psif", asked, user="UHOST")
        refused = results_reply(fake_slack, before)
        assert "Only 4 people outside the review team answered" in refused
        assert "at least 5" in refused
    assert fake_slack.calls_to("files.completeUploadExternal") == []


def test_results_post_figures_a_chart_and_anonymous_comments_in_a_thread(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    slack.command("/psif", "results", user="UPEER")
    upload = fake_slack.wait_for("files.completeUploadExternal")[-1]
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    results = next(c for c in posts if "results" in c.args["text"])
    rendered = json.dumps(results.args["blocks"], ensure_ascii=False)
    assert validate_blocks(results.args["blocks"], "message") == []
    assert "5 of 6 invited have finished" in rendered
    assert "*1.02*" in rendered and "*2.01*" in rendered  # candidate AFIs
    assert "*1.01*" in rendered  # a strength
    # Counts with whole shares of everyone who answered: the figures explain themselves.
    assert "1 of 5 agree (20%) · 4 disagree (80%) · 0 don't know (0%)" in rendered  # 1.02
    assert "3 of 5 agree (60%) · 2 disagree (40%) · 0 don't know (0%)" in rendered  # 2.01
    assert re.search(r"\d\.\d%", rendered) is None
    assert "views)" not in rendered
    footer = results.args["blocks"][-1]
    assert footer["type"] == "context" and len(json.dumps(footer)) < 600
    # 1.03 rests on two views: no figures for it, and the results say why.
    assert "*1.03*" not in rendered
    assert "Too few took a side (fewer than 5 people outside the review team agreed or " in rendered
    assert upload.args["channel_id"] == CHANNEL
    chart = fake_slack.files[upload.args["files"][0]["id"]]
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")
    replies = wait_for_thread(fake_slack, results.response["ts"])
    comments = json.dumps([c.args["blocks"] for c in replies])
    assert "Strength from ua" in comments and "Strength from ue" in comments
    assert "&lt;!channel&gt;" in comments and "<!channel>" not in comments
    for user in RESPONDENTS:
        assert f"<@{user}>" not in rendered + comments


def results_messages(fake: FakeSlack) -> list[Call]:
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.ok
        and call.args["channel"] == CHANNEL
        and not call.args.get("thread_ts")
        and "results" in call.args["text"]
    ]


def test_results_are_posted_by_the_outbox_and_a_retry_posts_them_once(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        owed = session.scalars(select(OutboxItem).where(OutboxItem.kind == RESULTS_POST)).one()
        retry = Delivery(
            item_id=owed.id,
            kind=owed.kind,
            team_id=owed.team_id,
            payload=owed.payload,
            attempts=2,
            previous_error="timeout",
            client=make_client(bot.deps.settings),
            deps=bot.deps,
        )
        assert (owed.lane, owed.status) == (CHANNEL, OutboxStatus.SENT.value)
    [message] = results_messages(fake_slack)
    replies = wait_for_thread(fake_slack, message.response["ts"])
    assert "Strength from ub" in json.dumps([c.args["blocks"] for c in replies])

    # Delivered again (say its worker died before recording that it was sent): the message
    # is found in the channel, and the replies that went out are not owed again.
    RESULTS_POST_KIND.deliver(retry)
    wait_until_delivered(bot.deps)
    assert results_messages(fake_slack) == [message]
    assert wait_for_thread(fake_slack, message.response["ts"]) == replies


def test_statements_too_few_people_answered_are_left_out_of_results_and_figures(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE")
    for user in ("UA", "UB", "UC", "UD"):  # they skip the Results section entirely
        answer_everything(
            slack, fake_slack, user, lambda sid: None if sid.startswith("6.") else Answer.AGREE
        )
    answer_everything(
        slack,
        fake_slack,
        "UE",
        lambda sid: Answer.STRONGLY_DISAGREE if sid.startswith("6.") else Answer.AGREE,
    )
    close_early(slack, fake_slack)  # it never closes by itself

    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")  # the chart follows the message
    posts = fake_slack.calls_to("chat.postMessage")
    results = next(c for c in posts if "results" in c.args["text"])
    rendered = json.dumps(results.args["blocks"], ensure_ascii=False)
    assert "6. Results: _no figures: every statement was withheld_" in rendered
    assert "*6.0" not in rendered  # UE's answers are no strength or candidate AFI
    assert "Too few answers (fewer than 5 people outside the review team answered): 6.01," in (
        rendered
    )

    slack.command("/psif", "results export", user="UHOST")
    upload = fake_slack.wait_for("files.completeUploadExternal", 2)[-1]
    files = {
        fake_slack.files[f["id"]].filename: fake_slack.files[f["id"]] for f in upload.args["files"]
    }
    figures = files["fife-self-assessment-figures.csv"].content or b""
    rows = list(csv.reader(io.StringIO(figures.decode("utf-8-sig"))))
    statement_6_01 = next(row for row in rows if row[2] == "6.01")
    assert statement_6_01[4] == "Too few answers (withheld)"
    assert set(statement_6_01[5:]) == {""}
    overall = rows[1]
    assert overall[9] == "0"  # nobody else strongly disagreed: UE's answers are in no total


def test_results_are_for_the_review_team_only(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    before = len(fake_slack.responses)
    reply, _, _ = slack.command("/psif", "results", user="UA")
    assert results_reply(fake_slack, before).startswith("Only the review's")
    # Said in the acknowledgement itself: who may see them is the request's own check.
    assert reply.json()["text"].startswith("Only the review's")
    with transaction(bot.deps.sessions) as session:
        kinds = session.scalars(select(OutboxItem.kind)).all()
    assert "results_request" not in kinds


def test_export_sends_totals_and_comments_never_a_row_per_respondent(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    before = len(fake_slack.responses)
    slack.command("/psif", "results export", user="UIS")
    assert "direct message" in results_reply(fake_slack, before)
    upload = fake_slack.wait_for("files.completeUploadExternal")[-1]
    dm = fake_slack.last("conversations.open")
    assert upload.args["channel_id"] == dm.response["channel"]["id"]
    files = {
        fake_slack.files[f["id"]].filename: fake_slack.files[f["id"]] for f in upload.args["files"]
    }
    assert set(files) == {
        "fife-self-assessment-figures.csv",
        "fife-self-assessment-comments.csv",
        "fife-self-assessment.xlsx",
    }
    figures = files["fife-self-assessment-figures.csv"].content or b""
    rows = list(csv.reader(io.StringIO(figures.decode("utf-8-sig"))))
    statement_1_01 = next(row for row in rows if row[2] == "1.01")
    # Counts per scale point: strongly agree 1, agree 4, the rest 0.
    assert statement_1_01[4:11] == ["5", "5", "1", "4", "0", "0", "0"]
    assert not any("Respondent" in cell for row in rows for cell in row[:1])
    everything = b"".join(f.content or b"" for f in files.values() if f.filename.endswith(".csv"))
    for user in RESPONDENTS:
        assert user.encode() not in everything
    workbook = load_workbook(io.BytesIO(files["fife-self-assessment.xlsx"].content or b""))
    assert workbook.sheetnames == ["Summary", "Statements", "Comments"]


def test_export_is_built_and_sent_by_the_outbox_not_in_the_request(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    before = len(fake_slack.responses)
    slack.command("/psif", "results export", user="UIS")
    assert "direct message" in results_reply(fake_slack, before)
    fake_slack.wait_for("files.completeUploadExternal")
    with transaction(bot.deps.sessions) as session:
        owed = session.scalars(
            select(OutboxItem).where(OutboxItem.kind == RESULTS_EXPORT_KIND.name)
        ).all()
    assert [(item.lane, item.payload["user_id"]) for item in owed] == [("UIS", "UIS")]
    wait_until_delivered(bot.deps)
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1


def test_afi_import_all_adds_candidates_once_with_their_figures(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    before = len(fake_slack.responses)
    slack.command("/afi", "import all", user="UIS")
    first = results_reply(fake_slack, before)
    assert first.startswith("Imported")
    with transaction(bot.deps.sessions) as session:
        afis = session.scalars(select(Afi).order_by(Afi.number)).all()
        by_statement = {afi.statement_id: afi for afi in afis}
        assert set(by_statement) == {"1.02", "2.01"}  # never 1.03: too few took a side
        assert [afi.number for afi in afis] == list(range(1, len(afis) + 1))
        disagreed = by_statement["1.02"]
        assert disagreed.source == "checklist" and disagreed.section_number == 1
        # Named as a gap, not in the statement's positive wording; its figures are kept
        # beside the wording, not in it.
        assert disagreed.text.startswith("The service plan doesn't show how the service")
        assert "1.02" not in disagreed.text and "%" not in disagreed.text
        assert disagreed.evidence == ""  # the figures and reasons are shown once, from `figures`
        assert disagreed.figures["respondents"] == 5
        assert disagreed.figures["pct_disagree"] == 80.0
        assert "low agreement" in disagreed.figures["reasons"]
        count = len(afis)
        shown_number = disagreed.number
    # `/afi show` gives the figures under the wording as the results do: counts, with whole
    # percentages of everyone who answered.
    before = len(fake_slack.responses)
    slack.command("/afi", f"show {shown_number}", user="UHOST")
    shown = json.dumps(fake_slack.wait_for_responses(before + 1)[-1].body, ensure_ascii=False)
    assert "Self-assessment, statement 1.02: 1 of 5 agree (20%) · 4 disagree (80%)" in shown
    assert shown.count("1.02") == 1 and shown.count("flagged for low agreement") == 1
    assert re.search(r"\d\.\d%", shown) is None
    before = len(fake_slack.responses)
    slack.command("/afi", "import all", user="UHOST")
    assert "imported already" in results_reply(fake_slack, before)
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(Afi)).all()) == count


def open_import_form(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    opened = len(fake.calls_to("views.open"))
    slack.command("/afi", "import", user="UIS")
    call = fake.wait_for("views.open", opened + 1)[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def wording_offered(view: dict[str, Any]) -> dict[str, str]:
    return {
        block["block_id"].partition("/")[2]: block["element"]["initial_value"]
        for block in view["blocks"]
        if block["block_id"].startswith(ids.AFI_IMPORT_TEXT)
    }


def test_afi_import_offers_each_gap_to_edit_or_leave_out_before_adding(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    view = open_import_form(slack, fake_slack)
    assert validate_view(view, "modal") == []
    offered = wording_offered(view)
    assert set(offered) == {"1.02", "2.01"}
    assert offered["1.02"].startswith("The service plan doesn't show how the service")
    assert "1.02" not in offered["1.02"] and "%" not in offered["1.02"]
    shown = json.dumps(view["blocks"])
    assert "1.02: The service plan shows how" in shown  # the statement it came from
    assert "flagged for low agreement" in shown
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Afi)).all() == []  # nothing added by opening the form

    everything_unticked: dict[str, Any] = {keep_block_id(sid): [] for sid in offered}
    reply = slack.submit_view(view, everything_unticked, user="UIS")
    assert list(reply.json()["errors"].values()) == [NOTHING_TICKED]
    reply = slack.submit_view(view, {text_block_id("1.02"): ""}, user="UIS")
    assert reply.json()["errors"] == {text_block_id("1.02"): UNTICK_OR_WRITE}

    edited = "Staff don't know whether the service plan is reviewed"
    only_1_02 = {**everything_unticked, keep_block_id("1.02"): [KEEP_VALUE]}
    reply = slack.submit_view(view, {**only_1_02, text_block_id("1.02"): edited}, user="UIS")
    assert reply.body in (b"", b"{}")
    with transaction(bot.deps.sessions) as session:
        afis = session.scalars(select(Afi)).all()
        assert [(afi.statement_id, afi.text) for afi in afis] == [("1.02", edited)]
        assert afis[0].figures["respondents"] == 5
    wait_until_delivered(bot.deps)
    posted = fake_slack.calls_to("chat.postMessage")
    listed = next(c for c in reversed(posted) if "Imported" in c.args.get("text", ""))
    assert listed.args["text"] == "Imported 1 area for improvement from the self-assessment."
    assert edited in json.dumps(listed.args["blocks"])

    # The same form sent again adds nothing twice.
    reply = slack.submit_view(view, {**only_1_02, text_block_id("1.02"): edited}, user="UIS")
    notice = reply.json()["view"]
    assert "imported already" in json.dumps(notice["blocks"])
    # A new form offers only what is left, and says why 1.02 is missing.
    again = open_import_form(slack, fake_slack)
    assert set(wording_offered(again)) == set(offered) - {"1.02"}
    assert "1 candidate imported earlier not shown." in json.dumps(again["blocks"])


def test_afi_import_is_for_the_review_team(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    before = len(fake_slack.responses)
    slack.command("/afi", "import", user="UOUTSIDER")
    refused = results_reply(fake_slack, before)
    assert refused.startswith("Only the review's")
    assert refused.endswith("Ask <@UHOST> or <@UIS> if you should be able to.")  # whom to ask


def test_afi_import_refuses_politely_while_results_are_suppressed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    answer_everything(slack, fake_slack, "UA", lambda _: Answer.DISAGREE)
    close_early(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/afi", "import", user="UHOST")
    answer = results_reply(fake_slack, before)
    assert "at least 5" in answer and "Nothing was imported" in answer
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Afi)).all() == []


# -- posted once (issue 28) ------------------------------------------------------------


def results_answer(slack: SlackDriver, fake: FakeSlack, *, user: str, args: str = "") -> str:
    before = len(fake.responses)
    slack.command("/psif", f"results {args}".strip(), user=user)
    return str(fake.wait_for_responses(before + 1)[-1].body["text"])


def posted_once(fake: FakeSlack) -> Call:
    [results] = results_messages(fake)
    return results


def test_results_asked_for_again_point_to_the_post_instead_of_posting_twice(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    slack.command("/psif", "results", user="UPEER")
    fake_slack.wait_for("files.completeUploadExternal")
    wait_until_delivered(bot.deps)
    results = posted_once(fake_slack)

    for user in ("UHOST", "UPEER"):  # two people asking: still one copy in the channel
        pointer = results_answer(slack, fake_slack, user=user)
        permalink = f"/archives/{CHANNEL}/p{results.response['ts'].replace('.', '')}"
        assert permalink in pointer and "see the post" in pointer
        assert "`/psif results repost`" in pointer
    wait_until_delivered(bot.deps)
    assert posted_once(fake_slack) == results
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1  # one chart too


def test_only_a_lead_can_repost_the_results_and_then_they_are_posted_again(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")

    refused = results_answer(slack, fake_slack, user="UPEER", args="repost")
    assert refused.startswith("Only the review's") and "post the results again" in refused
    assert "Posting the results again" in results_answer(
        slack, fake_slack, user="UIS", args="repost"
    )
    fake_slack.wait_for("files.completeUploadExternal", 2)
    wait_until_delivered(bot.deps)
    first, second = results_messages(fake_slack)
    # The next plain `/psif results` points to the newer post.
    pointer = results_answer(slack, fake_slack, user="UHOST")
    assert second.response["ts"].replace(".", "") in pointer
    assert first.response["ts"].replace(".", "") not in pointer


def test_the_comments_are_one_thread_reply_with_a_heading_per_section(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)  # every respondent comments on every section
    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")
    results = posted_once(fake_slack)
    wait_until_delivered(bot.deps)
    [reply] = wait_for_thread(fake_slack, results.response["ts"])
    blocks = reply.args["blocks"]
    headings = [b["text"]["text"].split("\n")[0] for b in blocks if b["type"] == "section"]
    assert headings == [f"*{s.number}. {s.title}*" for s in CHECKLIST.sections]
    shown = json.dumps(blocks, ensure_ascii=False)
    assert shown.count("What works well in this area?") == 6


def test_results_slack_refused_for_good_are_posted_afresh_when_asked_again(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    five_respond(slack, fake_slack, bot)
    wait_until_delivered(bot.deps)  # so the refusal meets the results post, not another
    fake_slack.fail_next("chat.postMessage", "channel_not_found")  # refused for good
    slack.command("/psif", "results", user="UHOST")

    def refused() -> bool:
        with transaction(bot.deps.sessions) as session:
            failed = select(OutboxItem).where(
                OutboxItem.kind == RESULTS_POST, OutboxItem.status == OutboxStatus.FAILED.value
            )
            return session.scalars(failed).first() is not None

    wait_until(refused, "the results post refused")
    assert results_messages(fake_slack) == []

    slack.command("/psif", "results", user="UHOST")  # not pointed to a post that never was
    fake_slack.wait_for("files.completeUploadExternal")
    posted_once(fake_slack)
