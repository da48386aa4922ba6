"""The Home tab lists the first of someone's actions and counts the rest, however many they
own: an owner outside the review team still sees the review, their overdue actions first."""

from __future__ import annotations

from datetime import timedelta

from bot.core.actions import ActionStatus
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action, change_status

from checklist_helpers import CHANNEL, seed_checklist_review


def test_home_shows_the_first_actions_and_counts_every_one(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    today = deps.today()
    with transaction(deps.sessions) as session:
        actions = [
            add_action(
                session=session,
                review_id=review_id,
                # Numbered 1-30, due from 4 days ago on: actions 1-4 are overdue.
                fields=ActionFields(f"Task {n}", "UOWNER", today + timedelta(days=n - 5)),
                actor_id="UHOST",
                now=deps.now(),
            )
            for n in range(1, 31)
        ]
        for done in (actions[0], actions[29]):
            change_status(
                session=session,
                action=done,
                expected=ActionStatus.OPEN,
                target=ActionStatus.DONE,
                actor_id="UOWNER",
                now=deps.now(),
            )
    before = len(fake_slack.calls_to("views.publish"))
    slack.open_home("UOWNER")  # owns actions, holds no role in the review
    fake_slack.wait_for("views.publish", before + 1)
    blocks = fake_slack.home_tabs["UOWNER"]["blocks"]
    text = str(blocks)
    assert CHANNEL in text  # the review shows, though they aren't on its team
    assert "28 open actions · ⚠️ 3 overdue · 2 done or dropped" in text
    shown = [b["text"]["text"] for b in blocks if ". Task " in str(b.get("text", {}).get("text"))]
    assert [line.split(".")[0] for line in shown] == [f"*{n}" for n in range(2, 22)]
    assert "overdue" in shown[0] and "overdue" not in shown[3]
    assert "…and 8 more open actions" in text
