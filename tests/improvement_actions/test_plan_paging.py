"""`/action plan` stays within a few messages, each within Slack's limits, however long."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from bot.core.actions import ActionItem, ActionStatus, AfiRef
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.improvement_actions._rules import group_by_afi
from bot.improvement_actions.views import PLAN_MESSAGE_LIMIT, build_plan_messages

TODAY = date(2026, 11, 25)
REVIEW = ReviewSnapshot(
    id=1,
    channel_id="C1",
    host_council="Fife",
    focus="Roads maintenance",
    rationale="",
    stage=Stage.FIELDWORK_PLANNING,
    timeline=Timeline(),
)
# What Slack refuses (msg_blocks_too_long), as JSON characters: an upper bound on its count.
BLOCKS_TEXT_LIMIT = 12_000


def plan(count: int, text: str) -> list[tuple[str, list[dict[str, object]]]]:
    afis = [AfiRef(i, i, f"Area {i}", prioritised=i <= 5, rank=i) for i in range(1, 16)]
    items = [
        ActionItem(
            id=n,
            review_id=1,
            number=n,
            key_action=f"Step {n}: {text}",
            owner_id=f"U{n % 7}",
            due=TODAY + timedelta(days=n % 60),
            status=list(ActionStatus)[n % 4],
            afi=afis[n % 15],
            measure=text,
            created_by="U1",
            created_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        for n in range(1, count + 1)
    ]
    return build_plan_messages(REVIEW, group_by_afi(items), today=TODAY, posted_by="U1")


def test_a_thousand_actions_post_a_few_messages_and_point_to_the_export() -> None:
    messages = plan(1000, "Review the asset register with the service " * 4)
    assert 1 < len(messages) <= PLAN_MESSAGE_LIMIT
    for _, blocks in messages:
        assert len(blocks) <= 50
        assert len(json.dumps(blocks, ensure_ascii=False)) < BLOCKS_TEXT_LIMIT
    last = json.dumps(messages[-1][1])
    assert "more actions" in last and "/action export" in last


def test_a_middling_plan_is_shown_whole_one_line_per_action() -> None:
    messages = plan(120, "Review the asset register " * 30)
    assert len(messages) <= PLAN_MESSAGE_LIMIT
    shown = " ".join(json.dumps(blocks) for _, blocks in messages)
    assert all(f"Step {n}:" in shown for n in range(1, 121))
    assert "more action" not in shown
