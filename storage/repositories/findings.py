"""Findings against AFIs: recording (per-review numbering) and reading them as their AFIs
stand now (a merged AFI's findings count as the AFI it was merged into)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.fieldwork import SessionKind
from bot.core.findings import FindingItem, FindingKind, FindingSource, OptionChoice
from storage.models.afis import Afi, AfiStatus
from storage.models.fieldwork import FieldworkSession
from storage.models.findings import ActionOption, Finding
from storage.models.improvement_actions import Action
from storage.repositories.afi_lineage import current_afis, current_ids
from storage.repositories.counters import next_number


@dataclass(frozen=True)
class NewFinding:
    afi_id: int
    kind: FindingKind
    source: FindingSource
    text: str
    session_id: int | None = None


def add_finding(
    *, session: Session, review_id: int, new: NewFinding, actor_id: str, now: datetime
) -> Finding:
    """Store a finding with the review's next number (from its counter, locked until commit)."""
    row = Finding(
        review_id=review_id,
        number=next_number(session=session, review_id=review_id, name="finding"),
        afi_id=new.afi_id,
        kind=new.kind.value,
        source=new.source.value,
        session_id=new.session_id,
        text=new.text,
        recorded_by=actor_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def get_finding(*, session: Session, finding_id: int) -> Finding | None:
    return session.get(Finding, finding_id)


def finding_item(*, session: Session, row: Finding) -> FindingItem:
    return _items(session, row.review_id, [row])[0]


def change_finding(*, session: Session, row: Finding, new: NewFinding) -> None:
    row.afi_id = new.afi_id
    row.kind = new.kind.value
    row.source = new.source.value
    row.session_id = new.session_id
    row.text = new.text
    session.flush()


def remove_finding(*, session: Session, row: Finding) -> list[int]:
    """Delete the finding; the numbers of the actions that carried it out as an option
    (they keep everything else)."""
    carried = list(
        session.scalars(
            select(Action.number)
            .join(ActionOption, ActionOption.action_id == Action.id)
            .where(ActionOption.finding_id == row.id)
            .order_by(Action.number)
        )
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


def _session_of(
    row: Finding, sessions: dict[int, FieldworkSession]
) -> tuple[SessionKind, date] | None:
    held = sessions.get(row.session_id) if row.session_id is not None else None
    return (SessionKind(held.kind), held.day) if held is not None else None


def _items(session: Session, review_id: int, rows: Iterable[Finding]) -> list[FindingItem]:
    rows = list(rows)
    if not rows:
        return []
    afis = current_afis(session=session, review_id=review_id)
    session_ids = {row.session_id for row in rows if row.session_id is not None}
    sessions = (
        {
            held.id: held
            for held in session.scalars(
                select(FieldworkSession).where(FieldworkSession.id.in_(session_ids))
            )
        }
        if session_ids
        else {}
    )
    items = []
    for row in rows:
        afi = afis[row.afi_id]
        items.append(
            FindingItem(
                id=row.id,
                number=row.number,
                afi_id=afi.id,
                afi_number=afi.number,
                kind=FindingKind(row.kind),
                source=FindingSource(row.source),
                text=row.text,
                session_id=row.session_id,
                session=_session_of(row, sessions),
            )
        )
    return items


def review_findings(*, session: Session, review_id: int) -> list[FindingItem]:
    """Every finding of the review, by number, each under the AFI it counts as now."""
    rows = session.scalars(
        select(Finding).where(Finding.review_id == review_id).order_by(Finding.number)
    )
    return _items(session, review_id, rows)


def findings_for_afi(*, session: Session, review_id: int, afi_id: int) -> list[FindingItem]:
    return [
        item
        for item in review_findings(session=session, review_id=review_id)
        if item.afi_id == afi_id
    ]


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


def active_afi(*, session: Session, review_id: int, number: int) -> Afi | str | None:
    """The active AFI with this number; if it was merged, what it counts as now; a str
    explains an AFI that can't take findings."""
    afi = session.scalars(
        select(Afi).where(Afi.review_id == review_id, Afi.number == number)
    ).first()
    if afi is None:
        return None
    if afi.status == AfiStatus.ACTIVE.value:
        return afi
    current = current_afis(session=session, review_id=review_id)[afi.id]
    if current.status == AfiStatus.ACTIVE.value:
        return (
            f"Area {number} was merged into area {current.number}; "
            f"record it against {current.number}."
        )
    return f"Area {number} was withdrawn, so it can't take findings."


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
