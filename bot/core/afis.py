"""Read-only AFIs and votes for builders, the sections an AFI can relate to, and the figures
line of an imported AFI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.checklist import Answer, Checklist
from bot.core.checklist_loader import load_default_checklist
from bot.core.figures import Figures


@dataclass(frozen=True)
class AfiItem:
    id: int
    number: int
    text: str
    section_number: int | None
    evidence: str
    source: str  # AfiSource value
    author_id: str
    votes: int = 0
    rank: int | None = None
    prioritised: bool = False


@dataclass(frozen=True)
class BallotInfo:
    round_id: int
    budget: int
    per_afi_cap: int
    everyone_can_vote: bool
    is_open: bool
    voters: int
    votes: int
    tally_hidden: bool = False
    closes_at: datetime | None = None
    tie_places: int | None = None  # a tie-break round: the places its tied areas compete for


def psif_sections() -> dict[int, str]:
    return sections_of({}, None)


def sections_of(checklists: Mapping[str, Checklist], checklist_id: str | None) -> dict[int, str]:
    """Number → title of the review's checklist's sections (else the bundled one's)."""
    checklist = checklists.get(checklist_id or "") or load_default_checklist()
    return {section.number: section.title for section in checklist.sections}


def afi_figures_line(statement_id: str | None, figures: Mapping[str, Any]) -> str | None:
    """ "Self-assessment, statement 6.01: 0 of 4 agree (0%) · …; flagged for low agreement."
    from what the import stored (counts by `Answer` value, reasons); None if not imported."""
    counts = figures.get("counts") if statement_id else None
    if not isinstance(counts, Mapping):
        return None

    def counted(*answers: Answer) -> int:
        return sum(int(counts.get(answer.value) or 0) for answer in answers)

    split = Figures(
        agree=counted(Answer.STRONGLY_AGREE, Answer.AGREE),
        disagree=counted(Answer.DISAGREE, Answer.STRONGLY_DISAGREE),
        dont_know=counted(Answer.DONT_KNOW),
    )
    line = f"Self-assessment, statement {statement_id}: {split.line()}"
    reasons = [str(reason) for reason in figures.get("reasons") or ()]
    if not reasons:
        return line
    listed = ", ".join(reasons[:-1]) + " and " + reasons[-1] if len(reasons) > 1 else reasons[0]
    return f"{line}; flagged for {listed}."
