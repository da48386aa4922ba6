"""Survey links (by keyed hash only) and the tries at unknown links from each address."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models.survey import SurveyLink, SurveyTries
from storage.repositories._sql import added, all_of, set_where

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
    query = select(SurveyLink).where(SurveyLink.review_id == review_id)
    return all_of(session, query.order_by(SurveyLink.link_hash))


def withdraw_links(*, session: Session, hashes: Collection[str]) -> None:
    if hashes:
        set_where(session, SurveyLink, SurveyLink.link_hash.in_(list(hashes)), withdrawn=True)


def count_try(*, session: Session, address_hash: str, window_start: datetime) -> None:
    """Count one more unknown link tried from the address in this window; two processes
    counting at once both count."""
    window = (SurveyTries.address_hash == address_hash, SurveyTries.window_start == window_start)
    if set_where(session, SurveyTries, *window, tries=SurveyTries.tries + 1):
        return
    first = SurveyTries(address_hash=address_hash, window_start=window_start, tries=1)
    if not added(session, first):  # another process counted the first try of this window
        set_where(session, SurveyTries, *window, tries=SurveyTries.tries + 1)


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
