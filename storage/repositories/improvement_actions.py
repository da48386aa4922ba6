"""Improvement actions: logging (per-review numbering), editing, status changes, progress
updates, and reading them as the items builders show. Lists read columns rather than ORM
objects (`review_action_items`, `owned_actions_first`): loading objects cost several times
the CPU and grew with the plan."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Select, String, bindparam, case, cast, false, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, object_session
from sqlalchemy.sql.functions import FunctionElement

from bot.core.actions import (
    NO_ACTIONS,
    UNFINISHED,
    ActionItem,
    ActionStatus,
    AfiRef,
    OwnedActions,
    ProgressUpdate,
    RagStatus,
    StatusChange,
)
from storage.models.afis import Afi, AfiStatus
from storage.models.improvement_actions import Action, ActionProgressUpdate, ActionStatusChange
from storage.models.reviews import Review
from storage.repositories._sql import iso_date, set_where
from storage.repositories.counters import add_numbered
from storage.repositories.reviews import audit

# The item's fields read as they are stored; status, rag and afi are converted.
_PLAIN_FIELDS = tuple(
    field.name for field in fields(ActionItem) if field.name not in ("status", "rag", "afi")
)


@dataclass(frozen=True)
class ActionFields:
    """What a person fills in when logging or editing an action."""

    key_action: str
    owner_id: str
    due: date
    afi_id: int | None = None
    risks: str = ""
    measure: str = ""
    outcome: str = ""


def afi_ref(afi: Afi) -> AfiRef:
    return AfiRef(afi.id, afi.number, afi.text, afi.prioritised, afi.rank)


def follow_merges(session: Session, afi: Afi) -> Afi:
    """The AFI that `afi` counts as now: itself unless merged into another."""
    seen: set[int] = set()
    while (
        afi.status == AfiStatus.MERGED.value
        and afi.merged_into_id is not None
        and afi.id not in seen
    ):
        seen.add(afi.id)
        afi = session.get(Afi, afi.merged_into_id) or afi
    return afi


def _item(source: Any, afi: AfiRef | None) -> ActionItem:
    """The item of an action read as an ORM object or as columns (the names are the same)."""
    plain = {name: getattr(source, name) for name in _PLAIN_FIELDS}
    rag = RagStatus(source.rag) if source.rag else None
    return ActionItem(**plain, status=ActionStatus(source.status), afi=afi, rag=rag)


def item_of(action: Action) -> ActionItem:
    """The action as builders show it, under the AFI it counts as now (an AFI merged into
    another counts as that one)."""
    session = object_session(action)
    afi = action.afi
    if afi is not None and session is not None:
        afi = follow_merges(session, afi)
    return _item(action, afi_ref(afi) if afi else None)


_ITEMS: Select[Any] = select(
    *(column for column in Action.__table__.columns if column.name not in ("afi_id", "updated_at")),
    Afi.id.label("afi_id"),
    Afi.number.label("afi_number"),
    Afi.text.label("afi_text"),
    Afi.prioritised.label("afi_prioritised"),
    Afi.rank.label("afi_rank"),
    Afi.status.label("afi_status"),
).outerjoin(Afi, Afi.id == Action.afi_id)


def _column_item(session: Session, row: Any) -> ActionItem:
    if row.afi_id is None:
        return _item(row, None)
    if row.afi_status != AfiStatus.MERGED.value:
        afi = AfiRef(row.afi_id, row.afi_number, row.afi_text, row.afi_prioritised, row.afi_rank)
        return _item(row, afi)
    # Rare: the AFI was merged, so the action counts under the one it was merged into.
    merged = session.get(Afi, row.afi_id)
    assert merged is not None  # just read in the same transaction
    return _item(row, afi_ref(follow_merges(session, merged)))


def review_action_items(*, session: Session, review_id: int) -> list[ActionItem]:
    """Every action of the review, by number (as `review_actions` with `item_of`)."""
    rows = session.execute(_ITEMS.where(Action.review_id == review_id).order_by(Action.number))
    return [_column_item(session, row) for row in rows]


def afi_action_items(
    *, session: Session, review_id: int, afi_ids: Collection[int]
) -> list[ActionItem]:
    """The actions under these AFIs (one, and those merged into it), by number."""
    rows = session.execute(
        _ITEMS.where(Action.review_id == review_id, Action.afi_id.in_(list(afi_ids))).order_by(
            Action.number
        )
    )
    return [_column_item(session, row) for row in rows]


_UNFINISHED = Action.status.in_([status.value for status in UNFINISHED])


# A list's texts are measured in SQL as `/action list` shows them: truncated like `truncate`
# (which strips what `str.rstrip` strips), escaped for mrkdwn, then serialised as JSON.
_SHOWN_CHARS = 300
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class _has_control(FunctionElement[bool]):
    """SQL: whether a text holds a control character. JSON writes one as `\\n` or `\\u0001`:
    such texts are read and measured in Python instead (they are rare, and would take 32
    replace() calls here)."""

    type = Boolean()
    inherit_cache = True
    name = "has_control"


@compiles(_has_control)
def _has_control_regexp(element: _has_control, compiler: Any, **kw: Any) -> str:
    (text,) = element.clauses
    return f"({compiler.process(text, **kw)} ~ '[\\x00-\\x1f]')"


@compiles(_has_control, "sqlite")
def _has_control_glob(element: _has_control, compiler: Any, **kw: Any) -> str:
    # GLOB, not REGEXP: SQLite's REGEXP calls back into Python for every row.
    (text,) = element.clauses
    return f"({compiler.process(text, **kw)} GLOB '*[' || char(1) || '-' || char(31) || ']*')"


def _shown(text: Any, limit: int = _SHOWN_CHARS) -> Any:
    """SQL: `truncate(text, limit)`."""
    cut = func.rtrim(func.substr(text, 1, limit - 1), _WHITESPACE, type_=String) + "…"
    return case((func.length(text) <= limit, text), else_=cut)


def _escaped_length(text: Any) -> Any:
    """SQL: `len(escape_mrkdwn(text))`."""
    escaped = func.replace(func.replace(func.replace(text, "&", "&amp;"), "<", "&lt;"), ">", "&gt;")
    return func.length(escaped)


def _json_extra(text: Any) -> Any:
    """SQL: how many characters JSON adds to `text` free of control characters (a `\\`
    before each `"` and `\\`)."""
    return (
        2 * func.length(text)
        - func.length(func.replace(text, '"', ""))
        - func.length(func.replace(text, "\\", ""))
    )


class ListedLine(NamedTuple):
    """What the length of an action's line and its AFI's heading in a list depend on.
    `key_chars` and `key_json` are its shown key action's escaped length and what JSON adds
    to it, and `afi_chars`, `afi_json` the same of its AFI's shown label; where SQL can't
    measure them, they are None (its text is measured instead)."""

    afi_id: int | None
    afi_number: int | None
    afi_prioritised: bool | None
    afi_rank: int | None
    afi_chars: int | None
    afi_json: int | None
    afi_text: str | None
    id: int
    review_id: int
    number: int
    key_chars: int | None
    key_json: int | None
    key_action: str
    owner_id: str
    due: str  # ISO, '2027-03-03'
    status: str
    rag: str | None
    total: int  # how many actions the review has, on every line


@dataclass(frozen=True)
class ListedActions:
    """Every action of a list in the order it shows them, measured, and how many the review
    has."""

    lines: tuple[ListedLine, ...]
    total: int


_EVERY = aliased(Action)  # not correlated with the list's own actions
_REVIEW_TOTAL = (
    select(func.count()).where(_EVERY.review_id == bindparam("review_id")).scalar_subquery()
)


@cache
def _listed(by_owner: bool, unfinished: bool, by_due: bool) -> Select[Any]:
    """`listed_actions`' statement for one kind of list, built once (building costs more
    than running it)."""
    review_id: Any = bindparam("review_id")
    merged = Afi.status == AfiStatus.MERGED.value
    # Each of the review's AFIs and the one it counts as now (itself unless merged).
    counts_as = (
        select(Afi.id.label("id"), Afi.id.label("target_id"))
        .where(Afi.review_id == review_id, ~merged | Afi.merged_into_id.is_(None))
        .cte("counts_as", recursive=True)
    )
    source = aliased(Afi)
    counts_as = counts_as.union_all(
        select(source.id, counts_as.c.target_id)
        .join(counts_as, source.merged_into_id == counts_as.c.id)
        .where(source.status == AfiStatus.MERGED.value)
    )
    target = aliased(Afi)
    conditions = [Action.review_id == review_id]
    if by_owner:
        conditions.append(Action.owner_id == bindparam("owner_id"))
    if unfinished:
        conditions.append(_UNFINISHED)
    if by_due:
        conditions.append(Action.due < bindparam("due_before"))
    order = (
        case((target.id.is_(None), 2), (target.prioritised, 0), else_=1),
        case(
            (target.prioritised, func.coalesce(target.rank, target.number)),
            else_=target.number,
        ),
        case((target.prioritised, target.number), else_=0),
        Action.number,
    )
    key = _shown(Action.key_action)
    key_chars = _escaped_length(key)
    key_odd = _has_control(Action.key_action)
    # 'AFI 3: ' and the AFI's text; a label cut short is measured in Python (the cut may strip
    # the ': ' too).
    prefix = func.length(cast(target.number, String)) + len("AFI : ")
    afi_odd = (prefix + func.length(target.text) > _SHOWN_CHARS) | _has_control(target.text)
    return (
        select(
            target.id.label("afi_id"),
            target.number.label("afi_number"),
            target.prioritised.label("afi_prioritised"),
            target.rank.label("afi_rank"),
            case((afi_odd, None), else_=prefix + _escaped_length(target.text)).label("afi_chars"),
            case((afi_odd, None), else_=_json_extra(target.text)).label("afi_json"),
            target.text.label("afi_text"),
            Action.id,
            Action.review_id,
            Action.number,
            case((key_odd, None), else_=key_chars).label("key_chars"),
            case((key_odd, None), else_=_json_extra(key)).label("key_json"),
            Action.key_action,
            Action.owner_id,
            # ISO text: parsing every row's date would cost more than the statement.
            iso_date(Action.due).label("due"),
            Action.status,
            Action.rag,
            _REVIEW_TOTAL.label("total"),
        )
        .outerjoin(counts_as, counts_as.c.id == Action.afi_id)
        .outerjoin(target, target.id == counts_as.c.target_id)
        .where(*conditions)
        .order_by(*order)
    )


def listed_actions(
    *,
    session: Session,
    review_id: int,
    owner_id: str | None,
    unfinished: bool,
    due_before: date | None,
) -> ListedActions:
    """The review's actions (of those owned by `owner_id`, unfinished, due before
    `due_before`, as given) grouped as `/action list` shows them: prioritised AFIs by rank,
    other AFIs by number, then unlinked actions, each by number, an action counting under the
    AFI its own was merged into, each measured.
    One statement, whatever the review's size."""
    statement = _listed(owner_id is not None, unfinished, due_before is not None)
    parameters = {
        "review_id": review_id,
        "owner_id": owner_id,
        "due_before": due_before,
    }
    # Core, not the ORM's row handling: it costs more than the statement at thousands of rows.
    rows = session.connection().execute(statement, parameters).all()
    if not rows:
        every = session.scalar(select(_REVIEW_TOTAL), parameters)
        return ListedActions((), int(every or 0))
    return ListedActions(tuple(map(ListedLine._make, rows)), int(rows[0].total))


def listed_items(lines: Sequence[ListedLine]) -> tuple[ActionItem, ...]:
    """The actions of `lines`, as a list shows them."""
    items = []
    for line in lines:
        afi = None
        if line.afi_id is not None:
            # A linked action's AFI has a number and a text.
            assert line.afi_text is not None and line.afi_number is not None
            afi = AfiRef(
                line.afi_id,
                line.afi_number,
                line.afi_text,
                bool(line.afi_prioritised),
                line.afi_rank,
            )
        items.append(
            ActionItem(
                line.id,
                line.review_id,
                line.number,
                line.key_action,
                line.owner_id,
                date.fromisoformat(line.due),
                ActionStatus(line.status),
                rag=RagStatus(line.rag) if line.rag else None,
                afi=afi,
            )
        )
    return tuple(items)


_OWNED = (Review.closed_at.is_(None), Action.owner_id == bindparam("user_id"))
# The counts are one uncorrelated row joined to each: worked out once, and the sort can still
# keep only the first few rows (a window count would carry and sort every row).
_OWNED_COUNTS = (
    select(
        func.count().label("total"),
        func.sum(case((_UNFINISHED, 1), else_=0)).label("unfinished_total"),
        func.sum(case((_UNFINISHED & (Action.due < bindparam("today")), 1), else_=0)).label(
            "overdue_total"
        ),
    )
    .select_from(Action)
    .join(Review, Review.id == Action.review_id)
    .where(*_OWNED)
    .subquery()
)
_OWNED_FIRST: Select[Any] = (
    _ITEMS.add_columns(
        _OWNED_COUNTS.c.total, _OWNED_COUNTS.c.unfinished_total, _OWNED_COUNTS.c.overdue_total
    )
    .join(Review, Review.id == Action.review_id)
    .join(_OWNED_COUNTS, true())
    .where(*_OWNED)
    .order_by(case((_UNFINISHED, 0), else_=1), Action.due, Action.number, Action.id)
    .limit(bindparam("limit"))
)


def owned_actions_first(*, session: Session, user_id: str, today: date, limit: int) -> OwnedActions:
    """The user's first `limit` unfinished actions in every open review in any workspace,
    soonest due first, with counts of all of them, in one statement (the Home tab costs
    about the same at 5 actions or 2,000)."""
    rows = session.execute(_OWNED_FIRST, {"user_id": user_id, "today": today, "limit": limit}).all()
    if not rows:
        return NO_ACTIONS
    counts = rows[0]
    return OwnedActions(
        first=tuple(
            _column_item(session, row) for row in rows if ActionStatus(row.status) in UNFINISHED
        ),
        unfinished=int(counts.unfinished_total),
        overdue=int(counts.overdue_total),
        finished=int(counts.total) - int(counts.unfinished_total),
    )


def add_action(
    *, session: Session, review_id: int, fields: ActionFields, actor_id: str, now: datetime
) -> Action:
    action = Action(
        review_id=review_id,
        status=ActionStatus.OPEN.value,
        drop_reason="",
        created_by=actor_id,
        created_at=now,
        updated_at=now,
        **asdict(fields),
    )
    add_numbered(session, action, "action")
    audit_action(session, action, actor_id, "action.logged", {"owner": fields.owner_id}, now)
    session.refresh(action)
    return action


def edit_action(
    *, session: Session, action: Action, fields: ActionFields, actor_id: str, now: datetime
) -> list[str]:
    """Apply the edited fields; return the names of those that changed (audited)."""
    changed = [name for name, value in asdict(fields).items() if getattr(action, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(action, name, getattr(fields, name))
    action.updated_at = now
    session.flush()
    session.refresh(action)
    audit_action(session, action, actor_id, "action.edited", {"fields": changed}, now)
    return changed


def set_card(*, session: Session, action: Action, channel_id: str, message_ts: str) -> None:
    """Remember where the action's card is, for updating it in place."""
    action.channel_id, action.message_ts = channel_id, message_ts
    session.flush()


def change_status(
    *,
    session: Session,
    action: Action,
    expected: ActionStatus,
    target: ActionStatus,
    actor_id: str,
    now: datetime,
    reason: str = "",
) -> bool:
    """Move the action from `expected` to `target`, recording who and when; a
    compare-and-set: False if someone changed the status first."""
    changed = set_where(
        session,
        Action,
        Action.id == action.id,
        Action.status == expected.value,
        status=target.value,
        drop_reason=reason if target is ActionStatus.DROPPED else "",
        status_changed_by=actor_id,
        status_changed_at=now,
        updated_at=now,
    )
    if changed != 1:
        return False
    session.add(
        ActionStatusChange(
            action_id=action.id,
            actor_id=actor_id,
            from_status=expected.value,
            to_status=target.value,
            reason=reason,
            at=now,
        )
    )
    details: dict[str, object] = {"from": expected.value, "to": target.value}
    audit_action(session, action, actor_id, "action.status", details, now)
    session.flush()
    session.refresh(action)
    return True


def record_progress(
    *,
    session: Session,
    action: Action,
    author_id: str,
    note: str,
    rag: RagStatus | None,
    now: datetime,
) -> None:
    """Keep a progress update; a RAG status given with it becomes the action's own."""
    rag_value = rag.value if rag else None
    if rag_value is not None:
        action.rag = rag_value
    action.updated_at = now
    session.add(
        ActionProgressUpdate(
            action_id=action.id, author_id=author_id, note=note, rag=rag_value, at=now
        )
    )
    session.flush()
    details: dict[str, object] = {"rag": rag_value, "noted": bool(note)}
    audit_action(session, action, author_id, "action.progress", details, now)


def get_action(*, session: Session, action_id: int) -> Action | None:
    return session.get(Action, action_id)


def action_by_number(*, session: Session, review_id: int, number: int) -> Action | None:
    return session.scalars(
        select(Action).where(Action.review_id == review_id, Action.number == number)
    ).first()


def review_actions(*, session: Session, review_id: int) -> list[Action]:
    """Every action of the review, by number."""
    query = select(Action).where(Action.review_id == review_id).order_by(Action.number)
    return list(session.scalars(query).unique())


def action_counts(*, session: Session, review_id: int) -> tuple[int, int]:
    """(all actions, unfinished actions) of the review, for the stage gap checks."""
    total, still_open, _ = _counts(session, review_id, None)
    return total, still_open


def unfinished_and_overdue(*, session: Session, review_id: int, today: date) -> tuple[int, int]:
    """How many of the review's actions are unfinished, and how many of those are overdue."""
    _, still_open, overdue = _counts(session, review_id, today)
    return still_open, overdue


def _counts(session: Session, review_id: int, today: date | None) -> tuple[int, int, int]:
    unfinished = Action.status.in_([status.value for status in UNFINISHED])
    late = Action.due < today if today else false()
    total, still_open, overdue = session.execute(
        select(
            func.count(Action.id),
            func.count(Action.id).filter(unfinished),
            func.count(Action.id).filter(unfinished, late),
        ).where(Action.review_id == review_id)
    ).one()
    return int(total), int(still_open), int(overdue)


def status_history(*, session: Session, action_id: int) -> list[StatusChange]:
    rows = session.scalars(
        select(ActionStatusChange)
        .where(ActionStatusChange.action_id == action_id)
        .order_by(ActionStatusChange.id)
    )
    return [
        StatusChange(
            row.actor_id,
            ActionStatus(row.from_status),
            ActionStatus(row.to_status),
            row.at,
            row.reason,
        )
        for row in rows
    ]


def _update(row: ActionProgressUpdate) -> ProgressUpdate:
    rag = RagStatus(row.rag) if row.rag else None
    return ProgressUpdate(author_id=row.author_id, at=row.at, note=row.note, rag=rag)


def progress_updates(*, session: Session, action_id: int) -> list[ProgressUpdate]:
    """The action's progress updates, oldest first."""
    rows = session.scalars(
        select(ActionProgressUpdate)
        .where(ActionProgressUpdate.action_id == action_id)
        .order_by(ActionProgressUpdate.id)
    )
    return [_update(row) for row in rows]


def latest_progress_note(*, session: Session, action_id: int) -> ProgressUpdate | None:
    """The action's most recent update that has a note, for its card."""
    row = session.scalars(
        select(ActionProgressUpdate)
        .where(ActionProgressUpdate.action_id == action_id, ActionProgressUpdate.note != "")
        .order_by(ActionProgressUpdate.id.desc())
        .limit(1)
    ).first()
    return _update(row) if row else None


def review_progress_notes(*, session: Session, review_id: int) -> dict[int, list[ProgressUpdate]]:
    """The progress notes of the review's actions, keyed by action number, oldest first;
    updates that only set a RAG status are left out."""
    rows = session.execute(
        select(Action.number, ActionProgressUpdate)
        .join(Action, Action.id == ActionProgressUpdate.action_id)
        .where(Action.review_id == review_id, ActionProgressUpdate.note != "")
        .order_by(Action.number, ActionProgressUpdate.id)
    ).all()
    notes: dict[int, list[ProgressUpdate]] = {}
    for number, row in rows:
        notes.setdefault(number, []).append(_update(row))
    return notes


def afi_choices(*, session: Session, review_id: int) -> tuple[list[AfiRef], list[AfiRef]]:
    """Active AFIs to link an action to: (prioritised by rank, the others by number)."""
    afis = session.scalars(
        select(Afi)
        .where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
        .order_by(Afi.number)
    ).all()
    prioritised = sorted(
        (afi for afi in afis if afi.prioritised),
        key=lambda afi: (afi.rank is None, afi.rank or 0, afi.number),
    )
    others = [afi for afi in afis if not afi.prioritised]
    return [afi_ref(afi) for afi in prioritised], [afi_ref(afi) for afi in others]


def afi_in_review(*, session: Session, review_id: int, afi_id: int) -> Afi | None:
    afi = session.get(Afi, afi_id)
    return afi if afi is not None and afi.review_id == review_id else None


def audit_action(
    session: Session,
    action: Action,
    actor_id: str,
    what: str,
    details: dict[str, object],
    now: datetime,
) -> None:
    review = session.get(Review, action.review_id)
    assert review is not None  # the foreign key guarantees it
    audit(session, review, actor_id, what, {"number": action.number, **details}, now)


# What the scheduler's action reminders and the weekly digest read.


@dataclass(frozen=True)
class DueAction:
    """An unfinished action as the reminder planner needs it."""

    id: int
    review_id: int
    number: int
    owner_id: str
    due: date
    created_at: datetime


def unfinished_due_between(
    *, session: Session, review_ids: list[int], first: date, last: date
) -> list[DueAction]:
    """Unfinished actions of the reviews due from `first` to `last`, by review and number."""
    rows = session.execute(
        select(
            Action.id,
            Action.review_id,
            Action.number,
            Action.owner_id,
            Action.due,
            Action.created_at,
        )
        .where(
            Action.review_id.in_(review_ids),
            _UNFINISHED,
            Action.due >= first,
            Action.due <= last,
        )
        .order_by(Action.review_id, Action.number)
    ).all()
    return [DueAction(*row) for row in rows]


def earliest_unfinished_due(
    *, session: Session, review_ids: list[int], before: date
) -> dict[int, date]:
    """Each review's earliest due date among unfinished actions, where it is before `before`."""
    rows = session.execute(
        select(Action.review_id, func.min(Action.due))
        .where(Action.review_id.in_(review_ids), _UNFINISHED)
        .group_by(Action.review_id)
        .having(func.min(Action.due) < before)
    )
    return {review_id: due for review_id, due in rows}


def overdue_actions(*, session: Session, review_id: int, today: date) -> list[Action]:
    """The review's unfinished actions due before `today`."""
    return list(
        session.scalars(
            select(Action).where(
                Action.review_id == review_id,
                _UNFINISHED,
                Action.due < today,
            )
        ).unique()
    )


def actions_logged_and_completed(
    *, session: Session, review_id: int, since: datetime, until: datetime
) -> tuple[int, int]:
    """How many of the review's actions were logged, and how many marked done, in [since, until)."""
    logged = session.scalar(
        select(func.count())
        .select_from(Action)
        .where(Action.review_id == review_id, Action.created_at >= since, Action.created_at < until)
    )
    completed = session.scalar(
        select(func.count())
        .select_from(ActionStatusChange)
        .join(Action, Action.id == ActionStatusChange.action_id)
        .where(
            Action.review_id == review_id,
            ActionStatusChange.to_status == ActionStatus.DONE.value,
            ActionStatusChange.at >= since,
            ActionStatusChange.at < until,
        )
    )
    return int(logged or 0), int(completed or 0)
