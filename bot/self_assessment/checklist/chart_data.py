"""What the agreement chart shows, as plain data: built where the analysis is, drawn
elsewhere (`chart.render_chart`, in a child process when posting to Slack)."""

from __future__ import annotations

from pydantic import BaseModel

from bot.self_assessment.checklist.analysis import Analysis


class ChartRow(BaseModel):
    label: str
    values: tuple[float | None, float | None, float | None]  # % agree, disagree, don't know


class ChartData(BaseModel):
    title: str
    rows: list[ChartRow] = []
    message: str = ""  # shown instead of bars when results are withheld


def chart_data(analysis: Analysis) -> ChartData:
    """The section percentages only: totals, never anyone's answers."""
    if analysis.suppressed:
        return ChartData(
            title=analysis.checklist.name,
            message=(
                f"{analysis.checklist.name}\n\nNot enough responses to show results: "
                f"{analysis.counted_respondents} from outside the review team, at least "
                f"{analysis.settings.min_respondents} needed."
            ),
        )
    return ChartData(
        title=(
            f"{analysis.checklist.name}: agreement by section ({analysis.respondents} "
            f"{'respondent' if analysis.respondents == 1 else 'respondents'})"
        ),
        rows=[
            ChartRow(
                label=f"{s.section.number}. {s.section.title}",
                values=(s.tally.pct_agree, s.tally.pct_disagree, s.tally.pct_dont_know),
            )
            for s in analysis.sections
        ],
    )
