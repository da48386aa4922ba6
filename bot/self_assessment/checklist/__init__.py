"""PSIF self-assessment checklist: schema, loading, analysis, charts and exports.

Pure domain code with no Slack or database dependencies. ``chart`` and ``export`` are not
imported here because they pull in matplotlib and openpyxl, which are slow to import and
only needed when a report is produced: import them from their modules.
"""

from bot.self_assessment.checklist.analysis import (
    AfiCandidate,
    AfiReason,
    Analysis,
    AnalysisSettings,
    Comment,
    RespondentAnswers,
    SectionResult,
    StatementResult,
    Tally,
    Withheld,
    format_pct,
    round_pct,
)
from bot.self_assessment.checklist.loader import (
    ChecklistError,
    load_checklist,
    load_checklists,
    load_default_checklist,
    parse_checklist,
)
from bot.self_assessment.checklist.schema import (
    IMPROVEMENTS_QUESTION,
    MAX_STATEMENT_LENGTH,
    STRENGTHS_QUESTION,
    Answer,
    Checklist,
    CommentKind,
    Section,
    Statement,
    SubArea,
)
from bot.self_assessment.checklist.scoring import (
    analyse,
    check_responses,
    select_afi_candidates,
    select_strengths,
)

__all__ = [
    "IMPROVEMENTS_QUESTION",
    "MAX_STATEMENT_LENGTH",
    "STRENGTHS_QUESTION",
    "AfiCandidate",
    "AfiReason",
    "Analysis",
    "AnalysisSettings",
    "Answer",
    "Checklist",
    "ChecklistError",
    "Comment",
    "CommentKind",
    "RespondentAnswers",
    "Section",
    "SectionResult",
    "Statement",
    "StatementResult",
    "SubArea",
    "Tally",
    "Withheld",
    "analyse",
    "check_responses",
    "format_pct",
    "load_checklist",
    "load_checklists",
    "load_default_checklist",
    "parse_checklist",
    "round_pct",
    "select_afi_candidates",
    "select_strengths",
]
