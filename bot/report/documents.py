"""The report's documents, built and posted by the outbox rather than in the request.

Gathering and rendering a large review's report takes most of a second, and its Slack calls
(the names, the draft's message, the uploads) can each be slow or fail: `/psif report` saves
the version and owes its documents; whichever process delivers the outbox gathers the review
as it stands, renders Word and Markdown, and posts them. A retry after a failure picks up
where the last attempt stopped: the draft's message is posted once (its ts is stored before
the uploads), then the files.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.report.content import ReportData
from bot.report.document import report_outline, summary_outline
from bot.report.gather import gather_report, people_in, with_names
from bot.report.markdown import render_markdown
from bot.report.views import build_report_post
from bot.report.word import render_word
from bot.review_access import get_review
from bot.slack.calls import slack_error
from bot.slack.outbox import Delivery, Kind, Undeliverable, post_once
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories import report as store

logger = logging.getLogger(__name__)

REPORT_DOCUMENTS = "report_documents"


class Documents(StrEnum):
    DRAFT = "draft"  # the draft's message, then its Word and Markdown files in the thread
    FINAL = "final"  # the version marked final, rendered without the draft's marks
    SUMMARY = "summary"  # the public summary for the LGBF website


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "review"


def owe_report_documents(
    session: Session,
    review: Review,
    documents: Documents,
    *,
    user_id: str,
    response_url: str | None,
    version_id: int | None = None,
) -> None:
    """Owe the channel the documents; if Slack refuses them for good, `user_id` is told."""
    REPORT_DOCUMENTS_KIND.owe(
        session,
        team_id=review.team_id,
        lane=review.channel_id,
        payload={
            "review_id": review.id,
            "version_id": version_id,
            "documents": documents.value,
            "channel": review.channel_id,
            "user_id": user_id,
            "if_undelivered": {
                "user_id": user_id,
                "response_url": response_url,
                "text": f"The {documents.value} report is saved, but I couldn't post it.",
            },
        },
    )


def resolve_names(client: WebClient, user_ids: Iterable[str]) -> dict[str, str]:
    """Slack ids → people's names; someone Slack won't tell us about is left out."""
    names: dict[str, str] = {}
    for user_id in sorted(set(user_ids)):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            logger.info("no name for %s: %s", user_id, slack_error(error))
            continue
        profile = user.get("profile") or {}
        name = profile.get("real_name") or user.get("real_name") or user.get("name")
        if name:
            names[user_id] = str(name)
    return names


def render_report(data: ReportData, *, final: bool = False) -> tuple[bytes, str]:
    """(Word, Markdown) for the report."""
    outline = report_outline(data, final=final)
    title = f"{data.host_council} peer collaborative improvement report"
    return render_word(outline, title=title), render_markdown(outline)


def deliver_report_documents(delivery: Delivery) -> None:
    payload = delivery.payload
    documents = Documents(str(payload["documents"]))
    version_id = payload.get("version_id")
    with transaction(delivery.deps.sessions) as session:
        review = get_review(session=session, review_id=int(payload["review_id"]))
        version = (
            store.get_version(session=session, version_id=int(version_id))
            if version_id is not None
            else None
        )
        if review is None or (documents is not Documents.SUMMARY and version is None):
            raise Undeliverable("the review or its report version is gone")
        data = gather_report(session, delivery.deps, review, today=delivery.deps.today())
        host, channel = review.host_council, review.channel_id
        number = version.number if version else 0
        posted_in, thread_ts = (version.channel_id, version.ts) if version else (None, None)
        built_by = version.built_by if version else ""
    client = delivery.client
    if documents is Documents.SUMMARY:
        outline = summary_outline(data)
        title = f"{host} peer collaborative improvement summary"
        _upload(
            client,
            channel_id=channel,
            thread_ts=None,
            files=(render_word(outline, title=title), render_markdown(outline)),
            name=f"{slug(host)}-lgbf-summary",
            title=title,
        )
        return
    data = with_names(replace(data, version=number), resolve_names(client, people_in(data)))
    word, markdown = render_report(data, final=documents is Documents.FINAL)
    if documents is Documents.FINAL:
        _upload(
            client,
            channel_id=posted_in or channel,
            thread_ts=thread_ts,
            files=(word, markdown),
            name=f"{slug(host)}-report-final",
            title=f"{host} final report (version {number})",
        )
        return
    assert version_id is not None
    if thread_ts is None:
        thread_ts = _post_draft(
            delivery, data, version_id=int(version_id), channel_id=channel, built_by=built_by
        )
        with transaction(delivery.deps.sessions) as session:
            store.set_posted(
                session=session,
                version_id=int(version_id),
                channel_id=channel,
                ts=thread_ts,
                markdown=markdown,
            )
        posted_in = channel
    _upload(
        client,
        channel_id=posted_in or channel,
        thread_ts=thread_ts,
        files=(word, markdown),
        name=f"{slug(host)}-report-draft-{number}",
        title=f"{host} draft report, version {number}",
    )


REPORT_DOCUMENTS_KIND = Kind(REPORT_DOCUMENTS, deliver_report_documents)


def _post_draft(
    delivery: Delivery, data: ReportData, *, version_id: int, channel_id: str, built_by: str
) -> str:
    """The draft's message (posted once, even if an earlier attempt posted it); its ts."""
    text, blocks = build_report_post(data, version_id=version_id, built_by=built_by)
    ts, _ = post_once(delivery, channel=channel_id, text=text, blocks=blocks)
    return ts


def _upload(
    client: WebClient,
    *,
    channel_id: str,
    thread_ts: str | None,
    files: tuple[bytes, str],
    name: str,
    title: str,
) -> None:
    word, markdown = files
    client.files_upload_v2(
        channel=channel_id,
        thread_ts=thread_ts,
        file_uploads=[
            {"file": word, "filename": f"{name}.docx", "title": f"{title} (Word)"},
            {"file": markdown.encode(), "filename": f"{name}.md", "title": f"{title} (Markdown)"},
        ],
        request_file_info=False,
    )
