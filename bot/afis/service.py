"""AFI use cases: adding one, who may change one, and keeping an open vote's message in step
(voting itself is in vote_service.py).

Each use case owns its transaction, its audit record and the Slack side effects it owes
(through the outbox, in the same transaction).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.afis.rules import afi_text_problem, can_manage_afi, looks_like, normalised_afi_text
from bot.afis.sections import sections_of
from bot.afis.tally import owe_tally
from bot.afis.views import AfiFormMetadata, afi_added_text, build_afi_modal
from bot.core.afis import AfiItem
from bot.core.permissions import Operation, permits, refusal, who_can
from bot.deps import Deps
from bot.review_access import channel_review, get_review, require_permission
from bot.slack.blocks import Block
from bot.slack.outbox import owe_answer
from bot.slack.text import escape_mrkdwn
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import NewAfi, add_afi, afi_item, get_afi, list_afis
from storage.repositories.requests import mark_applied, was_applied
from storage.repositories.reviews import open_review_in_channel, record_audit, roles_of

GONE = "This area was merged or withdrawn by someone else meanwhile; nothing was changed."
NOT_ALLOWED = (
    f"Only its author or the review's {who_can(Operation.MANAGE_ANY_AFI)} can change this area."
)
NO_REVIEW = (
    "There's no PSIF review open in this channel, so nothing was added. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)


def review_if_allowed(session: Session, afi_id: int | None, user_id: str) -> Review | str:
    """The AFI's review if the user may manage it, else the reason they can't."""
    afi = get_afi(session=session, afi_id=afi_id) if afi_id is not None else None
    review = get_review(session=session, review_id=afi.review_id) if afi else None
    if afi is None or review is None or review.closed_at is not None:
        return GONE
    if not can_manage_afi(
        author_id=afi.author_id, user_id=user_id, roles=roles_of(review, user_id)
    ):
        return NOT_ALLOWED
    return review


def owe_vote_refresh(session: Session, deps: Deps, review: Review) -> None:
    """If a vote is open in the review, owe its message a refresh (in this transaction)."""
    vote_round = open_round(session=session, review_id=review.id)
    if vote_round is not None:
        owe_tally(
            session,
            team_id=review.team_id,
            round_id=vote_round.id,
            interval=deps.settings.afi_tally_interval_seconds,
        )


@dataclass(frozen=True)
class NewAfiRequest:
    """Someone asking to add an AFI, from `/afi add <text>` or the add form."""

    team_id: str
    channel_id: str
    user_id: str
    text: str
    section_number: int | None = None
    evidence: str = ""
    # Slack's id for this request (the form's view id and hash, the command's trigger id):
    # the same request delivered twice adds one AFI.
    request_key: str | None = None
    # Where to confirm, when the answer can't go back in the acknowledgement (a form).
    response_url: str | None = None
    # The person already answered "add anyway" to "this looks like AFI n".
    duplicate_ok: bool = False
    # The form (its view id) the request came from: asked once whether it repeats an AFI,
    # the same text submitted again from that form is added.
    asked_in: str | None = None


@dataclass(frozen=True)
class AfiAdded:
    item: AfiItem | None  # None when this request had already been applied
    text: str


@dataclass(frozen=True)
class LooksLike:
    """Nothing added yet: the text repeats (or nearly repeats) AFI `number`."""

    number: int
    existing_text: str
    text: str


ALREADY_ADDED = "That area for improvement was added already."


def add_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    """`/afi add` alone: the form with the review's checklist sections and evidence."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.ADD_AFI)
        checklist_id = review.checklist_id
    metadata = AfiFormMetadata(
        channel_id=channel_id, response_url=response_url, checklist_id=checklist_id
    )
    return build_afi_modal(sections_of(deps.checklists, checklist_id), metadata)


def add_area(deps: Deps, request: NewAfiRequest) -> AfiAdded | LooksLike | str:
    """Add an AFI to the channel's open review; the confirmation, the AFI it looks like
    (asked once before a near repeat is added), or why not."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=request.channel_id)
        if review is None:
            return NO_REVIEW
        if not permits(Operation.ADD_AFI, roles_of(review, request.user_id)):
            return refusal(Operation.ADD_AFI)
        problem = afi_text_problem(request.text)  # who may add comes before what was typed
        if problem:
            typed = escape_mrkdwn(request.text)
            return f"{problem}\nNothing was added. What you typed:\n```{typed}```"
        applied_key = f"afi.add:{request.request_key}" if request.request_key else None
        # Before comparing: a redelivered request would look like the AFI it added.
        if applied_key and was_applied(session=session, key=applied_key):
            return AfiAdded(None, ALREADY_ADDED)
        if not request.duplicate_ok:
            existing = {
                afi.number: afi.text for afi in list_afis(session=session, review_id=review.id)
            }
            number = looks_like(request.text, existing.items())
            if number is not None and _first_time_asked(session, request, now):
                return LooksLike(number, existing[number], request.text)
        if applied_key and not mark_applied(session=session, key=applied_key, now=now):
            return AfiAdded(None, ALREADY_ADDED)
        afi = add_afi(
            session=session,
            review_id=review.id,
            new=NewAfi(
                text=request.text,
                author_id=request.user_id,
                section_number=request.section_number,
                evidence=request.evidence,
            ),
            now=now,
        )
        record_audit(
            session=session,
            review=review,
            actor_id=request.user_id,
            action="afi.added",
            details={"number": afi.number},
            now=now,
        )
        item = afi_item(afi)
        text = afi_added_text(item)
        owe_vote_refresh(session, deps, review)
        if request.response_url is not None:
            owe_answer(
                session,
                team_id=review.team_id,
                user_id=request.user_id,
                response_url=request.response_url,
                text=text,
            )
    return AfiAdded(item, text)


def _first_time_asked(session: Session, request: NewAfiRequest, now: datetime) -> bool:
    """Whether to ask about a repeat: always for a typed command (its answer has buttons);
    from a form, only the first time that form sends this text."""
    if request.asked_in is None:
        return True
    digest = hashlib.sha256(normalised_afi_text(request.text).encode()).hexdigest()[:40]
    return mark_applied(session=session, key=f"afi.add.asked:{request.asked_in}:{digest}", now=now)
