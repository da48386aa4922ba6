"""The guidance's timeline rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core.timeline import (
    Timeline,
    check_timeline,
    default_fieldwork_end,
    milestones,
    next_milestone,
    suggested_dates,
    with_defaults,
)

TODAY = date(2026, 11, 25)


def test_suggestions_follow_the_guidance_and_land_on_working_days() -> None:
    suggested = suggested_dates(date(2027, 3, 3), date(2027, 3, 5))
    assert suggested.pre_meeting == date(2027, 2, 17)  # exactly 2 weeks before, a Wednesday
    assert suggested.draft_report == date(2027, 3, 19)  # 2 weeks after fieldwork ends
    assert suggested.leads_meeting == date(2027, 4, 2)  # 4 weeks after
    assert suggested.final_report == date(2027, 4, 16)
    assert check_timeline(suggested, today=TODAY) == []


def test_suggested_pre_meeting_moves_earlier_off_a_bank_holiday() -> None:
    # Fieldwork on Monday 14 December 2026 → two weeks before is St Andrew's Day (observed).
    suggested = suggested_dates(date(2026, 12, 14), None)
    assert suggested.pre_meeting == date(2026, 11, 27)


def test_fieldwork_defaults_to_three_working_days_over_a_weekend() -> None:
    assert default_fieldwork_end(date(2027, 3, 4)) == date(2027, 3, 8)  # Thu, Fri, Mon


def test_blank_dates_are_filled_and_chosen_dates_kept() -> None:
    filled = with_defaults(
        Timeline(
            fieldwork_start=date(2027, 3, 3),
            fieldwork_end=date(2027, 3, 5),
            leads_meeting=date(2027, 4, 6),
        )
    )
    assert filled.leads_meeting == date(2027, 4, 6)
    assert filled.final_report == date(2027, 4, 20)  # follows the chosen leads' meeting
    assert filled.pre_meeting == date(2027, 2, 17)


def test_pre_meeting_under_two_weeks_before_fieldwork_is_a_hard_problem() -> None:
    timeline = with_defaults(
        Timeline(fieldwork_start=date(2027, 3, 3), pre_meeting=date(2027, 2, 18))
    )
    problems = check_timeline(timeline, today=TODAY)
    assert [(p.field, p.overridable) for p in problems] == [("pre_meeting", False)]
    assert "17 February 2027" in problems[0].message


def test_late_draft_report_and_leads_meeting_are_overridable() -> None:
    timeline = with_defaults(
        Timeline(
            fieldwork_start=date(2027, 3, 3),
            fieldwork_end=date(2027, 3, 5),
            draft_report=date(2027, 3, 29),
            leads_meeting=date(2027, 4, 12),
        )
    )
    problems = {p.field: p for p in check_timeline(timeline, today=TODAY)}
    assert problems["draft_report"].overridable
    assert problems["leads_meeting"].overridable


def test_order_problems_are_hard() -> None:
    timeline = Timeline(
        fieldwork_start=date(2027, 3, 3),
        fieldwork_end=date(2027, 3, 1),
        initial_meeting=date(2027, 3, 10),
    )
    fields = {p.field: p.overridable for p in check_timeline(timeline, today=TODAY)}
    assert fields == {"fieldwork_end": False, "initial_meeting": False}


def test_dates_in_the_past_are_problems_except_the_initial_meeting() -> None:
    timeline = with_defaults(
        Timeline(initial_meeting=date(2026, 10, 1), fieldwork_start=date(2026, 11, 2))
    )
    fields = {p.field for p in check_timeline(timeline, today=TODAY)}
    assert "initial_meeting" not in fields
    assert {"fieldwork_start", "pre_meeting"} <= fields


def test_long_fieldwork_is_flagged_softly() -> None:
    timeline = Timeline(fieldwork_start=date(2027, 3, 1), fieldwork_end=date(2027, 3, 12))
    [problem] = check_timeline(timeline, today=TODAY)
    assert problem.field == "fieldwork_end" and problem.overridable


def test_milestones_are_in_date_order_and_next_one_is_found() -> None:
    timeline = with_defaults(Timeline(fieldwork_start=date(2027, 3, 3)))
    keys = [m.key for m in milestones(timeline)]
    assert keys[:3] == ["papers_due", "pre_meeting", "fieldwork_start"]  # papers read first
    upcoming = next_milestone(timeline, today=date(2027, 3, 4))
    assert upcoming is not None and upcoming.key == "fieldwork_end"


def test_a_meeting_on_a_scottish_bank_holiday_or_weekend_is_questioned() -> None:
    timeline = with_defaults(Timeline(fieldwork_start=date(2027, 1, 11)))
    on_holiday = replace(timeline, pre_meeting=date(2026, 11, 30))  # St Andrew's Day
    [problem] = check_timeline(on_holiday, today=TODAY)
    assert problem.field == "pre_meeting" and problem.overridable
    assert problem.message == (
        "Team pre-meeting falls on Saint Andrew's Day, a Scottish bank holiday. "
        "Choose a working day."
    )
    on_saturday = replace(timeline, leads_meeting=date(2027, 2, 13))
    assert [p.message for p in check_timeline(on_saturday, today=TODAY)] == [
        "Leads' meeting on the draft falls on a Saturday. Choose a working day."
    ]
