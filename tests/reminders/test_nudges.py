"""Civil hours, skip reasons, snooze parsing, milestone words and the digest's wording."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import Refusal
from bot.core.milestones_done import is_done, milestone_for_word
from bot.core.nudges import (
    CHANNEL,
    PlannedNudge,
    SkipReason,
    is_civil_hour,
    next_civil_moment,
    skip_reason,
    when,
)
from bot.core.stages import Stage
from bot.demo.fake_slack import validate_blocks
from bot.reminders._digest import describe_activity, updates_beyond_outcomes
from bot.reminders.service import RULES, parse_snooze
from bot.reminders.views import (
    build_channel_unreachable,
    build_milestone_reminder,
    build_reminders_list,
    scheduled_entries,
)

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 25)


def test_civil_hours_are_9_to_6_on_scottish_working_days_in_local_time() -> None:
    assert is_civil_hour(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), LONDON)
    assert not is_civil_hour(datetime(2026, 11, 25, 8, 59, tzinfo=UTC), LONDON)
    assert not is_civil_hour(datetime(2026, 11, 25, 18, 0, tzinfo=UTC), LONDON)
    assert not is_civil_hour(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), LONDON)  # Saturday
    assert not is_civil_hour(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), LONDON)  # St Andrew's
    assert is_civil_hour(datetime(2027, 6, 1, 8, 0, tzinfo=UTC), LONDON)  # 09:00 BST


def test_next_civil_moment_skips_nights_weekends_and_bank_holidays() -> None:
    friday_evening = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)
    # Monday 30 November is St Andrew's Day, so Tuesday 09:00.
    assert next_civil_moment(friday_evening, LONDON) == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    # In summer 09:00 in London is 08:00 UTC.
    sunday = datetime(2027, 6, 6, 12, 0, tzinfo=UTC)
    assert next_civil_moment(sunday, LONDON) == datetime(2027, 6, 7, 8, 0, tzinfo=UTC)


def _reason(**overrides: object) -> SkipReason | None:
    arguments: dict[str, object] = {
        "rule": "timeline.pre_meeting.week_before",
        "recipient": CHANNEL,
        "useful_until": TODAY,
        "today": TODAY,
        "muted": frozenset(),
        "channel_unreachable": False,
        "paused_through": None,
    } | overrides
    return skip_reason(**arguments)  # type: ignore[arg-type]


def test_skip_reasons() -> None:
    assert _reason() is None
    assert _reason(muted=frozenset({"all"})) is SkipReason.MUTED
    assert _reason(muted=frozenset({"timeline"})) is SkipReason.MUTED
    assert _reason(muted=frozenset({"digest"})) is None
    assert _reason(today=date(2026, 11, 26)) is SkipReason.STALE
    assert _reason(channel_unreachable=True) is SkipReason.CHANNEL_UNREACHABLE
    # A snooze is personal: it pauses direct messages, never the channel.
    assert _reason(paused_through=TODAY) is None
    assert _reason(recipient="U1", paused_through=TODAY) is SkipReason.SNOOZED
    assert _reason(recipient="U1", paused_through=date(2026, 11, 24)) is None


@pytest.mark.parametrize(
    ("typed", "through"),
    [
        ("7d", date(2026, 12, 1)),
        ("1 day", TODAY),
        ("2w", date(2026, 12, 8)),
        ("until 2027-03-10", date(2027, 3, 10)),
        ("until 10 March 2027", date(2027, 3, 10)),
        ("Until 10/03/2027", date(2027, 3, 10)),
    ],
)
def test_snooze_lengths_and_dates(typed: str, through: date) -> None:
    assert parse_snooze(typed, today=TODAY).paused_through == through


@pytest.mark.parametrize("typed", ["0d", "soon", "until yesterday", "until 2026-11-24", "400d"])
def test_snooze_refuses_what_it_cannot_honour(typed: str) -> None:
    with pytest.raises(Refusal):
        parse_snooze(typed, today=TODAY)


def test_snooze_off_and_status() -> None:
    assert parse_snooze("off", today=TODAY).off
    assert parse_snooze("", today=TODAY).paused_through is None


def test_milestone_words_are_forgiving() -> None:
    assert milestone_for_word("Pre-meeting") == "pre_meeting"
    assert milestone_for_word("leads' meeting") == "leads_meeting"
    assert milestone_for_word("draft report") == "draft_report"
    assert milestone_for_word("lunch") is None
    assert milestone_for_word("fieldwork") == "fieldwork_start"
    assert milestone_for_word("fieldwork", fieldwork_started=True) == "fieldwork_end"
    assert milestone_for_word("fieldwork over") == "fieldwork_end"


def test_fieldwork_that_is_over_has_started() -> None:
    recorded = frozenset({"fieldwork_end"})
    assert is_done("fieldwork_start", stage=Stage.PRE_WORK, recorded=recorded)
    assert not is_done("fieldwork_end", stage=Stage.FIELDWORK_PLANNING, recorded=frozenset())


def test_milestones_are_done_when_recorded_or_when_the_stage_moved_past() -> None:
    assert is_done("papers_due", stage=Stage.PRE_WORK, recorded=frozenset({"papers_due"}))
    assert not is_done("papers_due", stage=Stage.PRE_WORK, recorded=frozenset())
    assert is_done("papers_due", stage=Stage.FIELDWORK_CONTEXT, recorded=frozenset())
    assert not is_done("draft_report", stage=Stage.REPORTING, recorded=frozenset())


def test_relative_wording() -> None:
    assert when(TODAY, TODAY) == "today, Wednesday 25 November 2026"
    assert when(date(2026, 11, 26), TODAY) == "tomorrow, Thursday 26 November 2026"
    assert when(date(2026, 12, 2), TODAY) == "in 7 days, on Wednesday 2 December 2026"


def test_digest_describes_activity_by_area_and_groups_the_unknown() -> None:
    counts = Counter({"team.added": 2, "afi.added": 1, "afi.merged": 2, "mystery.thing": 1})
    assert describe_activity(counts) == [
        "3 changes to the areas for improvement",
        "2 changes to the team",
        "1 other update",
    ]


def test_digest_counts_an_action_logged_or_done_once_and_names_report_events() -> None:
    counts = {
        "action.logged": 3,
        "action.status": 2,
        "report.final": 1,
        "finding.shared": 3,
        "report.drafted": 2,
        "report.summary": 1,
        "report.briefing": 1,
    }
    assert describe_activity(updates_beyond_outcomes(counts, completed=1)) == [
        "3 findings marked as learning to share",
        "2 draft report versions shared",
        "1 improvement action update",
        "1 final report agreed",
        "1 LGBF website summary made",
        "1 elected members' briefing made",
    ]
    assert describe_activity(updates_beyond_outcomes({"action.logged": 3}, completed=0)) == []


def test_papers_reminder_names_the_day_once() -> None:
    reminder = build_milestone_reminder(
        host_council="Fife",
        milestone="papers_due",
        day=date(2027, 2, 16),
        today=date(2027, 2, 12),
    )
    text = str(reminder.blocks)
    assert "by Tuesday 16 February 2027 (in 4 days)," in text
    assert text.count("16 February 2027") == 1


def test_builders_fit_slack_limits_with_long_user_text() -> None:
    reminder = build_milestone_reminder(
        host_council="Fife",
        milestone="fieldwork_start",
        day=date(2027, 1, 6),
        today=date(2027, 1, 5),
        prioritised_afis=["x" * 5000] * 30,
    )
    assert validate_blocks(reminder.blocks, "message") == []
    for error in ("is_archived", "channel_not_found", "not_in_channel"):
        message = build_channel_unreachable(channel_id="C1", host_council="Fife", error=error)
        assert validate_blocks(message.blocks, "message") == []


def test_rules_are_discovered_with_stable_names() -> None:
    assert [rule.name for rule in RULES] == [
        "timeline",
        "self_assessment",
        "stage",
        "vote",
        "actions",
        "fieldwork",
        "digest",
    ]


def test_reminder_listing_counts_direct_messages_without_naming_anyone() -> None:
    def dm(user: str, state: str = "scheduled") -> tuple[PlannedNudge, str]:
        nudge = PlannedNudge(1, "self_assessment.reminder.day_before", TODAY, TODAY, "Finish", user)
        return nudge, state

    channel = PlannedNudge(1, "timeline.pre_meeting.day_before", TODAY, TODAY, "Pre-meeting")
    entries = scheduled_entries(
        [dm("UA"), dm("UB"), dm("UC", "skipped"), (channel, "scheduled")], viewer="UZ"
    )
    message = build_reminders_list(
        entries=entries,
        rule_labels=[],
        muted=frozenset(),
        channel_problem=None,
        snoozed_through=None,
        today=TODAY,
        days=14,
    )
    rendered = str(message.blocks)
    assert "Finish → 2 people\\n" in rendered and "Finish → 1 person _(skipped)_" in rendered
    assert [entry.direct_messages for entry in entries] == [2, 1, 0]
    assert "UA" not in rendered and "UC" not in rendered
    assert [entry.to_viewer for entry in scheduled_entries([dm("UZ")], viewer="UZ")] == [True]
