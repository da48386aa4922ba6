"""Reviews of a given size, and counting the statements a request runs."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, event, select

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi, AfiVoteRound

from action_helpers import wait_until
from conftest import RunningBot
from factories import add_afis, add_checklist_answers, add_improvement_action, make_review

NOW = datetime(2026, 11, 2, 10, tzinfo=UTC)
SMALL, LARGE = 5, 200
# An answer too long for one message owes the rest through the outbox in one transaction,
# with one insert however many messages: a review big enough for that costs this much more.
FURTHER_MESSAGES = 2  # BEGIN, INSERT
LONG_ANSWERS = frozenset({"/action list all"})
CHECKLIST = load_default_checklist()
FIELDWORK = (date(2026, 10, 20), date(2026, 10, 22))


def seed_sized_review(deps: Deps, *, channel: str, host: str, size: int) -> None:
    """A review led by `host` with `size` AFIs, `size` actions and `size` people who
    answered the self-assessment."""
    with transaction(deps.sessions) as session:
        review = make_review(
            session,
            members=((host, Role.HOST_LEAD), (f"{host}P", Role.PEER_REVIEWER)),
            channel=channel,
            # Fieldwork is over, so `/psif report` makes a draft rather than asking first.
            timeline=Timeline(fieldwork_start=FIELDWORK[0], fieldwork_end=FIELDWORK[1]),
            now=NOW,
        )
        afis = add_afis(
            session,
            review_id=review.id,
            texts=(f"Area for improvement {index}" for index in range(size)),
            author_id=host,
            now=NOW,
        )
        for index in range(size):
            add_improvement_action(
                session,
                review_id=review.id,
                key_action=f"Action {index}",
                owner_id=host,
                due=date(2027, 1, 1 + index % 28),
                afi_id=afis[index].id,
                actor_id=host,
                now=NOW,
            )
        add_checklist_answers(
            session,
            review=review,
            checklist=CHECKLIST,
            answers=[Answer.AGREE] * size,
            secret=deps.respondent_secret,
            now=NOW,
        )


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Statements the server runs meanwhile, except in the outbox's threads (they are not
    the request's) and in the test's own thread."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        thread = threading.current_thread()
        if thread is not threading.main_thread() and not thread.name.startswith("psif-outbox"):
            seen.append(" ".join(str(args[2]).split())[:150])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


Interaction = Callable[[SlackDriver, FakeSlack, RunningBot, str, str], None]


def command(name: str, text: str) -> Interaction:
    def run(slack: SlackDriver, fake: FakeSlack, _bot: RunningBot, channel: str, user: str) -> None:
        before = len(fake.responses)
        slack.command(name, text, user=user, channel=channel)
        fake.wait_for_responses(count=before + 1)

    return run


def post_results(
    slack: SlackDriver, fake: FakeSlack, _bot: RunningBot, channel: str, user: str
) -> None:
    """`/psif results repost` (a lead posting the results again: `/psif results` posts them
    once, then points to that post): the request (its work goes on after the
    acknowledgement) owes the results message, which the outbox posts."""

    def posted() -> int:
        return sum(
            "self-assessment results" in str(call.args.get("text"))
            for call in fake.calls_to("chat.postMessage")
        )

    before = posted()
    slack.command("/psif", "results repost", user=user, channel=channel)
    wait_until(lambda: posted() > before, "the results message")


def open_home(
    slack: SlackDriver, fake: FakeSlack, _bot: RunningBot, _channel: str, user: str
) -> None:
    before = len(fake.calls_to("views.publish"))
    slack.open_home(user)
    fake.wait_for("views.publish", count=before + 1)


def _ballot_posts(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [m for m in fake.messages_in(channel) if ids.AFI_VOTE_ADD in json.dumps(m)]


def vote_click(
    slack: SlackDriver, fake: FakeSlack, bot: RunningBot, channel: str, user: str
) -> None:
    with transaction(bot.deps.sessions) as session:
        round_id = session.scalar(select(AfiVoteRound.id).where(AfiVoteRound.channel_id == channel))
        afi_id = session.scalar(
            select(Afi.id)
            .join(AfiVoteRound, AfiVoteRound.review_id == Afi.review_id)
            .where(AfiVoteRound.id == round_id)
            .order_by(Afi.number)
            .limit(1)
        )
    # The vote's message, whichever of the channel's posts (results, offers) arrived first.
    wait_until(lambda: _ballot_posts(fake, channel) != [], "the vote's message")
    message = _ballot_posts(fake, channel)[0]
    url = fake.new_response_url()
    reply = slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=user,
        channel=channel,
        value=f"{round_id}:{afi_id}",
        response_url=url,
        ephemeral=False,
    )
    assert reply.status == 200


INTERACTIONS: dict[str, Interaction] = {
    "/afi list": command("/afi", "list"),
    "/afi show": command("/afi", "show 1"),
    "/psif papers": command("/psif", "papers"),
    "/psif results repost": post_results,
    "/psif report": command("/psif", "report"),
    "/action list all": command("/action", "list all"),
    "/psif status": command("/psif", "status"),
    "App Home": open_home,
    "vote click": vote_click,
}


def start_vote(slack: SlackDriver, fake: FakeSlack, channel: str, user: str) -> None:
    before = len(fake.calls_to("views.open"))
    slack.command("/afi", "vote", user=user, channel=channel)
    view = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    posts = len(fake.calls_to("chat.postMessage"))
    slack.submit_view(view, {}, user=user)
    fake.wait_for("chat.postMessage", count=posts + 1)
