"""`/psif edit`: leads change the Appendix 1 details; the channel hears what changed and
reminders follow the new dates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.reminders._timeline import RULE as TIMELINE_RULE
from storage.db import transaction
from storage.models.reviews import AuditEvent, Review

from conftest import RunningBot
from fake_slack import FakeSlack, validate_view
from helpers import last_response_text, start_review_through_slack
from nudge_helpers import posts, run_at, utc
from slack_driver import SlackDriver


def open_edit_form(slack: SlackDriver, fake: FakeSlack, user: str = "UHOST") -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command("/psif", "edit", user=user)
    view = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert validate_view(view, "modal") == []
    return dict(view)


def test_moving_fieldwork_tells_the_channel_and_leaves_no_nudge_on_the_old_dates(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    start_review_through_slack(slack, fake_slack)
    view = open_edit_form(slack, fake_slack)
    assert view["title"]["text"] == "Edit the review"
    block_ids = {block.get("block_id", "").split(":")[0] for block in view["blocks"]}
    assert "host_lead" not in block_ids  # the team changes with /psif team
    reply = slack.submit_view(
        view, {"fieldwork_start": "2027-03-10", "fieldwork_end": "2027-03-12"}, user="UHOST"
    )
    assert reply.body in (b"", b"{}"), reply.body
    said = fake_slack.wait_for("chat.postMessage", count=2)[-1].args
    assert "Fieldwork starts moved from 3 March to 10 March 2027" in str(said["blocks"])
    with transaction(bot.deps.sessions) as session:
        review = session.scalars(select(Review)).one()
        assert str(review.fieldwork_start) == "2027-03-10"
        edited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.edited")
        ).one()
        assert edited.details["fieldwork_start"] == {"from": "2027-03-03", "to": "2027-03-10"}

    run_at(bot.deps, fake_slack, utc(2027, 3, 2, 9, 5), rules=(TIMELINE_RULE,))
    assert not [p for p in posts(fake_slack) if "Fieldwork" in p["text"]]
    run_at(bot.deps, fake_slack, utc(2027, 3, 9, 9, 5), rules=(TIMELINE_RULE,))
    fieldwork = [p for p in posts(fake_slack) if "Fieldwork" in p["text"]]
    assert len(fieldwork) == 1 and "10 March 2027" in str(fieldwork[0])


def test_only_leads_edit_and_a_bad_date_is_refused_inline(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "edit", user="UH2")
    assert "Only the review's host lead or Improvement Service lead" in last_response_text(
        fake_slack
    )
    view = open_edit_form(slack, fake_slack, user="UIS")
    reply = slack.submit_view(view, {"draft_report": "2027-03-04"}, user="UIS")
    assert "after fieldwork ends" in reply.body.decode()
    with transaction(bot.deps.sessions) as session:
        assert str(session.scalars(select(Review.draft_report)).one()) != "2027-03-04"
