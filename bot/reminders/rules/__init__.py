"""Nudge rules: each module in this package that defines `RULE` is one rule.

Adding a reminder is adding a module; nothing central changes. A rule module defines::

    RULE = NudgeRule(
        name="actions",                # stable; first part of every nudge's rule key and
                                       # what `/psif reminders off actions` mutes
        label="Action reminders",      # shown by `/psif reminders`
        plan=plan,                     # (Planning) -> Iterable[PlannedNudge]
        render=render,                 # (Rendering) -> Message | None
        order=30,                      # position in listings
    )

`plan(planning)` says which nudges are owed on which days for ALL the open reviews in
`planning.reviews`, for days between `planning.first_day` and `planning.last_day` (anything
outside is ignored). It must not query per review: one or two queries over
`planning.review_ids` at most, so a pass with nothing due costs the same number of queries
at 10 reviews or 1,000. Keep it cheap: it runs every pass, including for `/psif reminders`.
Each `PlannedNudge` (bot/core/nudges.py) carries:

- `rule`: "<name>.<kind>", e.g. "actions.owner_week_before";
- `day`: the Scottish working day it goes out (09:00 in the review's time zone); use
  `bot.core.calendar` (`previous_working_day`, `working_day_on_or_before` …) to choose it;
- `useful_until`: the last day it is still worth sending after downtime, else it is
  recorded as skipped ("stale");
- `recipient`: `CHANNEL` for the review's channel, or a Slack user id for a direct message
  (direct messages respect that person's `/psif snooze`);
- `summary`: one line for `/psif reminders`;
- `payload`: JSON-able facts `render` needs (stored with the nudge).

The key (review, rule, day, recipient) is recorded before sending and is never sent twice.
A rule that must be re-sent when its subject changes (a date moved) should let the `day`
follow the subject.

`render(rendering)` builds the message when the nudge is handed to the outbox (perhaps in
another process, perhaps a pass after it was recorded) from `rendering.nudge` (the stored
rule, day, recipient and payload), `rendering.review` and `rendering.today`; it may query
through `rendering.session`, and should load per-review facts through
`rendering.shared.for_review(...)` so a batch of 500 nudges costs one query, not 500.
Return None if the nudge no longer applies (e.g. the thing was done meanwhile): it is then
recorded as skipped. Build blocks with the pure builders in the feature's views so they are
unit-tested and within Slack's limits. If `plan` or `render`
raises, the error is logged and that rule (or that one nudge, recorded as failed) is
skipped; the other rules carry on.

The scheduler handles everything else: civil hours (09:00 local on working days), mutes,
snoozes, stale nudges after downtime, exactly-once delivery and Slack errors. To test a
rule, pass it to `scheduler.nudge_pass.run_pass(..., rules=(RULE,))` with a chosen `now`
(see tests/test_scheduler_rules.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session

from bot.core.nudges import OpenReview, PlannedNudge
from bot.slack.blocks import Message

T = TypeVar("T")


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


@dataclass(frozen=True)
class StoredNudge:
    """A nudge as recorded, handed to `render`."""

    id: int
    review_id: int
    rule: str
    day: date
    recipient: str
    payload: dict[str, Any]


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
    nudge: StoredNudge
    today: date
    respondent_secret: bytes
    shared: SharedFacts = field(default_factory=SharedFacts)


@dataclass(frozen=True)
class NudgeRule:
    name: str
    label: str
    plan: Callable[[Planning], Iterable[PlannedNudge]]
    render: Callable[[Rendering], Message | None]
    order: int = 50


@cache
def all_rules() -> tuple[NudgeRule, ...]:
    """Every rule module's RULE, in listing order."""
    found: list[NudgeRule] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule: NudgeRule | None = getattr(module, "RULE", None)
        if rule is not None:
            found.append(rule)
    return tuple(sorted(found, key=lambda rule: (rule.order, rule.name)))


def rule_named(rules: Sequence[NudgeRule], name: str) -> NudgeRule | None:
    return next((rule for rule in rules if rule.name == name), None)
