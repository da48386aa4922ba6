"""Switching reminders off and on: a lead for the whole review (`/psif reminders off|on
[kind]`), anyone for themselves while away (`/psif snooze`)."""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.reminders.rules import all_rules
from bot.reminders.snooze import USAGE, SnoozeError, parse_snooze
from bot.review_access import channel_review, require_permission
from bot.slack.text import escape_mrkdwn, join_words, unescape_slack
from storage.db import transaction
from storage.repositories.reminders import (
    ALL_RULES,
    clear_channel_unreachable,
    clear_snooze,
    mute,
    muted_rules,
    paused_through,
    set_snooze,
    unmute,
)
from storage.repositories.reviews import record_audit


def switch_reminders(deps: Deps, *, channel_id: str, user_id: str, on: bool, kind: str) -> str:
    """Turn one kind of reminder (all of them, `kind` empty) off or on for the channel's
    review. Who may comes before whether the kind exists."""
    kind = kind or ALL_RULES
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SWITCH_REMINDERS)
        if kind != ALL_RULES and kind not in {rule.name for rule in all_rules()}:
            kinds = join_words([f"`{rule.name}`" for rule in all_rules()])
            raise Refusal(
                f"There's no kind of reminder called `{escape_mrkdwn(unescape_slack(kind))}`. "
                f"The kinds are {kinds}."
            )
        if on:
            changed = unmute(session=session, review_id=review.id, rule=kind)
            # Turning reminders on is how people say "I've fixed the channel".
            changed = clear_channel_unreachable(session=session, review_id=review.id) or changed
            still_all_off = ALL_RULES in muted_rules(session=session, review_id=review.id)
        else:
            changed = mute(
                session=session, review_id=review.id, rule=kind, actor_id=user_id, now=deps.now()
            )
            still_all_off = False
        if changed:
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action=f"reminders.{'on' if on else 'off'}",
                details={"kind": kind},
                now=deps.now(),
            )
    return _switch_answer(on=on, kind=kind, changed=changed, still_all_off=still_all_off)


def _switch_answer(*, on: bool, kind: str, changed: bool, still_all_off: bool) -> str:
    what = "All reminders" if kind == ALL_RULES else f"`{kind}` reminders"
    if on:
        answer = f"🔔 {what} are on for this review." if changed else f"{what} were already on."
        if still_all_off:
            answer += " All reminders are still off, though: `/psif reminders on` turns them on."
        return answer
    if not changed:
        return f"{what} were already off."
    return f"🔕 {what} are off for this review. `/psif reminders on` turns them back on."


def snooze_reminders(deps: Deps, *, user_id: str, typed: str) -> str:
    """Pause the person's own reminders through a day, end the pause, or say how it stands."""
    today = deps.today()
    try:
        request = parse_snooze(typed, today=today)
    except SnoozeError as error:
        raise Refusal(str(error)) from error
    with transaction(deps.sessions) as session:
        if request.off:
            stopped = clear_snooze(session=session, user_id=user_id)
            current = None
        elif request.paused_through is not None:
            set_snooze(
                session=session,
                user_id=user_id,
                paused_through=request.paused_through,
                now=deps.now(),
            )
            current = request.paused_through
        else:
            current = paused_through(session=session, user_id=user_id, today=today)
    if request.off:
        return "🔔 Your reminders are back on." if stopped else "Your reminders weren't paused."
    if current is None:
        return f"Your reminders aren't paused. {USAGE}"
    return (
        f"😴 Your own reminders are paused until the end of {format_date(current)}. "
        "Channel reminders carry on for everyone else. `/psif snooze off` ends it early."
    )
