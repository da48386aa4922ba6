"""The self-assessment end to end: invite, DM, six modals, resume, closing date."""

from __future__ import annotations

import json
import threading
from datetime import date

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.core.stages import Stage
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks, validate_view
from bot.review_access import get_review
from bot.slack import ids
from bot.slack.after_ack import TOO_SLOW
from storage.db import transaction
from storage.models.reviews import AuditEvent
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)
from storage.repositories.reviews import set_stage

from action_helpers import wait_until
from checklist_helpers import (
    CHANNEL,
    CHECKLIST,
    answer_everything,
    dm_to,
    invite,
    section_inputs,
    seed_checklist_review,
    start_from_dm,
    submit_section,
    title_of,
)
from conftest import RunningBot, SettableClock
from nudge_helpers import outbox_waiting


def agree(_: str) -> Answer:
    return Answer.AGREE


def test_invite_sends_each_stakeholder_a_direct_message_with_a_start_button(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    for user in ("UA", "UB"):
        message = dm_to(fake_slack, user)
        rendered = json.dumps(message["blocks"])
        assert validate_blocks(message["blocks"], "message") == []
        assert "Fife" in rendered and "Roads maintenance" in rendered
        assert "9 December 2026" in rendered  # 14 days after issue, before the pre-meeting
        assert "confidential" in rendered.lower()
        assert ids.CHECKLIST_START in rendered
    fake_slack.wait_for("chat.postMessage", 3)  # and the channel's note
    channel_posts = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL
    ]
    # Everyone in the channel sees the note, peers included: it has no button, and calls
    # the DM's button a button.
    note = json.dumps(channel_posts[-1].args["blocks"])
    assert ids.CHECKLIST_START not in note and '"button"' not in note
    assert "each has a direct message with a button to start" in note
    assert "a link" not in note
    reply = fake_slack.responses[-1].body
    assert reply["response_type"] == "ephemeral"
    assert "<@UA>" in reply["text"] and "<@UB>" in reply["text"]


def test_inviting_again_skips_people_already_invited(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    invite(slack, fake_slack, "UA", "UB")
    assert "Already invited: <@UA>" in fake_slack.responses[-1].body["text"]
    # The invitations go out through the outbox, each conversation in its own lane: wait for
    # both and for nothing left to deliver before counting.
    dm_to(fake_slack, "UA")
    dm_to(fake_slack, "UB")
    wait_until(lambda: outbox_waiting(bot.deps) == 0, "the outbox delivered")
    dms_to_a = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UA"]
    assert len(dms_to_a) == 1


def test_only_the_host_and_improvement_service_can_invite(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    slack.command("/psif", "invite <@UA|ua>", user="UPEER")
    answer = fake_slack.wait_for_responses()[-1].body["text"]
    assert answer.startswith("Only the review's")
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UA"]


def test_invite_without_mentions_explains_how(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    slack.command("/psif", "invite alice", user="UHOST")
    assert "`/psif invite @person" in fake_slack.wait_for_responses()[-1].body["text"]


def test_stakeholder_answers_all_six_sections_and_finishes(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = start_from_dm(slack, fake_slack, "UA")
    titles = []
    for section in CHECKLIST.sections:
        titles.append(title_of(view))
        assert len(view["blocks"]) <= 60
        skip = section.statements[0].id if section.number == 2 else None

        def pick(sid: str, skip: str | None = skip) -> Answer | None:
            return None if sid == skip else Answer.AGREE

        view = submit_section(
            slack,
            view,
            "UA",
            pick,
            comments=("Good team", "More training"),
        )
    assert titles[1] == "Section 2 of 6"
    assert view["callback_id"] == ids.CHECKLIST_SUMMARY_MODAL
    summary = json.dumps(view["blocks"])
    assert "12 of 13 answered" in summary and "2.01" in summary  # the blank is shown
    assert view["submit"]["text"] == "Finish"

    reply = slack.submit_view(view, {}, user="UA")
    assert reply.status == 200
    thanks = fake_slack.wait_for("chat.postMessage", 3)[-1]
    assert thanks.args["channel"] == "UA" and "Thank you" in thanks.args["text"]

    with transaction(bot.deps.sessions) as session:
        rows = session.scalars(select(ChecklistResponse)).all()
        assert len(rows) == 6
        assert sum(len(row.answers) for row in rows) == 60
        assert all("UA" not in row.respondent_key for row in rows)
        participant = session.scalars(select(ChecklistParticipant)).one()
        assert participant.user_id == "UA"
        # Finished is recorded under the key only, never beside the name.
        [done] = session.scalars(select(ChecklistCompletion)).all()
        assert done.respondent_key == rows[0].respondent_key
        # Nothing in the audit trail says what anyone answered.
        assert "agree" not in json.dumps([a.details for a in session.scalars(select(AuditEvent))])


def test_closing_midway_then_resuming_continues_with_answers_kept(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = start_from_dm(slack, fake_slack, "UA")
    view = submit_section(slack, view, "UA", agree)
    view = submit_section(slack, view, "UA", lambda _: Answer.DISAGREE)
    fake_slack.close_view(view["id"])  # the person closes the modal on section 3

    slack.command("/psif", "checklist", user="UA", channel="DUA", channel_name="directmessage")
    resumed = dict(fake_slack.wait_for("views.open", 2)[-1].response["view"])
    assert title_of(resumed) == "Section 3 of 6"

    slack.act_in_view(resumed, ids.CHECKLIST_BACK_BLOCK, user="UA", value="2")
    fake_slack.wait_for("views.update")
    back = fake_slack.views[resumed["id"]]
    assert title_of(back) == "Section 2 of 6"
    radios = [b["element"] for b in back["blocks"] if "stmt_" in b.get("block_id", "")]
    assert radios and all(r["initial_option"]["value"] == "disagree" for r in radios)


def test_a_section_says_once_that_every_statement_is_optional(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = start_from_dm(slack, fake_slack, "UA")
    words = json.dumps([b.get("text") or b.get("elements") for b in view["blocks"]])
    assert words.count("optional") == 1
    assert "Every statement and comment is optional" in words
    statements = [b for b in view["blocks"] if b.get("block_id", "").startswith("stmt_")]
    assert len(statements) == CHECKLIST.sections[0].statement_count
    # Every statement and comment box is an optional input: unanswered ones come back with
    # no selected option and are simply not counted.
    assert all(b["optional"] for b in view["blocks"] if b["type"] == "input")
    summary = submit_section(slack, view, "UA", lambda sid: None if sid == "1.02" else agree(sid))
    assert title_of(summary) == "Section 2 of 6"


def test_going_back_keeps_what_was_on_the_page(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = submit_section(slack, start_from_dm(slack, fake_slack, "UA"), "UA", agree)
    inputs = section_inputs(2, lambda _: Answer.STRONGLY_AGREE)
    slack.act_in_view(view, ids.CHECKLIST_BACK_BLOCK, user="UA", inputs=inputs, value="1")
    fake_slack.wait_for("views.update")
    with transaction(bot.deps.sessions) as session:
        staff = session.scalars(
            select(ChecklistResponse).where(ChecklistResponse.section_number == 2)
        ).one()
        assert set(staff.answers.values()) == {"strongly_agree"}


def test_the_same_section_submitted_twice_keeps_one_answer_set_the_latest(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = start_from_dm(slack, fake_slack, "UA")
    submit_section(slack, view, "UA", agree)
    submit_section(slack, view, "UA", lambda _: Answer.DONT_KNOW)
    with transaction(bot.deps.sessions) as session:
        rows = session.scalars(select(ChecklistResponse)).all()
        assert len(rows) == 1
        assert set(rows[0].answers.values()) == {"dont_know"}


def test_concurrent_submissions_from_many_stakeholders_lose_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    users = [f"US{n}" for n in range(8)]
    invite(slack, fake_slack, *users)
    views = {user: start_from_dm(slack, fake_slack, user) for user in users}
    inputs = section_inputs(1, agree)
    replies: list[int] = []

    def submit(user: str) -> None:
        for _ in range(2):  # a double click
            replies.append(slack.submit_view(views[user], inputs, user=user).status)

    threads = [threading.Thread(target=submit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == [200] * 16
    with transaction(bot.deps.sessions) as session:
        rows = session.scalars(select(ChecklistResponse)).all()
        assert len(rows) == 8
        assert len({row.respondent_key for row in rows}) == 8


def test_after_the_closing_date_the_modal_says_it_has_closed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    view = start_from_dm(slack, fake_slack, "UA")
    clock.advance(days=15)
    notice = start_from_dm(slack, fake_slack, "UA")
    assert "closed on 9 December 2026" in json.dumps(notice["blocks"])
    assert "submit" not in notice
    # A modal left open past the closing date saves nothing.
    after = slack.submit_view(view, section_inputs(1, agree), user="UA").json()
    assert "closed on" in json.dumps(after["view"]["blocks"])
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistResponse)).all() == []


def test_host_lead_changes_the_closing_date(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps, pre_meeting=date(2027, 2, 5))
    invite(slack, fake_slack, "UA")
    # Fieldwork starts 3 March 2027 and the pre-meeting is on 5 February: papers are due the
    # working day before it, 4 February, so the self-assessment closes by 28 January.
    slack.command("/psif", "checklist close-date 2027-03-01", user="UHOST")
    refused = fake_slack.wait_for_responses(2)[-1].body["text"]
    assert "has to close by 28 January 2027" in refused
    assert "5 working days before the papers are due (4 February 2027" in refused
    slack.command("/psif", "checklist close-date 2027-01-28", user="UHOST")
    answer = fake_slack.wait_for_responses(3)[-1].body["text"]
    assert "now closes on 28 January 2027" in answer
    clock.advance(days=30)
    assert start_from_dm(slack, fake_slack, "UA")["callback_id"] == ids.CHECKLIST_SECTION_MODAL
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistRound)).one().closes_on == date(2027, 1, 28)


def test_a_new_closing_date_changes_what_every_invitation_promises(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps, pre_meeting=date(2027, 2, 5))
    invite(slack, fake_slack, "UA", "UB")
    answer_everything(slack, fake_slack, "UA", agree)
    updates = len(fake_slack.calls_to("chat.update"))
    before = len(fake_slack.responses)
    slack.command("/psif", "checklist close-date 2027-01-28", user="UHOST")
    assert "Each invitation I sent now says so" in str(
        fake_slack.wait_for_responses(before + 1)[-1].body["text"]
    )
    changed = fake_slack.wait_for("chat.update", updates + 2)[updates:]
    said = {
        str(c.args["channel"]): json.dumps(c.args["blocks"], ensure_ascii=False) for c in changed
    }
    promise = "until 28 January 2027, unless a lead closes it sooner"
    assert all(promise in text and "9 December" not in text for text in said.values())
    # UA has finished (their DM offers to review their answers), UB has not (to start).
    done, invitation = (said[dm_to(fake_slack, user)["channel"]] for user in ("UA", "UB"))
    assert "Review your answers" in done and "Start self-assessment" in invitation


def test_only_the_host_lead_can_change_the_closing_date_and_dates_are_checked(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    # Permission comes before the date: a past date from someone who can't act is refused.
    slack.command("/psif", "checklist close-date 2026-11-01", user="UH2")
    assert "Only the review's host lead" in fake_slack.wait_for_responses(1)[-1].body["text"]
    slack.command("/psif", "checklist close-date 31/13/2027", user="UHOST")
    assert "`31/12/2026`, `31 Dec 2026`" in fake_slack.wait_for_responses(2)[-1].body["text"]
    slack.command("/psif", "checklist close-date 2026-11-01", user="UHOST")
    assert "already passed" in fake_slack.wait_for_responses(3)[-1].body["text"]
    slack.command("/psif", "checklist close-date 1/2/27", user="UHOST")  # a UK date
    fake_slack.wait_for_responses(4)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistRound)).one().closes_on == date(2027, 2, 1)


def test_people_not_invited_are_told_so(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    slack.command("/psif", "checklist", user="UPEER")
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    assert title_of(view) == "Not invited"


def test_checklist_in_a_dm_without_any_invitation_explains(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    slack.command("/psif", "checklist", user="UZ", channel="DUZ", channel_name="directmessage")
    assert "haven't been invited" in fake_slack.wait_for_responses()[-1].body["text"]


def test_status_shows_completion_and_names_nobody_not_even_to_the_host_lead(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    answer_everything(slack, fake_slack, "UA", agree)
    for number, user in enumerate(("UHOST", "UIS", "UPEER"), start=2):
        slack.command("/psif", "status", user=user)
        shown = json.dumps(fake_slack.wait_for_responses(number)[-1].body)
        assert "1 of 2 invited have finished" in shown
        assert "<@UA>" not in shown and "<@UB>" not in shown


def test_every_section_modal_fits_slacks_limits() -> None:
    from bot.self_assessment.views import build_section_modal

    for section in CHECKLIST.sections:
        view = build_section_modal(
            checklist=CHECKLIST,
            section_number=section.number,
            review_id=1,
            host_council="Dumfries and Galloway",
            closes_on=date(2027, 3, 1),
            saved=None,
        )
        assert validate_view(view, "modal") == []
        assert len(view["blocks"]) <= 50  # well under the 100 allowed


def test_pre_work_stage_gaps_report_self_assessment_progress(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    answer_everything(slack, fake_slack, "UA", agree)
    with transaction(bot.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        set_stage(
            session=session,
            review=review,
            expected=Stage.GETTING_READY,
            stage=Stage.PRE_WORK,
            actor_id="UHOST",
            now=bot.deps.now(),
        )
    before = len(fake_slack.responses)
    slack.command("/psif", "status", user="UH2")
    status = json.dumps(fake_slack.wait_for_responses(before + 1)[-1].body["blocks"])
    assert "Self-assessment still open: 1 of 2 responded, closes 9 December 2026." in status


def test_help_lists_the_self_assessment_commands(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    slack.command("/psif", "help", user="UA")
    rendered = json.dumps(fake_slack.wait_for_responses()[-1].body)
    for usage in ("/psif invite", "/psif checklist", "/psif results", "/afi import"):
        assert usage in rendered


def test_someone_invited_to_two_reviews_chooses_which_to_answer(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    seed_checklist_review(bot.deps, channel="COTHER", host_council="Angus")
    invite(slack, fake_slack, "UA")
    before = len(fake_slack.responses)
    slack.command("/psif", "invite <@UA|ua>", user="UHOST", channel="COTHER")
    fake_slack.wait_for_responses(before + 1)
    slack.command("/psif", "checklist", user="UA", channel="DUA", channel_name="directmessage")
    choice = fake_slack.wait_for_responses(before + 2)[-1].body
    buttons = [e["text"]["text"] for b in choice["blocks"] for e in b.get("elements", [])]
    assert sorted(buttons) == ["Angus", "Fife"]
    assert fake_slack.calls_to("views.open") == []


def test_a_new_closing_date_is_announced_in_the_channel(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    slack.command("/psif", "checklist close-date 2026-12-20", user="UHOST")
    fake_slack.wait_for_responses()
    note = fake_slack.wait_for("chat.postMessage")[-1]
    assert note.args["channel"] == CHANNEL
    assert note.args["text"] == "<@UHOST> set the self-assessment to close on 20 December 2026."


def test_leaving_the_last_section_by_back_then_finishing_counts_as_finished(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    view = start_from_dm(slack, fake_slack, "UA")
    for _ in CHECKLIST.sections[:-1]:
        view = submit_section(slack, view, "UA", agree)
    # On the last section the person answers, then goes back instead of pressing Next.
    slack.act_in_view(
        view, ids.CHECKLIST_BACK_BLOCK, user="UA", inputs=section_inputs(6, agree), value="5"
    )
    fake_slack.wait_for("views.update")
    fake_slack.close_view(view["id"])

    slack.command("/psif", "checklist", user="UA", channel="DUA", channel_name="directmessage")
    summary = dict(fake_slack.wait_for("views.open", 2)[-1].response["view"])
    assert summary["callback_id"] == ids.CHECKLIST_SUMMARY_MODAL
    assert slack.submit_view(summary, {}, user="UA").status == 200
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(ChecklistCompletion)).all()) == 1


def test_finishing_after_the_closing_date_says_it_has_closed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    summary = answer_everything(slack, fake_slack, "UA", agree)
    clock.advance(days=15)
    reply = slack.submit_view(summary, {}, user="UA").json()
    assert reply["response_action"] == "update"
    assert "closed on 9 December 2026" in json.dumps(reply["view"]["blocks"])
    assert validate_view(reply["view"], "modal") == []


def test_an_expired_trigger_on_the_home_tab_button_is_explained_by_direct_message(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    slack.open_home("UA")
    fake_slack.wait_for("views.publish")
    fake_slack.fail_next("views.open", "expired_trigger_id")
    before = len(fake_slack.calls_to("chat.postMessage"))
    assert slack.click_in_home(ids.CHECKLIST_START, user="UA").status == 200
    message = fake_slack.wait_for("chat.postMessage", before + 1)[-1]
    assert message.args["channel"] == "UA"
    assert message.args["text"] == TOO_SLOW
