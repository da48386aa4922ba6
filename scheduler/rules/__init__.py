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
Each `PlannedNudge` (bot/nudges.py) carries:

- `rule`: "<name>.<kind>", e.g. "actions.owner_week_before";
- `day`: the Scottish working day it goes out (09:00 in the review's time zone); use
  `bot.calendar` (`previous_working_day`, `working_day_on_or_before` …) to choose it;
- `useful_until`: the last day it is still worth sending after downtime, else it is
  recorded as skipped ("stale");
- `recipient`: `CHANNEL` for the review's channel, or a Slack user id for a direct message
  (direct messages respect that person's `/psif snooze`);
- `summary`: one line for `/psif reminders`;
- `payload`: JSON-able facts `render` needs (stored with the nudge).

The key (review, rule, day, recipient) is recorded before sending and is never sent twice.
A rule that must be re-sent when its subject changes (a date moved) should let the `day`
follow the subject.

`render(rendering)` builds the message at the moment of sending (perhaps in another
process, perhaps after a retry) from `rendering.nudge` (the stored rule, day, recipient and
payload), `rendering.review` and `rendering.today`; it may query through
`rendering.session`. Return None if the nudge no longer applies (e.g. the thing was done
meanwhile): it is then recorded as skipped. Build blocks with the pure builders in
the feature's views so they are unit-tested and within Slack's limits. If `plan` or `render`
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from bot.reminders.nudges import Message, OpenReview, PlannedNudge


@dataclass(frozen=True)
class Planning:
    """What `plan` gets: the open reviews (ready for nudges now) and the days to cover."""

    session: Session
    reviews: Sequence[OpenReview]
    first_day: date
    last_day: date
    now: datetime
    # Behind the self-assessment's pseudonymous keys: who has finished is known only by
    # computing an invited person's key (bot.self_assessment.secret).
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


@dataclass(frozen=True)
class Rendering:
    session: Session
    review: OpenReview
    nudge: StoredNudge
    today: date
    respondent_secret: bytes


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
