"""Keeping each vote's channel message in step with the database, through the outbox: a
round's refreshes coalesce and go out at most once per `PSIF_AFI_TALLY_INTERVAL` (Slack
rate-limits chat.update), each re-reading the round, so the message ends with exact totals."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.afis.views import EMPTY_PAGE, build_vote_pages
from bot.deps import Deps
from bot.slack.blocks import section
from bot.slack.calls import CHANNEL_UNREACHABLE, slack_error
from bot.slack.failures import TRANSIENT_ERRORS
from bot.slack.outbox import Delivery, Kind, Undelivered
from storage.db import transaction
from storage.repositories import afi_votes

logger = logging.getLogger(__name__)

VOTE_TALLY = "vote_tally"


def owe_tally(
    session: Session,
    deps: Deps,
    *,
    team_id: str,
    round_id: int,
    channel_id: str = "",
    if_undelivered: Undelivered | None = None,
) -> None:
    """The round's votes or AFIs changed (`channel_id`: its message is first posted there)."""
    VOTE_TALLY_KIND.owe(
        session,
        team_id=team_id,
        lane=f"{VOTE_TALLY}:{round_id}",
        payload={"round_id": round_id, "channel": channel_id, "if_undelivered": if_undelivered},
        key=f"{VOTE_TALLY}:{round_id}",
        at_most_every=deps.settings.afi_tally_interval_seconds,
    )


def deliver_tally(delivery: Delivery) -> None:
    round_id = int(delivery.payload["round_id"])
    client = delivery.client
    with transaction(delivery.deps.sessions) as session:
        vote_round = afi_votes.get_vote_round(session=session, round_id=round_id)
        if vote_round is None:
            return
        info, items, _ = afi_votes.ballot(session=session, vote_round=vote_round)
        messages = [
            (message.channel_id, message.ts)
            for message in afi_votes.vote_messages(session=session, round_id=round_id)
        ]
        channel_id = vote_round.channel_id
    pages = build_vote_pages(info, items)
    for page, (text, blocks) in enumerate(pages, start=1):
        if page <= len(messages):
            _update(delivery, messages[page - 1], text, blocks)
            continue
        try:
            response = client.chat_postMessage(
                channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as error:
            if not messages and slack_error(error) in CHANNEL_UNREACHABLE:
                # Nobody can see a vote with no message: it never started.
                with transaction(delivery.deps.sessions) as session:
                    afi_votes.discard_round(session=session, round_id=round_id)
            raise
        with transaction(delivery.deps.sessions) as session:
            afi_votes.record_vote_message(
                session=session,
                round_id=round_id,
                page=page,
                channel_id=channel_id,
                ts=str(response["ts"]),
            )
    for extra in messages[len(pages) :]:
        # Fewer AFIs than pages now (some merged or withdrawn): empty the spare pages.
        _update(delivery, extra, "Nothing more to vote on here.", [section(EMPTY_PAGE)])


VOTE_TALLY_KIND = Kind(VOTE_TALLY, deliver_tally)


def _update(
    delivery: Delivery, message: tuple[str, str], text: str, blocks: list[dict[str, object]]
) -> None:
    channel, ts = message
    try:
        delivery.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429 or status >= 500 or slack_error(error) in TRANSIENT_ERRORS:
            raise
        # The message was deleted or the channel archived: nothing more to keep up to date.
        logger.warning("cannot update vote message %s/%s: %s", channel, ts, slack_error(error))
