"""`psif-bot`: serve | worker | socket | migrate | scheduler | demo."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.logs import configure as configure_logging
from bot.logs import logging_config

# Heavy imports (pydantic, SQLAlchemy, slack_sdk) wait until a command runs: `--help` is quick.
if TYPE_CHECKING:
    from bot.deps import Deps
    from bot.settings import Settings
    from bot.slack.installations import Workspaces

Command = Callable[[argparse.Namespace, "Settings"], int]
# The commands that read or write self-assessment progress (not `migrate`).
NEEDS_RESPONDENT_SECRET = frozenset({"serve", "worker", "socket", "scheduler"})
log = logging.getLogger("psif-bot")
# What the worker process draws and writes with, loaded once when it starts.
HEAVY_LIBRARIES = ("matplotlib.backends.backend_agg", "matplotlib.figure", "docx", "openpyxl")


def _migrate(settings: Settings) -> None:
    from storage.migrate import upgrade_to_head

    upgrade_to_head(settings.database_url)


def prepare_database(args: argparse.Namespace, settings: Settings) -> None:
    """Migrate if told to (--migrate, PSIF_MIGRATE_ON_START, by default on SQLite), else
    stop (SchemaBehind) if the schema isn't this release's."""
    from storage.db import is_sqlite
    from storage.migrate import require_up_to_date

    told = settings.migrate_on_start
    if getattr(args, "migrate", False) or (
        told if told is not None else is_sqlite(settings.database_url)
    ):
        _migrate(settings)
    else:
        require_up_to_date(settings.database_url)


def _move_old_respondent_keys(deps: Deps) -> None:
    from bot.self_assessment.service import move_keys_off_signing_secret

    move_keys_off_signing_secret(deps)


def _workspaces(settings: Settings, deps: Deps) -> Workspaces | None:
    from bot.slack.installations import Workspaces

    return Workspaces(settings, deps.engine) if settings.oauth_enabled else None


def _say_if_slack_unreachable(settings: Settings) -> None:
    """Say once, in the background, if Slack can't be reached, naming the cause."""
    from bot.slack.failures import check_at_start

    def check() -> None:
        if line := check_at_start(settings.slack_api_url):
            log.warning(line)

    threading.Thread(target=check, name="psif-slack-check", daemon=True).start()


def run_migrate(_args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    log.info("Database is up to date.")
    return 0


def web_workers(args: argparse.Namespace, settings: Settings) -> tuple[int, str]:
    """How many `serve` processes, and why: as told, else one on SQLite (a single writer),
    else as many as the CPUs and the memory hold."""
    from bot.sizing import default_workers, describe, this_machine
    from storage.db import is_sqlite

    for chosen, source in (
        (args.workers, "--workers"),
        (settings.web_workers, "PSIF_WEB_WORKERS"),
        (settings.web_concurrency, "WEB_CONCURRENCY"),
    ):
        if chosen is not None:
            return chosen, f"from {source}"
    if is_sqlite(settings.database_url):
        return 1, "on SQLite; set WEB_CONCURRENCY to change"
    machine = this_machine()
    return default_workers(machine), f"for {describe(machine)}; set WEB_CONCURRENCY to change"


@contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With several processes, a directory they all write their figures to (bot.metrics),
    set before they start and removed after they stop."""
    from bot.metrics import MULTIPROCESS_DIR

    if workers == 1 or os.environ.get(MULTIPROCESS_DIR):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="psif-metrics-") as directory:
        os.environ[MULTIPROCESS_DIR] = directory
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_DIR]


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.app import make_deps
    from bot.slack.installations import describe_mode

    prepare_database(args, settings)
    setup = make_deps(settings)
    _move_old_respondent_keys(setup)
    setup.engine.dispose()  # the serving processes make their own
    workers, why = web_workers(args, settings)
    log.info(
        "Serving Slack requests on http://0.0.0.0:%s/slack/events with %d worker process%s (%s)",
        settings.port,
        workers,
        "" if workers == 1 else "es",
        why,
    )
    log.info("Reaching Slack in %s.", describe_mode(settings))
    _say_if_slack_unreachable(settings)
    # State lives in the database, so each process builds its own app, engine and outbox.
    with shared_metrics(workers):
        uvicorn.run(
            "bot.web:app_from_environment",
            factory=True,
            host="0.0.0.0",
            port=settings.port,
            workers=workers,
            log_config=logging_config(settings.log_format == "json", access_log=args.access_log),
            access_log=args.access_log,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=20,  # on SIGTERM, for requests under way
            # uvicorn kills a worker that doesn't answer its ping in 5 s; on a busy host a
            # starting worker can take longer, and killing it only starts the wait again.
            timeout_worker_healthcheck=30,
        )
    return 0


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import WORKER_POLL_SECONDS, make_deps, outbox_worker

    prepare_database(args, settings)
    _say_if_slack_unreachable(settings)
    deps = make_deps(settings)
    for library in HEAVY_LIBRARIES:
        importlib.import_module(library)
    # Every kind: the only production process that delivers (serve and scheduler only owe).
    worker = outbox_worker(deps, poll_seconds=WORKER_POLL_SECONDS, listen=True)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    log.info("Delivering the outbox: messages, charts, Word and Excel documents.")
    try:
        worker.run()
    except KeyboardInterrupt:
        pass
    finally:
        deps.close()
    return 0


def run_socket(args: argparse.Namespace, settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_app, make_deps, outbox_worker
    from bot.slack.failures import check_at_start
    from bot.slack.installations import describe_mode, scheduler_client_for

    if settings.oauth_enabled:
        print(
            "Socket Mode can't install the bot in many workspaces: unset SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET and set SLACK_BOT_TOKEN, or serve over HTTP with "
            "`psif-bot serve`.",
            file=sys.stderr,
        )
        return 2
    if settings.slack_app_token is None:
        print(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…) "
            "with connections:write, from Basic Information › App-Level Tokens.",
            file=sys.stderr,
        )
        return 2
    prepare_database(args, settings)
    # Socket Mode is a connection to Slack: without it, nothing works.
    if line := check_at_start(settings.slack_api_url):
        print(f"psif-bot can't start: {line}", file=sys.stderr)
        return 2
    deps = make_deps(settings)
    _move_old_respondent_keys(deps)
    app = create_app(settings, deps)
    if args.scheduler:
        from scheduler.runner import start_in_background

        start_in_background(deps, scheduler_client_for(settings, _workspaces(settings, deps)))
    log.info("Reaching Slack in %s.", describe_mode(settings))
    with outbox_worker(deps):
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
    return 0


def run_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import make_deps
    from bot.metrics import record_scheduler_pass
    from bot.slack.installations import describe_mode, scheduler_client_for
    from scheduler.runner import (
        PASS_NAMES,
        build_scheduler,
        nudge_pass,
        retention_pass,
        vote_close_pass,
    )

    prepare_database(args, settings)
    deps = make_deps(settings)
    _move_old_respondent_keys(deps)
    log.info("Reaching Slack in %s.", describe_mode(settings))
    _say_if_slack_unreachable(settings)
    # The client only says whether the bot is installed: nudges are owed to the outbox,
    # which `psif-bot worker` delivers.
    client = scheduler_client_for(settings, _workspaces(settings, deps))
    if args.once:
        report = nudge_pass(deps, client)
        vote_close_pass(deps)
        retention_pass(deps)
        for name in PASS_NAMES.values():
            record_scheduler_pass(deps, name)
        deps.close()
        log.info("Scheduler pass done: %s", report)
        return 0
    log.info(
        "Scheduler running; nudges go out at 09:00 %s on working days.", settings.timezone_name
    )
    build_scheduler(deps, client).start()
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from bot.demo.runner import DemoOptions
    from bot.demo.runner import run_demo as play
    from bot.settings import Settings

    # The demo runs on the default settings, so its stakeholders must reach their minimum.
    minimum = Settings.model_fields["min_respondents"].default
    if args.people < minimum:
        print(
            f"--people must be at least {minimum}: results need {minimum} people outside the "
            "review team to answer.",
            file=sys.stderr,
        )
        return 2
    return play(DemoOptions(out=args.out, people=args.people, seed=args.seed, keep_db=args.keep_db))


def add_migrate_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--migrate",
        action="store_true",
        help="bring the database up to date first (default PSIF_MIGRATE_ON_START, else "
        "only on SQLite)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="psif-bot", description="PSIF peer collaborative improvement bot for Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve Slack's HTTP requests (production)")
    serve.add_argument(
        "--workers",
        type=int,
        help="worker processes (default PSIF_WEB_WORKERS or WEB_CONCURRENCY, else 1 on SQLite, "
        "else as many as the CPUs and memory hold)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    add_migrate_option(serve)
    serve.set_defaults(run=run_serve)
    worker = sub.add_parser(
        "worker", help="deliver to Slack and draw the charts and documents (production)"
    )
    add_migrate_option(worker)
    worker.set_defaults(run=run_worker)
    socket = sub.add_parser("socket", help="connect over Socket Mode (development)")
    socket.add_argument(
        "--scheduler", action="store_true", help="also send reminders from this process"
    )
    add_migrate_option(socket)
    socket.set_defaults(run=run_socket)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=run_migrate
    )
    scheduler = sub.add_parser("scheduler", help="send reminders and digests (the clock process)")
    scheduler.add_argument("--once", action="store_true", help="run one pass and exit (for cron)")
    add_migrate_option(scheduler)
    scheduler.set_defaults(run=run_scheduler)
    demo = sub.add_parser(
        "demo",
        help="play a whole review against a local stand-in for Slack (no workspace needed)",
    )
    demo.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="where to write (demo-output)"
    )
    demo.add_argument("--people", type=int, default=8, help="stakeholders who answer (8)")
    demo.add_argument("--seed", type=int, default=1, help="varies the answers and votes (1)")
    demo.add_argument("--keep-db", type=Path, help="keep the SQLite database at this new path")
    # The demo needs no settings: it makes its own, whatever the environment holds.
    demo.set_defaults(standalone=run_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    standalone: Callable[[argparse.Namespace], int] | None = getattr(args, "standalone", None)
    # The demo prints its own transcript; only the app's warnings and errors join it.
    configure_logging(level=logging.WARNING if standalone else logging.INFO)
    if standalone is not None:
        return standalone(args)
    from bot.core.checklist_loader import ChecklistError
    from bot.respondent_secret import (
        RespondentSecretMissing,
        require_respondent_secret,
        secret_file_committable,
    )
    from bot.settings import SettingsError, load_settings
    from storage.migrate import SchemaBehind, UnknownRevision

    run: Command = args.run
    try:
        settings = load_settings()
        if settings.log_format == "json":
            configure_logging(json_lines=True)
        if args.command in NEEDS_RESPONDENT_SECRET:
            require_respondent_secret(settings)
            if warning := secret_file_committable(settings):
                log.warning(warning)
        return run(args, settings)
    except (SettingsError, RespondentSecretMissing, UnknownRevision, SchemaBehind) as error:
        print(f"psif-bot can't start: {error}", file=sys.stderr)
    except ChecklistError as error:
        print(f"psif-bot can't start: a checklist file is broken.\n{error}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
