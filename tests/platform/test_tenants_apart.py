"""Tenants apart: from workspace B nothing of workspace A's reviews can be read or changed —
not with guessed numbers, a button payload copied from A nor A's modal metadata — while a
peer from B who takes part in A's review still reaches it over Slack Connect."""

from __future__ import annotations

from bot.demo.driver import view_state
from bot.demo.fake_slack import FakeSlack
from bot.demo.fake_slack.oauth import OAuthApp
from bot.deps import Deps
from storage.db import transaction
from storage.models.reviews import Review

from conftest import SIGNING_SECRET
from nudge_helpers import add_review
from slack_driver import SlackDriver
from workspace_helpers import *  # noqa: F403 (the fixtures)
from workspace_helpers import (
    PRE_MEETING,
    TEAM_A,
    TEAM_B,
    WEEK_BEFORE,
    install,
)


def test_workspace_b_sees_nothing_of_workspace_a_in_its_own_channel(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    token_b = install(url, oauth, TEAM_B, "Angus Council")
    add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    reply, _trigger, _url = slack.command(
        "/psif", "status", channel="CB", user="UBPERSON", team_id=TEAM_B
    )
    assert "no PSIF review open in this channel" in reply.body.decode()
    api_calls = [c for c in fake_slack.calls if c.method not in ("oauth.v2.access", "auth.test")]
    assert all(call.token == token_b for call in api_calls)


def _from_workspace_b(slack: SlackDriver, user: str, **payload: object) -> str:
    """Send an interaction as Slack would for workspace B; return what the bot answered."""
    response_url = slack.fake.new_response_url()
    before = len(slack.fake.responses)
    body = {
        "team": {"id": TEAM_B, "domain": "angus"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_B},
        "api_app_id": "A0PSIF",
        "token": "legacy-verification-token",
        "trigger_id": slack.fake.issue_trigger_id(),
        "response_url": response_url,
        "is_enterprise_install": False,
        "enterprise": None,
        **payload,
    }
    assert slack.post_interaction(body).status == 200
    reply = slack.fake.wait_for_responses(count=before + 1)[-1].body
    return str(reply.get("text", ""))


def test_a_button_copied_from_workspace_a_changes_nothing_from_workspace_b(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    token_b = install(url, oauth, TEAM_B, "Angus Council")
    review_a = add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    answer = _from_workspace_b(
        slack,
        "UBHOST",
        type="block_actions",
        channel={"id": "CA", "name": "psif-review"},
        container={"type": "message", "channel_id": "CA", "message_ts": "1.1"},
        actions=[
            {
                "type": "button",
                "action_id": "psif_stage_advance_confirm",
                "block_id": "b",
                "value": f"{review_a}:pre_work:fieldwork_context",
                "action_ts": "1.2",
            }
        ],
    )
    assert answer == "That review is closed."  # as if it didn't exist: nothing of A shown
    with transaction(deps.sessions) as session:
        review = session.get(Review, review_a)
        assert review is not None and review.stage == "pre_work"
    api_calls = [c for c in fake_slack.calls if c.method not in ("oauth.v2.access", "auth.test")]
    assert all(call.token == token_b for call in api_calls)


def test_a_peer_from_workspace_b_with_a_role_in_a_review_still_reaches_it(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    install(url, oauth, TEAM_B, "Angus Council")
    review_a = add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    # USTAKE is a stakeholder of A's review (nudge_helpers.add_review), here over Slack Connect.
    answer = _from_workspace_b(
        slack,
        "USTAKE",
        type="block_actions",
        channel={"id": "CA", "name": "psif-review"},
        container={"type": "message", "channel_id": "CA", "message_ts": "1.1"},
        actions=[
            {
                "type": "button",
                "action_id": "psif_stage_advance_confirm",
                "block_id": "b",
                "value": f"{review_a}:pre_work:fieldwork_context",
                "action_ts": "1.2",
            }
        ],
    )
    assert answer != "That review is closed."  # found: refused for the role, not the tenant


def test_a_form_with_workspace_a_metadata_changes_nothing_from_workspace_b(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    install(url, oauth, TEAM_B, "Angus Council")
    review_a = add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    slack.command("/psif", "edit", channel="CA", user="UHOST")  # A's own edit form
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    assert str(review_a) in view["private_metadata"]
    forged = {**view, "app_installed_team_id": TEAM_B, "team_id": TEAM_B}
    reply = slack.post_interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM_B, "domain": "angus"},
            "user": {"id": "UBHOST", "username": "ubhost", "team_id": TEAM_B},
            "api_app_id": "A0PSIF",
            "token": "legacy-verification-token",
            "trigger_id": fake_slack.issue_trigger_id(),
            "view": {**forged, "state": {"values": view_state(view, {"focus": "Taken over"})}},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
    )
    assert reply.status == 200
    assert "closed, so nothing changed" in reply.body.decode()
    with transaction(deps.sessions) as session:
        review = session.get(Review, review_a)
        assert review is not None and review.focus == "Roads maintenance"
