"""PNG chart of agreement by section. Only this module imports matplotlib (~50–90 MB, most
of a second to load), and only the worker process (`psif-bot worker`) imports it."""

from __future__ import annotations

import io
import threading

# The Figure and Agg canvas directly, not pyplot: no backend switch and no global figures.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.self_assessment._analysis import Analysis, ChartData, chart_data, format_pct, round_pct

# Okabe-Ito colours (readable with common colour blindness), in ChartRow.values' order.
_SERIES = (("% agree", "#0072B2"), ("% disagree", "#D55E00"), ("% don't know", "#999999"))
_BAR_HEIGHT = 0.26
_DPI = 100
# matplotlib's font cache isn't thread-safe and the outbox delivers lanes in parallel.
_DRAWING = threading.Lock()


def render_agreement_chart(analysis: Analysis) -> bytes:
    """% agree, disagree and don't know by section; a suppressed analysis gives a note."""
    return render_chart(chart_data(analysis))


def render_chart(data: ChartData) -> bytes:
    with _DRAWING:
        return _draw(data)


def _draw(data: ChartData) -> bytes:
    if data.message:
        figure = Figure(figsize=(6, 1.5), dpi=_DPI)
        FigureCanvasAgg(figure)
        figure.text(0.5, 0.5, data.message, ha="center", va="center", wrap=True)
        return _png(figure)
    rows = data.rows
    figure = Figure(figsize=(9, 1.2 + 0.9 * len(rows)), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(rows))
    for offset, (label, colour) in enumerate(_SERIES):
        values = [row.values[offset] for row in rows]
        y = [p + (offset - 1) * _BAR_HEIGHT for p in positions]
        widths = [round_pct(v) or 0.0 for v in values]
        bars = axes.barh(y, widths, _BAR_HEIGHT, label=label, color=colour)
        axes.bar_label(bars, labels=[format_pct(v) for v in values], padding=3, fontsize=8)

    axes.set_yticks(list(positions), [row.label for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 112)  # headroom so that "100%" labels are not clipped
    axes.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    axes.set_xlabel(
        "Shares of all answers in each section, in whole numbers adding up to 100%", fontsize=8
    )
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    figure.suptitle(data.title, fontsize=11)
    figure.tight_layout()
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
