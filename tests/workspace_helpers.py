"""Two workspaces installed through OAuth against the fake Slack: settings, fixtures and the
install click-through shared by the many-workspace tests (`from workspace_helpers import *`
brings in the fixtures)."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date

import pytest

from bot.app import create_app, outbox_worker
from bot.demo.fake_slack import FakeSlack
from bot.demo.fake_slack.oauth import OAuthApp
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.reminders.service import RULES
from bot.settings import Settings
from bot.slack.installations import Workspaces, outbox_client_for
from bot.web import create_asgi_app
from storage.db import make_session_factory

from conftest import RESPONDENT_SECRET, SIGNING_SECRET, SettableClock, TestDatabase
from nudge_helpers import utc

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"
TEAM_A, TEAM_B = "T0001", "TBBBB"  # the driver speaks as T0001 by default
PRE_MEETING = date(2026, 12, 10)
WEEK_BEFORE = utc(2026, 12, 3, 9)
TIMELINE_ONLY = tuple(rule for rule in RULES if rule.name == "timeline")


__all__ = ["deps", "oauth", "settings", "url", "workspaces"]


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
    worker = outbox_worker(deps, outbox_client_for(settings, workspaces))
    with worker, serve_in_background(create_asgi_app(app, deps)) as url:
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
