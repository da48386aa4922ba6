"""PSIF self-assessment checklist: analysis, charts and exports (the checklist itself and its
loading are bot.core.checklist and bot.core.checklist_loader).

Pure domain code with no Slack or database dependencies. ``chart`` and ``export`` are not
imported here because they pull in matplotlib and openpyxl, which are slow to import and
only needed when a report is produced: import them from their modules.
"""

from bot.self_assessment.checklist.analysis import (
    AfiCandidate,
    AfiReason,
    Analysis,
    AnalysisSettings,
    SectionResult,
    StatementResult,
    Tally,
    Withheld,
    format_pct,
    round_pct,
)
from bot.self_assessment.checklist.scoring import (
    analyse,
    check_responses,
    select_afi_candidates,
    select_strengths,
)

__all__ = [
    "AfiCandidate",
    "AfiReason",
    "Analysis",
    "AnalysisSettings",
    "SectionResult",
    "StatementResult",
    "Tally",
    "Withheld",
    "analyse",
    "check_responses",
    "format_pct",
    "round_pct",
    "select_afi_candidates",
    "select_strengths",
]
