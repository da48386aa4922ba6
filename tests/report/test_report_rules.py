"""Pure rules of the report: what the fieldwork and reporting stages lack, the guidance's
order (and what is missing when a step comes early), planned dates read as planned, and
Markdown that defuses what users typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.core.actions import ActionItem, ActionStatus
from bot.core.fieldwork import FieldworkKind, FieldworkMode, FieldworkSessionItem
from bot.core.findings import FindingItem, FindingKind, FindingSource
from bot.core.report import (
    FieldworkFacts,
    fieldwork_not_over,
    missing_before_final,
    missing_before_milestone,
    session_not_held,
)
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.report._content import ReportData
from bot.report._layout import briefing_outline, report_outline, summary_outline
from bot.report._render import Bullets, Heading, Table, render_markdown
from bot.report.service import fieldwork_gaps


def test_stage_checks_name_missing_sessions_findings_and_reports() -> None:
    nothing = FieldworkFacts(0, (2, 5), 0, False)
    assert (
        "No interviews or focus groups are planned"
        in fieldwork_gaps(Stage.FIELDWORK_CONTEXT, nothing)[0]
    )
    assert fieldwork_gaps(Stage.FIELDWORK_INTERVIEWS, nothing)[1] == (
        "No findings recorded yet for prioritised AFI 2 and AFI 5 (`/afi note`)."
    )
    assert "No draft report yet" in fieldwork_gaps(Stage.REPORTING, nothing)[0]
    assert "marked final" in fieldwork_gaps(Stage.SHARING, nothing)[0]
    assert fieldwork_gaps(Stage.SHARING, FieldworkFacts(3, (), 2, True)) == []


def test_markdown_defuses_what_users_typed() -> None:
    rendered = render_markdown(
        [
            Heading("# Roads | *all*", 1),
            Bullets(("[click](http://x)",)),
            Table(("A|B",), (("x\ny",),)),
        ]
    )
    assert rendered.startswith("# \\# Roads \\| \\*all\\*")
    assert "- \\[click\\](http://x)" in rendered
    assert "| A\\|B |" in rendered and "| x y |" in rendered


def test_the_draft_comes_after_fieldwork() -> None:
    assert fieldwork_not_over(None, date(2027, 3, 8)) == ["Fieldwork has no dates yet."]
    assert fieldwork_not_over(date(2027, 3, 5), date(2027, 3, 5)) == [
        "Fieldwork ends on 5 March 2027."
    ]
    assert fieldwork_not_over(date(2027, 3, 5), date(2027, 3, 8)) == []


def test_the_final_report_comes_after_the_leads_meeting_and_the_comments() -> None:
    early = missing_before_final(
        fieldwork_end=date(2027, 3, 5),
        today=date(2026, 12, 7),
        leads_meeting=date(2027, 4, 2),
        leads_meeting_done=False,
        open_comments=2,
    )
    assert early == [
        "Fieldwork ends on 5 March 2027.",
        "The leads' meeting on the draft is planned for 2 April 2027.",
        "2 comments on the draft are still open.",
    ]
    on_time = missing_before_final(
        fieldwork_end=date(2027, 3, 5),
        today=date(2027, 4, 16),
        leads_meeting=date(2027, 4, 2),
        leads_meeting_done=True,
        open_comments=0,
    )
    assert on_time == []
    # The meeting recorded held early counts; one open comment is said in the singular.
    held_early = missing_before_final(
        fieldwork_end=date(2027, 3, 5),
        today=date(2027, 3, 20),
        leads_meeting=date(2027, 4, 2),
        leads_meeting_done=True,
        open_comments=1,
    )
    assert held_early == ["1 comment on the draft is still open."]


def test_a_finding_comes_on_or_after_its_sessions_day() -> None:
    assert session_not_held(date(2027, 1, 19), date(2027, 1, 19)) is None
    assert session_not_held(date(2027, 1, 19), date(2026, 12, 7)) == (
        "That session is planned for 19 January 2027, so it hasn't happened yet."
    )


def test_dates_still_to_come_read_as_planned_and_early_steps_as_done_when_they_were() -> None:
    data = ReportData(
        host_council="Fife",
        focus="Roads",
        built_on=date(2026, 12, 7),
        timeline=Timeline(
            fieldwork_start=date(2027, 1, 19),
            fieldwork_end=date(2027, 1, 21),
            draft_report=date(2027, 2, 4),
            final_report=date(2027, 3, 3),
        ),
        done={"draft_report": date(2026, 12, 7)},
    )
    text = render_markdown(report_outline(data))
    assert "Fieldwork starts: planned for 19 January 2027" in text
    assert "Final reporting: planned for 3 March 2027" in text
    assert "Draft report circulated: 7 December 2026 (planned for 4 February 2027)" in text
    assert "| Fieldwork | planned for 19 to 21 January 2027 |" in text
    after = render_markdown(report_outline(replace(data, built_on=date(2027, 3, 10))))
    assert "Fieldwork starts: 19 January 2027" in after and "planned for 19" not in after


def test_milestones_recorded_by_hand_follow_the_guidances_order() -> None:
    def missing(milestone: str, **facts: Any) -> list[str]:
        known: dict[str, Any] = {
            "fieldwork_end": date(2027, 3, 5),
            "today": date(2027, 3, 19),
            "drafted": False,
            "leads_meeting": date(2027, 4, 2),
            "leads_meeting_done": False,
        }
        return missing_before_milestone(milestone, **(known | facts))

    assert missing("draft_report") == []
    assert missing("draft_report", today=date(2027, 3, 4)) == ["Fieldwork ends on 5 March 2027."]
    assert missing("leads_meeting") == ["No draft report has been built yet (`/psif report`)."]
    assert missing("leads_meeting", drafted=True) == []
    assert missing("final_report") == [
        "The leads' meeting on the draft is planned for 2 April 2027."
    ]
    assert missing("final_report", leads_meeting_done=True) == []
    assert missing("papers_due") == []


def _session(number: int, kind: FieldworkKind, day: date) -> FieldworkSessionItem:
    return FieldworkSessionItem(
        id=number,
        number=number,
        kind=kind,
        day=day,
        start_minute=600,
        minutes=60,
        participants="",
        participant_count=6,
        mode=FieldworkMode.IN_PERSON,
    )


def _action(number: int, text: str, due: date) -> ActionItem:
    return ActionItem(
        id=number,
        review_id=1,
        number=number,
        key_action=text,
        owner_id="UOWNER",
        due=due,
        status=ActionStatus.IN_PROGRESS,
    )


SHARED = FindingItem(
    id=1,
    number=1,
    afi_id=1,
    afi_number=1,
    kind=FindingKind.OPTION,
    source=FindingSource.DATA,
    text="A monthly ideas slot at depot meetings.",
    learning_to_share=True,
)
AFTER_FIELDWORK = ReportData(
    host_council="Fife",
    focus="Roads",
    built_on=date(2027, 4, 16),
    timeline=Timeline(
        fieldwork_start=date(2027, 3, 3),
        fieldwork_end=date(2027, 3, 5),
        leads_meeting=date(2027, 4, 2),
        final_report=date(2027, 4, 16),
    ),
    fieldwork_sessions=(
        _session(1, FieldworkKind.INTERVIEW, date(2027, 3, 3)),
        _session(2, FieldworkKind.FOCUS_GROUP, date(2027, 3, 4)),
    ),
    findings=(SHARED,),
    actions=(
        _action(1, "A monthly ideas slot at depot meetings", date(2027, 5, 14)),
        _action(2, "Publish a dashboard", date(2027, 4, 14)),
        _action(3, "Text residents after repairs", date(2027, 5, 28)),
    ),
)


def test_the_summary_is_dated_says_which_sessions_were_held_and_says_each_thing_once() -> None:
    text = render_markdown(summary_outline(AFTER_FIELDWORK))
    assert "Summary, 16 April 2027" in text
    assert "fieldwork (3 to 5 March 2027): an interview and a focus group." in text
    assert text.count("A monthly ideas slot at depot meetings") == 1
    assert "Publish a dashboard (overdue: due 14 April 2027)" in text
    assert "Text residents after repairs (by 28 May 2027)" in text
    briefing = render_markdown(briefing_outline(AFTER_FIELDWORK))
    assert "Briefing, 16 April 2027" in briefing
    assert briefing.count("A monthly ideas slot at depot meetings") == 1


def test_the_report_gives_the_closing_dates_once() -> None:
    text = render_markdown(report_outline(AFTER_FIELDWORK, final=True))
    assert text.count("Leads' meeting on the draft: 2 April 2027") == 1
    assert text.count("Final reporting: 16 April 2027") == 1
    assert "Fieldwork starts: 3 March 2027\n" in text
    assert "Overdue, due 14 April 2027: Publish a dashboard (action 2)" in text
    assert "By 28 May 2027: Text residents after repairs (action 3)" in text
    undated = replace(AFTER_FIELDWORK, timeline=Timeline(fieldwork_start=date(2027, 3, 3)))
    assert "Final reporting: to be agreed" in render_markdown(report_outline(undated))
