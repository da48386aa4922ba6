"""How `/psif papers` describes the self-assessment report: whether there are figures is
found from the first few invited when enough of them answered, else from everyone, with the
same answer either way."""

from __future__ import annotations

import pytest

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.roles import Role
from bot.deps import Deps
from bot.papers.service import show_pack
from storage.db import transaction

from factories import add_checklist_answers, make_review

CHECKLIST = load_default_checklist()


@pytest.mark.parametrize(
    ("silent", "answering", "shown"),
    [
        (20, 5, "made from the results (25 of 25 responded)"),  # past the first 20 invited
        (21, 4, "_not available yet_ (Self-assessment figures are not shown: 25 responses"),
        (0, 5, "made from the results (5 of 5 responded)"),
    ],
)
def test_the_pack_says_whether_the_report_has_figures_whoever_answered_first(
    deps: Deps, silent: int, answering: int, shown: str
) -> None:
    with transaction(deps.sessions) as session:
        review = make_review(session, members=(("UHOST", Role.HOST_LEAD),), channel="CPACK")
        add_checklist_answers(
            session,
            review=review,
            checklist=CHECKLIST,
            answers=[Answer.AGREE] * (silent + answering),
            secret=deps.respondent_secret,
            # The first `silent` finish without answering any statement.
            only={s.id: [None] * silent + [Answer.AGREE] * answering for s in CHECKLIST.statements},
        )
    _text, blocks = show_pack(deps, team_id="T0001", channel_id="CPACK", user_id="UHOST")
    assert shown in str(blocks)
