"""Self-assessment reminders, 3 days and 1 day before it closes: a direct message to each
invited stakeholder who hasn't finished, and the completion rate (no names) to the channel.
The first working day after it closes, the channel gets the results button, once (unless a
lead closed it early or the results are out). Who has finished is known only by computing
each invited person's pseudonymous key with the respondent secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from bot.core.calendar import format_date, previous_working_day, working_day_on_or_before
from bot.core.nudges import CHANNEL, PlannedNudge, is_before_send_moment
from bot.core.responses import RoundStatus, respondent_key
from bot.reminders._rule import HOLIDAY_SLACK, NudgeRule, Planning, Rendering, day_after
from bot.self_assessment.views import (
    build_closed,
    build_self_assessment_progress,
    build_self_assessment_reminder,
)
from bot.slack.blocks import Message
from storage.repositories.self_assessment import (
    completion,
    get_checklist_round,
    get_participant,
    invitees,
    rounds_closing_between,
)
from storage.repositories.self_assessment_answers import completed_keys, is_completed

KINDS = ("three_days", "day_before")
CLOSED = "closed"
# How long after its day the closed note is still worth posting (after downtime).
CLOSED_NOTE_USEFUL_FOR = timedelta(days=7)


def _reminder_day(kind: str, closes_on: date) -> date | None:
    """The day `kind` goes out for this closing date; None for the 3-day reminder when a
    weekend or holiday puts it on the same day as the last one (which will do)."""
    day_before = previous_working_day(closes_on)
    if kind == "day_before":
        return day_before
    day = working_day_on_or_before(closes_on - timedelta(days=3))
    return None if day == day_before else day


def _useful_until(kind: str, closes_on: date) -> date:
    # The 3-day reminder is redundant once the 1-day one is due; the last one is useful until
    # answers stop being accepted (the end of the closing day).
    if kind == "three_days":
        return previous_working_day(closes_on) - timedelta(days=1)
    return closes_on


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    zones = {review.id: review.zone for review in planning.reviews}
    # Rounds with a reminder (from 3 days plus holidays before closing) or the closed note
    # (the day after) in the window.
    rounds = rounds_closing_between(
        session=planning.session,
        review_ids=planning.review_ids,
        after=planning.first_day - timedelta(days=1) - HOLIDAY_SLACK,
        until=planning.last_day + timedelta(days=3) + HOLIDAY_SLACK,
    )
    if not rounds:
        return
    for checklist_round in rounds:
        # The first working day after the closing date: answers stop at the end of it.
        closed_day = day_after(checklist_round.closes_on)
        if planning.covers(closed_day):
            yield PlannedNudge(
                review_id=checklist_round.review_id,
                rule=f"self_assessment.{CLOSED}",
                day=closed_day,
                useful_until=closed_day + CLOSED_NOTE_USEFUL_FOR,
                summary=f"Self-assessment closed on {format_date(checklist_round.closes_on)}: "
                "the results button",
                payload={"closes_on": checklist_round.closes_on.isoformat()},
            )
    review_ids = [checklist_round.review_id for checklist_round in rounds]
    invited = invitees(session=planning.session, review_ids=review_ids)
    finished = completed_keys(session=planning.session, review_ids=review_ids)
    for checklist_round in rounds:
        review_id, closes_on = checklist_round.review_id, checklist_round.closes_on
        salt = checklist_round.key_salt
        waiting = [
            (user_id, invited_at)
            for user_id, invited_at in invited.get(review_id, [])
            if (review_id, respondent_key(planning.respondent_secret, salt, user_id))
            not in finished
        ]
        if not waiting:  # nobody invited, or everyone has finished (which closes it)
            continue
        zone = zones[review_id]
        for kind in KINDS:
            day = _reminder_day(kind, closes_on)
            if day is None or not planning.covers(day):
                continue
            # Whoever was invited since was told by their invitation when it closes.
            recipients = [
                *([CHANNEL] if is_before_send_moment(checklist_round.issued_at, day, zone) else []),
                *(user for user, at in waiting if is_before_send_moment(at, day, zone)),
            ]
            for recipient in recipients:
                to_channel = recipient == CHANNEL
                yield PlannedNudge(
                    review_id=review_id,
                    rule=f"self_assessment.{'progress' if to_channel else 'reminder'}.{kind}",
                    day=day,
                    useful_until=_useful_until(kind, closes_on),
                    summary=f"Self-assessment progress; it closes {format_date(closes_on)}"
                    if to_channel
                    else f"Direct reminder to finish by {format_date(closes_on)}",
                    recipient=recipient,
                    payload={"closes_on": closes_on.isoformat()},
                )


def render(rendering: Rendering) -> Message | None:
    session, review, nudge = rendering.session, rendering.review, rendering.nudge
    today = rendering.today
    checklist_round = get_checklist_round(session=session, review_id=review.id)
    kind = nudge.rule.rsplit(".", 1)[-1]
    if checklist_round is None or checklist_round.closed_at or checklist_round.results_released_at:
        return None  # a lead closed it early (which said so then), or the results are out
    closes_on = checklist_round.closes_on
    if kind == CLOSED:
        # The channel's note that it closed by date, unless the date has moved since.
        if day_after(closes_on) != nudge.day or today <= closes_on:
            return None
        status = RoundStatus(
            closes_on=closes_on,
            today=today,
            completion=completion(session=session, review_id=review.id),
        )
        return Message(*build_closed(review_id=review.id, status=status))
    # The closing date moved so the reminder falls on another day: that day's nudge replaces it.
    if kind not in KINDS or _reminder_day(kind, closes_on) != nudge.day or today > closes_on:
        return None
    counts = completion(session=session, review_id=review.id)
    if counts.everyone_finished:
        return None
    if nudge.recipient == CHANNEL:
        return build_self_assessment_progress(
            host_council=review.host_council,
            closes_on=closes_on,
            today=today,
            invited=counts.invited,
            finished=counts.finished,
        )
    if get_participant(session=session, review_id=review.id, user_id=nudge.recipient) is None:
        return None  # no longer invited (forgotten) since this was planned
    key = respondent_key(rendering.respondent_secret, checklist_round.key_salt, nudge.recipient)
    if is_completed(session=session, review_id=review.id, respondent_key=key):
        return None  # finished since this was planned
    return build_self_assessment_reminder(
        review_id=review.id,
        host_council=review.host_council,
        focus=review.focus,
        closes_on=closes_on,
        today=today,
        others_finished=counts.finished,
    )


RULE = NudgeRule(
    name="self_assessment", label="Self-assessment reminders", plan=plan, render=render
)
