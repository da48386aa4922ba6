"""Opening a review from the Appendix 1 form: the form for a channel without a review, then
storing the review and owing the channel its summary."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import Refusal
from bot.core.roles import Role
from bot.deps import Deps
from bot.reviews.form import StartForm
from bot.reviews.setup import complete_timeline
from bot.reviews.views import build_review_opened
from bot.slack.outbox import owe_message
from storage.db import transaction
from storage.repositories.reviews import (
    NewReview,
    ReviewAlreadyOpen,
    create_review,
    open_review_in_channel,
    snapshot,
)

TAKEN = (
    "Someone opened a review in this channel while you were filling this in. Close this form "
    "and type /psif status to see it."
)


def refuse_if_channel_has_review(deps: Deps, *, channel_id: str) -> None:
    """Each channel holds one open review at a time."""
    with transaction(deps.sessions) as session:
        existing = open_review_in_channel(session=session, channel_id=channel_id)
        if existing is not None:
            raise Refusal(
                f"This channel already has an open review ({existing.host_council}). "
                "Type `/psif status` to see it. Each channel holds one review at a time."
            )


def team_of(form: StartForm) -> tuple[tuple[str, Role], ...]:
    """The team the form names: both leads, then the host and IS teams."""
    members: list[tuple[str, Role]] = []
    if form.host_lead:
        members.append((form.host_lead, Role.HOST_LEAD))
    if form.is_lead:
        members.append((form.is_lead, Role.IS_LEAD))
    members += [(user, Role.HOST_TEAM) for user in form.host_team if user != form.host_lead]
    members += [(user, Role.IS_TEAM) for user in form.is_team if user != form.is_lead]
    return tuple(members)


def new_review_from(deps: Deps, form: StartForm, *, team_id: str, channel_id: str) -> NewReview:
    """The review a validated Appendix 1 form describes."""
    assert form.host_council is not None  # validated
    return NewReview(
        team_id=team_id,
        channel_id=channel_id,
        host_council=form.host_council,
        focus=form.focus.strip(),
        rationale=form.rationale.strip(),
        peer_councils=tuple(form.peer_councils),
        peer_rationale=form.peer_rationale.strip(),
        timeline=complete_timeline(form),
        members=team_of(form),
        checklist_id=form.checklist_id or next(iter(deps.checklist_names)),
    )


@dataclass(frozen=True)
class Opened:
    review_id: int | None  # None: this very form had been submitted already


def open_review(
    deps: Deps, *, new: NewReview, user_id: str, response_url: str | None
) -> Opened | str:
    """Store the review and owe the channel its summary in the same transaction; the reason
    it can't be opened otherwise. The same form submitted twice opens one review."""
    try:
        with transaction(deps.sessions) as session:
            review = create_review(session=session, new=new, actor_id=user_id, now=deps.now())
            text, blocks = build_review_opened(
                snapshot(review), opened_by=user_id, today=deps.today()
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
                    "text": "Your review is saved, but I couldn't post its summary in the channel.",
                },
            )
            return Opened(review.id)
    except ReviewAlreadyOpen:
        with transaction(deps.sessions) as session:
            existing = open_review_in_channel(session=session, channel_id=new.channel_id)
            same = existing is not None and (
                existing.created_by == user_id and existing.focus == new.focus
            )
        return Opened(None) if same else TAKEN
