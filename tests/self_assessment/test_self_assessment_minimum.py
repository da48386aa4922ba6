"""The minimum behind the self-assessment's figures, against a review team trying to get
round it (issue 23): only invited people answer, the team's own answers never count
towards the minimum (overall, per section and per statement), and a percentage needs the
minimum number of views, not of answers.

The minimum here is 3, as it was when the review team could isolate one stakeholder's
answers by answering themselves: the rule must hold whatever the setting.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.settings import Settings
from bot.slack import ids
from storage.db import transaction
from storage.models.self_assessment import ChecklistParticipant, ChecklistResponse

from action_helpers import wait_until
from checklist_helpers import (
    CHANNEL,
    answer_everything,
    close_early,
    dm_to,
    invite,
    seed_checklist_review,
)
from conftest import RunningBot, SettableClock
from fake_slack import Call, FakeSlack, UploadedFile
from fieldwork_helpers import (
    AFTER_FIELDWORK,
    answer_to,
    docx_text,
    seed_fieldwork_review,
    seed_self_assessment,
    uploads,
)
from slack_driver import SlackDriver

CHECKLIST = load_default_checklist()
SECTION_1 = [statement.id for statement in CHECKLIST.sections[0].statements]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"min_respondents": 3})


def always(answer: Answer) -> Callable[[str], Answer]:
    return lambda _: answer


def reply_to(slack: SlackDriver, fake: FakeSlack, text: str, *, user: str = "UHOST") -> str:
    before = len(fake.responses)
    slack.command("/psif", text, user=user)
    return str(fake.wait_for_responses(before + 1)[-1].body["text"])


def results_post(fake: FakeSlack) -> Call:
    fake.wait_for("files.completeUploadExternal")  # the chart follows the message
    return next(
        call
        for call in fake.calls_to("chat.postMessage")
        if call.args["channel"] == CHANNEL and "results" in call.args["text"]
    )


def export_files(slack: SlackDriver, fake: FakeSlack) -> dict[str, UploadedFile]:
    uploaded = len(fake.calls_to("files.completeUploadExternal"))
    assert "direct message" in reply_to(slack, fake, "results export")
    upload = fake.wait_for("files.completeUploadExternal", uploaded + 1)[-1]
    return {fake.files[f["id"]].filename: fake.files[f["id"]] for f in upload.args["files"]}


def csv_rows(upload: UploadedFile) -> list[list[str]]:
    return list(csv.reader(io.StringIO((upload.content or b"").decode("utf-8-sig"))))


def opened_view(fake: FakeSlack, count: int) -> str:
    call = fake.wait_for("views.open", count)[-1]
    assert call.ok, call.response
    return json.dumps(call.response["view"])


def test_nobody_on_the_review_team_answers_without_being_invited(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    dm_to(fake_slack, "UA")  # the invitation, then the channel's note (with no button)
    for opened, user in enumerate(("UHOST", "UH2"), start=1):  # the host lead, a team member
        slack.command("/psif", "checklist", user=user)
        shown = opened_view(fake_slack, opened)
        assert "Not invited" in shown and "only people who have been invited" in shown
        assert "/psif invite @your-name" in shown
        assert "on the review team" in shown  # and that their answers wouldn't count
        assert ids.CHECKLIST_SECTION_MODAL not in shown
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistParticipant.user_id)).all() == ["UA"]
        assert session.scalars(select(ChecklistResponse)).all() == []


def test_the_team_answering_can_never_single_out_one_stakeholder(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    """The collusion as found, with the team invited this time: the host lead and a
    host-team member answer "strongly agree" throughout and one stakeholder answers."""
    seed_checklist_review(bot.deps)
    before = len(fake_slack.responses)
    slack.command("/psif", "invite <@UHOST|h> <@UH2|h2> <@UA|a>", user="UHOST")
    invited = str(fake_slack.wait_for_responses(before + 1)[-1].body["text"])
    assert "<@UHOST> and <@UH2> are on the review team" in invited
    assert "won't count towards the 3 people outside the team" in invited
    for user in ("UHOST", "UH2"):
        answer_everything(slack, fake_slack, user, always(Answer.STRONGLY_AGREE))
    answer_everything(slack, fake_slack, "UA", always(Answer.DISAGREE))
    close_early(slack, fake_slack)

    for asked in ("results", "results export"):
        refused = reply_to(slack, fake_slack, asked)
        assert "Only 1 person outside the review team answered" in refused
        assert "at least 3" in refused and "review team's own answers don't count" in refused
    before = len(fake_slack.responses)
    slack.command("/afi", "import all", user="UHOST")
    refused = str(fake_slack.wait_for_responses(before + 1)[-1].body["text"])
    assert "Only 1 person outside the review team answered" in refused
    assert fake_slack.calls_to("files.completeUploadExternal") == []
    assert not any("results" in m["text"] for m in fake_slack.messages_in(CHANNEL))


def test_a_statement_two_of_the_team_and_one_stakeholder_answered_is_withheld(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UHOST", "UH2", "UA", "UB", "UC")
    for user in ("UHOST", "UH2"):
        answer_everything(slack, fake_slack, user, always(Answer.STRONGLY_AGREE))
    answer_everything(  # the only stakeholder to answer 1.02
        slack, fake_slack, "UA", lambda sid: Answer.DISAGREE if sid == "1.02" else Answer.AGREE
    )
    for user in ("UB", "UC"):
        answer_everything(
            slack, fake_slack, user, lambda sid: None if sid == "1.02" else Answer.AGREE
        )
    close_early(slack, fake_slack)

    slack.command("/psif", "results", user="UHOST")
    rendered = json.dumps(results_post(fake_slack).args["blocks"])
    assert "Too few answers (fewer than 3 people outside the review team answered): 1.02." in (
        rendered
    )
    assert "*1.02*" not in rendered  # no strength, no candidate
    rows = csv_rows(export_files(slack, fake_slack)["fife-self-assessment-figures.csv"])
    by_id = {row[2]: row for row in rows if row[0] == "Statement"}
    assert by_id["1.02"][4:] == ["Too few answers (withheld)", *[""] * 10]
    # The team's answers are in every other figure: 1.01 is 2 strongly agree and 3 agree.
    assert by_id["1.01"][4:9] == ["5", "5", "2", "3", "0"]
    # Nothing left to subtract: no disagreement anywhere, so UA's answer to 1.02 is in no
    # total, and section 1's "strongly agree" is the team's, statement 1.02 left out.
    section_1 = next(row for row in rows if row[:2] == ["Section", "1"])
    assert section_1[8] == "0" and rows[1][8] == "0"
    assert int(section_1[6]) == 2 * (len(SECTION_1) - 1)


def test_someone_who_leaves_the_team_after_answering_still_does_not_count(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UH2", "UA", "UB")
    for user in ("UH2", "UA", "UB"):
        answer_everything(slack, fake_slack, user, always(Answer.AGREE))
    removed = reply_to(slack, fake_slack, "team remove <@UH2|h2>")
    assert "UH2" in removed
    close_early(slack, fake_slack)
    assert "Only 2 people outside the review team answered" in reply_to(
        slack, fake_slack, "results"
    )


def test_a_team_member_who_forgets_themselves_after_answering_still_does_not_count(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    """Forget-me moves their answers to a key nobody can compute: the bot can no longer
    tell they were the team's, so they stop counting, like anyone it can't vouch for."""
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UPEER", "UA", "UB")
    for user in ("UPEER", "UA", "UB"):
        answer_everything(slack, fake_slack, user, always(Answer.AGREE))
    before = len(fake_slack.responses)
    slack.command(
        "/psif", "forget-me", user="UPEER", channel="DUPEER", channel_name="directmessage"
    )
    confirmation = fake_slack.wait_for_responses(before + 1)[-1].body
    slack.click_in_message(
        confirmation,
        ids.FORGET_ME_CONFIRM,
        user="UPEER",
        channel="DUPEER",
        response_url=fake_slack.new_response_url(),
    )
    assert "Done" in fake_slack.wait_for_responses(before + 2)[-1].body["text"]
    with transaction(bot.deps.sessions) as session:  # their answers stay, anonymous
        assert len(set(session.scalars(select(ChecklistResponse.respondent_key)))) == 3
    close_early(slack, fake_slack)
    assert "Only 2 people outside the review team answered" in reply_to(
        slack, fake_slack, "results"
    )


def test_a_statement_with_two_views_shows_no_percentage_anywhere(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    """1.03: two agree and three don't know. It used to be a strength, "100% agree, 0%
    disagree (of 2 views); 60% don't know", as far as the public summary."""
    seeded = seed_fieldwork_review(bot.deps.sessions)
    dont_know = Answer.DONT_KNOW
    seed_self_assessment(
        bot.deps,
        seeded.review_id,
        [Answer.AGREE] * 5,
        only={"1.03": [Answer.AGREE, Answer.AGREE, dont_know, dont_know, dont_know]},
    )
    statement = CHECKLIST.statement("1.03").text
    not_shown = (
        "Too few took a side (fewer than 3 people outside the review team agreed or disagreed)"
    )

    slack.command("/psif", "results", user="UHOST")
    rendered = json.dumps(results_post(fake_slack).args["blocks"])
    assert f"{not_shown}: 1.03." in rendered
    assert "*1.03*" not in rendered and "of 2 views" not in rendered

    files = export_files(slack, fake_slack)
    rows = csv_rows(files["fife-self-assessment-figures.csv"])
    assert next(row for row in rows if row[2] == "1.03")[4:] == [
        "Too few took a side (withheld)",
        *[""] * 10,
    ]
    workbook = load_workbook(io.BytesIO(files["fife-self-assessment.xlsx"].content or b""))
    [row] = [r for r in workbook["Statements"].iter_rows(values_only=True) if r[2] == "1.03"]
    assert row[4:] == ("Too few took a side (withheld)", *[None] * 10)
    strengths = [r for r in workbook["Summary"].iter_rows(values_only=True) if r[0] == "1.03"]
    assert strengths == []

    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    sent = answer_to(slack, fake_slack, "/psif", "papers send", user="UHOST")
    assert sent["text"] == "✅ Papers sent.", sent
    wait_until(lambda: bool(uploads(fake_slack, "-self-assessment-report.docx")), "the papers")
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork
    slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
    wait_until(lambda: bool(uploads(fake_slack, "-report-draft-1.docx")), "the draft")
    slack.command("/psif", "report summary", user="UIS", channel=CHANNEL)
    wait_until(lambda: bool(uploads(fake_slack, "-lgbf-summary.docx")), "the summary")
    for suffix in ("-self-assessment-report.docx", "-report-draft-1.docx"):
        [word] = uploads(fake_slack, suffix)
        text, _ = docx_text(word)
        assert f"{not_shown}: 1.03." in text, suffix
        assert statement not in text, suffix
    [summary] = uploads(fake_slack, "-lgbf-summary.docx")
    text, _ = docx_text(summary)
    assert "Main findings" not in text and statement not in text  # learning, not statistics
