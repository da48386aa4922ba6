"""What a nudge rule is: one kind of reminder, in its own module, listed in `service.RULES`.

`plan(planning)` yields the nudges owed to all `planning.reviews` from `first_day` to
`last_day`, in a query or two over `planning.review_ids`, never one per review. A nudge's key
(review, rule, day, recipient) is sent at most once; one that must be re-sent when its
subject changes lets its `day` follow the subject. `render(rendering)` builds the message
later, from the stored nudge (per-review facts via `rendering.batch.for_review`, one query
a batch); None means it no longer applies. A rule that raises costs only itself (or that
nudge). The scheduler does the rest: civil hours, mutes, snoozes, staleness, delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session

from bot.core.calendar import working_day_on_or_after, working_day_on_or_before
from bot.core.nudges import OpenReview, PlannedNudge
from bot.slack.blocks import Message
from storage.models.reminders import Nudge

T = TypeVar("T")
# Longer than any run of Scottish non-working days, so a query's date bounds never cut off a
# reminder that a holiday moved.
HOLIDAY_SLACK = timedelta(days=14)


@dataclass(frozen=True)
class Planning:
    """What `plan` gets: the open reviews (ready for nudges now) and the days to cover."""

    session: Session
    reviews: Sequence[OpenReview]
    first_day: date
    last_day: date
    now: datetime
    # Behind the self-assessment's pseudonymous keys: who has finished is known only by
    # computing an invited person's key (bot.respondent_secret).
    respondent_secret: bytes

    @property
    def review_ids(self) -> list[int]:
        return [review.id for review in self.reviews]

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass
class Batch:
    """The reviews rendered together, and facts loaded once for all of them."""

    review_ids: frozenset[int]
    _loaded: dict[str, Mapping[int, Any]] = field(default_factory=dict)

    def for_review(
        self, name: str, review_id: int, load: Callable[[list[int]], Mapping[int, T]], default: T
    ) -> T:
        """`load(review_ids)`'s value for `review_id` (`default` if it has none), loading
        `name` for the whole batch the first time it is asked for."""
        if name not in self._loaded:
            self._loaded[name] = load(sorted(self.review_ids))
        return cast(T, self._loaded[name].get(review_id, default))


@dataclass(frozen=True)
class Rendering:
    session: Session
    review: OpenReview
    nudge: Nudge
    today: date
    respondent_secret: bytes
    batch: Batch


@dataclass(frozen=True)
class NudgeRule:
    name: str  # stable: the first part of every nudge's rule key, and what a mute names
    label: str  # shown by `/psif reminders`
    plan: Callable[[Planning], Iterable[PlannedNudge]]
    render: Callable[[Rendering], Message | None]


def week_before(day: date) -> date:
    return working_day_on_or_before(day - timedelta(days=7))


def day_after(day: date) -> date:
    return working_day_on_or_after(day + timedelta(days=1))


def first_working_days_of_weeks(first_day: date, last_day: date) -> Iterator[tuple[date, date]]:
    """(Monday, the first working day of its week) for the weeks from `first_day`'s to
    `last_day`'s, leaving out a week of holidays (no working day that week)."""
    monday = first_day - timedelta(days=first_day.weekday())
    while monday <= last_day:
        day = working_day_on_or_after(monday)
        if day.isocalendar()[:2] == monday.isocalendar()[:2]:
            yield monday, day
        monday += timedelta(days=7)
