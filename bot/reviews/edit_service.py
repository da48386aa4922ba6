"""`/psif edit`: reopen the Appendix 1 form on the review, and save what a lead changes.

Saving writes the new details and the audit record in one transaction, pulls the
self-assessment's closing date in if the new dates need it earlier, and owes the channel
a message saying what changed (through the outbox, in the same transaction). Timeline
nudges follow the stored dates by themselves: a nudge planned for an old date is skipped
when it comes due.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.calendar import format_date
from bot.core.permissions import Operation, permits, refusal
from bot.core.timeline import self_assessment_close_bound
from bot.deps import Deps
from bot.review_access import get_review, no_open_review
from bot.reviews.answers import Answer
from bot.reviews.editing import changed_fields, describe_changes, form_of, validate_edit
from bot.reviews.form import StartForm, StartMetadata
from bot.reviews.start_modal import build_start_modal
from bot.slack.blocks import Block, context, section
from bot.slack.outbox import owe_message
from bot.slack.text import mention
from storage.db import transaction
from storage.repositories.reviews import (
    latest_review_in_channel,
    open_review_in_channel,
    roles_of,
    snapshot,
    timeline_of,
    update_review,
)
from storage.repositories.self_assessment import get_round, set_closing_date


def edit_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block | Answer:
    """The form to open, or why not."""
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            latest = latest_review_in_channel(session=session, channel_id=channel_id)
            return Answer(no_open_review(latest))
        if not permits(Operation.EDIT_REVIEW, roles_of(review, user_id)):
            return Answer(refusal(Operation.EDIT_REVIEW))
        picture = snapshot(review)
    return build_start_modal(
        metadata=StartMetadata(
            channel_id=channel_id, review_id=picture.id, response_url=response_url or None
        ),
        checklists=deps.checklist_names,
        form=form_of(picture),
    )


@dataclass(frozen=True)
class EditOutcome:
    """Inline errors for the form; none once the change is saved."""

    errors: dict[str, str] = field(default_factory=dict)


def save_edit(deps: Deps, *, user_id: str, metadata: StartMetadata, form: StartForm) -> EditOutcome:
    today, now = deps.today(), deps.now()
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=metadata.review_id or 0)
        if review is None or review.closed_at is not None:
            return EditOutcome({"focus": "This review has been closed, so nothing changed."})
        if not permits(Operation.EDIT_REVIEW, roles_of(review, user_id)):
            return EditOutcome({"focus": refusal(Operation.EDIT_REVIEW)})
        before = snapshot(review)
        round_ = get_round(session=session, review_id=review.id)
        errors = validate_edit(form, review=before, today=today, council_locked=round_ is not None)
        if errors:
            return EditOutcome(errors)
        changes = changed_fields(form, before)
        lines = describe_changes(changes, before, form.peer_councils)
        update_review(
            session=session,
            review=review,
            changes=changes,
            peer_councils=form.peer_councils,
            actor_id=user_id,
            now=now,
        )
        closes = self_assessment_close_bound(timeline_of(review), today)
        if round_ is not None and closes is not None and round_.closes_on > closes:
            set_closing_date(session=session, round_=round_, closes_on=closes)
            lines.append(
                f"The self-assessment now closes on {format_date(closes)}, so that its "
                "analysis can go out with the papers"
            )
        if lines:
            text, blocks = _announcement(user_id, lines)
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": user_id,
                    "response_url": metadata.response_url,
                    "text": "The review's details are saved, but I couldn't tell the channel.",
                },
            )
    return EditOutcome()


def _announcement(user_id: str, lines: list[str]) -> tuple[str, list[Block]]:
    """What the channel is told: each change on its own line."""
    text = f"{mention(user_id)} updated the review's details."
    return text, [
        section(text + "\n" + "\n".join(f"• {line}." for line in lines)),
        context("Reminders follow the new dates. `/psif status` shows the whole timeline."),
    ]
