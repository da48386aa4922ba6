"""`/afi list` reads only the page it shows when every page is full, and the whole list when
escaped text may cut a page short: either way the pages are those of the full list."""

from __future__ import annotations

import pytest

from bot.afis import service, views
from bot.core.roles import Role
from bot.deps import Deps
from storage.db import transaction
from storage.repositories.afis import active_afi_items

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
