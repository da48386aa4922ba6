"""Rules of the self-assessment that are neither Slack nor storage: dates, keys, progress,
and when a round is open."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from bot.core.calendar import format_date
from bot.core.checklist import Checklist
from bot.core.checklist_loader import ChecklistError, load_checklist, load_default_checklist
from bot.core.responses import Completion, SectionAnswers
from bot.self_assessment.checklist import AnalysisSettings
from bot.settings import Settings


def installed_checklists(paths: Sequence[Path]) -> dict[str, Checklist]:
    """The bundled checklist plus any from PSIF_CHECKLIST_FILES, keyed by id.

    Raises ChecklistError naming the file, line and field of the first problem, so that a
    broken file stops start-up rather than surfacing mid-review.
    """
    default = load_default_checklist()
    installed = {default.id: default}
    sources = {default.id: "the bundled checklist"}
    for path in paths:
        checklist = load_checklist(path)
        if checklist.id in installed:
            raise ChecklistError(
                f"{path}: checklist id '{checklist.id}' is already used by "
                f"{sources[checklist.id]}; give each checklist its own id"
            )
        installed[checklist.id] = checklist
        sources[checklist.id] = str(path)
    return installed


_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def default_closing_date(issued_on: date, pre_meeting: date | None, open_days: int) -> date:
    """`open_days` after issue, but no later than the team pre-meeting (if still ahead)."""
    closes = issued_on + timedelta(days=open_days)
    if pre_meeting is not None and issued_on <= pre_meeting < closes:
        return pre_meeting
    return closes


def is_closed(closes_on: date, today: date) -> bool:
    """Answers are accepted up to and including the closing date."""
    return today > closes_on


def respondent_key(secret: bytes, salt: str, user_id: str) -> str:
    """A stable pseudonym for `user_id` within one review.

    The review's own key is derived from an app secret that is not in the database, so an
    export of the database alone cannot recompute keys from the invited users' ids.
    """
    review_key = hmac.new(secret, salt.encode(), hashlib.sha256).digest()
    return hmac.new(review_key, user_id.encode(), hashlib.sha256).hexdigest()


def mentioned_users(text: str) -> list[str]:
    """User ids of the `<@U…>` mentions Slack puts in a command's text, in order, once each."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


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


def analysis_settings(settings: Settings) -> AnalysisSettings:
    """The analysis thresholds configured for this installation."""
    return AnalysisSettings(
        min_respondents=settings.min_respondents,
        strengths_count=settings.strengths_count,
        afi_count=settings.afi_candidates_count,
        strength_threshold_pct=settings.strength_threshold_pct,
        afi_agree_threshold_pct=settings.afi_agree_threshold_pct,
        dont_know_threshold_pct=settings.dont_know_threshold_pct,
    )


class RoundState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no answers taken; results may be shown
    FINAL = "final"  # results have been shown: closed for good


@dataclass(frozen=True)
class RoundStatus:
    """Whether a self-assessment takes answers, and why not.

    It closes at the end of its closing date, as soon as everyone invited has finished, or
    when a lead closes it early; once results have been shown it stays closed whatever
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
        if self.completion.everyone_finished:
            return RoundState.CLOSED
        return RoundState.OPEN

    @property
    def is_open(self) -> bool:
        return self.state is RoundState.OPEN

    def why_closed(self) -> str:
        """'closed on 9 December 2026', … for the sentences that explain it."""
        if self.closed_early:
            return "was closed early by a lead"
        if is_closed(self.closes_on, self.today):
            return f"closed on {format_date(self.closes_on)}"
        return "closed when everyone invited had finished"
