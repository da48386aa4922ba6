"""CPU per request of the real server against a bare Bolt app, and the processes' memory.

Runs `psif-bot serve` (uvicorn, one web process so its CPU can be read from /proc) and
`psif-bot worker` against the fake Slack Web API, with one review of 5 items (AFIs, actions
and respondents) and one of 200, sends each interaction REPEAT times (DRAFT_REPEAT drafts, as
each is a Word document for the worker) and reads the web process's CPU time before and
after (the light outbox deliveries in that process included; charts and documents are the
worker process's). Then the same kinds of request to bench/bare_bolt.py, which verifies and
acks only, in the same run. Finally the web process's resident memory after 20 `/psif
results` and 5 drafts, and the worker's over `--drafts` more drafts. Prints figures only.

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
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.afi_vote_burst import free_port, reset_database  # noqa: E402
from bot.app import make_deps  # noqa: E402
from bot.demo.driver import SlackDriver  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack import ids  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402

from statement_helpers import seed_sized_review  # noqa: E402

SECRET = "bench-signing-secret"
RESPONDENT_SECRET = "bench-respondent-secret"
REPEAT = 60
DRAFT_REPEAT = 20
SIZES = (5, 200)
NOW = datetime.now(UTC)
TICK = os.sysconf("SC_CLK_TCK")
UPLOADED = "files.completeUploadExternal"


def seed(url: str, size: int, fake: FakeSlack) -> None:
    """Review C<size>: host UHOST<size>, peer UHOST<size>P, `size` AFIs, actions and people
    who answered the self-assessment (tests/statement_helpers.py), with names on Slack."""
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        PSIF_RESPONDENT_SECRET=RESPONDENT_SECRET,
        DATABASE_URL=url,
        SLACK_API_URL=fake.base_url,
        _env_file=None,
    )  # type: ignore[call-arg]
    deps = make_deps(settings)
    seed_sized_review(deps, channel=f"C{size}", host=host(size), size=size)
    deps.engine.dispose()


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


def command(name: str, text: str) -> Send:
    def send(slack: SlackDriver, _fake: FakeSlack, size: int, _n: int) -> None:
        slack.command(name, text, user=host(size), channel=f"C{size}")

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


def measure(
    pid: int, slack: SlackDriver, fake: FakeSlack, send: Send, size: int, repeat: int = REPEAT
) -> float:
    """Milliseconds of web process CPU per request."""
    send(slack, fake, size, 1)  # warm
    settle(fake, quiet=1.5)  # the worker looks every second: what it owes the web comes first
    before = cpu_seconds(pid)
    for n in range(repeat):
        send(slack, fake, size, n)
    settle(fake)
    return (cpu_seconds(pid) - before) / repeat * 1000


def open_vote(slack: SlackDriver, fake: FakeSlack, size: int) -> None:
    opened = len(fake.calls_to("views.open"))
    slack.command("/afi", "vote", user=host(size), channel=f"C{size}")
    view = fake.wait_for("views.open", count=opened + 1)[-1].response["view"]
    posts = len(fake.calls_to("chat.postMessage"))
    slack.submit_view(view, {}, user=host(size))
    fake.wait_for("chat.postMessage", count=posts + 1)


# name: (send, kind of bare request to compare with, repeats)
INTERACTIONS: dict[str, tuple[Send, str, int]] = {
    "/psif status": (command("/psif", "status"), "command", REPEAT),
    "/afi list": (command("/afi", "list"), "command", REPEAT),
    "/afi show": (command("/afi", "show 1"), "command", REPEAT),
    "/action list": (command("/action", "list"), "command", REPEAT),
    "/afi add": (command("/afi", "add Another area for improvement"), "command", REPEAT),
    "/psif papers": (command("/psif", "papers"), "command", REPEAT),
    "/psif fieldwork": (command("/psif", "fieldwork"), "command", REPEAT),
    "/psif results": (command("/psif", "results"), "command", REPEAT),
    "/psif report": (command("/psif", "report"), "command", DRAFT_REPEAT),
    "App Home": (home, "event", REPEAT),
    "vote click": (vote, "action", REPEAT),
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
    rows: list[tuple[str, int, float, str]] = []
    with FakeSlack() as fake:
        for size in SIZES:
            seed(url, size, fake)
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
            for name, (send, kind, repeat) in INTERACTIONS.items():
                if args.only and name not in args.only:
                    continue
                for size in SIZES:
                    rows.append((name, size, measure(pid, slack, fake, send, size, repeat), kind))
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
            baseline = {
                "command": measure(bare.pid, bare_slack, fake, command("/psif", "status"), 5),
                "event": measure(bare.pid, bare_slack, fake, home, 5),
                "action": measure(bare.pid, bare_slack, fake, vote, 5),
            }
        finally:
            stop(bare)
    print(
        f"database: {url.split(':')[0]}, {REPEAT} requests each ({DRAFT_REPEAT} drafts), one web "
        "process and one worker process"
    )
    print(
        "bare Bolt (ack only), ms CPU/request: "
        + ", ".join(f"{kind} {ms:.2f}" for kind, ms in baseline.items())
    )
    print(f"{'interaction':<16}{'items':>6}{'ms CPU':>9}{'× bare':>8}")
    for name, size, ms, kind in rows:
        print(f"{name:<16}{size:>6}{ms:>9.2f}{ms / baseline[kind]:>8.1f}")
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
