"""Report use cases (guidance §5.4–5.5): the numbered draft, comments on it, the final
version, the LGBF summary, the members' briefing, and the papers' self-assessment report.
Each saves its decision and owes the documents to the outbox in the same transaction, so a
slow or failing Slack never loses a report; a retry posts the draft's message only once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.errors import FormErrors, Refusal
from bot.core.permissions import Operation, permits, refusal
from bot.core.report import FieldworkFacts, fieldwork_not_over, missing_before_final
from bot.core.stages import Stage
from bot.deps import Deps
from bot.report._content import ReportData, gather_report, self_assessment_part
from bot.report._content import self_assessment_counts as self_assessment_counts  # for the papers
from bot.report._layout import (
    briefing_outline,
    report_outline,
    self_assessment_report,
    summary_outline,
)
from bot.report._render import render_markdown, render_word, slug
from bot.report.views import (
    COMMENT_MAX,
    build_comment_in_thread,
    build_comment_modal,
    build_draft_question,
    build_final_confirmation,
    build_final_notice,
    build_open_comments,
    build_report_post,
)
from bot.review_access import (
    get_review,
    open_review_by_id,
    review_in_channel,
    roles,
)
from bot.slack import ids
from bot.slack.blocks import Block
from bot.slack.calls import slack_error
from bot.slack.channels import require_private_channel
from bot.slack.outbox import (
    AnswerPayload,
    Delivery,
    Kind,
    Undeliverable,
    deliver_answer,
    owe_answer,
    owe_message,
    post_once,
)
from bot.slack.payloads import Metadata, RecordId, ResponseUrl
from bot.slack.text import join_words, plural
from storage.db import transaction
from storage.models.report import ReportVersion
from storage.models.reviews import Review
from storage.repositories import report as store
from storage.repositories.reminders import done_milestones, record_done
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import record_audit

logger = logging.getLogger(__name__)

REPORT_DOCUMENTS = "report_documents"
DRAFT_REQUEST = "report_draft_request"
# What a request is answered with: a text, and blocks when there is a question to ask.
Answer = tuple[str, list[Block] | None]


class Documents(StrEnum):
    DRAFT = "draft"  # the draft's message, then its Word and Markdown files in the thread
    FINAL = "final"  # the version marked final, rendered without the draft's marks
    SUMMARY = "summary"  # the public summary for the LGBF website
    BRIEFING = "briefing"  # the one-page briefing for elected members (Word only)


class CommentMetadata(Metadata):
    """What the comment form carries: the version it comments on."""

    version_id: RecordId
    response_url: ResponseUrl | None = None


def _require(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles(review, user_id)):
        raise Refusal(refusal(operation))


def fieldwork_gaps(stage: Stage, facts: FieldworkFacts) -> list[str]:
    """What the fieldwork and reporting stages still lack, in plain words."""
    gaps: list[str] = []
    if stage in (Stage.FIELDWORK_CONTEXT, Stage.FIELDWORK_INTERVIEWS) and not (
        facts.sessions_planned
    ):
        gaps.append("No interviews or focus groups are planned yet (`/psif fieldwork plan`).")
    missing = facts.prioritised_without_findings
    if stage in (Stage.FIELDWORK_INTERVIEWS, Stage.FIELDWORK_PLANNING) and missing:
        numbers = join_words([f"AFI {number}" for number in missing])
        gaps.append(f"No findings recorded yet for prioritised {numbers} (`/afi note`).")
    if stage is Stage.REPORTING and not facts.report_versions:
        gaps.append("No draft report yet: a lead builds one with `/psif report`.")
    if stage is Stage.SHARING and not facts.report_final:
        gaps.append("No version of the report is marked final (`/psif report final`).")
    return gaps


def _lead_in_private_channel(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    review_id: int,
    user_id: str,
    operation: Operation = Operation.BUILD_REPORT,
) -> None:
    """Who may act first, then where: the report names the team, so only a private channel."""
    with transaction(deps.sessions) as session:
        review = open_review_by_id(session, review_id)
        _require(review, user_id, operation)
        channel_id = review.channel_id
    require_private_channel(slack(), channel_id, "the report")


def _review_id(deps: Deps, *, team_id: str, channel_id: str) -> int:
    with transaction(deps.sessions) as session:
        return review_in_channel(session, team_id=team_id, channel_id=channel_id).id


def _owe_documents(
    session: Session,
    review: Review,
    documents: Documents,
    *,
    user_id: str,
    response_url: str | None,
    action: str,
    now: datetime,
    details: dict[str, object],
    version_id: int | None = None,
) -> None:
    """Audit the decision (the weekly update names it) and owe the channel the documents; if
    Slack refuses them for good, `user_id` is told."""
    record_audit(
        session=session, review=review, actor_id=user_id, action=action, details=details, now=now
    )
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


def ask_for_draft(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, response_url: str | None
) -> None:
    """`/psif report`: who may build it is checked at once (a refusal is the answer); the
    rest (the channel's privacy on Slack, then the draft, or the question whether to build
    it before fieldwork is over) is `psif-bot worker`'s (`DRAFT_REQUEST_KIND`), which then
    answers them."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.BUILD_REPORT)
        DRAFT_REQUEST_KIND.owe(
            session,
            team_id=team_id,
            lane=f"{DRAFT_REQUEST}:{review.id}",
            payload={
                "review_id": review.id,
                "user_id": user_id,
                "response_url": response_url,
                "asked_at": deps.now().isoformat(),  # fieldwork is over, or not, as they ask
                "if_undelivered": {
                    "user_id": user_id,
                    "response_url": response_url,
                    "text": "The draft report was not built.",
                },
            },
        )


def _deliver_draft_request(delivery: Delivery) -> None:
    """The draft `ask_for_draft` owed, saved with its answer in one transaction (a refusal
    instead, if the channel is not private or the review has closed meanwhile)."""
    payload, deps = delivery.payload, delivery.deps
    review_id, user_id = int(payload["review_id"]), str(payload["user_id"])
    response_url = payload.get("response_url")
    asked_at = datetime.fromisoformat(str(payload["asked_at"]))  # the fieldwork check's day

    def answer(session: Session, text: str, blocks: list[Block] | None) -> None:
        told: AnswerPayload = {"user_id": user_id, "response_url": response_url, "text": text}
        if blocks is not None:
            told["blocks"] = blocks
        DRAFT_ANSWER_KIND.owe(session, team_id=delivery.team_id, lane=user_id, payload=told)

    try:
        _lead_in_private_channel(
            deps, lambda: delivery.client, review_id=review_id, user_id=user_id
        )
        with transaction(deps.sessions) as session:
            answer(
                session,
                *_draft(
                    session, deps, asked_at, review_id=review_id, user_id=user_id, url=response_url
                ),
            )
    except Refusal as refused:
        with transaction(deps.sessions) as session:
            answer(session, refused.message, None)


def build_draft_anyway(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    review_id: int,
    user_id: str,
    response_url: str | None,
) -> Answer:
    """ "Do it anyway" under the question: the draft, though fieldwork is not over."""
    _lead_in_private_channel(deps, slack, review_id=review_id, user_id=user_id)
    with transaction(deps.sessions) as session:
        return _draft(
            session,
            deps,
            deps.now(),
            review_id=review_id,
            user_id=user_id,
            url=response_url,
            anyway=True,
        )


def _draft(
    session: Session,
    deps: Deps,
    now: datetime,
    *,
    review_id: int,
    user_id: str,
    url: str | None,
    anyway: bool = False,
) -> Answer:
    """A new numbered draft, its documents owed to the channel; before fieldwork is over and
    unless `anyway`, the question whether to build it instead."""
    review = open_review_by_id(session, review_id)
    _require(review, user_id, Operation.BUILD_REPORT)
    today = now.astimezone(deps.settings.timezone).date()
    missing = fieldwork_not_over(review.fieldwork_end, today)
    if missing and not anyway:
        return build_draft_question(review_id=review.id, missing=missing)
    version = store.add_version(session=session, review_id=review.id, actor_id=user_id, now=now)
    record_done(
        session=session,
        review_id=review.id,
        milestone="draft_report",
        actor_id=user_id,
        now=now,
    )
    # Audited with what the lead chose to go ahead of, if anything.
    details = {"version": version.number, **({"ahead_of": missing} if missing else {})}
    _owe_documents(
        session,
        review,
        Documents.DRAFT,
        version_id=version.id,
        user_id=user_id,
        response_url=url,
        action="report.drafted",
        now=now,
        details=details,
    )
    return (
        f"Draft {version.number} is saved. It will appear in <#{review.channel_id}> in a "
        "moment, with the Word and Markdown files in its thread.",
        None,
    )


def finalise(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    number: int | None,
) -> Answer:
    """`/psif report final [n]`: the host lead's confirmation before version n (default the
    latest) is final, listing the open comments and anything the guidance puts first."""
    review_id = _review_id(deps, team_id=team_id, channel_id=channel_id)
    _lead_in_private_channel(
        deps, slack, review_id=review_id, user_id=user_id, operation=Operation.FINALISE_REPORT
    )
    with transaction(deps.sessions) as session:
        review = open_review_by_id(session, review_id)
        version = _finalisable(
            store.version_by_number(session=session, review_id=review.id, number=number), number
        )
        comments = store.open_comments(session=session, review_id=review.id)
        missing = missing_before_final(
            fieldwork_end=review.fieldwork_end,
            today=deps.today(),
            leads_meeting=review.leads_meeting,
            leads_meeting_done="leads_meeting"
            in done_milestones(session=session, review_id=review.id),
            open_comments=len(comments),
        )
        return build_final_confirmation(
            version_id=version.id,
            version_number=version.number,
            missing=missing,
            comments=comments,
        )


def _version(session: Session, version_id: int) -> ReportVersion:
    version = store.get_version(session=session, version_id=version_id)
    if version is None:
        raise Refusal("That version of the report no longer exists.")
    return version


def _finalisable(version: ReportVersion | None, number: int | None) -> ReportVersion:
    if version is None:
        raise Refusal(
            "There's no draft report yet: build one with `/psif report`."
            if number is None
            else f"There's no version {number} of the report."
        )
    if version.final_at is not None:
        raise Refusal(f"Version {version.number} is already marked final.")
    return version


def confirm_final(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    version_id: int,
    user_id: str,
    response_url: str | None,
) -> str:
    """The confirmation's button: the version is the final report. The notice goes to the
    channel once; the final documents follow there."""
    with transaction(deps.sessions) as session:
        review_id = _version(session, version_id).review_id
    _lead_in_private_channel(
        deps, slack, review_id=review_id, user_id=user_id, operation=Operation.FINALISE_REPORT
    )
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = open_review_by_id(session, review_id)
        version = _finalisable(store.get_version(session=session, version_id=version_id), None)
        store.mark_final(session=session, version=version, actor_id=user_id, now=now)
        for milestone in ("draft_report", "final_report"):
            record_done(
                session=session, review_id=review.id, milestone=milestone, actor_id=user_id, now=now
            )
        text, blocks = build_final_notice(
            version_number=version.number,
            by=user_id,
            host_council=review.host_council,
            when=deps.today(),
        )
        owe_message(
            session, team_id=review.team_id, channel=review.channel_id, text=text, blocks=blocks
        )
        _owe_documents(
            session,
            review,
            Documents.FINAL,
            version_id=version.id,
            user_id=user_id,
            response_url=response_url,
            action="report.final",
            now=now,
            details={"version": version.number},
        )
        return (
            f"Version {version.number} is marked final; the draft and final report milestones "
            "are done. Its Word and Markdown files will follow in the channel."
        )


def publish_summary(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """`/psif report summary`: the short public summary for the LGBF website, sharing the
    learning rather than the statistics."""
    channel = _owe_shared_document(
        deps, Documents.SUMMARY, "report.summary", team_id, channel_id, user_id, response_url
    )
    return (
        f"The summary for the LGBF website will appear in <#{channel}> in a moment, "
        "as Word and Markdown. It names no one, quotes no checklist comments and shows no "
        "checklist figures; it carries the findings a lead marked as learning to share "
        "(`/afi share &lt;finding&gt;`)."
    )


def publish_briefing(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """`/psif report briefing`: a one-page Word briefing for elected members."""
    channel = _owe_shared_document(
        deps, Documents.BRIEFING, "report.briefing", team_id, channel_id, user_id, response_url
    )
    return (
        f"The elected members' briefing will appear in <#{channel}> in a moment, "
        "as a one-page Word document: the review's purpose, what it found, and the plan "
        "with its timescales."
    )


def _owe_shared_document(
    deps: Deps,
    documents: Documents,
    action: str,
    team_id: str,
    channel_id: str,
    user_id: str,
    response_url: str | None,
) -> str:
    """Owe the summary or the briefing to the worker; the review's channel."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.BUILD_REPORT)
        _owe_documents(
            session,
            review,
            documents,
            user_id=user_id,
            response_url=response_url,
            action=action,
            now=deps.now(),
            details={},
        )
        return review.channel_id


def comment_form(deps: Deps, *, version_id: int, user_id: str, response_url: str | None) -> Block:
    """ "Comment on the draft": the form, for the version the button is on."""
    with transaction(deps.sessions) as session:
        version = _version(session, version_id)
        _require(open_review_by_id(session, version.review_id), user_id, Operation.COMMENT_ON_DRAFT)
        metadata = CommentMetadata(version_id=version.id, response_url=response_url)
        return build_comment_modal(private_metadata=metadata.dump(), version_number=version.number)


def save_comment(
    deps: Deps, *, metadata: CommentMetadata, text: str, user_id: str, request_key: str | None
) -> None:
    """Keep the comment with its version and owe it to the report's thread, so the team sees
    feedback where the draft is; the author is told it's there. Saved once per submission."""
    if not text.strip() or len(text) > COMMENT_MAX:
        problem = (
            f"Keep a comment to {COMMENT_MAX} characters (this is {len(text)})."
            if text.strip()
            else "Write your comment on the draft."
        )
        raise FormErrors({ids.REPORT_COMMENT_TEXT: problem})
    now = deps.now()
    with transaction(deps.sessions) as session:
        version = _version(session, metadata.version_id)
        review = open_review_by_id(session, version.review_id)
        _require(review, user_id, Operation.COMMENT_ON_DRAFT)
        if request_key and not mark_applied(
            session=session, key=f"report.comment:{request_key}", now=now
        ):
            return
        store.add_comment(
            session=session, version_id=version.id, author_id=user_id, text=text, now=now
        )
        where = f"draft {version.number} is saved with that version"
        if version.channel_id and version.ts:
            thread_text, blocks = build_comment_in_thread(
                author_id=user_id, version_number=version.number, text=text
            )
            owe_message(
                session,
                team_id=review.team_id,
                channel=version.channel_id,
                text=thread_text,
                blocks=blocks,
                thread_ts=version.ts,
            )
            where = f"draft {version.number} is in the report's thread"
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Your comment on {where}.",
        )


def _may_resolve(review: Review, author_id: str, user_id: str) -> bool:
    return user_id == author_id or permits(Operation.BUILD_REPORT, roles(review, user_id))


def list_open_comments(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    """`/psif report comments`: the open comments, with Resolve where the user may."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.COMMENT_ON_DRAFT)
        comments = store.open_comments(session=session, review_id=review.id)
        resolvable = {c.id for c in comments if _may_resolve(review, c.author_id, user_id)}
    return build_open_comments(comments, resolvable=resolvable)


def resolve_comment(deps: Deps, *, comment_id: int, user_id: str) -> str:
    with transaction(deps.sessions) as session:
        comment = store.get_comment(session=session, comment_id=comment_id)
        version = (
            store.get_version(session=session, version_id=comment.version_id) if comment else None
        )
        if comment is None or version is None:
            raise Refusal("That comment no longer exists.")
        if not _may_resolve(
            open_review_by_id(session, version.review_id), comment.author_id, user_id
        ):
            raise Refusal("Only the comment's author or a lead can resolve it.")
        if not store.resolve_comment(
            session=session, comment=comment, actor_id=user_id, now=deps.now()
        ):
            return "That comment was already resolved."
    return "Resolved. `/psif report comments` lists what is still open."


def self_assessment_word(deps: Deps, review_id: int) -> tuple[bytes, str, str]:
    """The self-assessment report the papers carry, made from the results as they stand
    (aggregates only): the Word document, its file name and its title."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            raise Undeliverable("the review is gone")
        sa = self_assessment_part(session, deps, review)
        host, focus = review.host_council, review.focus
    title = f"{host} self-assessment report"
    outline = self_assessment_report(host_council=host, focus=focus, sa=sa)
    return render_word(outline, title=title), f"{slug(host)}-self-assessment-report.docx", title


def _names(client: WebClient, user_ids: Iterable[str]) -> dict[str, str]:
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


def _upload(
    delivery: Delivery,
    channel: str,
    thread_ts: str | None,
    name: str,
    title: str,
    word: bytes,
    markdown: str | None = None,
) -> None:
    files = [{"file": word, "filename": f"{name}.docx", "title": f"{title} (Word)"}]
    if markdown is not None:
        md = {"file": markdown.encode(), "filename": f"{name}.md", "title": f"{title} (Markdown)"}
        files.append(md)
    delivery.client.files_upload_v2(
        channel=channel, thread_ts=thread_ts, file_uploads=files, request_file_info=False
    )


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
        if review is None or (version is None and documents in (Documents.DRAFT, Documents.FINAL)):
            raise Undeliverable("the review or its report version is gone")
        data = gather_report(session, delivery.deps, review, today=delivery.deps.today())
        host, channel = review.host_council, review.channel_id
        number, posted_in, thread_ts, built_by = (
            (version.number, version.channel_id, version.ts, version.built_by)
            if version
            else (0, None, None, "")
        )
    stem = slug(host)
    if documents is Documents.BRIEFING:  # Word only, no names
        title = f"{host} peer collaborative improvement: briefing for elected members"
        word = render_word(briefing_outline(data), title=title)
        _upload(delivery, channel, None, f"{stem}-members-briefing", title, word)
        return
    if documents is Documents.SUMMARY:
        title, outline = f"{host} peer collaborative improvement summary", summary_outline(data)
        word = render_word(outline, title=title)
        _upload(
            delivery, channel, None, f"{stem}-lgbf-summary", title, word, render_markdown(outline)
        )
        return
    data = replace(data, version=number, names=_names(delivery.client, data.people))
    outline = report_outline(data, final=documents is Documents.FINAL)
    word = render_word(outline, title=f"{host} peer collaborative improvement report")
    markdown = render_markdown(outline)
    if documents is Documents.FINAL:
        name, title = f"{stem}-report-final", f"{host} final report (version {number})"
    else:
        name, title = f"{stem}-report-draft-{number}", f"{host} draft report, version {number}"
    if documents is Documents.DRAFT and thread_ts is None:
        assert version_id is not None
        thread_ts = _post_draft(delivery, data, int(version_id), built_by, channel)
        posted_in = channel
        with transaction(delivery.deps.sessions) as session:
            store.set_posted(
                session=session,
                version_id=int(version_id),
                channel_id=channel,
                ts=thread_ts,
                markdown=markdown,
            )
    _upload(delivery, posted_in or channel, thread_ts, name, title, word, markdown)


REPORT_DOCUMENTS_KIND = Kind(REPORT_DOCUMENTS, deliver_report_documents)
DRAFT_REQUEST_KIND = Kind(DRAFT_REQUEST, _deliver_draft_request)
DRAFT_ANSWER_KIND = Kind("report_draft_answer", deliver_answer)  # the worker answers, in order


def _post_draft(
    delivery: Delivery, data: ReportData, version_id: int, built_by: str, channel: str
) -> str:
    """The draft's message (posted once, even if an earlier attempt posted it); its ts."""
    prioritised = {afi.id for afi in data.afis}
    findings = sum(1 for item in data.findings if item.afi_id in prioritised)
    facts = (
        f"{plural(len(data.afis), 'prioritised area')} · {plural(findings, 'finding')} · "
        f"{plural(len(data.actions), 'action')} · "
        f"{plural(len(data.fieldwork_sessions), 'fieldwork session')}"
    )
    text, blocks = build_report_post(
        version=data.version,
        version_id=version_id,
        host_council=data.host_council,
        built_by=built_by,
        built_on=data.built_on,
        facts=facts,
    )
    ts, _ = post_once(delivery, channel=channel, text=text, blocks=blocks)
    return ts
