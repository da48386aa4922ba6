"""Database statements per request at 5 and 200 items (AFIs and actions), by interaction.

    .venv/bin/python bench/statements_per_request.py [--database-url postgresql+psycopg://…/db]

The real app on 127.0.0.1 against the fake Slack, in this process, so SQLAlchemy's cursor
events can count what each request's threads run (as
tests/platform/test_statement_counts.py checks).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.afi_vote_burst import reset_database  # noqa: E402
from bot.app import create_app, make_deps  # noqa: E402
from bot.demo.driver import SlackDriver  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.serving import serve_in_background  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.web import create_asgi_app  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402

from conftest import RunningBot  # noqa: E402
from statement_helpers import INTERACTIONS, counting, seed_sized_review, start_vote  # noqa: E402

SECRET = "bench-signing-secret"
SIZES = (5, 200)


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
        settings = Settings(
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            PSIF_RESPONDENT_SECRET="bench-respondent-secret",
            DATABASE_URL=url,
            SLACK_API_URL=fake.base_url,
            _env_file=None,
        )  # type: ignore[call-arg]
        deps = make_deps(settings)
        with serve_in_background(create_asgi_app(create_app(settings, deps), deps)) as served:
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
        deps.close()
    print(f"database: {url.split(':')[0]}")
    print(f"{'interaction':<18}" + "".join(f"{f'{size} items':>11}" for size in SIZES))
    for name, by_size in counts.items():
        print(f"{name:<18}" + "".join(f"{len(by_size[size]):>11}" for size in SIZES))
    if args.show:
        for name, by_size in counts.items():
            print(f"\n{name}:", *by_size[SIZES[-1]], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
