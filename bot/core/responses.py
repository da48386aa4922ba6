"""Self-assessment responses as storage returns them: anonymous respondents' answers and
comments, what one person gave for one section, and how many have finished (never who)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.checklist import Answer, CommentKind


@dataclass(frozen=True, slots=True)
class RespondentAnswers:
    """One anonymous respondent's answers, keyed by statement id.

    There is deliberately no field for who the respondent is: the analysis and the exports
    never need it, so a Slack user id cannot leak into a report through this type. A
    respondent may skip statements; skipped ids are simply absent.

    ``counts_towards_minimum`` is false for anyone on the review team, and for anyone the
    bot can't show is outside it: worked out when the results are loaded, never stored.
    """

    answers: Mapping[str, Answer]
    counts_towards_minimum: bool = True


@dataclass(frozen=True, slots=True)
class Comment:
    """An anonymous free-text answer to one of a section's two closing questions."""

    section_number: int
    kind: CommentKind
    text: str


@dataclass(frozen=True)
class SectionAnswers:
    """What one person gave for one section; skipped statements are absent."""

    section_number: int
    answers: Mapping[str, Answer]
    strengths: str = ""
    improvements: str = ""


@dataclass(frozen=True)
class Completion:
    """How many were invited and how many have finished; never who."""

    invited: int
    finished: int

    @property
    def everyone_finished(self) -> bool:
        return self.invited > 0 and self.finished >= self.invited

    def line(self) -> str:
        share = f" ({round(self.finished * 100 / self.invited)}%)" if self.invited else ""
        return f"{self.finished} of {self.invited} invited have finished{share}"
