"""Findings against AFIs: recording (per-review numbering) and reading them as their AFIs
stand now (a merged AFI's findings count as the AFI it was merged into), and the option for
improvement an action carries out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.fieldwork import FieldworkKind
from bot.core.findings import FindingItem, FindingKind, FindingSource, OptionChoice
from storage.models.afis import Afi, AfiStatus
from storage.models.fieldwork import FieldworkSession
from storage.models.findings import ActionOption, Finding
from storage.models.improvement_actions import Action
from storage.repositories._sql import all_of
from storage.repositories.afis import current_afis, current_ids
from storage.repositories.counters import add_numbered


@dataclass(frozen=True)
class NewFinding:
    afi_id: int
    kind: FindingKind
    source: FindingSource
    text: str
    fieldwork_session_id: int | None = None


def _apply(row: Finding, new: NewFinding) -> None:
    row.afi_id = new.afi_id
    row.kind = new.kind.value
    row.source = new.source.value
    row.fieldwork_session_id = new.fieldwork_session_id
    row.text = new.text


def add_finding(
    *, session: Session, review_id: int, new: NewFinding, actor_id: str, now: datetime
) -> Finding:
    row = Finding(review_id=review_id, recorded_by=actor_id, created_at=now)
    _apply(row, new)
    return add_numbered(session, row, "finding")


def change_finding(*, session: Session, row: Finding, new: NewFinding) -> None:
    _apply(row, new)
    session.flush()


def get_finding(*, session: Session, finding_id: int) -> Finding | None:
    return session.get(Finding, finding_id)


def numbered_finding(*, session: Session, review_id: int, number: int) -> Finding | None:
    return session.scalars(
        select(Finding).where(Finding.review_id == review_id, Finding.number == number)
    ).one_or_none()


def set_learning_to_share(*, session: Session, row: Finding, share: bool) -> bool:
    """Mark (or unmark) the finding as learning to share; False if it already was so."""
    if row.learning_to_share == share:
        return False
    row.learning_to_share = share
    session.flush()
    return True


def finding_item(*, session: Session, row: Finding) -> FindingItem:
    return _items(session, row.review_id, [row])[0]


def remove_finding(*, session: Session, row: Finding) -> list[int]:
    """Delete the finding; the numbers of the actions that carried it out as an option
    (they keep everything else)."""
    carried = all_of(
        session,
        select(Action.number)
        .join(ActionOption, ActionOption.action_id == Action.id)
        .where(ActionOption.finding_id == row.id)
        .order_by(Action.number),
    )
    # Explicit rather than trusting ON DELETE CASCADE, which SQLite only honours when told to.
    session.execute(delete(ActionOption).where(ActionOption.finding_id == row.id))
    session.delete(row)
    session.flush()
    return carried


def findings_recorded_by(*, session: Session, review_id: int, user_id: str) -> frozenset[int]:
    """Ids of the findings `user_id` recorded: the ones they may change without a lead's
    permission. Only ever asked about the person looking, never shown to others."""
    return frozenset(
        session.scalars(
            select(Finding.id).where(Finding.review_id == review_id, Finding.recorded_by == user_id)
        )
    )


def _items(
    session: Session, review_id: int, rows: Iterable[Finding], afis: Mapping[int, Afi] | None = None
) -> list[FindingItem]:
    """The findings as items, each under the AFI it counts as now (`afis`, by default every
    AFI of the review resolved through its merges)."""
    rows = list(rows)
    if not rows:
        return []
    if afis is None:
        only = {row.afi_id for row in rows}
        afis = current_afis(session=session, review_id=review_id, only=only)
    held_ids = {row.fieldwork_session_id for row in rows} - {None}
    query = select(FieldworkSession).where(FieldworkSession.id.in_(held_ids))
    sessions = all_of(session, query) if held_ids else []
    held = {row.id: (FieldworkKind(row.kind), row.day) for row in sessions}
    return [
        FindingItem(
            id=row.id,
            number=row.number,
            afi_id=afis[row.afi_id].id,
            afi_number=afis[row.afi_id].number,
            kind=FindingKind(row.kind),
            source=FindingSource(row.source),
            text=row.text,
            fieldwork_session_id=row.fieldwork_session_id,
            fieldwork_session=held.get(row.fieldwork_session_id or 0),
            learning_to_share=row.learning_to_share,
        )
        for row in rows
    ]


def review_findings(*, session: Session, review_id: int) -> list[FindingItem]:
    """Every finding of the review, by number, each under the AFI it counts as now."""
    rows = session.scalars(
        select(Finding).where(Finding.review_id == review_id).order_by(Finding.number)
    )
    return _items(session, review_id, rows)


def afi_findings(*, session: Session, afi: Afi, merged: Collection[int]) -> list[FindingItem]:
    """The findings counted under `afi`: recorded against it or against the AFIs `merged`
    into it, by number; the same statements whatever the size of the review."""
    counted = {afi.id, *merged}
    rows = session.scalars(
        select(Finding)
        .where(Finding.review_id == afi.review_id, Finding.afi_id.in_(counted))
        .order_by(Finding.number)
    )
    return _items(session, afi.review_id, rows, dict.fromkeys(counted, afi))


def prioritised_without_findings(*, session: Session, review_id: int) -> list[int]:
    """Numbers of the prioritised AFIs that have no finding yet (a finding on an AFI merged
    into another counts for that one). Plain columns, not ORM objects: `/psif status` asks
    on every call, whatever the number of AFIs."""
    rows = session.execute(
        select(Afi.id, Afi.number, Afi.status, Afi.merged_into_id, Afi.prioritised).where(
            Afi.review_id == review_id
        )
    ).all()
    now_counts_as = current_ids(
        {
            row.id: row.merged_into_id if row.status == AfiStatus.MERGED.value else None
            for row in rows
        }
    )
    noted = {
        now_counts_as[afi_id]
        for afi_id in session.scalars(
            select(Finding.afi_id).where(Finding.review_id == review_id).distinct()
        )
        if afi_id in now_counts_as
    }
    return sorted(
        row.number
        for row in rows
        if row.prioritised and row.status == AfiStatus.ACTIVE.value and row.id not in noted
    )


def numbered_afi(*, session: Session, review_id: int, number: int) -> tuple[Afi, Afi] | None:
    """The review's AFI with this number, and the AFI it counts as now (itself unless it
    was merged)."""
    afi = session.scalars(
        select(Afi).where(Afi.review_id == review_id, Afi.number == number)
    ).first()
    if afi is None or afi.status == AfiStatus.ACTIVE.value:
        return None if afi is None else (afi, afi)
    return afi, current_afis(session=session, review_id=review_id)[afi.id]


def option_choices(*, session: Session, review_id: int) -> list[OptionChoice]:
    """The options for improvement recorded against active AFIs, by AFI then number."""
    options = [
        OptionChoice(item.id, item.number, item.afi_id, item.afi_number, item.text)
        for item in review_findings(session=session, review_id=review_id)
        if item.kind is FindingKind.OPTION
    ]
    active = {
        afi.id
        for afi in current_afis(session=session, review_id=review_id).values()
        if afi.status == AfiStatus.ACTIVE.value
    }
    return sorted(
        (o for o in options if o.afi_id in active), key=lambda o: (o.afi_number, o.number)
    )


def option_of_action(*, session: Session, action_id: int) -> int | None:
    row = session.get(ActionOption, action_id)
    return row.finding_id if row else None


def set_action_option(*, session: Session, action_id: int, finding_id: int | None) -> None:
    row = session.get(ActionOption, action_id)
    if finding_id is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ActionOption(action_id=action_id, finding_id=finding_id))
    else:
        row.finding_id = finding_id
    session.flush()


def actions_by_option(*, session: Session, review_id: int) -> dict[int, list[int]]:
    """Finding id of each option taken forward → the numbers of the actions carrying it out."""
    rows = session.execute(
        select(ActionOption.finding_id, Action.number)
        .join(Action, Action.id == ActionOption.action_id)
        .where(Action.review_id == review_id)
        .order_by(Action.number)
    )
    found: dict[int, list[int]] = {}
    for finding_id, number in rows:
        found.setdefault(finding_id, []).append(number)
    return found
