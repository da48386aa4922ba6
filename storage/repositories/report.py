"""Report versions (numbered per review, kept as Markdown) and comments on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.report import FieldworkFacts, OpenComment
from storage.models.report import ReportComment, ReportVersion
from storage.repositories.counters import add_numbered
from storage.repositories.fieldwork import planned_fieldwork_session_count
from storage.repositories.findings import prioritised_without_findings


def add_version(*, session: Session, review_id: int, actor_id: str, now: datetime) -> ReportVersion:
    """A new, numbered version; its Markdown is stored when the outbox renders it."""
    row = ReportVersion(review_id=review_id, markdown="", built_by=actor_id, built_at=now)
    return add_numbered(session, row, "report_version")


def set_posted(
    *, session: Session, version_id: int, channel_id: str, ts: str, markdown: str
) -> None:
    """The draft as rendered and posted: its Markdown kept, and where its message is."""
    row = session.get(ReportVersion, version_id)
    if row is not None:
        row.channel_id, row.ts, row.markdown = channel_id, ts, markdown


def get_version(*, session: Session, version_id: int) -> ReportVersion | None:
    return session.get(ReportVersion, version_id)


def version_by_number(
    *, session: Session, review_id: int, number: int | None
) -> ReportVersion | None:
    """Version `number` of the review's report; the latest if `number` is None."""
    query = select(ReportVersion).where(ReportVersion.review_id == review_id)
    if number is not None:
        query = query.where(ReportVersion.number == number)
    return session.scalars(query.order_by(ReportVersion.number.desc())).first()


def mark_final(*, session: Session, version: ReportVersion, actor_id: str, now: datetime) -> None:
    version.final_by, version.final_at = actor_id, now
    session.flush()


def add_comment(
    *, session: Session, version_id: int, author_id: str, text: str, now: datetime
) -> ReportComment:
    row = ReportComment(version_id=version_id, author_id=author_id, text=text, created_at=now)
    session.add(row)
    session.flush()
    return row


def get_comment(*, session: Session, comment_id: int) -> ReportComment | None:
    return session.get(ReportComment, comment_id)


def resolve_comment(
    *, session: Session, comment: ReportComment, actor_id: str, now: datetime
) -> bool:
    """Resolve an open comment; False if it already was."""
    if comment.resolved_at is not None:
        return False
    comment.resolved_by, comment.resolved_at = actor_id, now
    session.flush()
    return True


def open_comments(*, session: Session, review_id: int) -> list[OpenComment]:
    """Unresolved comments on any version of the review's report, oldest first."""
    rows = session.execute(
        select(ReportComment, ReportVersion.number)
        .join(ReportVersion, ReportVersion.id == ReportComment.version_id)
        .where(ReportVersion.review_id == review_id, ReportComment.resolved_at.is_(None))
        .order_by(ReportVersion.number, ReportComment.id)
    ).all()
    return [
        OpenComment(comment.id, number, comment.author_id, comment.text, comment.created_at)
        for comment, number in rows
    ]


def fieldwork_facts(*, session: Session, review_id: int) -> FieldworkFacts:
    """Sessions, findings and report versions, for the stage checks."""
    versions, finals = session.execute(
        select(func.count(ReportVersion.id), func.count(ReportVersion.final_at)).where(
            ReportVersion.review_id == review_id
        )
    ).one()
    return FieldworkFacts(
        sessions_planned=planned_fieldwork_session_count(session=session, review_id=review_id),
        prioritised_without_findings=tuple(
            prioritised_without_findings(session=session, review_id=review_id)
        ),
        report_versions=int(versions or 0),
        report_final=bool(finals),
    )
