"""Actions read as items from plain columns match what the ORM path gives, on SQLite and
PostgreSQL: AFIs, merged AFIs, no AFI, statuses, and the owner's view across reviews."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from bot.core.actions import ActionStatus, OwnedActions
from bot.improvement_actions._rules import ListFilter, group_by_afi, select_actions
from bot.slack.text import escape_mrkdwn
from storage.db import make_session_factory, transaction
from storage.models.reviews import Review
from storage.repositories.afis import merge_afis
from storage.repositories.improvement_actions import (
    ActionFields,
    add_action,
    change_status,
    item_of,
    listed_actions,
    listed_items,
    owned_actions_first,
    review_action_items,
    review_actions,
    unfinished_and_overdue,
)

from action_helpers import NOW, seed_review_with_afis
from conftest import TestDatabase


def test_items_from_columns_are_the_items_of_the_orm_actions(db: TestDatabase) -> None:
    sessions = make_session_factory(db.engine)
    seeded = seed_review_with_afis(sessions)
    other = seed_review_with_afis(sessions, channel="COTHER", host="Angus", with_afis=False)
    with transaction(sessions) as session:
        review = session.get(Review, seeded.review_id)
        assert review is not None
        actions = [
            add_action(
                session=session,
                review_id=seeded.review_id,
                fields=ActionFields(
                    f"Action {n}", owner, date(2027, 1, 10 + n), afi_id, risks="r", measure="m"
                ),
                actor_id="UHOST",
                now=NOW,
            )
            for n, (owner, afi_id) in enumerate(
                (
                    ("U2", seeded.afis["assets"]),
                    ("U2", seeded.afis["complaints"]),
                    ("U3", None),
                    ("U2", seeded.afis["budget"]),
                )
            )
        ]
        add_action(
            session=session,
            review_id=other.review_id,
            fields=ActionFields("Elsewhere", "U2", date(2027, 1, 1)),
            actor_id="UHOST",
            now=NOW,
        )
        change_status(
            session=session,
            action=actions[3],
            expected=ActionStatus.OPEN,
            target=ActionStatus.DONE,
            actor_id="U2",
            now=NOW,
        )
        merged = merge_afis(
            session=session,
            review_id=review.id,
            source_id=seeded.afis["assets"],
            target_id=seeded.afis["complaints"],
            now=NOW,
        )
        assert merged is not None
    with transaction(sessions) as session:
        from_orm = [item_of(a) for a in review_actions(session=session, review_id=seeded.review_id)]
        from_columns = review_action_items(session=session, review_id=seeded.review_id)
        today = date(2027, 1, 12)
        owned = owned_actions_first(session=session, user_id="U2", today=today, limit=10)
        first_two = owned_actions_first(session=session, user_id="U2", today=today, limit=2)
        everything = review_action_items(session=session, review_id=other.review_id)
        counts = unfinished_and_overdue(
            session=session, review_id=seeded.review_id, today=date(2027, 1, 12)
        )
    assert from_columns == from_orm
    assert from_columns[0].afi == from_columns[1].afi  # the merged AFI counts as its target
    assert from_columns[2].afi is None
    # The done Action 3 is counted, not listed; U3's action is neither.
    assert [item.key_action for item in owned.first] == ["Elsewhere", "Action 0", "Action 1"]
    assert owned.first[1:] == (from_orm[0], from_orm[1])
    assert owned == OwnedActions.of(
        [*everything, from_orm[0], from_orm[1], from_orm[3]], today=today
    )
    assert (owned.unfinished, owned.overdue, owned.finished) == (3, 3, 1)
    # The counts are of all of them, however few are read.
    assert first_two == OwnedActions(first=owned.first[:2], unfinished=3, overdue=3, finished=1)
    assert counts == (3, 2)  # Action 3 is done; Actions 0 and 1 were due before the 12th


def test_listed_actions_are_the_filtered_items_in_list_order_counted_in_one_read(
    db: TestDatabase,
) -> None:
    sessions = make_session_factory(db.engine)
    seeded = seed_review_with_afis(sessions)
    with transaction(sessions) as session:
        for index, (afi, owner) in enumerate(
            [("complaints", "U2"), (None, "U3"), ("assets", "U2"), ("complaints", "U3")]
        ):
            add_action(
                session=session,
                review_id=seeded.review_id,
                fields=ActionFields(
                    key_action=f'Act & "{index}"',
                    owner_id=owner,
                    due=date(2027, 1, 10 + index),
                    afi_id=seeded.afis[afi] if afi else None,
                ),
                actor_id="U2",
                now=NOW,
            )
        merge_afis(
            session=session,
            review_id=seeded.review_id,
            source_id=seeded.afis["assets"],
            target_id=seeded.afis["complaints"],
            now=NOW,
        )
    today = date(2027, 1, 12)
    with transaction(sessions) as session:
        items = review_action_items(session=session, review_id=seeded.review_id)
        for which in ListFilter:
            listed = listed_actions(
                session=session,
                review_id=seeded.review_id,
                owner_id="U2" if which is ListFilter.MINE else None,
                unfinished=which in (ListFilter.OPEN, ListFilter.OVERDUE),
                due_before=today if which is ListFilter.OVERDUE else None,
            )
            chosen = select_actions(items, which, user_id="U2", today=today)
            in_order = [item for group in group_by_afi(chosen) for item in group.actions]
            shown = [(item.number, item.afi) for item in listed_items(listed.lines)]
            assert shown == [(item.number, item.afi) for item in in_order]
            assert [line.number for line in listed.lines] == [i.number for i in in_order]
            assert (len(listed.lines), listed.total) == (len(chosen), 4)
            for line, chosen_item in zip(listed.lines, in_order, strict=True):
                # Measured as shown: escaped for mrkdwn, then JSON adds a \ before each ".
                key = escape_mrkdwn(chosen_item.key_action)
                assert (line.key_chars, line.key_json) == (len(key), 2)
                ref = chosen_item.afi
                assert line.afi_id == (ref.id if ref else None)
                if ref:
                    assert (line.afi_chars, line.afi_json) == (len(escape_mrkdwn(ref.label)), 0)


def test_listed_due_dates_are_read_whatever_the_databases_date_style(db: TestDatabase) -> None:
    """The list reads due dates as ISO text; PostgreSQL's DateStyle must not change that."""
    sessions = make_session_factory(db.engine)
    seeded = seed_review_with_afis(sessions)
    due = date(2027, 3, 4)  # day and month that a DMY style would swap
    with transaction(sessions) as session:
        add_action(
            session=session,
            review_id=seeded.review_id,
            fields=ActionFields(key_action="Act", owner_id="U2", due=due, afi_id=None),
            actor_id="U2",
            now=NOW,
        )
    with transaction(sessions) as session:
        if db.backend == "postgresql":
            session.execute(text("SET LOCAL datestyle = 'SQL, DMY'"))
        listed = listed_actions(
            session=session,
            review_id=seeded.review_id,
            owner_id=None,
            unfinished=False,
            due_before=None,
        )
        assert [item.due for item in listed_items(listed.lines)] == [due]
