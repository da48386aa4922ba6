"""`/psif peers`: leads record which peer councils were approached, agreed or declined; the
review team sees it; the channel hears only the states; the stage check counts agreements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.slack import ids
from storage.db import transaction
from storage.models.reviews import AuditEvent, PeerCouncil

from checklist_helpers import seed_checklist_review
from conftest import RunningBot
from fake_slack import FakeSlack, validate_view
from helpers import wait_until_delivered
from slack_driver import SlackDriver


def answer(slack: SlackDriver, fake: FakeSlack, text: str, user: str) -> str:
    before = len(fake.responses)
    slack.command("/psif", text, user=user)
    body = fake.wait_for_responses(before + 1)[-1].body
    return f"{body.get('text', '')} {body.get('blocks', '')}"


def open_form(slack: SlackDriver, fake: FakeSlack, user: str = "UIS") -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command("/psif", "peers edit", user=user)
    view: dict[str, Any] = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert validate_view(view, "modal") == []
    return view


def council_ids(bot: RunningBot) -> dict[str, int]:
    with transaction(bot.deps.sessions) as session:
        return {p.council: p.id for p in session.scalars(select(PeerCouncil))}


def channel_posts(fake: FakeSlack) -> list[str]:
    return [
        str(c.args.get("text"))
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("channel") == "CREVIEW"
    ]


def test_a_lead_records_answers_the_team_sees_them_and_the_channel_hears_the_states(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    peers = council_ids(bot)
    view = open_form(slack, fake_slack)
    reply = slack.submit_view(
        view,
        {
            f"{ids.PEER_STATE}{peers['Angus']}": "agreed",
            f"{ids.PEER_APPROACHED}{peers['Angus']}": "2026-11-02",
            f"{ids.PEER_NOMINEES}{peers['Angus']}": "Jo Bloggs, roads manager",
            f"{ids.PEER_STATE}{peers['Stirling']}": "approached",
            f"{ids.PEER_APPROACHED}{peers['Stirling']}": "2026-11-10",
            f"{ids.PEER_STATE}{peers['Moray']}": "declined",
            f"{ids.PEER_REASON}{peers['Moray']}": "Budget setting <b>season</b>",
            ids.PEER_PARTNER: "NHS Fife",
        },
        user="UIS",
    )
    assert reply.status == 200 and not reply.body.strip(b"{}"), reply.body
    wait_until_delivered(bot.deps)
    line = channel_posts(fake_slack)[-1]
    assert "Angus has agreed" in line and "Moray has declined" in line
    assert "Stirling has been approached" in line and "NHS Fife is to be approached" in line
    assert "Jo Bloggs" not in line and "Budget" not in line  # details stay with the team

    shown = answer(slack, fake_slack, "peers", user="UPEER")
    assert "nominees: Jo Bloggs, roads manager" in shown
    assert "approached 10 November 2026" in shown
    assert "Budget setting &lt;b&gt;season&lt;/b&gt;" in shown
    assert "NHS Fife* (partner organisation): to approach" in shown
    assert "1 of 3 agreed" in shown and ids.PEERS_EDIT not in shown  # a peer only reads
    with transaction(bot.deps.sessions) as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "peers.updated")
        ).one()
        assert {change["council"] for change in audit.details["changes"]} == {
            "Angus",
            "Stirling",
            "Moray",
            "NHS Fife",
        }

    stage = answer(slack, fake_slack, "stage", user="UHOST")
    assert "1 of 3 peer councils have agreed" in stage
    assert "Angus agreed, but none of its peer reviewers is on the team yet" in stage
    assert "1 peer council has declined" in stage
    answer(slack, fake_slack, "team add <@UANGUS|jo> as peer Angus", user="UHOST")
    assert "Angus agreed, but" not in answer(slack, fake_slack, "stage", user="UHOST")


def test_the_form_explains_what_is_missing_and_saves_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    peers = council_ids(bot)
    view = open_form(slack, fake_slack, user="UHOST")
    reply = slack.submit_view(
        view,
        {
            f"{ids.PEER_STATE}{peers['Angus']}": "agreed",
            f"{ids.PEER_STATE}{peers['Stirling']}": "approached",
            f"{ids.PEER_STATE}{peers['Moray']}": "declined",
            ids.PEER_PARTNER: "moray",
        },
        user="UHOST",
    )
    errors = reply.json()["errors"]
    assert errors == {
        f"{ids.PEER_NOMINEES}{peers['Angus']}": (
            "Name the people they nominate, or keep them as approached until they do."
        ),
        f"{ids.PEER_APPROACHED}{peers['Stirling']}": "Give the date you approached them.",
        f"{ids.PEER_REASON}{peers['Moray']}": (
            "Say briefly why, so the team can decide whether to approach another council."
        ),
        ids.PEER_PARTNER: "Moray is already on the list.",
    }
    with transaction(bot.deps.sessions) as session:
        assert {p.state for p in session.scalars(select(PeerCouncil))} == {"to_approach"}


def test_the_record_answers_button_opens_the_form_and_a_partner_can_be_taken_off(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    view = open_form(slack, fake_slack)
    slack.submit_view(view, {ids.PEER_PARTNER: "Police Scotland"}, user="UIS")
    partner = council_ids(bot)["Police Scotland"]
    before = len(fake_slack.calls_to("views.open"))
    message = {
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ids.PEERS_EDIT,
                        "text": {"type": "plain_text", "text": "Record answers"},
                        "value": str(review_id),
                    }
                ],
            }
        ]
    }
    slack.click_in_message(message, ids.PEERS_EDIT, user="UHOST", channel="CREVIEW")
    view = fake_slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert "Police Scotland" in str(view["blocks"])
    slack.submit_view(view, {f"{ids.PEER_STATE}{partner}": "remove"}, user="UHOST")
    assert "Police Scotland" not in council_ids(bot)
    wait_until_delivered(bot.deps)
    assert "Police Scotland is off the list" in channel_posts(fake_slack)[-1]
