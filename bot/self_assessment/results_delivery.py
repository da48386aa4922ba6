"""The self-assessment results message and its comments thread, posted by the outbox rather
than in the request.

`/psif results` (or "Post the results") checks and loads the results, then owes the channel
the message, built from the aggregates and the anonymous comments only. Whichever process
delivers the outbox posts the message and then owes each comments message as a reply in its
thread, so each reply is retried on its own, and then the chart (results_chart.py): last,
so the replies don't wait behind its drawing. A retry after the message went out finds it
(its metadata names the item) rather than posting the results twice, and owes again only
the replies and chart that have not gone out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.self_assessment.results import Results
from bot.self_assessment.results_chart import RESULTS_CHART_KIND, chart_payload
from bot.self_assessment.views import build_comment_messages, build_results
from bot.slack.outbox import MESSAGE, Delivery, Kind, post_once
from storage.db import transaction
from storage.repositories.outbox import last_sent_at

RESULTS_POST = "results_post"


def owe_results_post(
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    host: str,
    results: Results,
    posted_by: str,
) -> None:
    """Post the results to the channel shortly, with the comments in the message's thread
    and then the chart."""
    text, blocks = build_results(
        host_council=host,
        analysis=results.analysis,
        completion=results.completion,
        posted_by=posted_by,
    )
    thread = [
        {"text": reply_text, "blocks": reply_blocks}
        for reply_text, reply_blocks in build_comment_messages(results.checklist, results.comments)
    ]
    RESULTS_POST_KIND.owe(
        session,
        team_id=team_id,
        lane=channel_id,
        payload={
            "channel": channel_id,
            "text": text,
            "blocks": blocks,
            "thread": thread,
            "chart": chart_payload(channel_id=channel_id, host=host, analysis=results.analysis),
            "if_undelivered": {
                "user_id": posted_by,
                "response_url": None,
                "text": "The self-assessment results were not posted.",
            },
        },
    )


def deliver_results_post(delivery: Delivery) -> None:
    payload = delivery.payload
    channel = str(payload["channel"])
    ts, posted_earlier = post_once(
        delivery, channel=channel, text=str(payload["text"]), blocks=payload.get("blocks")
    )
    # Each follow-up's key names this item and its place, so a retry skips what went out
    # and a pending one takes the new one's place.
    follow_ups: list[tuple[str, Kind[Any], dict[str, Any]]] = [
        (
            f"{RESULTS_POST}:{delivery.item_id}:{place}",
            MESSAGE,
            {
                "channel": channel,
                "text": str(reply["text"]),
                "blocks": reply.get("blocks"),
                "if_undelivered": None,
                "thread_ts": ts,
            },
        )
        for place, reply in enumerate(payload.get("thread") or [])
    ]
    chart_key = f"{RESULTS_POST}:{delivery.item_id}:chart"
    follow_ups.append((chart_key, RESULTS_CHART_KIND, payload["chart"]))
    with transaction(delivery.deps.sessions) as session:
        for key, kind, follow_up in follow_ups:
            if posted_earlier and last_sent_at(session=session, key=key) is not None:
                continue
            kind.owe(
                session,
                team_id=delivery.team_id,
                lane=channel,
                key=key,
                payload=follow_up,
            )


RESULTS_POST_KIND = Kind(RESULTS_POST, deliver_results_post)
