"""`/afi list` reads only the page it shows when every page is full, and the whole list when
escaped text may cut a page short: either way the pages are those of the full list. `/afi
add` compares a new area only with those the database finds with the same numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update

from bot.afis import service, views
from bot.afis._rules import looks_like, numbers_in
from bot.core.roles import Role
from bot.deps import Deps
from storage.db import transaction
from storage.models.afis import Afi
from storage.repositories.afis import active_afi_items, active_afi_texts

from factories import CHANNEL, add_afis, make_review


@pytest.mark.parametrize("text", ["Staff don't get feedback {n}", "Bins & roads <{n}> " + "&" * 40])
def test_each_list_page_is_the_page_of_the_whole_list(deps: Deps, text: str) -> None:
    with transaction(deps.sessions) as session:
        review = make_review(session, members=(("UHOST", Role.HOST_LEAD),))
        texts = (text.format(n=n) for n in range(95))
        add_afis(session, review_id=review.id, texts=texts, author_id="UHOST")
    with transaction(deps.sessions) as session:
        items = active_afi_items(session=session, review_id=review.id)
    for page in (0, 1, 2, 3, 9):
        expected = views.build_afi_list(items, ballot=None, page=page)
        assert service.afi_list(deps, channel_id=CHANNEL, user_id="UHOST", page=page) == expected


def test_the_database_leaves_out_only_areas_whose_numbers_differ(deps: Deps) -> None:
    texts = ["Staff get no feedback", "Depot 3 staff get no feedback", "Area 10 and 3", "Area 1"]
    with transaction(deps.sessions) as session:
        review = make_review(session, members=(("UHOST", Role.HOST_LEAD),))
        add_afis(session, review_id=review.id, texts=texts, author_id="UHOST")

    def kept(numbers: frozenset[str]) -> list[int]:
        with transaction(deps.sessions) as session:
            found = active_afi_texts(session=session, review_id=review.id, numbers=numbers)
        return sorted(found)

    assert kept(numbers_in("Staff don't get feedback")) == [1]
    assert kept(numbers_in("Staff at depot 3 get no feedback")) == [2, 3]
    assert kept(numbers_in("Area 1")) == [3, 4]  # "10" holds "1": looks_like tells them apart
    assert looks_like("Area 1", [(3, "Area 10 and 3"), (4, "Area 1")]) == 4


def test_of_equal_matches_the_lowest_numbered_area_is_named(deps: Deps) -> None:
    """Two areas with the same compared wording: the first one is named, as the read by
    number always did (PostgreSQL returns rows in no set order)."""
    wording = "Improve budget reporting to members"
    with transaction(deps.sessions) as session:
        review = make_review(session, members=(("UHOST", Role.HOST_LEAD),))
        others = [f"other area {n} words" for n in range(400)]
        rows = add_afis(
            session, review_id=review.id, texts=[wording, wording, *others], author_id="UHOST"
        )
    with transaction(deps.sessions) as session:
        # the same compared wording; PostgreSQL now keeps this row after the second
        session.execute(update(Afi).where(Afi.id == rows[0].id).values(text=wording + "!"))
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE afis"))  # as in production: the planner knows the rows
    with transaction(deps.sessions) as session:
        found = active_afi_texts(session=session, review_id=review.id, numbers=numbers_in(wording))
    assert looks_like(wording, found.items()) == rows[0].number
