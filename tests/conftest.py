"""Fixtures: databases (SQLite always, PostgreSQL when PSIF_TEST_POSTGRES_URL is given),
the fake Slack Web API, and the real bot served over HTTP.

PostgreSQL: set PSIF_TEST_POSTGRES_URL to an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. Each run creates and drops its own
throwaway database. If the URL is given and the server does not answer, the run fails:
it never quietly skips.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from bot.app import create_app, outbox_worker
from bot.demo.clock import SettableClock as SettableClock  # the tests import it from here
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.web import create_asgi_app
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.schema import metadata

SIGNING_SECRET = "test-signing-secret"
RESPONDENT_SECRET = "test-respondent-secret-0123456789"
BOT_TOKEN = "xoxb-test-token"
POSTGRES_ENV = "PSIF_TEST_POSTGRES_URL"
PUBLIC_URL = "https://psif.example.org"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@dataclass
class TestDatabase:
    __test__ = False  # a fixture value, not a test class

    backend: str
    url: str
    engine: Engine

    def clear(self) -> None:
        tables = [table.name for table in reversed(metadata.sorted_tables)]
        for attempt in range(5):
            try:
                with self.engine.begin() as connection:
                    if self.backend == "postgresql":
                        joined = ", ".join(f'"{name}"' for name in tables)
                        connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
                    else:
                        for name in tables:
                            connection.execute(text(f'DELETE FROM "{name}"'))
                return
            except OperationalError:
                # A previous test's thread finishing a transaction can deadlock TRUNCATE's
                # table-by-table locks; PostgreSQL cancels one side, so try again.
                if attempt == 4:
                    raise
                time.sleep(0.2)


def _create_postgres_database(admin_url: str) -> tuple[str, Engine]:
    name = f"psif_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # a configured server that does not answer must fail the run
        pytest.exit(f"{POSTGRES_ENV} is set but PostgreSQL did not answer: {error}", returncode=3)
    finally:
        admin.dispose()
    base = admin_url.rsplit("/", 1)[0]
    return name, make_engine(f"{base}/{name}")


@pytest.fixture(scope="session", params=_backends())
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabase]:
    """A migrated database per backend for the whole run; tables are emptied between tests."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "psif-test.db"
        url = f"sqlite:///{path}"
        upgrade_to_head(url)
        engine = make_engine(url)
        yield TestDatabase("sqlite", url, engine)
        engine.dispose()
        return
    admin_url = os.environ[POSTGRES_ENV]
    name, engine = _create_postgres_database(admin_url)
    url = engine.url.render_as_string(hide_password=False)
    upgrade_to_head(url)
    yield TestDatabase("postgresql", url, engine)
    engine.dispose()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=_backends())
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database per backend with no tables at all (dropped after the test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = os.environ[POSTGRES_ENV]
    name, engine = _create_postgres_database(admin_url)
    yield engine.url.render_as_string(hide_password=False)
    engine.dispose()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db(database: TestDatabase) -> Iterator[TestDatabase]:
    database.clear()
    yield database


@pytest.fixture
def clock() -> SettableClock:
    # Wednesday 25 November 2026, 10:00 in London (GMT).
    return SettableClock(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def settings(db: TestDatabase, fake_slack: FakeSlack) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PSIF_RESPONDENT_SECRET=RESPONDENT_SECRET,
        DATABASE_URL=db.url,
        SLACK_API_URL=fake_slack.base_url,
        PSIF_OUTBOX_RETRY_SECONDS=0.05,
        PSIF_PUBLIC_URL=PUBLIC_URL,
        _env_file=None,
    )  # type: ignore[call-arg]


@pytest.fixture
def deps(settings: Settings, db: TestDatabase, clock: SettableClock) -> Iterator[Deps]:
    deps = Deps(
        settings=settings, engine=db.engine, sessions=make_session_factory(db.engine), clock=clock
    )
    yield deps
    deps.close()


@dataclass
class RunningBot:
    url: str
    deps: Deps


@pytest.fixture
def bot(settings: Settings, deps: Deps) -> Iterator[RunningBot]:
    """The real ASGI app on 127.0.0.1, served by uvicorn as `psif-bot serve` does."""
    app = create_asgi_app(create_app(settings, deps), deps)
    with outbox_worker(deps), serve_in_background(app) as url:
        yield RunningBot(url, deps)


@pytest.fixture
def slack(bot: RunningBot, fake_slack: FakeSlack) -> SlackDriver:
    return SlackDriver(bot.url, SIGNING_SECRET, fake_slack)
