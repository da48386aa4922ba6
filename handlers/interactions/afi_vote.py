"""Vote and Remove buttons on the channel's voting message.

A click is acknowledged at once and handed to a small pool of vote workers (one for
SQLite, whose writers queue anyway). In a burst of forty people clicking, the listener
threads are then free to acknowledge the next clicks instead of queueing for the database,
which keeps every acknowledgement fast; the database still decides every outcome. The
clicker's ephemeral answer is then sent from a separate pool, so Slack's latency on one
answer never delays recording anyone else's click.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.afis.rules import VoteOutcome
from bot.afis.tally import tally_refresher
from bot.afis.vote_views import describe_vote_answer
from bot.deps import Deps
from bot.reviews.permissions import Operation, permits
from bot.slack import ids
from storage.db import is_sqlite, transaction
from storage.repositories.afi_vote_clicks import VoteClick, change_vote
from storage.repositories.afi_votes import get_round
from storage.repositories.afis import get_afi
from storage.repositories.reviews import get_review, roles_of

logger = logging.getLogger(__name__)

POSTGRES_VOTE_WORKERS = 4
ANSWER_THREADS = 8
NOT_A_VOTER = (
    "This vote is for the review team (host team, Improvement Service and peer reviewers). "
    "If you should be, ask the host lead or Improvement Service lead to add you with "
    "`/psif team add`."
)
FAILED = (
    "Sorry, your vote could not be recorded because of a problem on my side. "
    "Please press the button again."
)


def parse_click(body: dict[str, Any], action: dict[str, Any]) -> VoteClick:
    round_id, afi_id = (int(part) for part in action["value"].split(":"))
    # Slack stamps each click with its own action_ts; a redelivered click repeats it.
    action_ts = str(action.get("action_ts") or "")
    return VoteClick(
        round_id=round_id,
        afi_id=afi_id,
        voter_id=body["user"]["id"],
        key=(action_ts or str(body.get("trigger_id", "")))[:64],
        adding=action["action_id"] == ids.AFI_VOTE_ADD,
        clicked_at=_seconds(action_ts),
    )


def _seconds(action_ts: str) -> float | None:
    try:
        return float(action_ts)
    except ValueError:
        return None


def answer(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def record_click(deps: Deps, click: VoteClick) -> str:
    """Apply one click in its own transaction; what to tell the voter about where they stand."""
    with transaction(deps.sessions) as session:
        vote_round = get_round(session=session, round_id=click.round_id)
        review = get_review(session=session, review_id=vote_round.review_id) if vote_round else None
        if vote_round is None or review is None or review.closed_at is not None:
            return "This vote no longer exists."
        if not vote_round.everyone_can_vote and not permits(
            Operation.VOTE, roles_of(review, click.voter_id)
        ):
            return NOT_A_VOTER
        result = change_vote(session=session, click=click, now=deps.now())
        afi = get_afi(session=session, afi_id=click.afi_id)
        afi_number = afi.number if afi else 0
        cap = vote_round.per_afi_cap
    assert result is not None  # the round exists
    if result.outcome in (VoteOutcome.ADDED, VoteOutcome.REMOVED):
        try:
            tally_refresher(deps).request(click.round_id)
        except Exception:  # the vote is stored: don't tell the voter otherwise
            logger.exception("could not schedule the tally refresh of round %s", click.round_id)
    return describe_vote_answer(
        result.outcome,
        afi_number=afi_number,
        used=result.used,
        budget=result.budget,
        on_afi=result.on_afi,
        cap=cap,
    )


def send_answer(respond: Respond, text: str, voter_id: str) -> None:
    try:
        answer(respond, text)
    except Exception:
        logger.exception("could not answer %s's vote click", voter_id)


def register(app: App, deps: Deps) -> None:
    workers = ThreadPoolExecutor(
        max_workers=1 if is_sqlite(deps.settings.database_url) else POSTGRES_VOTE_WORKERS,
        thread_name_prefix="afi-vote",
    )
    # Answers go out on their own threads: a round trip to Slack (or a slow one) must not
    # hold up recording the next people's clicks.
    answerers = ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="afi-answer")

    def work(click: VoteClick, respond: Respond) -> None:
        # Off the listener thread, so Bolt's error handler can't see failures: log them here.
        # Only a click that was not stored is answered with FAILED; one whose answer alone
        # fails to reach Slack is not, or pressing again would add a second vote.
        try:
            text = record_click(deps, click)
        except Exception:
            logger.exception("vote click by %s failed", click.voter_id)
            text = FAILED
        answerers.submit(send_answer, respond, text, click.voter_id)

    def handle_afi_vote_click(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        workers.submit(work, parse_click(body, action), respond)

    app.action(ids.AFI_VOTE_ADD)(handle_afi_vote_click)
    app.action(ids.AFI_VOTE_REMOVE)(handle_afi_vote_click)
