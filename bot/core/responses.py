"""Self-assessment responses: anonymous answers and comments, pseudonymous keys, how many
have finished (never who) and whether the self-assessment still takes answers."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache

from bot.core.calendar import format_date
from bot.core.checklist import Answer, Checklist, CommentKind


def respondent_key(secret: bytes, salt: str, user_id: str) -> str:
    """A stable pseudonym within one review, keyed by an app secret outside the database so
    a database export alone can't recompute it from user ids."""
    return hmac.new(_review_key(secret, salt), user_id.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=64)
def _review_key(secret: bytes, salt: str) -> bytes:
    """The review's key, worked out once per process: a status counts 200 people's keys."""
    return hmac.new(secret, salt.encode(), hashlib.sha256).digest()


def survey_respondent_key(secret: bytes, salt: str, link_hash: str) -> str:
    """The pseudonym of a survey link's (or imported row's) respondent, by the link's hash."""
    return respondent_key(secret, salt, f"survey:{link_hash}")


@dataclass(frozen=True, slots=True)
class RespondentAnswers:
    """One anonymous respondent's answers by statement id (no field says who, so no user id
    can leak into a report). Not `counts_towards_minimum` unless shown outside the team."""

    answers: Mapping[str, Answer]
    counts_towards_minimum: bool = True


@dataclass(frozen=True, slots=True)
class Comment:
    section_number: int
    kind: CommentKind
    text: str


@dataclass(frozen=True)
class SectionAnswers:
    section_number: int
    answers: Mapping[str, Answer]
    strengths: str = ""
    improvements: str = ""


@dataclass(frozen=True)
class Completion:
    invited: int
    finished: int

    @property
    def everyone_finished(self) -> bool:
        return self.invited > 0 and self.finished >= self.invited

    def line(self) -> str:
        share = f" ({round(self.finished * 100 / self.invited)}%)" if self.invited else ""
        return f"{self.finished} of {self.invited} invited have finished{share}"


@dataclass(frozen=True)
class AnsweredBy:
    """How those who finished answered (counts only)."""

    in_slack: int
    on_web: int
    imported: int

    def line(self) -> str:
        """'Of the 6 who finished, 4 answered in Slack and 2 on the web.'; empty if all Slack."""
        if not (self.on_web or self.imported):
            return ""
        ways = [f"{self.in_slack} answered in Slack", f"{self.on_web} on the web"]
        if self.imported:
            ways.append(f"{self.imported} by import from a survey tool")
        total = self.in_slack + self.on_web + self.imported
        return f"Of the {total} who finished, {', '.join(ways[:-1])} and {ways[-1]}."


def is_closed(closes_on: date, today: date) -> bool:
    """Answers are accepted up to and including the closing date."""
    return today > closes_on


class RoundState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no answers taken; results may be shown
    FINAL = "final"  # results have been shown: closed for good


@dataclass(frozen=True)
class RoundStatus:
    """Closed after its date or early by a lead (never because everyone finished: they may
    change answers until the date); once results are shown, closed for good."""

    closes_on: date
    today: date
    completion: Completion
    closed_early: bool = False
    released: bool = False

    @property
    def state(self) -> RoundState:
        if self.released:
            return RoundState.FINAL
        if self.closed_early or is_closed(self.closes_on, self.today):
            return RoundState.CLOSED
        return RoundState.OPEN

    @property
    def is_open(self) -> bool:
        return self.state is RoundState.OPEN

    def why_closed(self) -> str:
        if self.closed_early:
            return "was closed early by a lead"
        return f"closed on {format_date(self.closes_on)}"


@dataclass(frozen=True)
class OwnProgress:
    checklist: Checklist
    sections: Mapping[int, SectionAnswers] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return all(s.number in self.sections for s in self.checklist.sections)

    def first_incomplete(self) -> int | None:
        return next(
            (s.number for s in self.checklist.sections if s.number not in self.sections), None
        )

    def unanswered(self, section_number: int) -> list[str]:
        saved = self.sections.get(section_number)
        section = self.checklist.sections[section_number - 1]
        if saved is None:
            return []
        return [s.id for s in section.statements if s.id not in saved.answers]
