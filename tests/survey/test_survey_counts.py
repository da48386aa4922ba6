"""How the people who finished answered, in words: said only when someone answered outside
Slack, and in the self-assessment report."""

from __future__ import annotations

from bot.core.responses import AnsweredBy
from bot.report._content import SelfAssessment
from bot.report._layout import self_assessment_report


def test_the_line_says_nothing_when_everyone_answered_in_slack() -> None:
    assert AnsweredBy(in_slack=7, on_web=0, imported=0).line() == ""
    assert (
        AnsweredBy(in_slack=4, on_web=2, imported=0).line()
        == "Of the 6 who finished, 4 answered in Slack and 2 on the web."
    )
    assert AnsweredBy(in_slack=1, on_web=0, imported=3).line() == (
        "Of the 4 who finished, 1 answered in Slack, 0 on the web and 3 by import from a "
        "survey tool."
    )


def test_the_self_assessment_report_says_how_people_answered() -> None:
    how = AnsweredBy(in_slack=4, on_web=2, imported=0).line()
    sa = SelfAssessment(invited=7, finished=6, note="Too few.", answered_by=how)
    shown = str(self_assessment_report(host_council="Fife", focus="Roads", sa=sa))
    assert "6 of 7 people invited completed the self-assessment. " + how in shown
