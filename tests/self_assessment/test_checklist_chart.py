"""Tests for the agreement chart."""

from __future__ import annotations

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.responses import RespondentAnswers
from bot.self_assessment._analysis import analyse
from bot.self_assessment._chart import render_agreement_chart

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _responses() -> list[RespondentAnswers]:
    checklist = load_default_checklist()
    scale = list(Answer)
    return [
        RespondentAnswers(
            {s.id: scale[(i + n) % len(scale)] for i, s in enumerate(checklist.statements)}
        )
        for n in range(6)
    ]


def test_chart_is_a_png() -> None:
    analysis = analyse(load_default_checklist(), _responses())

    assert render_agreement_chart(analysis).startswith(PNG_MAGIC)


def test_suppressed_chart_is_still_a_png() -> None:
    analysis = analyse(load_default_checklist(), _responses()[:1])

    assert analysis.suppressed
    assert render_agreement_chart(analysis).startswith(PNG_MAGIC)
