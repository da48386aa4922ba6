"""CPU per request of the real server against a bare Bolt app, and the processes' memory.

Runs `psif-bot serve` (uvicorn, one web process so its CPU can be read from /proc) and
`psif-bot worker` (which delivers everything the web process owes) against the fake Slack
Web API, with one review of 5 items (AFIs, actions and respondents) and one of 2,000, sends
each interaction and reads the web process's CPU time before and after. /proc counts CPU in
10 ms ticks, so each interaction is repeated until the web process has used MIN_TICKS of
them (at most its own cap: a draft is a Word document for the worker). Then the same kinds
of request to bench/bare_bolt.py, which verifies and acks only, in the same run, the same
way. Finally the web process's resident memory after 20 `/psif results` and 5 drafts, and
the worker's over `--drafts` more drafts. Prints figures only.

    .venv/bin/python bench/cpu_per_request.py [--database-url postgresql+psycopg://…/db]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.afi_vote_burst import free_port, reset_database  # noqa: E402
from bot.app import make_deps  # noqa: E402
from bot.core.checklist import Answer  # noqa: E402
from bot.demo.driver import SlackDriver  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack import ids  # noqa: E402
from storage.db import transaction  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.repositories.reviews import open_review_in_channel  # noqa: E402
from storage.repositories.self_assessment import (  # noqa: E402
    add_participants,
    close_early,
    get_checklist_round,
    set_closing_date,
)

from checklist_helpers import section_inputs  # noqa: E402
from statement_helpers import seed_sized_review  # noqa: E402

SECRET = "bench-signing-secret"
RESPONDENT_SECRET = "bench-respondent-secret"
# /proc's CPU ticks (10 ms) an interaction must use: ±1 tick is then ±2 %.
MIN_TICKS = 50
MOST = 400  # requests per interaction and size, at most
DRAFTS_MOST = 20  # each is a Word document for the worker
BARE_MOST = 1000  # the bare app needs ~1 ms a request
SIZES = (5, 2000)
NOW = datetime.now(UTC)
TICK = os.sysconf("SC_CLK_TCK")
UPLOADED = "files.completeUploadExternal"


def bench_deps(url: str, fake: FakeSlack) -> Deps:
    """The bench's own view of the database, to seed it and to reopen a self-assessment."""
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        PSIF_RESPONDENT_SECRET=RESPONDENT_SECRET,
        DATABASE_URL=url,
        SLACK_API_URL=fake.base_url,
        _env_file=None,
    )  # type: ignore[call-arg]
    return make_deps(settings)


def seed(deps: Deps, size: int) -> None:
    """Review C<size>: host UHOST<size>, peer UHOST<size>P, `size` AFIs, actions and people
    who answered the self-assessment (tests/statement_helpers.py)."""
    seed_sized_review(deps, channel=f"C{size}", host=host(size), size=size)


def host(size: int) -> str:
    return f"UHOST{size}"


def peer(size: int) -> str:
    return f"UHOST{size}P"


def start(
    command: list[str], env: dict[str, str], port: int | None = None
) -> subprocess.Popen[bytes]:
    """Start a process; with `port`, wait until it answers HTTP there."""
    server = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if port is None:
        return server
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/slack/events", timeout=1)
        except urllib.error.HTTPError:
            return server  # answering (405/404 for a GET)
        except OSError:
            time.sleep(0.2)
            continue
        return server
    server.terminate()
    raise SystemExit("a server did not start within 30 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def settle(fake: FakeSlack, quiet: float = 0.7) -> None:
    """Wait until the bot stops calling Slack (its outbox has caught up)."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < quiet:
        count = len(fake.calls) + len(fake.responses)
        if count != last:
            last, since = count, time.monotonic()
        time.sleep(0.05)


Send = Callable[[SlackDriver, FakeSlack, int, int], None]


def command(name: str, text: str, *, by: Callable[[int], str] | None = None) -> Send:
    """`text` may name `{n}`, the request's number in the run (each a new person, say)."""

    def send(slack: SlackDriver, _fake: FakeSlack, size: int, n: int) -> None:
        user = (by or host)(size)
        slack.command(name, text.format(n=n), user=user, channel=f"C{size}")

    return send


def home(slack: SlackDriver, _fake: FakeSlack, size: int, _n: int) -> None:
    slack.open_home(host(size))


def vote(slack: SlackDriver, fake: FakeSlack, size: int, _n: int) -> None:
    message = next(m for m in fake.messages_in(f"C{size}") if "Vote" in str(m.get("text")))
    value = next(
        e["value"]
        for block in message["blocks"]
        for e in block.get("elements", [])
        if e.get("action_id") == ids.AFI_VOTE_ADD
    )
    slack.click_in_message(  # one button toggles: every other press takes the vote back
        message,
        ids.AFI_VOTE_ADD,
        user=peer(size),
        channel=f"C{size}",
        value=value,
        response_url=fake.new_response_url(),
        ephemeral=False,
    )


class SectionSubmit:
    """A respondent saving the first section of the checklist (a view_submission), again and
    again: the self-assessment of C<size> is reopened for it, then closed as it was."""

    def __init__(self) -> None:
        self.deps: Deps | None = None  # set by main: the bench's own
        self.views: dict[int, dict[str, Any]] = {}

    def respondent(self, size: int) -> str:
        return f"USECTION{size}"

    def _reopen(self, size: int, is_open: bool) -> None:
        assert self.deps is not None
        with transaction(self.deps.sessions) as session:
            review = open_review_in_channel(session=session, channel_id=f"C{size}")
            assert review is not None
            round_ = get_checklist_round(session=session, review_id=review.id)
            assert round_ is not None
            if not is_open:
                close_early(session=session, round_=round_, now=datetime.now(UTC))
                return
            set_closing_date(
                session=session, round_=round_, closes_on=date.today() + timedelta(days=60)
            )
            add_participants(
                session=session,
                review_id=review.id,
                user_ids=[self.respondent(size)],
                actor_id=host(size),
                now=datetime.now(UTC),
            )

    def __call__(self, slack: SlackDriver, fake: FakeSlack, size: int, _n: int) -> None:
        user = self.respondent(size)
        if size not in self.views:  # the first (warming) request opens the self-assessment
            self._reopen(size, True)
            opened = len(fake.calls_to("views.open"))
            slack.command("/psif", "checklist", user=user, channel=f"C{size}")
            self.views[size] = fake.wait_for("views.open", count=opened + 1)[-1].response["view"]
        inputs = section_inputs(1, lambda _statement: Answer.AGREE)
        reply = slack.submit_view(self.views[size], inputs, user=user)
        assert reply.status == 200 and reply.json()["response_action"] == "update", reply.body

    def to_bare(self, slack: SlackDriver, _fake: FakeSlack, size: int, _n: int) -> None:
        """The same view's submission to the bare app, which only acks."""
        slack.submit_view(self.views[size], section_inputs(1, lambda _: Answer.AGREE), user="U1")

    def after(self, size: int) -> None:
        self._reopen(size, False)


def measure(
    pid: int, slack: SlackDriver, fake: FakeSlack, send: Send, size: int, most: int = MOST
) -> tuple[float, int]:
    """Milliseconds of web process CPU per request, and how many requests were sent: in
    doubling batches until the process has used MIN_TICKS ticks (or `most` requests)."""
    send(slack, fake, size, next(NUMBERS))  # warm
    settle(fake, quiet=1.5)  # the worker looks every second: what it owes the web comes first
    before, sent = cpu_seconds(pid), 0
    while sent < most and cpu_seconds(pid) - before < MIN_TICKS / TICK:
        for _ in range(min(max(sent, 10), most - sent)):
            send(slack, fake, size, next(NUMBERS))
            sent += 1
        settle(fake)
    return (cpu_seconds(pid) - before) / sent * 1000, sent


def open_vote(slack: SlackDriver, fake: FakeSlack, size: int) -> None:
    opened = len(fake.calls_to("views.open"))
    slack.command("/afi", "vote", user=host(size), channel=f"C{size}")
    view = fake.wait_for("views.open", count=opened + 1)[-1].response["view"]
    posts = len(fake.calls_to("chat.postMessage"))
    slack.submit_view(view, {}, user=host(size))
    fake.wait_for("chat.postMessage", count=posts + 1)


class Interaction(NamedTuple):
    send: Send
    bare: str  # the kind of bare request it is compared with
    most: int = MOST
    after: Callable[[int], None] | None = None  # with the size, once it is measured


NUMBERS = count()
SECTION = SectionSubmit()
# In this order: the section's submissions reopen the self-assessment that `/psif results`
# (which closes it) reads.
INTERACTIONS: dict[str, Interaction] = {
    "/psif status": Interaction(command("/psif", "status"), "command"),
    "/afi list": Interaction(command("/afi", "list"), "command"),
    "/afi show": Interaction(command("/afi", "show 1"), "command"),
    "/action list": Interaction(command("/action", "list"), "command"),
    "/afi add": Interaction(command("/afi", "add Another area for improvement {n}"), "command"),
    "/afi note": Interaction(
        command("/afi", "note 1 Budget papers reach members late", by=peer), "command"
    ),
    "/psif team add": Interaction(
        command("/psif", "team add <@UNEW{n}|new{n}> as peer Angus"), "command", 100
    ),
    "/psif papers": Interaction(command("/psif", "papers"), "command"),
    "/psif fieldwork": Interaction(command("/psif", "fieldwork"), "command"),
    "section submit": Interaction(SECTION, "view", after=SECTION.after),
    "/psif results": Interaction(command("/psif", "results"), "command"),
    "/psif report": Interaction(command("/psif", "report"), "command", DRAFTS_MOST),
    "App Home": Interaction(home, "event"),
    "vote click": Interaction(vote, "action"),
}


def drafts(slack: SlackDriver, fake: FakeSlack, count: int) -> None:
    """`count` more drafts of review C5, each waited for until its Word file is uploaded."""
    done = len([f for f in fake.files.values() if f.filename.endswith(".docx")])
    for n in range(count):
        command("/psif", "report")(slack, fake, SIZES[0], n)
        deadline = time.monotonic() + 120
        while len([f for f in fake.files.values() if f.filename.endswith(".docx")]) <= done + n:
            if time.monotonic() > deadline:
                raise SystemExit("a draft's Word document was not uploaded within 2 minutes")
            time.sleep(0.05)
    settle(fake)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a SQLite file)")
    parser.add_argument("--drafts", type=int, default=25, help="drafts for the worker's memory")
    parser.add_argument(
        "--only", action="append", choices=INTERACTIONS, help="just this interaction (repeatable)"
    )
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='psif-bench-')}/bench.db"
    if args.database_url:
        reset_database(url)
    upgrade_to_head(url)
    rows: list[tuple[str, int, float, int, str]] = []
    with FakeSlack() as fake:
        SECTION.deps = deps = bench_deps(url, fake)
        for size in SIZES:
            seed(deps, size)
        port = free_port()
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "DATABASE_URL": url,
            "SLACK_API_URL": fake.base_url,
            "PORT": str(port),
            "PSIF_RESPONDENT_SECRET": RESPONDENT_SECRET,
        }
        server = start([sys.executable, "-m", "bot.cli", "serve", "--workers", "1"], env, port)
        worker = start([sys.executable, "-m", "bot.cli", "worker"], env)
        try:
            pid = server.pid  # one worker: uvicorn serves in the process it was started in
            slack = SlackDriver(f"http://127.0.0.1:{port}", SECRET, fake)
            for size in SIZES:
                open_vote(slack, fake, size)
            for name, (send, kind, most, after) in INTERACTIONS.items():
                if args.only and name not in args.only:
                    continue
                for size in SIZES:
                    rows.append((name, size, *measure(pid, slack, fake, send, size, most), kind))
                    if after is not None:
                        after(size)
            web_before = rss_mib(pid)
            results = command("/psif", "results")
            for n in range(20):
                results(slack, fake, SIZES[0], n)
            settle(fake)
            drafts(slack, fake, 5)
            web_after = rss_mib(pid)
            worker_before = rss_mib(worker.pid)
            drafts(slack, fake, args.drafts)
            worker_after = rss_mib(worker.pid)
            charts = len([f for f in fake.files.values() if f.filename.endswith(".png")])
        finally:
            stop(server)
            stop(worker)
        bare_port = free_port()
        bare = start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(ROOT / "bench"),
                "--port",
                str(bare_port),
                "--log-level",
                "warning",
                "bare_bolt:application",
            ],
            {"SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.base_url},
            bare_port,
        )
        try:
            bare_slack = SlackDriver(f"http://127.0.0.1:{bare_port}", SECRET, fake)
            bare_sends: dict[str, Send] = {
                "command": command("/psif", "status"),
                "event": home,
                "action": vote,
                "view": SECTION.to_bare,
            }
            baseline = {
                kind: measure(bare.pid, bare_slack, fake, bare_sends[kind], SIZES[0], BARE_MOST)
                for kind in dict.fromkeys(row[-1] for row in rows)
            }
        finally:
            stop(bare)
        deps.engine.dispose()
    print(f"database: {url.split(':')[0]}, one web process and one worker process")
    print(
        "bare Bolt (ack only), ms CPU/request: "
        + ", ".join(f"{kind} {ms:.2f} ({sent})" for kind, (ms, sent) in baseline.items())
    )
    print(f"{'interaction':<16}{'items':>6}{'requests':>9}{'ms CPU':>9}{'× bare':>8}")
    for name, size, ms, sent, kind in rows:
        print(f"{name:<16}{size:>6}{sent:>9}{ms:>9.2f}{ms / baseline[kind][0]:>8.1f}")
    print(
        f"web process RSS: {web_before:.0f} MiB, then {web_after:.0f} MiB after 20 results "
        f"and 5 drafts; charts uploaded by the worker: {charts}"
    )
    print(
        f"worker process RSS: {worker_before:.0f} MiB, then {worker_after:.0f} MiB after "
        f"{args.drafts} more drafts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
