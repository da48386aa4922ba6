"""Self-assessment responses: anonymous respondents' answers and comments, what one person
gave (one section, or all they have saved), the pseudonymous key they answer under, how many
have finished (never who) and whether the self-assessment still takes answers."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.core.calendar import format_date
from bot.core.checklist import Answer, Checklist, CommentKind


def respondent_key(secret: bytes, salt: str, user_id: str) -> str:
    """A stable pseudonym for `user_id` within one review.

    The review's own key is derived from an app secret that is not in the database, so an
    export of the database alone cannot recompute keys from the invited users' ids.
    """
    review_key = hmac.new(secret, salt.encode(), hashlib.sha256).digest()
    return hmac.new(review_key, user_id.encode(), hashlib.sha256).hexdigest()


def survey_respondent_key(secret: bytes, salt: str, link_hash: str) -> str:
    """The pseudonym of whoever answers through a survey link (or an imported row), known
    by the link's keyed hash: the same derivation as a Slack respondent's, over a name no
    Slack user id can take."""
    return respondent_key(secret, salt, f"survey:{link_hash}")


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


@dataclass(frozen=True)
class AnsweredBy:
    """How the people who finished answered: in Slack, on the web (a survey link) or by
    import from a survey tool; counts only."""

    in_slack: int
    on_web: int
    imported: int

    def line(self) -> str:
        """'Of the 6 who finished, 4 answered in Slack and 2 on the web.'; empty when
        everyone answered in Slack, where there is nothing to add."""
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
    """Whether a self-assessment takes answers, and why not.

    It closes at the end of its closing date, or when a lead closes it early: never by
    itself when everyone invited has finished, since each of them was told they can change
    their answers until that date. Once results have been shown it stays closed whatever
    happens to the date, so that two sets of results can never be compared.
    """

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
        """'closed on 9 December 2026', … for the sentences that explain it."""
        if self.closed_early:
            return "was closed early by a lead"
        return f"closed on {format_date(self.closes_on)}"


@dataclass(frozen=True)
class OwnProgress:
    """One person's saved sections, for resuming and for the final review screen."""

    checklist: Checklist
    sections: Mapping[int, SectionAnswers] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return all(s.number in self.sections for s in self.checklist.sections)

    def first_incomplete(self) -> int | None:
        """The first section not yet saved, or None when every section is saved."""
        return next(
            (s.number for s in self.checklist.sections if s.number not in self.sections), None
        )

    def unanswered(self, section_number: int) -> list[str]:
        """Statement ids in a saved section that were left blank."""
        saved = self.sections.get(section_number)
        section = self.checklist.sections[section_number - 1]
        if saved is None:
            return []
        return [s.id for s in section.statements if s.id not in saved.answers]
