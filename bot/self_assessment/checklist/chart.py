"""PNG chart of agreement by section, for posting to Slack alongside the analysis."""

from __future__ import annotations

import io

# Building the Figure and the Agg canvas directly, rather than through pyplot, needs no
# backend switch (matplotlib.use) and leaves no figures registered in global state, so it is
# safe in a threaded web server.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.self_assessment.checklist.analysis import Analysis, format_pct, round_pct

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
_SERIES = (
    ("% agree", "pct_agree", "#0072B2"),
    ("% disagree", "pct_disagree", "#D55E00"),
    ("% don't know", "pct_dont_know", "#999999"),
)
_BAR_HEIGHT = 0.26
_DPI = 100


def render_agreement_chart(analysis: Analysis) -> bytes:
    """Render % agree, % disagree and % don't know for each section as a PNG.

    Sections run top to bottom in checklist order with three horizontal bars each, labelled
    with their values. A suppressed analysis gives a small image explaining why there is no
    chart, so callers can post the result either way.
    """
    if analysis.suppressed:
        return _render_message(
            f"{analysis.checklist.name}\n\nNot enough responses to show results: "
            f"{analysis.respondents} received, at least "
            f"{analysis.settings.min_respondents} needed."
        )

    sections = analysis.sections
    figure = Figure(figsize=(9, 1.2 + 0.9 * len(sections)), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(sections))
    for offset, (label, attribute, colour) in enumerate(_SERIES):
        values: list[float | None] = [getattr(s.tally, attribute) for s in sections]
        y = [p + (offset - 1) * _BAR_HEIGHT for p in positions]
        widths = [round_pct(v) or 0.0 for v in values]
        bars = axes.barh(y, widths, _BAR_HEIGHT, label=label, color=colour)
        axes.bar_label(bars, labels=[format_pct(v) for v in values], padding=3, fontsize=8)

    axes.set_yticks(list(positions), [f"{s.section.number}. {s.section.title}" for s in sections])
    axes.invert_yaxis()
    axes.set_xlim(0, 112)  # headroom so that "100.0%" labels are not clipped
    axes.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    axes.set_xlabel(
        "% agree and % disagree are of those who gave a view; % don't know is of all answers",
        fontsize=8,
    )
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    figure.suptitle(
        f"{analysis.checklist.name}: agreement by section ({analysis.respondents} respondents)",
        fontsize=11,
    )
    figure.tight_layout()
    return _png(figure)


def _render_message(text: str) -> bytes:
    figure = Figure(figsize=(6, 1.5), dpi=_DPI)
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, ha="center", va="center", wrap=True)
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
