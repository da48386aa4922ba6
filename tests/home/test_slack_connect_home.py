"""A review opened from another organisation's workspace (a Slack Connect channel) still
shows on the Home tab of people in this one: their self-assessment and their actions."""

from __future__ import annotations

from datetime import date

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action

from action_helpers import wait_until
from checklist_helpers import CHANNEL, invite, seed_checklist_review


def test_home_finds_reviews_opened_from_another_workspace(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    invite(slack, fake_slack, "USTAKE")
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        review.team_id = "T0PARTNER"  # opened by the partner organisation's workspace
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(
                key_action="Share the road survey", owner_id="USTAKE", due=date(2027, 6, 1)
            ),
            actor_id="UHOST",
            now=deps.now(),
        )
    before = len(fake_slack.calls_to("views.publish"))
    slack.open_home("USTAKE")  # from this workspace
    fake_slack.wait_for("views.publish", before + 1)
    home = str(fake_slack.home_tabs["USTAKE"]["blocks"])
    assert "Share the road survey" in home
    assert "0 of 6 sections saved" in home


def test_a_lead_in_this_workspace_runs_a_review_opened_from_another_from_home(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        review.team_id = "T0PARTNER"  # the council opened it; the IS lead is here
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(
                key_action="Share the road survey", owner_id="UHOST", due=date(2027, 6, 1)
            ),
            actor_id="UHOST",
            now=deps.now(),
        )
    before = len(fake_slack.calls_to("views.publish"))
    slack.open_home("UIS")
    fake_slack.wait_for("views.publish", before + 1)
    home = str(fake_slack.home_tabs["UIS"]["blocks"])
    assert "You lead this review" in home and "Actions: 1 open · none overdue" in home

    slack.click_in_home(ids.HOME_PLAN, user="UIS")
    wait_until(
        lambda: "Share the road survey" in str(fake_slack.messages_in(CHANNEL)),
        "the plan posted in the shared channel",
    )
