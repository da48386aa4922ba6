"""How long the plan, list and Home builders take for large plans, and how they split.

Run: .venv/bin/python bench/action_plan.py
Prints figures; asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from bot.core.actions import ActionItem, ActionStatus, AfiRef, OwnedActions
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.home.views import HomePicture, build_home
from bot.improvement_actions._rules import ListFilter, group_by_afi
from bot.improvement_actions.views import build_action_list, build_plan_messages

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


def actions(count: int, text_length: int) -> list[ActionItem]:
    afis = [AfiRef(i, i, f"Area {i}", prioritised=i <= 5, rank=i) for i in range(1, 16)]
    return [
        ActionItem(
            id=n,
            review_id=1,
            number=n,
            key_action=("Do the thing properly " * 60)[:text_length],
            owner_id=f"U{n % 7}",
            due=TODAY + timedelta(days=n - 20),
            status=list(ActionStatus)[n % 4],
            afi=afis[n % 16] if n % 16 < 15 else None,
            measure=("Measured by the dashboard " * 40)[:text_length],
            created_by="U1",
            created_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        for n in range(1, count + 1)
    ]


T = TypeVar("T")


def timed(label: str, build: Callable[..., T], *args: object, **kwargs: object) -> T:
    started = time.perf_counter()
    for _ in range(20):
        result = build(*args, **kwargs)
    elapsed = (time.perf_counter() - started) / 20 * 1000
    print(f"{label:<44} {elapsed:8.2f} ms")
    return result


def main() -> None:
    for count, length in ((20, 120), (100, 300), (300, 900), (1000, 200)):
        items = actions(count, length)
        groups = group_by_afi(items)
        print(f"-- {count} actions, texts of {length} characters")
        plan = timed(
            "build_plan_messages", build_plan_messages, REVIEW, groups, today=TODAY, posted_by="U1"
        )
        listed = timed(
            "build_action_list (all)",
            build_action_list,
            groups,
            which=ListFilter.ALL,
            today=TODAY,
            total=count,
        )
        timed(
            "build_home (user owns all)",
            build_home,
            HomePicture(reviews=(REVIEW,), owned=OwnedActions.of(items, today=TODAY)),
            user_id="U1",
            today=TODAY,
        )
        for label, messages in (("plan", plan), ("list", listed)):
            sizes = [len(json.dumps(blocks)) for _, blocks in messages]
            counts = [len(blocks) for _, blocks in messages]
            print(
                f"   {label}: {len(sizes)} messages, max {max(counts)} blocks, "
                f"max {max(sizes)} characters of JSON"
            )


if __name__ == "__main__":
    main()
