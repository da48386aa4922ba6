"""Many workspaces: two councils install the bot through OAuth against the fake Slack; each
request and each background message uses its own workspace's token, never the other's."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from sqlalchemy import update

from bot.demo.fake_slack import FakeSlack
from bot.demo.fake_slack.oauth import OAuthApp
from bot.deps import Deps
from bot.settings import SettingsError, load_settings
from bot.slack.installations import BOT_SCOPES, Workspaces, scheduler_client_for
from bot.slack.outbox import owe_direct_message
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.models.reviews import Review
from storage.repositories.outbox import items

from conftest import SIGNING_SECRET
from helpers import wait_until_delivered
from nudge_helpers import add_review, nudges, posts, run_at, utc
from slack_driver import SlackDriver
from workspace_helpers import *  # noqa: F403 (the fixtures)
from workspace_helpers import (
    PRE_MEETING,
    TEAM_A,
    TEAM_B,
    TIMELINE_ONLY,
    WEEK_BEFORE,
    install,
    wait_until_forgotten,
)


def test_settings_need_a_bot_token_or_client_credentials() -> None:
    with pytest.raises(SettingsError, match=r"^SLACK_BOT_TOKEN is not set: .*SLACK_CLIENT_ID"):
        load_settings(SLACK_SIGNING_SECRET="s", _env_file=None)
    with pytest.raises(SettingsError, match="must both be set"):
        load_settings(SLACK_SIGNING_SECRET="s", SLACK_CLIENT_ID="1.2", _env_file=None)


def test_install_page_and_redirect_store_each_workspace_token(
    url: str, oauth: OAuthApp, workspaces: Workspaces
) -> None:
    token_a = install(url, oauth, TEAM_A, "Fife Council")
    token_b = install(url, oauth, TEAM_B, "Angus Council")
    assert token_a != token_b
    client_a, client_b = workspaces.client_for(TEAM_A), workspaces.client_for(TEAM_B)
    assert client_a is not None and client_a.token == token_a
    assert client_b is not None and client_b.token == token_b
    assert workspaces.client_for("TNOTHERE") is None


def test_a_redirect_without_the_install_state_is_refused(url: str, oauth: OAuthApp) -> None:
    code = oauth.grant(TEAM_A, "Fife Council")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/slack/oauth_redirect?code={code}&state=forged")
    assert refused.value.code >= 400
    assert oauth.codes  # the code was never swapped for a token


def test_requests_use_their_own_workspace_token(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack
) -> None:
    token_a = install(url, oauth, TEAM_A, "Fife Council")
    install(url, oauth, TEAM_B, "Angus Council")
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    slack.command("/psif", "start", channel="CREVIEW", user="UHOST")
    assert fake_slack.wait_for("views.open")[-1].token == token_a


def test_a_request_is_authorised_from_the_stored_token_without_asking_slack(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    checks = len(fake_slack.calls_to("auth.test"))
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    reply, _, _ = slack.command("/psif", "help", channel="CREVIEW", user="UHOST")
    assert reply.status == 200 and "/psif start" in str(reply.json())
    assert len(fake_slack.calls_to("auth.test")) == checks  # nothing in front of the ack


def test_nudges_go_out_with_the_hosting_workspace_token_and_stop_on_uninstall(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps, workspaces: Workspaces
) -> None:
    token_a = install(url, oauth, TEAM_A, "Fife Council")
    token_b = install(url, oauth, TEAM_B, "Angus Council")
    add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    review_b = add_review(deps, channel="CB", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    with transaction(deps.sessions) as session:
        session.execute(update(Review).where(Review.id == review_b).values(team_id=TEAM_B))
    clients = scheduler_client_for(deps.settings, workspaces)
    report = run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY, client=clients)
    assert report.sent == 2
    sent = {c.args["channel"]: c.token for c in fake_slack.calls_to("chat.postMessage")}
    assert sent == {"CA": token_a, "CB": token_b}

    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    assert slack.event({"type": "app_uninstalled"}).status == 200
    wait_until_forgotten(workspaces, TEAM_A)
    assert workspaces.client_for(TEAM_B) is not None
    before = len(posts(fake_slack, "CA"))
    run_at(deps, fake_slack, utc(2026, 12, 9, 9), rules=TIMELINE_ONLY, client=clients)
    assert len(posts(fake_slack, "CA")) == before
    assert all(n.status != "pending" for n in nudges(deps))


def test_install_asks_for_the_scopes_the_manifest_lists() -> None:
    manifest = yaml.safe_load(Path("manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert {"app_uninstalled", "tokens_revoked"} <= set(
        manifest["settings"]["event_subscriptions"]["bot_events"]
    )


def test_rotating_tokens_are_refreshed_before_they_expire(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, workspaces: Workspaces
) -> None:
    oauth.rotation_seconds = 60  # the app has token rotation on; tokens last a minute here
    first = install(url, oauth, TEAM_A, "Fife Council")
    assert first.startswith("xoxe.xoxb-")
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    slack.command("/psif", "start", channel="CREVIEW", user="UHOST")
    used = fake_slack.wait_for("views.open")[-1]
    assert used.ok and used.token != first  # Bolt refreshed it for the request
    assert oauth.token_ok(first) is False
    client = workspaces.client_for(TEAM_A)  # and background work refreshes it too
    assert client is not None and client.token not in (first, used.token)
    assert client.auth_test()["team_id"] == TEAM_A


def test_direct_messages_to_a_peer_from_another_workspace_use_the_hosting_token(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    token_a = install(url, oauth, TEAM_A, "Fife Council")
    install(url, oauth, TEAM_B, "Angus Council")
    with transaction(deps.sessions) as session:  # as a service owes it for A's review
        owe_direct_message(session, team_id=TEAM_A, user_id="UBPEER", text="Your action")
    wait_until_delivered(deps)
    sent = fake_slack.wait_for("chat.postMessage")[-1]
    assert sent.args["channel"] == "UBPEER" and sent.token == token_a


def test_messages_for_an_uninstalled_workspace_are_not_sent_with_another_token(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps
) -> None:
    install(url, oauth, TEAM_B, "Angus Council")  # A never installed (or has uninstalled)
    with transaction(deps.sessions) as session:
        owe_direct_message(session, team_id=TEAM_A, user_id="UAPERSON", text="Hello")
    wait_until_delivered(deps)
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if c.ok]
    with transaction(deps.sessions) as session:
        (item,) = items(session=session, statuses=[OutboxStatus.FAILED])
        assert item.last_error == "not_authed"


def test_revoked_bot_tokens_are_forgotten_and_the_reviews_kept(
    url: str, oauth: OAuthApp, fake_slack: FakeSlack, deps: Deps, workspaces: Workspaces
) -> None:
    install(url, oauth, TEAM_A, "Fife Council")
    review_a = add_review(deps, channel="CA", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
    revoked = {"type": "tokens_revoked", "tokens": {"bot": [f"U{TEAM_A}BOT"]}}
    assert slack.event(revoked).status == 200
    wait_until_forgotten(workspaces, TEAM_A)
    with transaction(deps.sessions) as session:
        assert session.get(Review, review_a) is not None  # data stays until retention
