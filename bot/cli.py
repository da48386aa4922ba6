"""`psif-bot`: serve | worker | socket | migrate | scheduler | demo."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Heavy imports (pydantic, SQLAlchemy, slack_sdk) wait until a command runs: `--help` is quick.
if TYPE_CHECKING:
    from bot.deps import Deps
    from bot.settings import Settings
    from bot.slack.installations import Workspaces

Command = Callable[[argparse.Namespace, "Settings"], int]
# The commands that read or write self-assessment progress (not `migrate`).
NEEDS_RESPONDENT_SECRET = frozenset({"serve", "worker", "socket", "scheduler"})
log = logging.getLogger("psif-bot")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What the worker process draws and writes with, loaded once when it starts.
HEAVY_LIBRARIES = ("matplotlib.backends.backend_agg", "matplotlib.figure", "docx", "openpyxl")


def _migrate(settings: Settings) -> None:
    from storage.migrate import upgrade_to_head

    upgrade_to_head(settings.database_url)


def _prepare_embedded_database(settings: Settings) -> None:
    from storage.db import is_sqlite

    # A newcomer on the SQLite default needs no separate migrate step.
    if is_sqlite(settings.database_url):
        _migrate(settings)


def _move_old_respondent_keys(deps: Deps) -> None:
    from bot.self_assessment.service import move_keys_off_signing_secret

    move_keys_off_signing_secret(deps)


def _workspaces(settings: Settings, deps: Deps) -> Workspaces | None:
    from bot.slack.installations import Workspaces

    return Workspaces(settings, deps.engine) if settings.oauth_enabled else None


def run_migrate(_args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    log.info("Database is up to date.")
    return 0


def web_workers(args: argparse.Namespace, settings: Settings) -> int:
    """How many `serve` processes: --workers, else PSIF_WEB_WORKERS, else one per CPU (at
    most 8) on PostgreSQL and one on SQLite, whose single writer gains nothing from more."""
    from storage.db import is_sqlite

    chosen: int | None = args.workers or settings.web_workers
    if chosen is not None:
        return chosen
    if is_sqlite(settings.database_url):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def log_config(access_log: bool) -> dict[str, Any]:
    """Logging for every `serve` process: uvicorn starts its worker processes afresh, so they
    get this rather than what `main` set up here. Access lines only when asked for."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        # Access lines never carry a survey link (a key to someone's answers).
        "filters": {"survey_links": {"()": "handlers.web.survey.HideSurveyLinks"}},
        "loggers": {
            "uvicorn.access": {
                "level": "INFO" if access_log else "WARNING",
                "filters": ["survey_links"],
            }
        },
    }


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.app import make_deps
    from bot.slack.installations import describe_mode

    _prepare_embedded_database(settings)
    setup = make_deps(settings)
    _move_old_respondent_keys(setup)
    setup.engine.dispose()  # the serving processes make their own
    workers = web_workers(args, settings)
    log.info(
        "Serving Slack requests on http://0.0.0.0:%s/slack/events with %d worker process%s",
        settings.port,
        workers,
        "" if workers == 1 else "es",
    )
    log.info("Reaching Slack in %s.", describe_mode(settings))
    # Everything a worker holds in memory is per process: the votes, the tally's spacing
    # and the outbox live in the database, so any number of processes (on any number of
    # hosts) serve one review. Each process builds its own app, engine and outbox worker.
    uvicorn.run(
        "bot.web:app_from_environment",
        factory=True,
        host="0.0.0.0",
        port=settings.port,
        workers=workers,
        log_config=log_config(args.access_log),
        access_log=args.access_log,
        # An idle kept-alive connection is closed after this long.
        timeout_keep_alive=5,
        # On SIGTERM, requests under way get this long to finish.
        timeout_graceful_shutdown=20,
    )
    return 0


def run_worker(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import WORKER_POLL_SECONDS, make_deps, outbox_worker

    _prepare_embedded_database(settings)
    deps = make_deps(settings)
    for library in HEAVY_LIBRARIES:
        importlib.import_module(library)
    # Every kind: the charts and documents, and the web processes' messages if they are down.
    worker = outbox_worker(deps, poll_seconds=WORKER_POLL_SECONDS)
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
    from bot.slack.installations import describe_mode, scheduler_client_for

    if settings.slack_app_token is None:
        print(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…) "
            "with connections:write, from Basic Information › App-Level Tokens.",
            file=sys.stderr,
        )
        return 2
    _prepare_embedded_database(settings)
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
    from bot.app import LIGHT_KINDS, make_deps, outbox_worker
    from bot.slack.installations import describe_mode, outbox_client_for, scheduler_client_for
    from scheduler.runner import build_scheduler, nudge_pass, retention_pass, vote_close_pass

    _prepare_embedded_database(settings)
    deps = make_deps(settings)
    _move_old_respondent_keys(deps)
    workspaces = _workspaces(settings, deps)
    log.info("Reaching Slack in %s.", describe_mode(settings))
    client = scheduler_client_for(settings, workspaces)
    # Delivers what this process owes, what the web processes owe, and retries; charts and
    # documents are the worker process's.
    worker = outbox_worker(deps, outbox_client_for(settings, workspaces), kinds=LIGHT_KINDS)
    if args.once:
        report = nudge_pass(deps, client)
        vote_close_pass(deps)
        retention_pass(deps)
        worker.deliver_due()
        deps.close()
        log.info("Scheduler pass done: %s", report)
        return 0
    log.info(
        "Scheduler running; nudges go out at 09:00 %s on working days.", settings.timezone_name
    )
    with worker:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="psif-bot", description="PSIF peer collaborative improvement bot for Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve Slack's HTTP requests (production)")
    serve.add_argument(
        "--workers",
        type=int,
        help="worker processes (default PSIF_WEB_WORKERS, else CPUs on PostgreSQL, 1 on SQLite)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(run=run_serve)
    sub.add_parser(
        "worker", help="deliver to Slack and draw the charts and documents (production)"
    ).set_defaults(run=run_worker)
    socket = sub.add_parser("socket", help="connect over Socket Mode (development)")
    socket.add_argument(
        "--scheduler", action="store_true", help="also send reminders from this process"
    )
    socket.set_defaults(run=run_socket)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=run_migrate
    )
    scheduler = sub.add_parser("scheduler", help="send reminders and digests (the clock process)")
    scheduler.add_argument("--once", action="store_true", help="run one pass and exit (for cron)")
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
    logging.basicConfig(
        # The demo prints its own transcript; only the app's warnings and errors join it.
        level=logging.WARNING if standalone else logging.INFO,
        format=LOG_FORMAT,
    )
    if standalone is not None:
        return standalone(args)
    from bot.core.checklist_loader import ChecklistError
    from bot.respondent_secret import (
        RespondentSecretMissing,
        require_respondent_secret,
        secret_file_committable,
    )
    from bot.settings import SettingsError, load_settings
    from storage.migrate import UnknownRevision

    run: Command = args.run
    try:
        settings = load_settings()
        if args.command in NEEDS_RESPONDENT_SECRET:
            require_respondent_secret(settings)
            if warning := secret_file_committable(settings):
                log.warning(warning)
        return run(args, settings)
    except (SettingsError, RespondentSecretMissing, UnknownRevision) as error:
        print(f"psif-bot can't start: {error}", file=sys.stderr)
    except ChecklistError as error:
        print(f"psif-bot can't start: a checklist file is broken.\n{error}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
