"""What a nudge rule is: one kind of reminder (`/psif reminders off <name>` mutes it), defined
in its own module of this feature and listed in `service.RULES`.

`plan(planning)` says which nudges are owed on which days for ALL the open reviews in
`planning.reviews`, for days between `planning.first_day` and `planning.last_day` (anything
outside is ignored). It must not query per review: one or two queries over
`planning.review_ids` at most, so a pass with nothing due costs the same number of queries
at 10 reviews or 1,000, and `/psif reminders` asks it too. Each `PlannedNudge`
(bot/core/nudges.py) has a `rule` "<name>.<kind>", the Scottish working `day` it goes out
(09:00 in the review's time zone), the last day it is still worth sending after downtime
(`useful_until`, else it is recorded as skipped, "stale"), its `recipient` (`CHANNEL`, or a
Slack user id for a direct message, which respects that person's `/psif snooze`), a
`summary` line for `/psif reminders`, and the JSON-able `payload` `render` needs.

The key (review, rule, day, recipient) is recorded before sending and is never sent twice.
A rule that must be re-sent when its subject changes (a date moved) should let the `day`
follow the subject.

`render(rendering)` builds the message when the nudge is handed to the outbox (perhaps in
another process, perhaps a pass after it was recorded) from the stored nudge, the review and
`today`; per-review facts go through `rendering.shared.for_review(...)` so a batch of 500
nudges costs one query, not 500. It returns None if the nudge no longer applies (the thing
was done meanwhile): it is then recorded as skipped. If `plan` or `render` raises, the error
is logged and that rule (or that one nudge, recorded as failed) is skipped.

The scheduler handles everything else: civil hours, mutes, snoozes, stale nudges after
downtime, exactly-once delivery and Slack errors. To test a rule, pass it to
`scheduler.nudge_pass.run_pass(..., rules=(RULE,))` with a chosen `now`.
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
class SharedFacts:
    """Facts loaded once for every review rendered in the same batch: a rule asks for one
    review's, and gets them from one query over the batch's reviews instead of one query
    per nudge."""

    review_ids: frozenset[int] = frozenset()
    _loaded: dict[str, tuple[frozenset[int], Mapping[int, Any]]] = field(default_factory=dict)

    def for_review(
        self, name: str, review_id: int, load: Callable[[list[int]], Mapping[int, T]], default: T
    ) -> T:
        """`load(review_ids)`'s value for `review_id` (`default` if it has none), loading
        `name` for the whole batch the first time it is asked for."""
        covered, loaded = self._loaded.get(name, (frozenset(), {}))
        if review_id not in covered:
            covered = self.review_ids | {review_id}
            loaded = load(sorted(covered))
            self._loaded[name] = (covered, loaded)
        return cast(T, loaded.get(review_id, default))


@dataclass(frozen=True)
class Rendering:
    session: Session
    review: OpenReview
    nudge: Nudge
    today: date
    respondent_secret: bytes
    shared: SharedFacts = field(default_factory=SharedFacts)


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
