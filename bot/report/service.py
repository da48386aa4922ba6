"""Report use cases: build a numbered draft, mark a version final, publish the LGBF summary.

Each saves what it decides (the version, the final mark, the milestones, the audit record)
and owes the channel its documents in the same transaction; the outbox gathers, renders and
posts them (`bot.report.documents`), so the person who asked is answered at once and a slow
or failing Slack never loses a report or reports a saved one as failed.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.core.permissions import Operation, refusal
from bot.deps import Deps
from bot.report.documents import Documents, owe_report_documents
from bot.report.rules import may_build_report, may_finalise_report, may_publish_summary
from bot.report.views import build_final_notice
from bot.review_access import require, review_in_channel, roles
from bot.slack.channels import require_private_channel
from bot.slack.outbox import owe_message
from storage.db import transaction
from storage.repositories import report as store
from storage.repositories.reminders import record_done
from storage.repositories.reviews import record_audit

LEADS_ONLY = refusal(Operation.BUILD_REPORT)
THE_REPORT = "the report"


def _lead_in_private_channel(
    deps: Deps, slack: Callable[[], WebClient], *, team_id: str, channel_id: str, user_id: str
) -> None:
    """Who may act first, then where: the report names the team and carries the
    self-assessment's figures and the fieldwork's findings, so it goes only to a private
    channel."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_build_report(roles(review, user_id)), LEADS_ONLY)
    require_private_channel(slack(), channel_id, THE_REPORT)


def build_draft(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    response_url: str | None,
) -> str:
    """`/psif report`: a new numbered draft, posted with its documents in the thread."""
    _lead_in_private_channel(deps, slack, team_id=team_id, channel_id=channel_id, user_id=user_id)
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_build_report(roles(review, user_id)), LEADS_ONLY)
        version = store.add_version(session=session, review_id=review.id, actor_id=user_id, now=now)
        record_done(
            session=session,
            review_id=review.id,
            milestone="draft_report",
            actor_id=user_id,
            now=now,
        )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="report.drafted",
            details={"version": version.number},
            now=now,
        )
        owe_report_documents(
            session,
            review,
            Documents.DRAFT,
            version_id=version.id,
            user_id=user_id,
            response_url=response_url,
        )
        return (
            f"Draft {version.number} is saved. It will appear in <#{review.channel_id}> in a "
            "moment, with the Word and Markdown files in its thread."
        )


def finalise(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    number: int | None,
    response_url: str | None,
) -> str:
    """`/psif report final [n]`: version n (default the latest) is the final report."""
    _lead_in_private_channel(deps, slack, team_id=team_id, channel_id=channel_id, user_id=user_id)
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_finalise_report(roles(review, user_id)), LEADS_ONLY)
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
        text, blocks = build_final_notice(
            version_number=version.number,
            by=user_id,
            host_council=review.host_council,
            when=deps.today(),
        )
        owe_message(
            session, team_id=review.team_id, channel=review.channel_id, text=text, blocks=blocks
        )
        if version.channel_id and version.ts:
            owe_message(
                session,
                team_id=review.team_id,
                channel=version.channel_id,
                text=text,
                blocks=blocks,
                thread_ts=version.ts,
            )
        # The final report as its own documents, for the committee: the marked version,
        # rendered without the draft's marks.
        owe_report_documents(
            session,
            review,
            Documents.FINAL,
            version_id=version.id,
            user_id=user_id,
            response_url=response_url,
        )
        return (
            f"Version {version.number} is marked final; the draft and final report milestones "
            "are done. Its Word and Markdown files will follow in the channel."
        )


def publish_summary(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """`/psif report summary`: the short public summary for the LGBF website."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_publish_summary(roles(review, user_id)), LEADS_ONLY)
        owe_report_documents(
            session, review, Documents.SUMMARY, user_id=user_id, response_url=response_url
        )
        return (
            f"The summary for the LGBF website will appear in <#{review.channel_id}> in a moment, "
            "as Word and Markdown. It names no one and quotes no checklist comments."
        )
