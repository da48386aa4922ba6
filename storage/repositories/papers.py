"""The review's papers: the host's paper (one) and evidence links, in the order added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bot.core.papers import PaperItem, PaperKind
from storage.models.papers import PaperLink
from storage.repositories._sql import rowcount

# Built once: `/psif papers` runs it, and building it costs more than running it.
_PAPERS = (
    select(PaperLink).where(PaperLink.review_id == bindparam("review_id")).order_by(PaperLink.id)
)


def papers(*, session: Session, review_id: int) -> list[PaperItem]:
    """The host's paper first, then the evidence in the order added."""
    rows = session.scalars(_PAPERS, {"review_id": review_id})
    items = [PaperItem(row.id, PaperKind(row.kind), row.title, row.url) for row in rows]
    return sorted(items, key=lambda item: item.kind is not PaperKind.HOST_PAPER)


def add_paper(
    *,
    session: Session,
    review_id: int,
    kind: PaperKind,
    title: str,
    url: str,
    actor_id: str,
    now: datetime,
) -> None:
    """Add a link; a new host's paper replaces the old one."""
    if kind is PaperKind.HOST_PAPER:
        host_paper = (
            PaperLink.review_id == review_id,
            PaperLink.kind == PaperKind.HOST_PAPER.value,
        )
        session.execute(delete(PaperLink).where(*host_paper))
    session.add(
        PaperLink(
            review_id=review_id,
            kind=kind.value,
            title=title,
            url=url,
            added_by=actor_id,
            added_at=now,
        )
    )
    session.flush()


def remove_paper(*, session: Session, review_id: int, paper_id: int) -> bool:
    statement = delete(PaperLink).where(PaperLink.review_id == review_id, PaperLink.id == paper_id)
    return bool(rowcount(session, statement))
