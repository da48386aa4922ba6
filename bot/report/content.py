"""What a report says, as plain data: built from the review by the report service, rendered
to Word and Markdown by pure functions.

Nothing here can carry a respondent's answers or an interviewee's identity: the
self-assessment arrives as aggregates (already suppressed where groups are small), sessions
as counts by kind, and findings name their source by kind of evidence or session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.timeline import Timeline


@dataclass(frozen=True)
class TeamLine:
    role: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class SectionFigures:
    number: int
    title: str
    respondents: int
    agree: str
    disagree: str
    dont_know: str
    withheld: bool = False


@dataclass(frozen=True)
class SelfAssessment:
    """The self-assessment in aggregate. `note` says why there are no figures, if so."""

    invited: int = 0
    finished: int = 0
    note: str | None = None
    sections: tuple[SectionFigures, ...] = ()
    strengths: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    not_shown: tuple[str, ...] = ()  # the statements withheld, by reason
    rule: str = ""  # when a statement has figures
    chart_png: bytes | None = None


@dataclass(frozen=True)
class SessionsHeld:
    """Sessions by kind: 'focus groups', 3, and who took part as a suppressed figure."""

    kind: str
    count: int
    taking_part: str


@dataclass(frozen=True)
class FindingLine:
    text: str
    source: str
    actions: tuple[int, ...] = ()  # for an option: the actions that carry it out


@dataclass(frozen=True)
class ReportAfi:
    number: int
    text: str
    evidence: str = ""
    section_title: str | None = None
    figures: str | None = None
    strengths: tuple[FindingLine, ...] = ()
    concerns: tuple[FindingLine, ...] = ()
    options: tuple[FindingLine, ...] = ()
    actions: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanRow:
    number: int
    key_action: str
    owner: str
    due: date
    risks: str
    measure: str
    outcome: str
    status: str
    afi_number: int | None = None
    rag: str = ""  # "Red", "Amber" or "Green"; "" until the owner or a lead sets one


PLAN_COLUMNS = (
    "Key action",
    "Owner",
    "Due",
    "Risks or costs",
    "How we'll know",
    "Outcome",
    "Status",
    "RAG",
)


@dataclass(frozen=True)
class NextStep:
    when: date
    what: str


@dataclass(frozen=True)
class ReportData:
    host_council: str
    focus: str
    built_on: date
    version: int = 0
    rationale: str = ""
    peer_rationale: str = ""
    timeline: Timeline = field(default_factory=Timeline)
    team: tuple[TeamLine, ...] = ()
    peer_councils: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    sessions: tuple[SessionsHeld, ...] = ()
    self_assessment: SelfAssessment = field(default_factory=SelfAssessment)
    fieldwork_strengths: tuple[FindingLine, ...] = ()
    afis: tuple[ReportAfi, ...] = ()
    other_afis: tuple[tuple[int, str], ...] = ()
    plan: tuple[PlanRow, ...] = ()
    next_steps: tuple[NextStep, ...] = ()

    @property
    def fieldwork_dates(self) -> tuple[date, date] | None:
        start = self.timeline.fieldwork_start
        if start is None:
            return None
        return start, self.timeline.fieldwork_end or start
