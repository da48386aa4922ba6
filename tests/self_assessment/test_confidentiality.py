"""Confidential by construction (issue 17): what a database reader, a curious lead or a
public channel can learn about who answered what in the self-assessment."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, text

from bot.core.checklist import Answer
from bot.core.responses import respondent_key
from bot.slack import ids
from storage.db import transaction
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)

from action_helpers import wait_until
from checklist_helpers import (
    CHANNEL,
    answer_everything,
    close_early,
    dm_to,
    invite,
    section_inputs,
    seed_checklist_review,
    start_from_dm,
    submit_section,
    title_of,
)
from conftest import SIGNING_SECRET, RunningBot, SettableClock, TestDatabase
from fake_slack import FakeSlack
from slack_driver import SlackDriver


def agree(_: str) -> Answer:
    return Answer.AGREE


def reply_text(fake: FakeSlack, before: int) -> str:
    return json.dumps(fake.wait_for_responses(before + 1)[-1].body)


def participants_table(bot: RunningBot) -> list[tuple[Any, ...]]:
    with transaction(bot.deps.sessions) as session:
        return [
            (p.id, p.review_id, p.user_id, p.invited_by, p.invited_at)
            for p in session.scalars(select(ChecklistParticipant).order_by(ChecklistParticipant.id))
        ]


def row_writers(db: TestDatabase) -> list[str]:
    """PostgreSQL: the transaction that last wrote each participant row."""
    if db.backend != "postgresql":
        return []
    with db.engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT xmin::text FROM checklist_participants ORDER BY id")
            ).scalars()
        )


def test_answering_and_finishing_never_write_anything_that_names_the_person(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    before, writers = participants_table(bot), row_writers(db)
    answer_everything(slack, fake_slack, "UA", agree)
    assert participants_table(bot) == before
    assert row_writers(db) == writers  # not even rewritten with the same values
    with transaction(bot.deps.sessions) as session:
        assert not hasattr(ChecklistParticipant, "finished_at")
        [done] = session.scalars(select(ChecklistCompletion)).all()
        keys = set(session.scalars(select(ChecklistResponse.respondent_key)))
        assert keys == {done.respondent_key}


def test_keys_cannot_be_recomputed_from_the_signing_secret(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    submit_section(slack, start_from_dm(slack, fake_slack, "UA"), "UA", agree)
    with transaction(bot.deps.sessions) as session:
        salt = session.scalars(select(ChecklistRound.key_salt)).one()
        stored = session.scalars(select(ChecklistResponse.respondent_key)).one()
    assert stored != respondent_key(SIGNING_SECRET.encode(), salt, "UA")
    assert stored == respondent_key(bot.deps.respondent_secret, salt, "UA")


def test_storage_order_does_not_record_the_order_people_answered_in(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    seed_checklist_review(bot.deps)
    users = ["UA", "UB", "UC", "UD", "UE"]
    invite(slack, fake_slack, *users)
    for user in users:
        submit_section(slack, start_from_dm(slack, fake_slack, user), user, agree)
    keys = _keys(bot)
    assert len(keys) == 5
    if db.backend != "sqlite":
        return  # PostgreSQL keeps no row order; closing seals answers (the next test)
    with db.engine.connect() as connection:
        # Rows live in key order (WITHOUT ROWID), whatever order they were written in.
        stored = connection.execute(text("SELECT respondent_key FROM checklist_responses"))
        assert list(stored.scalars()) == sorted(keys)
        for table in ("checklist_responses", "checklist_completions"):
            sql = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table}
            ).scalar_one()
            assert "WITHOUT ROWID" in sql.upper()


def _keys(bot: RunningBot) -> list[str]:
    with transaction(bot.deps.sessions) as session:
        return list(session.scalars(select(ChecklistResponse.respondent_key)))


def test_closing_seals_answers_so_no_transaction_links_a_row_to_the_moment_it_was_saved(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC")
    answer_everything(slack, fake_slack, "UA", agree)
    answer_everything(slack, fake_slack, "UB", agree)
    close_early(slack, fake_slack)
    with transaction(bot.deps.sessions) as session:
        round_ = session.scalars(select(ChecklistRound)).one()
        assert round_.closed_at is not None and round_.sealed_at is not None
    if db.backend == "postgresql":
        with db.engine.connect() as connection:
            writers = connection.execute(
                text(
                    "SELECT count(DISTINCT xmin::text) FROM ("
                    "SELECT xmin FROM checklist_responses UNION ALL "
                    "SELECT xmin FROM checklist_completions) AS rows"
                )
            ).scalar_one()
            participant_writers = set(
                connection.execute(text("SELECT xmin::text FROM checklist_participants"))
                .scalars()
                .all()
            )
            answer_writers = set(
                connection.execute(text("SELECT xmin::text FROM checklist_responses"))
                .scalars()
                .all()
            )
        assert writers == 1  # every answer and completion rewritten in one transaction
        assert not participant_writers & answer_writers


def test_results_wait_for_the_close_and_only_the_count_is_shown_before(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD")
    for user in ("UA", "UB", "UC"):
        answer_everything(slack, fake_slack, user, agree)
    for command in ("results", "results export"):
        before = len(fake_slack.responses)
        slack.command("/psif", command, user="UHOST")
        answer = reply_text(fake_slack, before)
        assert "open until 9 December 2026" in answer
        assert "3 of 4 invited have finished" in answer
    assert fake_slack.calls_to("files.completeUploadExternal") == []
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if "results" in c.args["text"]]


def test_it_stays_open_when_the_last_person_finishes_and_says_so_everywhere_when_a_lead_closes_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE")
    for user in ("UA", "UB", "UD", "UE"):
        answer_everything(slack, fake_slack, user, agree)
    # A finished person reopens theirs and goes to change section 1, leaving it open.
    review_screen = start_from_dm(slack, fake_slack, "UA")
    slack.act_in_view(review_screen, f"{ids.CHECKLIST_SUMMARY_ROW}1", user="UA", value="1")
    fake_slack.wait_for("views.update")
    view = {**fake_slack.views[review_screen["id"]], "id": review_screen["id"]}
    assert title_of(view) == "Section 1 of 6"
    summary = answer_everything(slack, fake_slack, "UC", agree)
    assert slack.submit_view(summary, {}, user="UC").status == 200
    # The thanks goes to UC after the acknowledgement, following the invitation DM.
    wait_until(
        lambda: (
            len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UC"])
            > 1
        ),
        "the thanks to UC",
    )
    to_uc = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UC"]
    promise = "until 9 December 2026, unless a lead closes it sooner"
    # What each was told on being invited, and again on finishing, still holds.
    assert promise in to_uc[0].args["text"] and promise in to_uc[-1].args["text"]
    assert "has closed" not in to_uc[-1].args["text"]
    assert title_of(start_from_dm(slack, fake_slack, "UB")) == "Check your answers"  # open
    before = len(fake_slack.responses)
    slack.command("/psif", "status", user="UHOST")
    status = json.dumps(fake_slack.wait_for_responses(before + 1)[-1].body)
    assert "5 of 5 invited have finished" in status and "/psif checklist close" in status
    # A lead closes it sooner: every invitation DM now says so, with no button left.
    updates = len(fake_slack.calls_to("chat.update"))
    close_early(slack, fake_slack)
    changed = fake_slack.wait_for("chat.update", updates + 5)[updates:]
    assert len({c.args["channel"] for c in changed}) == 5
    for call in changed:
        said = json.dumps(call.args["blocks"])
        assert "was closed early by a lead" in said and "button" not in said
        assert "9 December" not in said
    # UA's open modal saves nothing now, and a new attempt says it has closed.
    after = slack.submit_view(view, section_inputs(1, lambda _: Answer.DISAGREE), user="UA")
    assert "was closed early by a lead" in json.dumps(after.json()["view"])
    assert title_of(start_from_dm(slack, fake_slack, "UB")) == "Self-assessment closed"
    with transaction(bot.deps.sessions) as session:
        saved = session.scalars(select(ChecklistResponse.answers)).all()
        assert all(set(answers.values()) == {"agree"} for answers in saved)
    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")
    posts = fake_slack.calls_to("chat.postMessage")
    results = [c for c in posts if c.args["text"].startswith("Fife self-assessment results")]
    assert "5 of 5 invited have finished" in results[0].args["text"]


def test_once_results_are_shown_it_cannot_be_reopened_or_added_to(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE", "UF")
    for user in ("UA", "UB", "UC", "UD", "UE"):
        answer_everything(slack, fake_slack, user, agree)
    assert "closed" in close_early(slack, fake_slack, by="UIS")
    slack.command("/psif", "results", user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")
    before = len(fake_slack.responses)
    slack.command("/psif", "checklist close-date 2026-12-20", user="UHOST")
    assert "Results have already been shown" in reply_text(fake_slack, before)
    slack.command("/psif", "invite <@UG|ug>", user="UHOST")
    assert "Results have already been shown" in reply_text(fake_slack, before + 1)
    assert title_of(start_from_dm(slack, fake_slack, "UF")) == "Self-assessment closed"


def test_closing_early_needs_a_lead_and_a_confirmation(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    before = len(fake_slack.responses)
    slack.command("/psif", "checklist close", user="UH2")
    assert "Only the review's host lead or Improvement Service lead" in reply_text(
        fake_slack, before
    )
    slack.command("/psif", "checklist close", user="UHOST")
    confirmation = fake_slack.wait_for_responses(before + 2)[-1].body
    assert "0 of 2 invited have finished" in json.dumps(confirmation)
    slack.click_in_message(
        confirmation,
        ids.CHECKLIST_CLOSE_CANCEL,
        user="UHOST",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    assert "stays open" in reply_text(fake_slack, before + 2)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistRound.closed_at)).one() is None
    posted = len(fake_slack.calls_to("chat.postMessage"))
    note = close_early(slack, fake_slack)
    assert "closed" in note
    announced = fake_slack.wait_for("chat.postMessage", posted + 1)[-1]
    assert announced.args["channel"] == CHANNEL and "closed" in announced.args["text"]


def test_results_are_refused_in_a_public_channel_and_the_self_assessment_stays_reopenable(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    fake_slack.set_channel(CHANNEL, is_private=False)
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD")
    for user in ("UA", "UB", "UC"):
        answer_everything(slack, fake_slack, user, agree)
    close_early(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/psif", "results", user="UHOST")
    answer = reply_text(fake_slack, before)
    assert "public channel" in answer and "private" in answer
    assert fake_slack.last("conversations.info").args["channel"] == CHANNEL
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if "results" in c.args["text"]]
    assert fake_slack.calls_to("files.completeUploadExternal") == []
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistRound.results_released_at)).one() is None


def test_start_warns_before_a_review_is_opened_in_a_public_channel(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    fake_slack.set_channel("CPUBLIC", is_private=False)
    slack.command("/psif", "start", user="UHOST", channel="CPUBLIC")
    warning = reply_text(fake_slack, 0)
    assert "public channel" in warning and "<#CPUBLIC>" in warning
    assert len(fake_slack.calls_to("views.open")) == 1  # the form still opens
    slack.command("/psif", "start", user="UHOST", channel="CPRIVATE")
    fake_slack.wait_for("views.open", 2)
    fake_slack.wait_for("conversations.info", 2)
    assert len(fake_slack.responses) == 1  # no warning for the private channel


def test_reminders_go_only_to_those_whose_computed_key_has_not_finished(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    from datetime import UTC, datetime

    from nudge_helpers import run_at

    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC")
    answer_everything(slack, fake_slack, "UA", agree)
    run_at(bot.deps, fake_slack, datetime(2026, 12, 4, 9, 0, tzinfo=UTC))  # 3 working days
    reminded = [
        c.args["channel"]
        for c in fake_slack.calls_to("chat.postMessage")
        if "Reminder" in c.args.get("text", "")
    ]
    assert sorted(reminded) == ["UB", "UC"]
    assert "UA" not in str(dm_to(fake_slack, "UB")["blocks"])
