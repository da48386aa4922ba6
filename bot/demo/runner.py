"""`psif-bot demo`: the real app on a temporary SQLite database and the fake Slack, played
through `bot.demo.script` by signed requests as Slack sends them. It is a check as well as a
show: a missing answer, a call Slack would refuse or a logged error fails the step (exit 1)."""

from __future__ import annotations

import logging
import random
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.app import create_app, make_deps, outbox_worker
from bot.demo.clock import SettableClock
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.page import write_outputs
from bot.demo.play import Demo
from bot.demo.script import SCRIPT, Step, build_cast
from bot.demo.serving import serve_in_background
from bot.demo.transcript import Transcript
from bot.settings import Settings
from bot.slack.client import new_client
from bot.web import create_asgi_app
from storage.migrate import upgrade_to_head

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
CHANNEL = "C0PSIFRVW"
CHANNEL_NAME = "psif-fife-roads"
BOT_TOKEN = "xoxb-psif-demo"


@dataclass(frozen=True)
class DemoOptions:
    out: Path
    people: int = 8
    seed: int = 1
    keep_db: Path | None = None


class DemoSettings(Settings):
    """Settings from the demo alone: no environment variable or `.env` file changes a run."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class _Errors(logging.Handler):
    """What the app logs as errors: any one fails the step it happened in."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def _app_logging(errors: _Errors) -> Iterator[None]:
    """Only the app's warnings and errors reach the terminal (Alembic's by name: it sets its
    own level)."""
    loggers = [logging.getLogger(), logging.getLogger("alembic")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    loggers[0].addHandler(errors)
    try:
        yield
    finally:
        loggers[0].removeHandler(errors)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run_demo(
    options: DemoOptions, echo: Callable[[str], None] = print, script: Sequence[Step] = SCRIPT
) -> int:
    """Play `script`; write the outputs; 0 when every step did what it should."""
    if options.keep_db is not None and options.keep_db.exists():
        echo(f"{options.keep_db} already exists: give --keep-db a new file name.")
        return 2
    started = time.monotonic()
    cast = build_cast(options.people)
    names = {person.id: person.name for person in cast.everyone} | {CHANNEL: CHANNEL_NAME}
    transcript = Transcript(lambda user_id: names.get(user_id, user_id or "someone"), echo)
    errors = _Errors()
    with tempfile.TemporaryDirectory(prefix="psif-demo-") as scratch, _app_logging(errors):
        database = options.keep_db or Path(scratch) / "psif-demo.db"
        with FakeSlack() as fake:
            for person in cast.everyone:
                fake.add_user(person.id, real_name=person.name)
            settings = DemoSettings(
                SLACK_BOT_TOKEN=BOT_TOKEN,
                SLACK_SIGNING_SECRET=secrets.token_hex(16),
                PSIF_RESPONDENT_SECRET=secrets.token_hex(16),
                DATABASE_URL=f"sqlite:///{database}",
                SLACK_API_URL=fake.base_url,
                # The survey links' address in the CSV the host lead gets; the demo's
                # browser opens them on the bot it serves here.
                PSIF_PUBLIC_URL="https://psif.example.org",
            )  # type: ignore[call-arg]
            upgrade_to_head(settings.database_url)
            clock = SettableClock(START)
            deps = make_deps(settings, clock)
            try:
                app = create_asgi_app(create_app(settings, deps), deps)
                with outbox_worker(deps), serve_in_background(app) as url:
                    secret = settings.slack_signing_secret.get_secret_value()
                    demo = Demo(
                        fake=fake,
                        driver=SlackDriver(url, secret, fake),
                        deps=deps,
                        clock=clock,
                        transcript=transcript,
                        cast=cast,
                        rng=random.Random(options.seed),
                        scheduler_client=new_client(token=BOT_TOKEN, base_url=fake.base_url),
                        channel=CHANNEL,
                        channel_name=CHANNEL_NAME,
                    )
                    failure = _play(demo, script, errors)
            finally:
                deps.close()
                deps.engine.dispose()
    written = write_outputs(options.out, transcript)
    if failure:
        echo(f"\nThe demo FAILED at {failure}")
        echo(f"What happened up to then is in {options.out}/transcript.html")
        return 1
    seconds = time.monotonic() - started
    echo(f"\nThe demo played the whole review in {seconds:.1f} s. Open {written[0]} to see it;")
    echo("also written: " + ", ".join(path.name for path in written[1:]))
    if options.keep_db is not None:
        echo(f"The database is kept at {options.keep_db}.")
    return 0


def _play(demo: Demo, script: Sequence[Step], errors: _Errors) -> str | None:
    """None when the script all went through, else the failed step and why."""
    for number, step in enumerate(script, start=1):
        try:
            demo.move_to(step.day or demo.local_now().date(), *step.at)
            progress = f"[{number}/{len(script)}] {step.stage}: {step.title}"
            demo.transcript.stage(demo.local_now(), progress)
            step.run(demo)
            demo.observe()
        except Exception as error:  # any failure is the demo's answer: name the step
            return f"step {number} ({step.title}): {type(error).__name__}: {error}"
        if errors.messages:
            return f"step {number} ({step.title}): the app logged an error: {errors.messages[0]}"
    return None
