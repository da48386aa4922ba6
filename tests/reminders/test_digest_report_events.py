"""The weekly update names the report's public outputs among the week's work."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from bot.reminders._digest import describe_activity
from storage.db import transaction
from storage.repositories.reviews import audit_counts

from conftest import RunningBot, SettableClock
from fake_slack import FakeSlack
from fieldwork_helpers import answer_to, seed_fieldwork_review
from slack_driver import SlackDriver

DATES = {
    "draft_report": date(2027, 3, 19),
    "leads_meeting": date(2027, 4, 2),
    "final_report": date(2027, 4, 16),
}


def test_the_summary_and_briefing_are_named_in_the_weeks_work(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(datetime(2027, 3, 19, 10, tzinfo=UTC))
    seeded = seed_fieldwork_review(bot.deps.sessions, **DATES)
    answer_to(slack, fake_slack, "/psif", "report summary", user="UHOST")
    answer_to(slack, fake_slack, "/psif", "report briefing", user="UHOST")
    with transaction(bot.deps.sessions) as session:
        counts = audit_counts(
            session=session,
            review_id=seeded.review_id,
            since=datetime(2027, 3, 15, tzinfo=UTC),
            until=datetime(2027, 3, 22, tzinfo=UTC),
        )
    assert sorted(describe_activity(Counter(counts))) == [
        "1 LGBF website summary made",
        "1 elected members' briefing made",
    ]
