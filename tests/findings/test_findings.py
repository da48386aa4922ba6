"""Findings against AFIs: `/afi note`, "Add a finding" on a session, `/afi show`, refusals of
mentions and of people outside the team, and findings following their AFI through a merge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.models.findings import ActionOption, Finding
from storage.models.reviews import AuditEvent
from storage.repositories.afis import merge_afis

from action_helpers import CHANNEL, action_form, log_action, open_log_modal, wait_until
from afi_helpers import responses_to
from conftest import RunningBot, SettableClock
from fake_slack import FakeSlack, validate_blocks, validate_view
from fieldwork_helpers import (
    answer_to,
    findings,
    note,
    open_view_by_command,
    seed_fieldwork_review,
    session_form,
    wait_for_dm,
)
from slack_driver import SlackDriver


def response_with(fake: FakeSlack, text: str) -> dict[str, Any]:
    """The first response_url post whose blocks contain `text`, waiting for it."""
    found: list[dict[str, Any]] = []

    def arrived() -> bool:
        found[:] = [post.body for post in fake.responses if text in str(post.body.get("blocks"))]
        return bool(found)

    wait_until(arrived, f"a response containing {text!r}")
    return found[0]


def test_afi_note_opens_the_form_filled_in_and_records_the_finding(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(
        slack, fake_slack, "/afi", "note 2 Complaints data sits in 3 systems", user="UPEER"
    )
    text = next(b for b in view["blocks"] if b.get("block_id") == ids.FINDING_TEXT)
    assert text["element"]["initial_value"] == "Complaints data sits in 3 systems"
    assert "AFI 2" in str(view["blocks"][0])  # the area is fixed, not chosen
    reply = slack.submit_view(
        view, {"finding_kind": "concern", "finding_source": "data"}, user="UPEER"
    )
    assert reply.body in (b"", b"{}"), reply.body
    [row] = findings(bot)
    assert (row.afi_id, row.kind, row.source, row.text) == (
        seeded.afis["complaints"],
        "concern",
        "data",
        "Complaints data sits in 3 systems",
    )
    recorded = "Recorded finding 1 (concern) against AFI 2"
    wait_until(lambda: any(recorded in p.body["text"] for p in fake_slack.responses), recorded)
    with transaction(bot.deps.sessions) as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "finding.recorded")
        ).one()
        assert "Complaints data" not in str(audit.details)


def test_a_finding_that_mentions_someone_is_refused_with_the_reason(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    text = "note 2 <@U123ABC|jane> says complaints are ignored"
    assert (
        "can't mention people" in answer_to(slack, fake_slack, "/afi", text, user="UPEER")["text"]
    )
    assert fake_slack.calls_to("views.open") == []
    body = note(
        slack,
        fake_slack,
        "2",
        {
            "finding_kind": "concern",
            "finding_source": "observation",
            "finding_text": "As @jane said, nobody reads them",
        },
    )
    assert "can't mention people" in body.decode()
    assert findings(bot) == []


def test_people_outside_the_review_team_cannot_record_or_read_findings(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    answer = answer_to(slack, fake_slack, "/afi", "note 2 Something", user="USTAKE")
    assert "can record or read findings" in str(answer)
    answer = answer_to(slack, fake_slack, "/afi", "show 2", user="USTAKE")
    assert "can record or read findings" in str(answer)
    answer = answer_to(slack, fake_slack, "/afi", "note 4 Something", user="UPEER")
    assert "withdrawn" in str(answer)
    answer = answer_to(slack, fake_slack, "/afi", "note 9 Something", user="UPEER")
    assert "no area for improvement 9" in str(answer)


def test_add_a_finding_from_a_session_names_the_session_not_the_people(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    slack.submit_view(view, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UHOST")
    [dm] = wait_for_dm(fake_slack, "UPEER")
    before = len(fake_slack.calls_to("views.open"))
    slack.click_in_message(dm, ids.FINDING_ADD, user="UPEER", channel="UPEER")
    form = fake_slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    source = next(b for b in form["blocks"] if b.get("block_id") == ids.FINDING_SOURCE)
    assert source["element"]["initial_option"]["value"].startswith("session:")
    clock.set(datetime(2027, 3, 4, 17, tzinfo=UTC))  # after the focus group
    reply = slack.submit_view(
        form,
        {"finding_kind": "option", "finding_text": "Angus moved to a two-year budget cycle"},
        user="UPEER",
    )
    assert reply.body in (b"", b"{}"), reply.body
    slack.command("/afi", "show 3", user="UPEER", channel=CHANNEL)
    shown = response_with(fake_slack, "Options for improvement")
    rendered = str(shown["blocks"])
    assert "Options for improvement" in rendered and "two-year budget cycle" in rendered
    assert "Focus group, 4 March 2027" in rendered
    assert "Depot supervisors" not in rendered  # who took part is not the source
    assert validate_blocks(shown["blocks"], "message") == []


def test_afi_show_lists_figures_votes_findings_and_actions(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "3 Members value the annual cycle",
        {"finding_kind": "strength", "finding_source": "document"},
    )
    log_action(
        slack, fake_slack, action_afi=str(seeded.afis["budget"]), action_key="Pilot rolling budgets"
    )
    slack.command("/afi", "show 3", user="UIS", channel=CHANNEL)
    shown = str(response_with(fake_slack, "Pilot rolling budgets")["blocks"])
    assert "AFI 3" in shown and "Prioritised (rank 1)" in shown
    assert (
        "Strengths" in shown and "Members value the annual cycle" in shown and "A document" in shown
    )
    assert "Action 1: Pilot rolling budgets" in shown
    assert ids.FINDING_ADD in shown


def test_findings_follow_their_afi_when_it_is_merged(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "1 Asset register last updated 2019",
        {"finding_kind": "concern", "finding_source": "data"},
    )
    with transaction(bot.deps.sessions) as session:
        review = get_review(session=session, review_id=seeded.review_id)
        assert review is not None
        merge_afis(
            session=session,
            review_id=review.id,
            source_id=seeded.afis["assets"],
            target_id=seeded.afis["budget"],
            now=bot.deps.now(),
        )
    slack.command("/afi", "show 3", user="UPEER", channel=CHANNEL)
    shown = str(response_with(fake_slack, "Asset register")["blocks"])
    assert "Asset register last updated 2019" in shown and "merged areas 1" in shown
    answer = answer_to(slack, fake_slack, "/afi", "note 1 More", user="UPEER")
    assert "merged into area 3" in str(answer)


def test_the_action_form_offers_the_afis_options_and_the_report_shows_which_were_taken_forward(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    budget = str(seeded.afis["budget"])
    note(
        slack,
        fake_slack,
        "3 Adopt a two-year budget cycle",
        {"finding_kind": "option", "finding_source": "observation"},
    )
    with transaction(bot.deps.sessions) as session:
        option_id = str(session.scalars(select(Finding.id)).one())
    view = open_log_modal(slack, fake_slack)
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.ACTION_OPTION)
    assert block["element"]["option_groups"][0]["label"]["text"] == "AFI 3"
    wrong = slack.submit_view(
        view,
        action_form(action_afi=str(seeded.afis["complaints"]), action_option=option_id),
        user="UHOST",
    )
    assert "belongs to AFI 3" in wrong.json()["errors"][ids.ACTION_OPTION]
    right = slack.submit_view(
        view, action_form(action_afi=budget, action_option=option_id), user="UHOST"
    )
    assert right.body in (b"", b"{}"), right.body
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ActionOption.finding_id)).one() == int(option_id)
    clock.set(datetime(2027, 3, 15, 10, tzinfo=UTC))  # the report follows fieldwork
    slack.command("/psif", "report", user="UHOST", channel=CHANNEL)

    def uploaded() -> bool:
        return any(f.completed and f.filename.endswith(".md") for f in fake_slack.files.values())

    wait_until(uploaded, "the report's upload")
    markdown = next(
        f for f in fake_slack.files.values() if f.completed and f.filename.endswith(".md")
    )
    assert "Adopt a two-year budget cycle (An observation; taken forward in action 1)" in (
        (markdown.content or b"").decode()
    )


def test_a_finding_from_a_session_still_to_come_is_recorded_only_with_do_it_anyway(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    slack.submit_view(view, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UHOST")
    wait_for_dm(fake_slack, "UPEER")
    form = open_view_by_command(slack, fake_slack, "/afi", "note 3", user="UPEER")
    session_value = next(
        value for value in labels(form, ids.FINDING_SOURCE) if value.startswith("session:")
    )
    inputs = {
        "finding_kind": "concern",
        "finding_source": session_value,
        "finding_text": "Supervisors can't see the backlog",
    }
    reply = slack.submit_view(form, inputs, user="UPEER")
    asked = reply.json()
    assert asked["response_action"] == "push"
    question = asked["view"]
    assert question["callback_id"] == ids.FINDING_EARLY_MODAL
    assert question["submit"]["text"] == "Do it anyway"
    assert "planned for 4 March 2027" in str(question["blocks"])  # what is missing
    assert validate_view(question, "modal") == []
    assert findings(bot) == []  # nothing recorded until they say so
    done = slack.submit_view({**question, "id": "VEARLY", "hash": "h1"}, {}, user="UPEER")
    assert done.json() == {"response_action": "clear"}
    [recorded] = findings(bot)
    assert recorded.text == "Supervisors can't see the backlog"
    assert recorded.fieldwork_session_id is not None
    again = slack.submit_view({**question, "id": "VEARLY", "hash": "h1"}, {}, user="UPEER")
    assert again.json() == {"response_action": "clear"}
    assert len(findings(bot)) == 1  # the same press delivered twice records it once


def labels(view: dict[str, Any], block_id: str) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    groups = element.get("option_groups") or [{"options": element.get("options", [])}]
    return [option["value"] for group in groups for option in group["options"]]


def test_a_lead_marks_a_finding_as_learning_to_share_from_afi_show_or_by_number(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "3 Members value the annual cycle",
        {"finding_kind": "strength", "finding_source": "document"},
    )
    slack.command("/afi", "show 3", user="UIS", channel=CHANNEL)
    shown = response_with(fake_slack, "Members value the annual cycle")
    assert "finding 1" in str(shown["blocks"])
    url = fake_slack.new_response_url()
    slack.click_in_message(
        shown,
        ids.FINDING_MANAGE,
        user="UIS",
        channel=CHANNEL,
        response_url=url,
        value=f"share:{findings(bot)[0].id}",  # the menu offers it to a lead
    )
    assert "Finding 1 is marked as learning to share" in responses_to(fake_slack, url)[0]["text"]
    assert findings(bot)[0].learning_to_share
    again = answer_to(slack, fake_slack, "/afi", "share 1", user="UHOST")
    assert "already marked as learning to share" in again["text"]
    peer = answer_to(slack, fake_slack, "/afi", "share 1 off", user="UPEER")
    assert "Only the review's host lead or Improvement Service lead" in peer["text"]
    assert findings(bot)[0].learning_to_share
    slack.command("/afi", "show 3", user="UPEER", channel=CHANNEL)
    assert "🌟 learning to share" in str(response_with(fake_slack, "🌟")["blocks"])
    off = answer_to(slack, fake_slack, "/afi", "share 1 off", user="UHOST")
    assert "no longer marked as learning to share" in off["text"]
    assert not findings(bot)[0].learning_to_share
    missing = answer_to(slack, fake_slack, "/afi", "share 9", user="UHOST")
    assert "There's no finding 9" in missing["text"]
