"""The pack in the channel, with the self-assessment report in its thread, delivered by the
outbox rather than in the request.

`/psif papers send` owes the pack's message; whichever process delivers the outbox posts it
and uploads the self-assessment report (made from the results as they stand: aggregates
only) in its thread. A retry after a failed upload finds the message it already posted (its
metadata names the item) rather than posting the pack twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.report.document import self_assessment_report
from bot.report.documents import slug
from bot.report.gather import self_assessment_part
from bot.report.word import render_word
from bot.review_access import get_review
from bot.slack.outbox import Delivery, Kind, Undeliverable, post_once
from storage.db import transaction
from storage.models.reviews import Review

PAPERS_PACK = "papers_pack"


def owe_pack_post(
    session: Session,
    review: Review,
    *,
    text: str,
    blocks: list[dict[str, Any]],
    with_report: bool,
    if_undelivered: dict[str, Any],
) -> None:
    PAPERS_PACK_KIND.owe(
        session,
        team_id=review.team_id,
        lane=review.channel_id,
        payload={
            "review_id": review.id,
            "channel": review.channel_id,
            "text": text,
            "blocks": blocks,
            "with_report": with_report,
            "if_undelivered": if_undelivered,
        },
    )


def deliver_pack_post(delivery: Delivery) -> None:
    payload = delivery.payload
    channel = str(payload["channel"])
    ts, _ = post_once(
        delivery, channel=channel, text=str(payload["text"]), blocks=payload.get("blocks")
    )
    if payload.get("with_report"):
        _upload_report(delivery, channel=channel, thread_ts=ts)


PAPERS_PACK_KIND = Kind(PAPERS_PACK, deliver_pack_post)


def _upload_report(delivery: Delivery, *, channel: str, thread_ts: str) -> None:
    with transaction(delivery.deps.sessions) as session:
        review = get_review(session=session, review_id=int(delivery.payload["review_id"]))
        if review is None:
            raise Undeliverable("the review is gone")
        sa = self_assessment_part(session, delivery.deps, review)
        host, focus = review.host_council, review.focus
    title = f"{host} self-assessment report"
    outline = self_assessment_report(host_council=host, focus=focus, sa=sa)
    delivery.client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        file=render_word(outline, title=title),
        filename=f"{slug(host)}-self-assessment-report.docx",
        title=title,
        request_file_info=False,
    )
