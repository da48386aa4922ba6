"""`/psif start` end to end: signed requests in, Slack Web API calls out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.roles import Role
from bot.demo.driver import SlackDriver, sign, view_state
from bot.demo.fake_slack import FakeSlack, validate_view
from storage.db import transaction
from storage.models.reviews import AuditEvent, Review

from conftest import RunningBot, SettableClock

GOOD_FORM: dict[str, Any] = {
    "host_council": "Fife",
    "focus": "Roads maintenance <!channel>",
    "rationale": "LGBF shows we are an outlier on road condition.",
    "host_lead": "UHOST",
    "is_lead": "UIS",
    "host_team": ["UHOST", "UH2"],
    "is_team": ["UIS2"],
    "peer_councils": ["Angus", "Stirling", "Moray"],
    "peer_rationale": "Strong performers in our family group.",
    "initial_meeting": "2026-11-20",
    "fieldwork_start": "2027-03-03",
    "fieldwork_end": "2027-03-05",
}


def open_start_modal(slack: SlackDriver, fake: FakeSlack, **kwargs: Any) -> dict[str, Any]:
    reply, trigger_id, _ = slack.command("/psif", "start", **kwargs)
    assert reply.status == 200
    call = fake.wait_for("views.open")[-1]
    assert call.ok, call.response
    assert call.args["trigger_id"] == trigger_id
    return dict(call.response["view"])


def test_start_opens_the_appendix_1_modal_within_the_trigger_window(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    assert validate_view(view, "modal") == []
    block_ids = {block.get("block_id", "").split(":")[0] for block in view["blocks"]}
    for field in (
        "host_council",
        "focus",
        "rationale",
        "host_lead",
        "is_lead",
        "host_team",
        "is_team",
        "peer_councils",
        "peer_rationale",
        "initial_meeting",
        "fieldwork_start",
        "fieldwork_end",
        "pre_meeting",
        "draft_report",
        "leads_meeting",
        "final_report",
    ):
        assert field in block_ids
    council_select = next(b for b in view["blocks"] if b.get("block_id") == "host_council")
    assert len(council_select["element"]["options"]) == 32


def test_submission_stores_the_review_and_posts_a_summary(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    reply = slack.submit_view(view, GOOD_FORM, user="UHOST")
    assert reply.status == 200
    assert reply.body in (b"", b"{}")
    post = fake_slack.wait_for("chat.postMessage")[-1]
    assert post.args["channel"] == "CREVIEW"
    rendered = str(post.args["blocks"])
    assert "Fife" in rendered
    assert "3 March 2027" in rendered  # fieldwork, UK date format
    assert "17 February 2027" in rendered  # pre-meeting defaulted 2 weeks before
    assert "&lt;!channel&gt;" in rendered and "<!channel>" not in rendered
    with transaction(bot.deps.sessions) as session:
        review = session.scalars(select(Review)).one()
        roles = {(m.user_id, m.role) for m in review.members}
        assert ("UHOST", Role.HOST_LEAD.value) in roles
        assert ("UIS", Role.IS_LEAD.value) in roles
        assert ("UH2", Role.HOST_TEAM.value) in roles
        assert ("UHOST", Role.HOST_TEAM.value) not in roles  # the lead isn't listed twice
        assert [p.council for p in review.peer_councils] == ["Angus", "Stirling", "Moray"]
        assert str(review.draft_report) == "2027-03-19"
        assert session.scalars(select(AuditEvent.action)).all() == ["review.opened"]


def test_bad_input_gets_inline_errors_and_stores_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    bad = GOOD_FORM | {
        "focus": "   ",
        "peer_councils": ["Fife", "Angus"],
        "fieldwork_start": "2027-03-10",
        "fieldwork_end": "2027-03-08",
        "pre_meeting": "2027-03-01",
        "draft_report": "2027-05-20",
    }
    reply = slack.submit_view(view, bad, user="UHOST")
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert "focus" in errors
    assert "peer_councils" in errors and "Fife" in errors["peer_councils"]
    assert "fieldwork_end" in errors
    pre_meeting_block = next(k for k in errors if k.startswith("pre_meeting"))
    assert "2 weeks" in errors[pre_meeting_block]
    live_ids = {b.get("block_id") for b in view["blocks"]}
    assert set(errors) <= live_ids  # errors must name the view's real block_ids
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review)).all() == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_past_fieldwork_is_rejected_but_a_past_initial_meeting_is_fine(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    past = {
        "fieldwork_start": "2026-11-02",
        "fieldwork_end": "2026-11-04",
        "initial_meeting": "2026-10-01",
    }
    reply = slack.submit_view(view, GOOD_FORM | past, user="UHOST")
    errors = reply.json()["errors"]
    assert "past" in errors["fieldwork_start"]
    assert "initial_meeting" not in errors
    assert not any(key.startswith("draft_report") for key in errors)  # follows from fieldwork


def test_late_draft_report_is_allowed_with_the_override(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    late = GOOD_FORM | {"draft_report": "2027-04-20", "leads_meeting": "2027-04-23"}
    first = slack.submit_view(view, late, user="UHOST").json()
    assert any(key.startswith("draft_report") for key in first["errors"])
    assert "Allow dates outside" in str(first["errors"])
    second = slack.submit_view(view, late | {"override": ["allow_outside_guidance"]}, user="UHOST")
    assert second.body in (b"", b"{}")
    fake_slack.wait_for("chat.postMessage")


def test_a_pre_meeting_on_a_scottish_bank_holiday_is_questioned(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    on_holiday = GOOD_FORM | {"pre_meeting": "2026-12-28"}
    errors = slack.submit_view(view, on_holiday, user="UHOST").json()["errors"]
    pre_meeting = next(message for key, message in errors.items() if key.startswith("pre_meeting"))
    assert pre_meeting.startswith(
        "Team pre-meeting falls on Boxing Day (observed), a Scottish bank holiday. "
        "Choose a working day."
    )
    moved = slack.submit_view(view, on_holiday | {"pre_meeting": "2026-12-29"}, user="UHOST")
    assert moved.body in (b"", b"{}")


def test_picking_fieldwork_dates_prefills_the_suggested_dates(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    slack.act_in_view(
        view,
        "fieldwork_start",
        user="UHOST",
        inputs={"fieldwork_start": "2027-03-03"},
        value="2027-03-03",
    )
    update = fake_slack.wait_for("views.update")[-1]
    assert update.ok, update.response
    refreshed = update.response["view"]
    dates = {
        b["block_id"].split(":")[0]: b["element"].get("initial_date")
        for b in refreshed["blocks"]
        if b.get("type") == "input" and b["element"]["type"] == "datepicker"
    }
    assert dates["pre_meeting"] == "2027-02-17"
    assert dates["draft_report"] == "2027-03-19"
    # The suggestions re-follow a later change of fieldwork date.
    slack.act_in_view(
        refreshed,
        "fieldwork_start",
        user="UHOST",
        inputs={"fieldwork_start": "2027-03-10"},
        value="2027-03-10",
    )
    again = fake_slack.wait_for("views.update", count=2)[-1].response["view"]
    dates = {
        b["block_id"].split(":")[0]: b["element"].get("initial_date")
        for b in again["blocks"]
        if b.get("type") == "input" and b["element"]["type"] == "datepicker"
    }
    assert dates["pre_meeting"] == "2027-02-24"


def test_second_start_in_the_same_channel_points_to_status(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    view = open_start_modal(slack, fake_slack)
    slack.submit_view(view, GOOD_FORM, user="UHOST")
    fake_slack.wait_for("chat.postMessage")
    slack.command("/psif", "start")
    response = fake_slack.wait_for_responses()[-1]
    assert "/psif status" in response.body["text"]
    assert len(fake_slack.calls_to("views.open")) == 1


def test_summary_in_a_channel_without_the_bot_explains_how_to_fix_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    fake_slack.set_channel("CPRIVATE", is_member=False)
    view = open_start_modal(slack, fake_slack, channel="CPRIVATE")
    slack.submit_view(view, GOOD_FORM, user="UHOST")
    response = fake_slack.wait_for_responses()[-1]
    assert "saved" in response.body["text"] and "/invite" in response.body["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.channel_id)).all() == ["CPRIVATE"]


def test_bad_or_stale_signature_is_rejected_and_changes_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, clock: SettableClock
) -> None:
    body = b"command=%2Fpsif&text=start&user_id=U1&channel_id=C1&team_id=T0001&trigger_id=x"
    forged = slack.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert forged.status == 401
    import time

    old = str(int(time.time()) - 600)
    stale = slack.post(
        body,
        "application/x-www-form-urlencoded",
        timestamp=old,
        signature=sign("test-signing-secret", old, body),
    )
    assert stale.status == 401
    assert fake_slack.calls_to("views.open") == []


def test_start_in_a_direct_message_explains_where_to_run_it(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/psif", "start", channel="D123", channel_name="directmessage")
    response = fake_slack.wait_for_responses()[-1]
    assert "channel" in response.body["text"]
    assert fake_slack.calls_to("views.open") == []


def test_a_tampered_form_stays_open_with_a_clear_message(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    reply = slack.submit_view(view | {"private_metadata": "{not json"}, GOOD_FORM, user="UHOST")
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "out of date" in " ".join(answer["errors"].values())
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review)).all() == []


def test_the_same_form_submitted_twice_opens_one_review_quietly(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    first = slack.submit_view(view, GOOD_FORM, user="UHOST")
    second = slack.submit_view(view, GOOD_FORM, user="UHOST")
    assert first.body in (b"", b"{}") and second.body in (b"", b"{}")
    fake_slack.wait_for("chat.postMessage")
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(Review)).all()) == 1


def test_org_wide_install_payload_without_team_keeps_the_commands_workspace(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    payload_view = view | {"app_installed_team_id": "T0001"}
    reply = slack.post_interaction(
        {
            "type": "view_submission",
            "team": None,
            "user": {"id": "UHOST", "username": "uhost", "name": "uhost", "team_id": "T0HOME"},
            "api_app_id": "A0PSIF",
            "token": "t",
            "trigger_id": fake_slack.issue_trigger_id(),
            "view": payload_view | {"state": {"values": view_state(view, GOOD_FORM)}},
            "response_urls": [],
            "is_enterprise_install": True,
            "enterprise": {"id": "E0001", "name": "Scottish Councils"},
        }
    )
    assert reply.status == 200
    fake_slack.wait_for("chat.postMessage")
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.team_id)).all() == ["T0001"]


def test_start_in_a_group_dm_explains_where_to_run_it(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/psif", "start", channel="G0MPDM", channel_name="mpdm-uhost--uis-1")
    assert "channel" in fake_slack.wait_for_responses()[-1].body["text"]
    assert fake_slack.calls_to("views.open") == []


def test_summary_that_slack_rejects_still_tells_the_user_the_review_is_saved(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    view = open_start_modal(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", error="invalid_blocks")
    slack.submit_view(view, GOOD_FORM, user="UHOST")
    text = fake_slack.wait_for_responses()[-1].body["text"]
    assert "saved" in text and "/psif status" in text
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(Review)).all()) == 1
