"""Stages, their gaps, and the formatting users read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.calendar import format_date, format_day, is_working_day, working_day_on_or_after
from bot.core.councils import canonical_council, family_groups
from bot.core.stages import ORDER, ReviewProgress, Stage, WorkMoments, next_stage, work_reached_on
from bot.core.timeline import Timeline
from bot.reviews._rules import stage_gaps
from bot.slack.text import escape_mrkdwn, join_words


def test_stages_run_in_the_guidance_order_and_end_closed() -> None:
    assert ORDER[0] is Stage.GETTING_READY
    assert next_stage(Stage.PRE_WORK) is Stage.FIELDWORK_CONTEXT
    assert next_stage(Stage.FIELDWORK_PLANNING) is Stage.REPORTING
    assert next_stage(Stage.CLOSED) is None


def test_getting_ready_gaps_name_what_is_missing() -> None:
    progress = ReviewProgress(
        timeline=Timeline(), today=date(2026, 11, 25), peer_council_count=1, has_host_lead=True
    )
    gaps = stage_gaps(Stage.GETTING_READY, progress)
    assert "No Improvement Service lead is named." in gaps
    assert any("1 of 3 peer councils" in gap for gap in gaps)
    assert "Fieldwork dates are not agreed." in gaps


def test_pre_work_gap_reports_response_rate() -> None:
    progress = ReviewProgress(
        timeline=Timeline(),
        today=date(2026, 11, 25),
        stakeholders_invited=12,
        stakeholders_finished=7,
        self_assessment_closes=date(2026, 12, 9),
    )
    assert stage_gaps(Stage.PRE_WORK, progress) == [
        "Self-assessment still open: 7 of 12 responded, closes 9 December 2026."
    ]


def test_a_self_assessment_a_lead_closed_early_is_not_reported_as_still_open() -> None:
    progress = ReviewProgress(
        timeline=Timeline(),
        today=date(2026, 11, 25),
        stakeholders_invited=8,
        stakeholders_finished=7,
        self_assessment_closes=date(2026, 12, 9),
        self_assessment_closed=True,
    )
    assert not any("still open" in gap for gap in stage_gaps(Stage.PRE_WORK, progress))


def test_dates_read_the_uk_way() -> None:
    assert format_date(date(2027, 3, 3)) == "3 March 2027"
    assert format_day(date(2027, 3, 3)) == "Wednesday 3 March 2027"


def test_user_text_cannot_ping_the_channel() -> None:
    assert escape_mrkdwn("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_lists_read_naturally() -> None:
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"


def test_scottish_working_days() -> None:
    assert not is_working_day(date(2027, 1, 2))  # Saturday anyway
    assert not is_working_day(date(2026, 11, 30))  # St Andrew's Day
    assert not is_working_day(date(2027, 8, 2))  # first Monday in August, Scotland only
    assert is_working_day(date(2027, 3, 29))  # Easter Monday is not a Scottish bank holiday
    assert working_day_on_or_after(date(2026, 12, 25)) == date(2026, 12, 29)


def test_council_names_and_family_groups() -> None:
    assert canonical_council("edinburgh, city of") == "City of Edinburgh"
    assert canonical_council("Argyll & Bute") == "Argyll and Bute"
    assert canonical_council("Atlantis") is None
    assert family_groups("Fife") == (3, 2)


def test_the_work_reached_is_the_furthest_milestone_on_the_day_it_first_happened() -> None:
    london = ZoneInfo("Europe/London")
    timeline = Timeline(fieldwork_start=date(2027, 3, 3))
    today = date(2027, 3, 10)
    invited = WorkMoments(first_invited=datetime(2027, 1, 5, 23, 30, tzinfo=UTC))
    assert work_reached_on(invited, timeline, today=date(2027, 1, 6), zone=london) == (
        Stage.PRE_WORK,
        date(2027, 1, 5),
    )
    # A closed self-assessment is still pre-work; fieldwork is reached on its first day.
    closed = replace(invited, self_assessment_closes=date(2027, 2, 1))
    assert work_reached_on(closed, timeline, today=date(2027, 2, 10), zone=london) == (
        Stage.PRE_WORK,
        date(2027, 1, 5),
    )
    assert work_reached_on(closed, timeline, today=today, zone=london) == (
        Stage.FIELDWORK_CONTEXT,
        date(2027, 3, 3),
    )
    actions = replace(
        closed,
        first_vote_closed=datetime(2027, 3, 3, 16, tzinfo=UTC),
        first_action=datetime(2027, 3, 4, 11, tzinfo=UTC),
    )
    assert work_reached_on(actions, timeline, today=today, zone=london) == (
        Stage.FIELDWORK_PLANNING,
        date(2027, 3, 4),
    )
    assert work_reached_on(WorkMoments(), Timeline(), today=today, zone=london) is None
