"""Which AFI each AFI of a review counts as now: one merged into another counts as that one,
so findings, sessions and options follow their AFI through merges (as actions do)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.afis import Afi, AfiStatus


def current_afis(*, session: Session, review_id: int) -> dict[int, Afi]:
    """Every AFI id of the review → the AFI it counts as now (itself unless merged)."""
    afis = {afi.id: afi for afi in session.scalars(select(Afi).where(Afi.review_id == review_id))}
    now = current_ids(
        {
            afi_id: afi.merged_into_id if afi.status == AfiStatus.MERGED.value else None
            for afi_id, afi in afis.items()
        }
    )
    return {afi_id: afis[current] for afi_id, current in now.items()}


def current_ids(merged_into: Mapping[int, int | None]) -> dict[int, int]:
    """Each AFI id → the id it counts as now, given every AFI of a review with what it was
    merged into (None unless merged), as `current_afis` resolves them."""
    resolved: dict[int, int] = {}
    for afi_id in merged_into:
        seen, current = {afi_id}, afi_id
        while (target := merged_into[current]) in merged_into and target not in seen:
            assert target is not None  # the mapping's keys are ids
            seen.add(target)
            current = target
        resolved[afi_id] = current
    return resolved


def merged_into(afis: dict[int, Afi], afi_id: int) -> set[int]:
    """The ids that count as `afi_id` now: itself and every AFI merged into it."""
    return {source for source, current in afis.items() if current.id == afi_id}


def numbers_merged_into(*, session: Session, review_id: int, afi_id: int) -> list[int]:
    """The numbers of the AFIs merged (directly or not) into `afi_id`."""
    afis = current_afis(session=session, review_id=review_id)
    sources = merged_into(afis, afi_id) - {afi_id}
    return sorted(session.scalars(select(Afi.number).where(Afi.id.in_(sources))) if sources else [])
