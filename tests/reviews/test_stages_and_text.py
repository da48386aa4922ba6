"""Stages, their gaps, and the formatting users read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.calendar import format_date, format_day, is_working_day, working_day_on_or_after
from bot.core.councils import canonical_council, family_groups
from bot.core.report import FieldworkFacts
from bot.core.stages import (
    ORDER,
    ReviewProgress,
    Stage,
    WorkMoments,
    move_offer,
    next_stage,
    stage_heading,
)
from bot.core.timeline import Timeline
from bot.report.service import fieldwork_gaps
from bot.reviews._rules import stage_gaps
from bot.reviews.service import FIELDWORK_GAP_STAGES
from bot.slack.text import escape_mrkdwn, join_words


def test_stages_run_in_the_guidance_order_and_end_in_follow_up() -> None:
    assert ORDER[0] is Stage.GETTING_READY
    assert next_stage(Stage.PRE_WORK) is Stage.FIELDWORK_CONTEXT
    assert next_stage(Stage.FIELDWORK_PLANNING) is Stage.REPORTING
    assert next_stage(Stage.FOLLOW_UP) is None
    assert "closed" not in {stage.value for stage in Stage}  # closed is a state


def test_every_stage_is_named_among_the_guidance_five_and_follow_up() -> None:
    assert stage_heading(Stage.GETTING_READY) == "Stage 1 of 6: Getting ready"
    assert stage_heading(Stage.FIELDWORK_INTERVIEWS) == (
        "Stage 3 of 6: Fieldwork: interviews and focus groups (phase 2 of 3)"
    )
    assert stage_heading(Stage.FOLLOW_UP) == "Stage 6 of 6: Follow-up"
    assert stage_heading(Stage.FOLLOW_UP, closed_on=date(2027, 9, 1)) == (
        "Closed on 1 September 2027 (in Follow-up)"
    )


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


LONDON = ZoneInfo("Europe/London")
FIELDWORK = Timeline(fieldwork_start=date(2027, 3, 3), fieldwork_end=date(2027, 3, 5))


def offered(stage: Stage, moments: WorkMoments, today: date) -> tuple[Stage, str, date] | None:
    offer = move_offer(stage, moments, FIELDWORK, today=today, zone=LONDON)
    return None if offer is None else (offer.target, offer.because, offer.since)


def test_the_move_offered_is_only_ever_to_the_next_stage_once_it_has_begun() -> None:
    invited = WorkMoments(first_invited=datetime(2027, 1, 5, 23, 30, tzinfo=UTC))
    assert offered(Stage.GETTING_READY, invited, date(2027, 1, 6)) == (
        Stage.PRE_WORK,
        "stakeholders are invited to the self-assessment",
        date(2027, 1, 5),
    )
    # A vote held and closed weeks before fieldwork doesn't make it fieldwork.
    voted = replace(
        invited,
        first_vote_opened=datetime(2027, 1, 20, 10, tzinfo=UTC),
        first_vote_closed=datetime(2027, 1, 22, 10, tzinfo=UTC),
        first_action=datetime(2027, 1, 25, 10, tzinfo=UTC),
    )
    assert offered(Stage.PRE_WORK, voted, date(2027, 2, 1)) is None
    # Far behind the work, the offer is still the very next stage, never a skip.
    assert offered(Stage.PRE_WORK, voted, date(2027, 3, 10)) == (
        Stage.FIELDWORK_CONTEXT,
        "fieldwork began on 3 March 2027",
        date(2027, 3, 3),
    )
    assert offered(Stage.FIELDWORK_CONTEXT, voted, date(2027, 3, 3)) == (
        Stage.FIELDWORK_INTERVIEWS,
        "the vote has prioritised the areas for improvement",
        date(2027, 3, 3),
    )
    assert offered(Stage.FIELDWORK_PLANNING, voted, date(2027, 3, 5)) is None
    assert offered(Stage.FIELDWORK_PLANNING, voted, date(2027, 3, 6))[:2] == (  # type: ignore[index]
        Stage.REPORTING,
        "fieldwork ended on 5 March 2027",
    )
    assert offered(Stage.FOLLOW_UP, voted, date(2027, 9, 1)) is None


def test_an_offer_dates_from_the_last_move_so_a_late_move_still_gets_its_next_offer() -> None:
    moved_late = WorkMoments(
        first_vote_closed=datetime(2027, 1, 22, 10, tzinfo=UTC),
        stage_moved=datetime(2027, 3, 8, 9, tzinfo=UTC),
    )
    found = offered(Stage.FIELDWORK_CONTEXT, moved_late, date(2027, 3, 9))
    assert found is not None and found[2] == date(2027, 3, 8)


def test_reporting_then_sharing_then_follow_up_follow_the_report() -> None:
    timeline = replace(FIELDWORK, final_report=date(2027, 5, 10))
    final = WorkMoments(first_final=datetime(2027, 5, 3, 12, tzinfo=UTC))
    sharing = move_offer(Stage.REPORTING, final, timeline, today=date(2027, 5, 4), zone=LONDON)
    assert sharing is not None and sharing.target is Stage.SHARING
    early = move_offer(Stage.SHARING, final, timeline, today=date(2027, 5, 4), zone=LONDON)
    assert early is None  # final reporting is planned for 10 May
    later = move_offer(Stage.SHARING, final, timeline, today=date(2027, 5, 10), zone=LONDON)
    assert later is not None and later.target is Stage.FOLLOW_UP


def test_fieldwork_facts_are_read_only_in_the_stages_whose_gaps_they_find() -> None:
    """`review_progress` reads fieldwork facts only in FIELDWORK_GAP_STAGES: in every other
    stage, nothing missing from fieldwork is a gap."""
    nothing = FieldworkFacts(
        sessions_planned=0, prioritised_without_findings=(1,), report_versions=0, report_final=False
    )
    assert {stage for stage in Stage if fieldwork_gaps(stage, nothing)} == FIELDWORK_GAP_STAGES
