"""Closing the self-assessment early, moving its closing date, and who may still be invited.

Once results have been shown a self-assessment never reopens: comparing two sets of results
(before and after the last people answered) would show what those people said.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.errors import Refusal
from bot.core.permissions import Operation, permits, refusal
from bot.core.timeline import Timeline, close_date_refusal
from bot.core.typed_dates import TYPED_DATE_EXAMPLES, parse_typed_date
from bot.deps import Deps
from bot.review_access import channel_review, get_review, require_permission
from bot.self_assessment.privacy_views import build_close_confirmation, build_closed
from bot.self_assessment.rules import RoundState, RoundStatus
from bot.self_assessment.service import CannotAnswer, issue_round, round_status
from bot.slack.blocks import Block, section
from bot.slack.deliveries import owe_message
from bot.slack.text import escape_mrkdwn, mention
from storage.db import transaction
from storage.models.self_assessment import ChecklistRound
from storage.repositories.privacy import seal_answers
from storage.repositories.reviews import record_audit, roles_of, timeline_of
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


def close_confirmation(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    """`/psif checklist close`: ask the lead to confirm closing the self-assessment now."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SET_SELF_ASSESSMENT_CLOSE)
        round_ = get_round(session=session, review_id=review.id)
        if round_ is None:
            raise Refusal(
                "The self-assessment hasn't been issued yet, so there is nothing to close."
            )
        status = round_status(session=session, deps=deps, round_=round_)
        review_id, host = review.id, review.host_council
    if not status.is_open:
        raise Refusal(f"The self-assessment already {status.why_closed()}.")
    return build_close_confirmation(review_id=review_id, host_council=host, status=status)


def change_closing_date(
    deps: Deps, *, channel_id: str, user_id: str, typed: str, response_url: str | None
) -> str:
    """`/psif checklist close-date 31/12/2026`: a lead moves the closing date (issuing the
    self-assessment if need be) and the channel is told. Who may act comes first: nobody is
    told their date is wrong and then refused."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SET_SELF_ASSESSMENT_CLOSE)
        closes_on = _closing_date(typed, today, timeline_of(review))
        try:
            round_ = issue_round(
                session=session, deps=deps, review=review, actor_id=user_id, closes_on=closes_on
            )
        except CannotAnswer as cannot:
            raise Refusal(
                f"This review's checklist `{review.checklist_id}` isn't installed."
            ) from cannot
        previous = round_.closes_on
        try:
            message = move_closing_date(
                session=session, deps=deps, round_=round_, closes_on=closes_on
            )
        except ValueError as refused:
            raise Refusal(str(refused)) from refused
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="checklist.closing_date",
            details={"from": previous.isoformat(), "to": closes_on.isoformat()},
            now=deps.now(),
        )
        announcement = (
            f"{mention(user_id)} set the self-assessment to close on {format_date(closes_on)}."
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=review.channel_id,
            text=announcement,
            blocks=[section(announcement)],
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": "The closing date is saved, but I couldn't tell the channel.",
            },
        )
        if review.pre_meeting and closes_on > review.pre_meeting:
            message += (
                f" Note that this is after the team pre-meeting on "
                f"{format_date(review.pre_meeting)}, so the results won't be ready for it."
            )
    return message


def _closing_date(typed: str, today: date, timeline: Timeline) -> date:
    closes_on = parse_typed_date(typed, today=today)
    if closes_on is None:
        raise Refusal(
            f"I couldn't read `{escape_mrkdwn(typed) or 'nothing'}` as a date. Give it as, "
            f"for example, {TYPED_DATE_EXAMPLES}."
        )
    if closes_on < today:
        raise Refusal(f"{format_date(closes_on)} has already passed. Choose today or a later date.")
    refused = close_date_refusal(timeline, closes_on, today)
    if refused:
        raise Refusal(refused)
    return closes_on


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
