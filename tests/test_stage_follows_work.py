"""The stage follows the work: status and the weekly update show where the work is, and a
lead is offered the move with a button."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.reminders.views import DigestFacts, build_weekly_digest
from bot.reviews.stages import Stage
from storage.db import transaction
from storage.models.reviews import Review

from action_helpers import CHANNEL, log_action, seed_review
from conftest import RunningBot
from helpers import last_response_text


def test_status_offers_the_move_once_the_work_has_moved_on(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review(bot.deps.sessions)  # still "Getting ready", but with prioritised areas
    log_action(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/psif", "status", user="UHOST", channel=CHANNEL)
    status = fake_slack.wait_for_responses(count=before + 1)[-1].body
    shown = str(status["blocks"])
    assert "The work has reached Fieldwork: improvement planning" in shown
    assert "improvement actions are being logged" in shown
    assert "Move to Pre-work: self-assessment?" in shown
    assert "*" not in status["text"]  # notification text is plain
    assert validate_blocks(status["blocks"], "message") == []

    slack.click_in_message(
        status,
        "psif_stage_advance_confirm",
        user="UHOST",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    answer = fake_slack.wait_for_responses(count=before + 2)[-1].body
    assert "now in Pre-work" in answer["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.stage)).one() == "pre_work"


def test_status_tells_others_the_work_has_moved_on_without_a_button(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review(bot.deps.sessions)
    slack.command("/psif", "status", user="UH2", channel=CHANNEL)
    shown = last_response_text(fake_slack)
    assert "The work has reached Fieldwork: interviews and focus groups" in shown
    assert "psif_stage_advance_confirm" not in shown
    assert "can move it on" in shown


def test_status_offers_nothing_while_the_stage_matches_the_work(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review(bot.deps.sessions, with_afis=False)
    slack.command("/psif", "status", user="UHOST", channel=CHANNEL)
    assert "The work has reached" not in last_response_text(fake_slack)


def test_weekly_update_shows_the_stage_the_work_has_reached(deps: Deps) -> None:
    facts = DigestFacts(
        host_council="Fife",
        focus="Roads",
        stage=Stage.PRE_WORK,
        week_start=date(2027, 3, 1),
        week_end=date(2027, 3, 7),
        activity=[],
        coming=[],
        overdue=[],
        work=(Stage.FIELDWORK_CONTEXT, "fieldwork began on 3 March 2027"),
    )
    shown = str(build_weekly_digest(facts).blocks)
    assert "Fieldwork: context setting and prioritisation" in shown
    assert "still recorded in Pre-work: self-assessment" in shown
