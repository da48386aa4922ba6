"""Closing the self-assessment early, moving its closing date, and who may still be invited.

Once results have been shown a self-assessment never reopens: comparing two sets of results
(before and after the last people answered) would show what those people said.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.reviews.permissions import Operation, permits, refusal
from bot.self_assessment.privacy_views import build_closed
from bot.self_assessment.rules import RoundState, RoundStatus
from bot.self_assessment.service import round_status
from bot.slack.deliveries import owe_message
from bot.slack.text import format_date
from storage.db import transaction
from storage.models.self_assessment import ChecklistRound
from storage.repositories.privacy import seal_answers
from storage.repositories.reviews import get_review, record_audit, roles_of
from storage.repositories.self_assessment import close_early, get_round, set_closing_date

RESULTS_SHOWN = (
    "Results have already been shown, so the self-assessment stays closed: a second set of "
    "results could be compared with the first and show what the last people answered."
)


def close_early_confirmed(
    deps: Deps, *, review_id: int, user_id: str, response_url: str | None = None
) -> str:
    """The lead confirmed: close the self-assessment now, sealing its answers, and owe the
    channel its note (with the button for the results); the answer for the lead."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None or review.closed_at is not None:
            return "That review is closed."
        if not permits(Operation.SET_SELF_ASSESSMENT_CLOSE, roles_of(review, user_id)):
            return refusal(Operation.SET_SELF_ASSESSMENT_CLOSE)
        round_ = get_round(session=session, review_id=review.id)
        if round_ is None:
            return "The self-assessment hasn't been issued yet; nothing to close."
        status = round_status(session=session, deps=deps, round_=round_)
        if not status.is_open:
            return f"The self-assessment already {status.why_closed()}; nothing changed."
        now = deps.now()
        close_early(session=session, round_=round_, now=now)
        seal_answers(session=session, round_=round_, now=now)
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="checklist.closed_early",
            details={},
            now=now,
        )
        text, blocks = build_closed(
            review_id=review.id, status=replace(status, closed_early=True), closed_by=user_id
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=review.channel_id,
            text=text,
            blocks=blocks,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": "The self-assessment is closed, but I couldn't tell the channel.",
            },
        )
    return (
        "Done: the self-assessment is closed. The review team can see the results with "
        "`/psif results` or the button in the channel."
    )


def move_closing_date(
    *, session: Session, deps: Deps, round_: ChecklistRound, closes_on: date
) -> str:
    """Set a new closing date (reopening a round closed early); the answer for the lead.

    Raises ValueError with the reason when results have been shown.
    """
    status = round_status(session=session, deps=deps, round_=round_)
    if status.state is RoundState.FINAL:
        raise ValueError(RESULTS_SHOWN)
    set_closing_date(session=session, round_=round_, closes_on=closes_on)
    message = f"The self-assessment now closes on {format_date(closes_on)}."
    if status.closed_early:
        message += " It was closed early; it is open again."
    if status.completion.everyone_finished:
        message += (
            " Everyone invited has finished, so it stays closed unless you invite more people."
        )
    return message


def invite_refusal(status: RoundStatus) -> str | None:
    """Why nobody more can be invited now, or None.

    A round closed only because everyone had finished takes newcomers (who reopen it); one
    past its date or closed by a lead needs a new closing date first.
    """
    if status.state is RoundState.FINAL:
        return RESULTS_SHOWN
    if status.closed_early or status.today > status.closes_on:
        return (
            f"The self-assessment {status.why_closed()}. To let more people answer, the host "
            "lead can set a new closing date with `/psif checklist close-date YYYY-MM-DD` "
            "first."
        )
    return None
