"""Correcting and removing findings from `/afi show`: whoever recorded a finding, or a lead,
edits it in the same form or removes it after a question; others see no menu and are refused
if they forge one; a redelivered submission changes nothing twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.slack import ids
from storage.db import transaction
from storage.models.findings import ActionOption
from storage.models.reviews import AuditEvent

from action_helpers import CHANNEL, action_form, open_log_modal, wait_until
from conftest import RunningBot
from fake_slack import FakeSlack, validate_blocks, validate_view
from fieldwork_helpers import findings, note, seed_fieldwork_review
from slack_driver import SlackDriver


def shown_to(slack: SlackDriver, fake: FakeSlack, user: str, number: int) -> dict[str, Any]:
    """What `/afi show <number>` shows `user` (the newest answer)."""
    before = len(fake.responses)
    slack.command("/afi", f"show {number}", user=user, channel=CHANNEL)
    wait_until(lambda: len(fake.responses) > before, "the /afi show answer")
    return fake.responses[-1].body


def menus(shown: dict[str, Any]) -> list[str]:
    return [
        option["value"]
        for block in shown["blocks"]
        if block.get("accessory", {}).get("action_id") == ids.FINDING_MANAGE
        for option in block["accessory"]["options"]
    ]


def choose(
    slack: SlackDriver, fake: FakeSlack, shown: dict[str, Any], value: str, *, user: str
) -> dict[str, Any]:
    """Pick Edit or Remove on a finding; the modal that opens."""
    before = len(fake.calls_to("views.open"))
    slack.click_in_message(
        shown,
        ids.FINDING_MANAGE,
        user=user,
        channel=CHANNEL,
        value=value,
        response_url=fake.new_response_url(),
    )
    view: dict[str, Any] = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert validate_view(view, "modal") == []
    return view


def told(fake: FakeSlack, text: str) -> None:
    wait_until(lambda: any(text in str(p.body.get("text")) for p in fake.responses), text)


def test_whoever_recorded_a_finding_corrects_it_in_the_same_form(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "2 Complaints data sits in 3 systems",
        {"finding_kind": "concern", "finding_source": "data"},
    )
    [row] = findings(bot)
    shown = shown_to(slack, fake_slack, "UPEER", 2)
    assert validate_blocks(shown["blocks"], "message") == []
    assert menus(shown) == [f"edit:{row.id}", f"remove:{row.id}"]
    form = choose(slack, fake_slack, shown, f"edit:{row.id}", user="UPEER")
    assert form["title"]["text"] == "Edit finding 1" and form["submit"]["text"] == "Save"
    text = next(b for b in form["blocks"] if b.get("block_id") == ids.FINDING_TEXT)
    assert text["element"]["initial_value"] == "Complaints data sits in 3 systems"
    kind = next(b for b in form["blocks"] if b.get("block_id") == ids.FINDING_KIND)
    assert kind["element"]["initial_option"]["value"] == "concern"
    mention = slack.submit_view(
        form, {"finding_text": "As <@U123ABC> said, 3 systems"}, user="UPEER"
    )
    assert "can't mention people" in mention.json()["errors"][ids.FINDING_TEXT]
    saved = slack.submit_view(
        form,
        {"finding_text": "Complaints data sits in 4 systems", "finding_kind": "option"},
        user="UPEER",
    )
    assert saved.body in (b"", b"{}"), saved.body
    told(fake_slack, "Saved finding 1 (option for improvement) against AFI 2")
    [row] = findings(bot)
    assert (row.text, row.kind, row.afi_id) == (
        "Complaints data sits in 4 systems",
        "option",
        seeded.afis["complaints"],
    )
    # Slack redelivers the same submission: nothing changes twice, nobody is told twice.
    assert slack.submit_view(form, {"finding_text": "Changed again"}, user="UPEER").body in (
        b"",
        b"{}",
    )
    assert findings(bot)[0].text == "Complaints data sits in 4 systems"
    with transaction(bot.deps.sessions) as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "finding.edited")
        ).one()
        assert "systems" not in str(audit.details)


def test_a_lead_removes_a_finding_after_a_question_and_the_plan_keeps_its_action(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "3 Adopt a two-year budget cycle",
        {"finding_kind": "option", "finding_source": "observation"},
    )
    [row] = findings(bot)
    view = open_log_modal(slack, fake_slack)
    logged = slack.submit_view(
        view,
        action_form(action_afi=str(seeded.afis["budget"]), action_option=str(row.id)),
        user="UHOST",
    )
    assert logged.body in (b"", b"{}"), logged.body
    shown = shown_to(slack, fake_slack, "UHOST", 3)
    question = choose(slack, fake_slack, shown, f"remove:{row.id}", user="UHOST")
    rendered = str(question["blocks"])
    assert "Remove finding 1 from AFI 3?" in rendered and "two-year budget cycle" in rendered
    assert "stays in the plan" in rendered
    assert slack.submit_view(question, {}, user="UHOST").body in (b"", b"{}")
    told(fake_slack, "Removed finding 1 from AFI 3. Action 1 no longer names it")
    assert findings(bot) == []
    with transaction(bot.deps.sessions) as session:
        assert list(session.scalars(select(ActionOption))) == []
    # The question answered twice (a redelivery, or a second tab) removes nothing more.
    again = slack.submit_view(question, {}, user="UHOST")
    assert again.body in (b"", b"{}"), again.body
    after = shown_to(slack, fake_slack, "UHOST", 3)
    assert "None recorded yet" in str(after["blocks"]) and "Action 1" in str(after["blocks"])


def test_others_on_the_team_see_no_menu_and_a_forged_one_is_refused(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    note(
        slack,
        fake_slack,
        "2 Complaints data sits in 3 systems",
        {"finding_kind": "concern", "finding_source": "data"},
    )
    [row] = findings(bot)
    shown = shown_to(slack, fake_slack, "UH2", 2)  # host team: not the recorder, not a lead
    assert "Complaints data sits in 3 systems" in str(shown["blocks"])
    assert menus(shown) == []
    forged = {
        "blocks": [
            {
                "type": "section",
                "block_id": "forged",
                "text": {"type": "mrkdwn", "text": "x"},
                "accessory": {
                    "type": "overflow",
                    "action_id": ids.FINDING_MANAGE,
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": "Remove"},
                            "value": f"remove:{row.id}",
                        }
                    ],
                },
            }
        ]
    }
    url = fake_slack.new_response_url()
    slack.click_in_message(
        forged,
        ids.FINDING_MANAGE,
        user="UH2",
        channel=CHANNEL,
        value=f"remove:{row.id}",
        response_url=url,
    )
    wait_until(
        lambda: any("Only whoever recorded a finding" in str(p.body) for p in fake_slack.responses),
        "the refusal",
    )
    refusal = next(p.body["text"] for p in fake_slack.responses if "Only whoever" in str(p.body))
    assert "host lead" in refusal
    assert len(findings(bot)) == 1
