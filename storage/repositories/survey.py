"""Survey links (by keyed hash only) and the tries at unknown links from each address."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models.survey import SurveyLink, SurveyTries

WEB = "web"
IMPORTED = "import"


def add_links(*, session: Session, review_id: int, hashes: Collection[str], source: str) -> None:
    """Store new links (or imported respondents) of a review by their keyed hashes."""
    session.add_all(
        SurveyLink(link_hash=found, review_id=review_id, source=source, withdrawn=False)
        for found in hashes
    )
    session.flush()


def find_link(*, session: Session, link_hash: str) -> SurveyLink | None:
    return session.get(SurveyLink, link_hash)


def links_of(*, session: Session, review_id: int) -> list[SurveyLink]:
    """Every link and imported respondent of a review, withdrawn ones included, in hash
    order (which says nothing about when they were made or used)."""
    return list(
        session.scalars(
            select(SurveyLink)
            .where(SurveyLink.review_id == review_id)
            .order_by(SurveyLink.link_hash)
        )
    )


def withdraw_links(*, session: Session, hashes: Collection[str]) -> None:
    if hashes:
        session.execute(
            update(SurveyLink)
            .where(SurveyLink.link_hash.in_(list(hashes)))
            .values(withdrawn=True)
            .execution_options(synchronize_session=False)
        )


def count_try(*, session: Session, address_hash: str, window_start: datetime) -> None:
    """Count one more unknown link tried from the address in this window; two processes
    counting at once both count."""
    more = (
        update(SurveyTries)
        .where(SurveyTries.address_hash == address_hash, SurveyTries.window_start == window_start)
        .values(tries=SurveyTries.tries + 1)
        .execution_options(synchronize_session=False)
    )
    if session.execute(more).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(SurveyTries(address_hash=address_hash, window_start=window_start, tries=1))
            session.flush()
    except IntegrityError:  # another process counted the first try of this window
        session.execute(more)


def tries_since(*, session: Session, address_hash: str, since: datetime) -> int:
    """Unknown links the address tried in the windows starting at or after `since`."""
    total = session.scalar(
        select(func.sum(SurveyTries.tries)).where(
            SurveyTries.address_hash == address_hash, SurveyTries.window_start >= since
        )
    )
    return int(total or 0)


def forget_tries_before(*, session: Session, before: datetime) -> None:
    session.execute(delete(SurveyTries).where(SurveyTries.window_start < before))
