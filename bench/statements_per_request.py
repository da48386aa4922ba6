"""Database statements per request at 5 and 200 items (AFIs, actions and respondents), by
interaction; fails (exit 1) if a request's count grows with the review or if the web
process loaded matplotlib, python-docx or openpyxl.

    .venv/bin/python bench/statements_per_request.py [--database-url postgresql+psycopg://…/db]

The web process as `psif-bot serve` assembles it (bot.web.web_process: no outbox thread;
`psif-bot worker` beside it delivers) on 127.0.0.1 against the fake Slack, in this process, so
SQLAlchemy's cursor events can count what each request's threads run (as
tests/platform/test_statement_counts.py checks) and `sys.modules` shows what it loaded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.afi_vote_burst import reset_database  # noqa: E402
from bot.app import make_deps  # noqa: E402
from bot.demo.driver import SlackDriver  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.serving import serve_in_background  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.web import web_process  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402

from conftest import RunningBot  # noqa: E402
from statement_helpers import (  # noqa: E402
    FURTHER_MESSAGES,
    INTERACTIONS,
    LONG_ANSWERS,
    counting,
    seed_sized_review,
    start_vote,
)

SECRET = "bench-signing-secret"
SIZES = (5, 200)
HEAVY_LIBRARIES = ("matplotlib", "docx", "openpyxl")


@contextmanager
def running_worker(environment: dict[str, str]) -> Iterator[None]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a SQLite file)")
    parser.add_argument("--show", action="store_true", help="print each statement (200 items)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='psif-bench-')}/bench.db"
    if args.database_url:
        reset_database(url)
    upgrade_to_head(url)
    counts: dict[str, dict[int, list[str]]] = {name: {} for name in INTERACTIONS}
    with FakeSlack() as fake:
        environment = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "PSIF_RESPONDENT_SECRET": "bench-respondent-secret",
            "DATABASE_URL": url,
            "SLACK_API_URL": fake.base_url,
        }
        settings = Settings(**environment, _env_file=None)  # type: ignore[arg-type, call-arg]
        deps = make_deps(settings)
        # The charts and documents the requests owe are the worker process's, as in production.
        with (
            running_worker(environment),
            serve_in_background(web_process(settings, deps)) as served,
        ):
            bot = RunningBot(served, deps)
            slack = SlackDriver(served, SECRET, fake)
            for size in SIZES:
                channel, host = f"C{size}", f"UHOST{size}"
                seed_sized_review(deps, channel=channel, host=host, size=size)
                start_vote(slack, fake, channel, host)
                for name, run in INTERACTIONS.items():
                    run(slack, fake, bot, channel, host)
                    user = f"{host}P" if name == "vote click" else host
                    with counting(deps.engine) as seen:
                        run(slack, fake, bot, channel, user)
                    counts[name][size] = list(seen)
    print(f"database: {url.split(':')[0]}")
    print(f"{'interaction':<22}" + "".join(f"{f'{size} items':>11}" for size in SIZES))
    for name, by_size in counts.items():
        print(f"{name:<22}" + "".join(f"{len(by_size[size]):>11}" for size in SIZES))
    if args.show:
        for name, by_size in counts.items():
            print(f"\n{name}:", *by_size[SIZES[-1]], sep="\n  ")
    small, large = SIZES
    grew = [
        name
        for name, by_size in counts.items()
        if len(by_size[large]) - len(by_size[small])
        > (FURTHER_MESSAGES if name in LONG_ANSWERS else 0)
    ]
    loaded = [name for name in HEAVY_LIBRARIES if name in sys.modules]
    for name in grew:
        print(f"FAIL: {name} runs more statements at {large} items than at {small}")
    if loaded:
        print(f"FAIL: the web process loaded {', '.join(loaded)}")
    else:
        print(f"the web process loaded none of {', '.join(HEAVY_LIBRARIES)}")
    return 1 if grew or loaded else 0


if __name__ == "__main__":
    sys.exit(main())
