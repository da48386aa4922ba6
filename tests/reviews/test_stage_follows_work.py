"""One stage, moved on by a lead: status and the weekly update show the stage the leads
confirmed, and once the work or the dates show the next stage has begun, a lead is offered
the move to it (never further) with a button — when asked, and in a direct message on the
day it first shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.core.stages import MoveOffer, Stage
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.reminders.views import DigestFacts, build_weekly_digest
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.reviews import record_audit

from action_helpers import CHANNEL, log_action, seed_review_with_afis, wait_until
from checklist_helpers import close_early, invite, seed_checklist_review
from conftest import RunningBot
from helpers import last_response_text, wait_until_delivered
from nudge_helpers import add_review, nudges, run_at, utc


def stage_offers_to(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [
        {**call.args, "ts": call.response["ts"]}
        for call in fake.calls_to("chat.postMessage")
        if call.ok and call.args["channel"] == user and "Move it on?" in call.args["text"]
    ]


def settled_offers(fake: FakeSlack) -> dict[str, str]:
    """The offers rewritten after a move: ts → what they say now."""
    return {
        call.args["ts"]: str(call.args["blocks"])
        for call in fake.calls_to("chat.update")
        if call.ok and "Moved to" in str(call.args["blocks"])
    }


def test_leads_are_offered_the_move_once_when_a_milestones_work_happens(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)  # "Getting ready"; leads UHOST and UIS
    invite(slack, fake_slack, "UA", "UB")
    run_at(bot.deps, fake_slack, utc(2026, 11, 25, 10, 5))
    run_at(bot.deps, fake_slack, utc(2026, 11, 25, 10, 10))  # a second pass sends nothing new
    assert {n.recipient for n in nudges(bot.deps, rule="stage.pre_work")} == {"UHOST", "UIS"}
    [offer] = stage_offers_to(fake_slack, "UHOST")
    assert len(stage_offers_to(fake_slack, "UIS")) == 1
    assert offer["text"] == (
        "The Fife review is ready for Pre-work: self-assessment: stakeholders are invited to "
        "the self-assessment. Move it on?"
    )
    assert "*" not in offer["text"]
    shown = str(offer["blocks"])
    assert "stakeholders are invited to the self-assessment" in shown
    assert validate_blocks(offer["blocks"], "message") == []

    url, before = fake_slack.new_response_url(), len(fake_slack.responses)
    slack.click_in_message(
        offer, ids.STAGE_ADVANCE_CONFIRM, user="UHOST", channel="UHOST", response_url=url
    )
    answer = fake_slack.wait_for_responses(count=before + 1)[-1].body
    assert "now in Pre-work" in answer["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.stage)).one() == "pre_work"
    # Both leads' offers now say the move was made, and offer it no more.
    [other] = stage_offers_to(fake_slack, "UIS")
    wait_until(lambda: len(settled_offers(fake_slack)) == 2, "the offers settled")
    assert set(settled_offers(fake_slack)) == {offer["ts"], other["ts"]}
    for shown in settled_offers(fake_slack).values():
        assert "Moved to *Stage 2 of 6: Pre-work" in shown
        assert "by <@UHOST> on 25 November 2026" in shown
        assert ids.STAGE_ADVANCE_CONFIRM not in shown

    # Closing the self-assessment is still pre-work (the papers and pre-meeting come next):
    # no offer. Fieldwork's first day is the next milestone, and the offer moves on with it.
    close_early(slack, fake_slack)
    run_at(bot.deps, fake_slack, utc(2026, 11, 26, 9, 0))
    assert nudges(bot.deps, rule="stage.fieldwork_context") == []
    run_at(bot.deps, fake_slack, utc(2027, 3, 3, 9, 0))
    [later] = [o for o in stage_offers_to(fake_slack, "UHOST") if o["ts"] != offer["ts"]]
    assert (
        "Ready for Stage 3 of 6: Fieldwork: context setting and prioritisation (phase 1 of 3)"
        in (str(later["blocks"]))
    )
    assert "fieldwork began on 3 March 2027" in str(later["blocks"])

    # The next move rewrites the new offers only: the earlier ones already say theirs.
    slack.click_in_message(
        later, ids.STAGE_ADVANCE_CONFIRM, user="UIS", channel="UIS", response_url=url
    )
    wait_until(lambda: later["ts"] in settled_offers(fake_slack), "the later offer settled")
    wait_until_delivered(bot.deps)
    rewrites = [call.args["ts"] for call in fake_slack.calls_to("chat.update") if call.ok]
    assert rewrites.count(offer["ts"]) == 1
    assert (
        "Fieldwork: context setting and prioritisation (phase 1 of 3)* by <@UIS>"
        in settled_offers(fake_slack)[later["ts"]]
    )


def test_status_shows_one_stage_and_offers_only_the_next(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)  # "Getting ready"; fieldwork from 3 March 2027
    invite(slack, fake_slack, "UA", "UB")
    close_early(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/psif", "status", user="UHOST", channel=CHANNEL)
    shown = str(fake_slack.wait_for_responses(count=before + 1)[-1].body["blocks"])
    assert "Stage 1 of 6: Getting ready" in shown
    assert "Ready for Stage 2 of 6: Pre-work: self-assessment" in shown
    assert "Fieldwork: context setting" not in shown.split("Timeline")[0]
    assert "of 9" not in shown and "has reached" not in shown


def test_no_offer_goes_out_once_a_lead_has_moved_the_stage(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    before = len(fake_slack.responses)
    slack.command("/psif", "stage next", user="UHOST", channel=CHANNEL)
    confirmation = fake_slack.wait_for_responses(count=before + 1)[-1].body
    slack.click_in_message(
        confirmation,
        ids.STAGE_ADVANCE_CONFIRM,
        user="UHOST",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    fake_slack.wait_for_responses(count=before + 2)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.stage)).one() == "pre_work"
    run_at(bot.deps, fake_slack, utc(2026, 11, 25, 10, 5))
    assert nudges(bot.deps, rule="stage.pre_work") == []
    assert stage_offers_to(fake_slack, "UHOST") == []


def test_status_offers_the_move_once_the_work_has_moved_on(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)  # still "Getting ready", but with prioritised areas
    log_action(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/psif", "status", user="UHOST", channel=CHANNEL)
    status = fake_slack.wait_for_responses(count=before + 1)[-1].body
    shown = str(status["blocks"])
    assert "Ready for Stage 2 of 6: Pre-work: self-assessment" in shown
    assert "improvement actions are being logged" in shown
    assert "Move to Pre-work: self-assessment" in shown
    assert "Move to Fieldwork" not in shown  # never offers a skip
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


def test_status_tells_others_the_next_stage_has_begun_without_a_button(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    slack.command("/psif", "status", user="UH2", channel=CHANNEL)
    shown = last_response_text(fake_slack)
    assert "Ready for Stage 2 of 6: Pre-work: self-assessment" in shown
    assert "psif_stage_advance_confirm" not in shown
    assert "can move it on" in shown


def test_status_offers_nothing_while_the_stage_matches_the_work(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions, with_afis=False)
    slack.command("/psif", "status", user="UHOST", channel=CHANNEL)
    assert "Ready for" not in last_response_text(fake_slack)


def test_weekly_update_shows_the_stage_and_the_move_it_is_ready_for(deps: Deps) -> None:
    facts = DigestFacts(
        host_council="Fife",
        focus="Roads",
        stage=Stage.PRE_WORK,
        week_start=date(2027, 3, 1),
        week_end=date(2027, 3, 7),
        activity=[],
        coming=[],
        overdue=[],
        offer=MoveOffer(
            Stage.FIELDWORK_CONTEXT, "fieldwork began on 3 March 2027", date(2027, 3, 3)
        ),
    )
    shown = str(build_weekly_digest(facts).blocks)
    assert "Stage 2 of 6: Pre-work: self-assessment" in shown
    assert "Ready for Fieldwork: context setting and prioritisation" in shown


def test_during_fieldwork_the_monday_update_offers_fieldwork_after_pre_work(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(
        deps,
        opened=utc(2027, 2, 1),
        stage=Stage.PRE_WORK,
        fieldwork_start=date(2027, 3, 3),
        fieldwork_end=date(2027, 3, 5),
    )
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        record_audit(
            session=session,
            review=review,
            actor_id="UHOST",
            action="team.added",
            details={},
            now=utc(2027, 3, 3, 10),
        )
    run_at(deps, fake_slack, utc(2027, 3, 8, 9))
    [digest] = nudges(deps, rule="digest.weekly", day=date(2027, 3, 8))
    assert digest.ts is not None
    shown = str(fake_slack.messages[("CREVIEW", digest.ts)]["blocks"])
    assert "Stage 2 of 6: Pre-work: self-assessment*" in shown
    assert "Ready for Fieldwork: context setting and prioritisation: fieldwork began on " in (shown)
