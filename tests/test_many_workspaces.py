"""Many workspaces: two councils install the bot through OAuth against the fake Slack; each
request and each background message uses its own workspace's token, never the other's."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import update

from bot.app import create_app, create_wsgi_app
from bot.demo.fake_slack import FakeSlack
from bot.demo.fake_slack.oauth import OAuthApp
from bot.demo.serving import serve_in_background
from bot.demo.view_state import view_state
from bot.deps import Deps
from bot.settings import Settings, SettingsError, load_settings
from bot.slack.deliveries import owe_direct_message
from bot.slack.installations import BOT_SCOPES, Workspaces, scheduler_client_for
from scheduler.rules import all_rules
from storage.db import make_session_factory, transaction
from storage.models.outbox import OutboxStatus
from storage.models.reviews import Review
from storage.repositories.outbox import items

from conftest import RESPONDENT_SECRET, SIGNING_SECRET, SettableClock, TestDatabase
from helpers import wait_until_delivered
from nudge_helpers import add_review, nudges, posts, run_at, utc
from slack_driver import SlackDriver

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"
TEAM_A, TEAM_B = "T0001", "TBBBB"  # the driver speaks as T0001 by default
PRE_MEETING = date(2026, 12, 10)
WEEK_BEFORE = utc(2026, 12, 3, 9)
TIMELINE_ONLY = tuple(rule for rule in all_rules() if rule.name == "timeline")


@pytest.fixture
def oauth(fake_slack: FakeSlack) -> OAuthApp:
    return fake_slack.enable_oauth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


@pytest.fixture
def settings(db: TestDatabase, fake_slack: FakeSlack) -> Settings:
    return Settings(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PSIF_RESPONDENT_SECRET=RESPONDENT_SECRET,
        DATABASE_URL=db.url,
        SLACK_API_URL=fake_slack.base_url,
        PSIF_OUTBOX_RETRY_SECONDS=0.05,
        PSIF_TOKEN_CACHE_SECONDS=0,
        _env_file=None,
    )  # type: ignore[call-arg]


@pytest.fixture
def deps(settings: Settings, db: TestDatabase, clock: SettableClock) -> Iterator[Deps]:
    deps = Deps(
        settings=settings, engine=db.engine, sessions=make_session_factory(db.engine), clock=clock
    )
    yield deps
    deps.close()


@pytest.fixture
def workspaces(settings: Settings, deps: Deps) -> Workspaces:
    return Workspaces(settings, deps.engine)


@pytest.fixture
def url(settings: Settings, deps: Deps, workspaces: Workspaces, oauth: OAuthApp) -> Iterator[str]:
    app = create_app(settings, deps, workspaces)
    with serve_in_background(create_wsgi_app(app, deps)) as url:
        yield url


def install(url: str, oauth: OAuthApp, team_id: str, team_name: str) -> str:
    """Click "Add to Slack", allow, come back: return the bot token Slack issued."""
    with urllib.request.urlopen(url + "/slack/install") as page:
        html = page.read().decode()
        # Bolt's state cookie is Secure, so a browser on plain http wouldn't send it back.
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    found = re.search(r"state=([\w-]+)", html)
    assert found is not None, html
    code = oauth.grant(team_id, team_name)
    back = urllib.request.Request(
        f"{url}/slack/oauth_redirect?code={code}&state={found[1]}", headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(back) as done:
        assert done.status == 200
    return next(t for t, i in oauth.by_token.items() if i.team_id == team_id)


def wait_until_forgotten(workspaces: Workspaces, team_id: str) -> None:
    """The uninstall listener runs after the acknowledgement: wait for its effect."""
    deadline = time.monotonic() + 10
    while workspaces.client_for(team_id) is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert workspaces.client_for(team_id) is None


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
