"""Self-assessment reminders: a direct message to those who haven't finished, and a channel
summary that names nobody (naming non-responders in a channel would break confidentiality)."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_day
from bot.core.nudges import when
from bot.slack import ids
from bot.slack.blocks import Message, actions, button, context, section
from bot.slack.text import escape_mrkdwn, plural


def build_self_assessment_reminder(
    *,
    review_id: int,
    host_council: str,
    focus: str,
    closes_on: date,
    today: date,
    others_finished: int,
) -> Message:
    """The direct message to one stakeholder who has not finished."""
    closing = when(closes_on, today)
    colleagues = (
        f"{plural(others_finished, 'colleague has', 'colleagues have')} already answered."
        if others_finished
        else "Your answers will help shape the review from the start."
    )
    text = f"Reminder: the {host_council} self-assessment closes {closing}. {colleagues}"
    blocks = [
        section(
            f"⏰ The PSIF self-assessment for *{escape_mrkdwn(host_council)}* "
            f"({escape_mrkdwn(focus)}) closes *{closing}*.\n{colleagues}"
        ),
        actions(
            button("Continue self-assessment", ids.CHECKLIST_START, str(review_id), style="primary")
        ),
        context(
            "It opens where you left off. Your answers are confidential: only totals are "
            "reported. Pause reminders with `/psif snooze 7d`."
        ),
    ]
    return Message(text=text, blocks=blocks)


def build_self_assessment_progress(
    *, host_council: str, closes_on: date, today: date, invited: int, finished: int
) -> Message:
    """The channel summary sent alongside the reminders: totals only, no names."""
    closing = when(closes_on, today)
    text = f"Self-assessment: {finished} of {invited} invited have finished; it closes {closing}."
    blocks = [
        section(
            f"📋 *Self-assessment progress – {escape_mrkdwn(host_council)}*\n"
            f"{finished} of {invited} invited have finished. It closes "
            f"{format_day(closes_on)}."
        ),
        context(
            "Reminders have gone to those still to finish; nobody, leads included, is told "
            "who they are. Results are shown once the self-assessment closes."
        ),
    ]
    return Message(text=text, blocks=blocks)
