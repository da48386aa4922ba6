"""`/psif fieldwork`: planning sessions in a modal, the schedule message updated in place,
each runner's sessions by DM, edits, moves and cancellations, and who may do what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.slack import ids
from storage.db import transaction
from storage.models.fieldwork import FieldworkSession

from action_helpers import CHANNEL, wait_until
from afi_helpers import responses_to
from conftest import RunningBot
from fake_slack import FakeSlack, validate_blocks, validate_view
from fieldwork_helpers import (
    answer_to,
    dms_to,
    open_view_by_command,
    seed_fieldwork_review,
    session_form,
    wait_for_dm,
)
from helpers import wait_until_delivered
from slack_driver import SlackDriver


def schedule(fake: FakeSlack) -> dict[str, Any]:
    [message] = [m for m in fake.messages_in(CHANNEL) if "Fieldwork schedule" in m["text"]]
    return message


def plan(slack: SlackDriver, fake: FakeSlack, **overrides: Any) -> None:
    view = open_view_by_command(slack, fake, "/psif", "fieldwork plan")
    reply = slack.submit_view(view, session_form(**overrides), user="UHOST")
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body


def afi_option_values(view: dict[str, Any]) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.FIELDWORK_AFIS)
    return [option["value"] for option in block["element"]["options"]]


def test_a_lead_plans_a_session_and_the_schedule_and_runners_hear_of_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    assert validate_view(view, "modal") == []
    # Only the prioritised areas, best ranked first.
    assert afi_option_values(view) == [str(seeded.afis["budget"]), str(seeded.afis["complaints"])]
    reply = slack.submit_view(
        view, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UHOST"
    )
    assert reply.body in (b"", b"{}"), reply.body
    wait_until(
        lambda: any("Fieldwork schedule" in m["text"] for m in fake_slack.messages_in(CHANNEL)),
        "schedule",
    )
    posted = str(schedule(fake_slack)["blocks"])
    assert "Thursday 4 March 2027" in posted and "10:00–11:30" in posted
    assert "Depot supervisors from the three areas (6)" in posted and "AFI 3" in posted
    assert validate_blocks(schedule(fake_slack)["blocks"], "message") == []
    for runner in ("UPEER", "UIS"):
        [dm] = wait_for_dm(fake_slack, runner)
        assert "Budget planning is annual only" in str(dm["blocks"])
        assert ids.FINDING_ADD in str(dm["blocks"])


def test_a_second_session_and_a_move_update_the_one_schedule_message_in_place(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    afi = str(seeded.afis["complaints"])
    plan(slack, fake_slack, fw_afis=[afi])
    wait_for_dm(fake_slack, "UPEER")
    plan(
        slack,
        fake_slack,
        fw_afis=[afi],
        fw_kind="interview",
        fw_participants="The head of roads",
        fw_count="1",
        fw_runners=["UH2"],
    )
    wait_until(lambda: "The head of roads" in str(schedule(fake_slack)["blocks"]), "the update")
    assert len(fake_slack.calls_to("chat.update")) == 1
    # Move the interview to the Wednesday from the plan's Edit button.
    listing = answer_to(slack, fake_slack, "/psif", "fieldwork", user="UHOST")
    interview = next(
        element["value"]
        for block in listing["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == ids.FIELDWORK_EDIT
    )
    before = len(fake_slack.calls_to("views.open"))
    slack.click_in_message(
        listing,
        ids.FIELDWORK_EDIT,
        user="UHOST",
        channel=CHANNEL,
        value=interview,
        response_url=fake_slack.new_response_url(),
    )
    edit = fake_slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    reply = slack.submit_view(edit, {"fw_day": "2027-03-03"}, user="UHOST")
    assert reply.body in (b"", b"{}"), reply.body
    wait_until(lambda: len(fake_slack.calls_to("chat.update")) == 2, "the move")
    moved = str(schedule(fake_slack)["blocks"])
    assert moved.index("Wednesday 3 March 2027") < moved.index("The head of roads")
    assert "moved" not in moved  # the schedule is a plan, not a log
    assert (
        len([m for m in fake_slack.messages_in(CHANNEL) if "Fieldwork schedule" in m["text"]]) == 1
    )


def test_cancelling_takes_the_session_off_and_tells_its_runners(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    plan(slack, fake_slack, fw_afis=[str(seeded.afis["budget"])])
    wait_for_dm(fake_slack, "UPEER")
    listing = answer_to(slack, fake_slack, "/psif", "fieldwork", user="UIS")
    slack.click_in_message(
        listing,
        ids.FIELDWORK_CANCEL,
        user="UIS",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    [_, cancelled] = wait_for_dm(fake_slack, "UPEER", count=2)
    assert "cancelled Session 1" in cancelled["text"] or "cancelled Session 1" in str(
        cancelled["blocks"]
    )
    assert "You aren't running any sessions now" in str(cancelled["blocks"])
    wait_until(lambda: "cancelled" in str(schedule(fake_slack)["blocks"]), "the schedule")


def test_a_day_outside_fieldwork_is_refused_inline_and_nothing_is_posted(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    reply = slack.submit_view(
        view,
        session_form(fw_day="2027-03-08", fw_afis=[str(seeded.afis["budget"])]),
        user="UHOST",
    )
    errors = reply.json()["errors"]
    assert errors == {
        "fw_day": "8 March 2027 is outside fieldwork (3 to 5 March 2027). Choose a day within it."
    }
    assert fake_slack.messages_in(CHANNEL) == []


def test_participants_are_a_group_never_a_named_person(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    reply = slack.submit_view(
        view,
        session_form(
            fw_participants="@jane.smith and two supervisors",
            fw_count="three",
            fw_runners=["UHOST", "USTAKE"],
            fw_afis=[str(seeded.afis["budget"])],
        ),
        user="UHOST",
    )
    errors = reply.json()["errors"]
    assert "never by name" in errors["fw_participants"]
    assert "number" in errors["fw_count"]
    assert "<@USTAKE> isn't on it" in errors["fw_runners"]


def test_only_leads_plan_and_only_the_team_sees_the_plan(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    answer = answer_to(slack, fake_slack, "/psif", "fieldwork plan", user="UPEER")
    assert "Only the review's host lead or Improvement Service lead" in str(answer)
    shown = str(answer_to(slack, fake_slack, "/psif", "fieldwork", user="UPEER"))
    assert "Fieldwork plan" in shown and ids.FIELDWORK_PLAN not in shown
    answer = answer_to(slack, fake_slack, "/psif", "fieldwork", user="USTAKE")
    assert "can record or read findings" in str(answer)
    assert fake_slack.calls_to("views.open") == []


def test_without_fieldwork_dates_the_form_says_to_agree_them_first(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions, fieldwork_start=None, fieldwork_end=None)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    reply = slack.submit_view(
        view, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UHOST"
    )
    assert "no fieldwork dates yet" in reply.json()["errors"]["fw_day"]
    assert dms_to(fake_slack, "UPEER") == []


def test_the_same_session_form_delivered_twice_plans_one_session_and_says_so_once(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    form = session_form(fw_afis=[str(seeded.afis["budget"])])
    replies = [slack.submit_view(view, form, user="UHOST") for _ in range(2)]
    assert all(reply.body in (b"", b"{}") for reply in replies)
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count(FieldworkSession.id))) == 1
    saved = [p for p in fake_slack.responses if str(p.body.get("text", "")).startswith("Saved:")]
    assert len(saved) == 1


def test_forged_values_on_fieldwork_finding_and_report_controls_get_a_clear_answer(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    clicks: list[tuple[str, dict[str, Any]]] = [
        (ids.FIELDWORK_PLAN, {"value": "x"}),
        (ids.FIELDWORK_EDIT, {"value": "99999999999999999999"}),
        (ids.FIELDWORK_CANCEL, {"value": ""}),
        (ids.FINDING_ADD, {"value": "vote:1"}),
        (ids.FINDING_MANAGE, {"selected_option": {"value": "edit:abc"}}),
        (ids.REPORT_COMMENT, {"value": "-3"}),
        (ids.REPORT_RESOLVE, {"value": "1:2"}),
        (ids.REPORT_DRAFT_ANYWAY, {"value": "review"}),
        (ids.REPORT_FINAL_CONFIRM, {"value": "1.5"}),
        (ids.FINDING_MANAGE, {"selected_option": {"value": "share:x"}}),
    ]
    for number, (action_id, fields) in enumerate(clicks, start=1):
        url = fake_slack.new_response_url()
        reply = slack.post_interaction(
            {
                "type": "block_actions",
                "user": {"id": "UHOST", "team_id": "T0001"},
                "team": {"id": "T0001"},
                "trigger_id": fake_slack.issue_trigger_id(),
                "response_url": url,
                "container": {"type": "message", "channel_id": CHANNEL},
                "channel": {"id": CHANNEL},
                "actions": [{"action_id": action_id, "block_id": "b", "type": "button", **fields}],
            }
        )
        assert reply.status == 200, action_id
        assert "out of date" in responses_to(fake_slack, url)[0]["text"], action_id
        assert len(fake_slack.responses) == number
    assert fake_slack.calls_to("views.open") == []
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count(FieldworkSession.id))) == 0


def test_a_forged_session_form_is_refused_on_the_form_and_nothing_is_planned(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    forged = {**view, "private_metadata": '{"review_id": "not a number"}'}
    reply = slack.submit_view(
        forged, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UHOST"
    )
    assert "out of date" in reply.json()["errors"][ids.FIELDWORK_KIND]
    someone_else = slack.submit_view(
        view, session_form(fw_afis=[str(seeded.afis["budget"])]), user="UPEER"
    )
    assert "Only the review's host lead" in someone_else.json()["errors"][ids.FIELDWORK_KIND]
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count(FieldworkSession.id))) == 0
