"""Report use cases: build a numbered draft, mark a version final, publish the LGBF summary.

Work happens after the listener has acknowledged Slack (off the request path). Each use case
reads in one transaction, asks Slack for names outside it, renders, and stores; its Slack
effects (the post, the uploads) are in `_post_draft` / `_upload`, ready for the outbox.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.report.content import ReportData
from bot.report.document import report_outline, summary_outline
from bot.report.gather import gather_report, people_in, with_names
from bot.report.markdown import render_markdown
from bot.report.rules import may_build_report, may_finalise_report, may_publish_summary
from bot.report.views import build_final_notice, build_report_post
from bot.report.word import render_word
from bot.review_access import Refusal, require, review_in_channel, roles
from bot.reviews.permissions import Operation, refusal
from bot.slack.calls import post_to_channel, slack_error, unreachable_channel_advice
from storage.db import transaction
from storage.repositories import report as store
from storage.repositories.reminders import record_done
from storage.repositories.reviews import record_audit

logger = logging.getLogger(__name__)

LEADS_ONLY = refusal(Operation.BUILD_REPORT)
VERSION_ATTEMPTS = 5


@dataclass(frozen=True)
class Built:
    version: int
    message: str


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "review"


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


def build_draft(
    deps: Deps, client: WebClient, *, team_id: str, channel_id: str, user_id: str
) -> Built:
    """`/psif report`: a new numbered draft, posted with its documents in the thread."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_build_report(roles(review, user_id)), LEADS_ONLY)
        review_id, host, channel = review.id, review.host_council, review.channel_id
        data = gather_report(session, deps, review, today=today)
    data = with_names(data, resolve_names(client, people_in(data)))
    for _ in range(VERSION_ATTEMPTS):
        with transaction(deps.sessions) as session:
            number = store.next_version_number(session=session, review_id=review_id)
        data = replace(data, version=number)
        word, markdown = render_report(data)
        with transaction(deps.sessions) as session:
            version = store.add_version(
                session=session,
                review_id=review_id,
                number=number,
                markdown=markdown,
                actor_id=user_id,
                now=deps.now(),
            )
            if version is None:
                continue  # another lead's draft took the number: build again with the next
            version_id = version.id
            record_done(
                session=session,
                review_id=review_id,
                milestone="draft_report",
                actor_id=user_id,
                now=deps.now(),
            )
            review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action="report.drafted",
                details={"version": number},
                now=deps.now(),
            )
        break
    else:
        raise RuntimeError("could not allocate a report version number")
    problem = _post_draft(
        client,
        deps,
        data,
        version_id=version_id,
        channel_id=channel,
        built_by=user_id,
        files=(word, markdown),
        host=host,
    )
    if problem:
        return Built(number, f"Draft {number} is saved. {problem}")
    return Built(
        number, f"Draft {number} is posted in <#{channel}> with the Word and Markdown files."
    )


def _post_draft(
    client: WebClient,
    deps: Deps,
    data: ReportData,
    *,
    version_id: int,
    channel_id: str,
    built_by: str,
    files: tuple[bytes, str],
    host: str,
) -> str | None:
    text, blocks = build_report_post(data, version_id=version_id, built_by=built_by)
    ts, error = post_to_channel(client, channel=channel_id, text=text, blocks=blocks)
    if ts is None:
        return unreachable_channel_advice(channel_id, error or "not_in_channel")
    with transaction(deps.sessions) as session:
        store.set_posted(session=session, version_id=version_id, channel_id=channel_id, ts=ts)
    name = f"{slug(host)}-report-draft-{data.version}"
    _upload(
        client,
        channel_id=channel_id,
        thread_ts=ts,
        word=files[0],
        markdown=files[1],
        name=name,
        title=f"{host} draft report, version {data.version}",
    )
    return None


def _upload(
    client: WebClient,
    *,
    channel_id: str,
    thread_ts: str | None,
    word: bytes,
    markdown: str,
    name: str,
    title: str,
) -> None:
    client.files_upload_v2(
        channel=channel_id,
        thread_ts=thread_ts,
        file_uploads=[
            {"file": word, "filename": f"{name}.docx", "title": f"{title} (Word)"},
            {"file": markdown.encode(), "filename": f"{name}.md", "title": f"{title} (Markdown)"},
        ],
        request_file_info=False,
    )


def finalise(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    number: int | None,
) -> str:
    """`/psif report final [n]`: version n (default the latest) is the final report."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(
            may_finalise_report(roles(review, user_id)),
            LEADS_ONLY,
        )
        version = (
            store.latest_version(session=session, review_id=review.id)
            if number is None
            else store.version_by_number(session=session, review_id=review.id, number=number)
        )
        if version is None:
            raise Refusal(
                "There's no draft report yet: build one with `/psif report`."
                if number is None
                else f"There's no version {number} of the report."
            )
        if version.final_at is not None:
            raise Refusal(f"Version {version.number} is already marked final.")
        store.mark_final(session=session, version=version, actor_id=user_id, now=now)
        for milestone in ("draft_report", "final_report"):
            record_done(
                session=session, review_id=review.id, milestone=milestone, actor_id=user_id, now=now
            )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="report.final",
            details={"version": version.number},
            now=now,
        )
        notice = build_final_notice(
            version_number=version.number,
            by=user_id,
            host_council=review.host_council,
            when=deps.today(),
        )
        data = replace(
            gather_report(session, deps, review, today=deps.today()), version=version.number
        )
        host = review.host_council
        posted_in, thread_ts, channel, final_number = (
            version.channel_id,
            version.ts,
            review.channel_id,
            version.number,
        )
    text, blocks = notice
    post_to_channel(client, channel=channel, text=text, blocks=blocks)
    if posted_in and thread_ts:
        post_to_channel(client, channel=posted_in, text=text, blocks=blocks, thread_ts=thread_ts)
    # The final report as its own documents, for the committee: the marked version, rendered
    # without the draft's marks.
    word, markdown = render_report(
        with_names(data, resolve_names(client, people_in(data))), final=True
    )
    _upload(
        client,
        channel_id=posted_in or channel,
        thread_ts=thread_ts,
        word=word,
        markdown=markdown,
        name=f"{slug(host)}-report-final",
        title=f"{host} final report (version {final_number})",
    )
    return (
        f"Version {final_number} is marked final; the draft and final report milestones are done."
    )


def publish_summary(
    deps: Deps, client: WebClient, *, team_id: str, channel_id: str, user_id: str
) -> str:
    """`/psif report summary`: the short public summary for the LGBF website."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(
            may_publish_summary(roles(review, user_id)),
            LEADS_ONLY,
        )
        data = gather_report(session, deps, review, today=deps.today())
        host, channel = review.host_council, review.channel_id
    outline = summary_outline(data)
    title = f"{host} peer collaborative improvement summary"
    _upload(
        client,
        channel_id=channel,
        thread_ts=None,
        word=render_word(outline, title=title),
        markdown=render_markdown(outline),
        name=f"{slug(host)}-lgbf-summary",
        title=title,
    )
    return (
        f"The summary for the LGBF website is in <#{channel}>, as Word and Markdown. "
        "It names no one and quotes no checklist comments."
    )
