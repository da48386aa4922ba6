"""`/psif peers`: the review team sees which peer councils agreed; leads record the answers.

Saving checks the permission table, writes the states and the audit record in one
transaction and owes the channel one line (states only) through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.peers import PeerState
from bot.core.permissions import Operation, permits, refusal
from bot.deps import Deps
from bot.review_access import closed_note, get_review, no_open_review
from bot.reviews.answers import Answer
from bot.slack.blocks import Block
from bot.slack.outbox import owe_message
from bot.slack.payloads import OUT_OF_DATE
from bot.team.peer_rules import PeersForm, changed, check_form, settled
from bot.team.peer_views import (
    PeersMetadata,
    build_peers,
    build_peers_modal,
    channel_line,
    form_errors,
    whole_form_block,
)
from storage.db import transaction
from storage.repositories.reviews import latest_review_in_channel, open_review_in_channel, roles_of
from storage.repositories.team import peer_councils_of, update_peer_councils

CLOSED = "This review has been closed, so nothing was changed."


def show_peers(deps: Deps, *, channel_id: str, user_id: str) -> Answer:
    """The list, with a button to record answers for leads of an open review."""
    with transaction(deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            return Answer(no_open_review(None))
        roles = roles_of(review, user_id)
        if not permits(Operation.SEE_PEERS, roles):
            return Answer(refusal(Operation.SEE_PEERS))
        is_open = review.closed_at is None
        text, blocks = build_peers(
            peer_councils_of(review),
            review_id=review.id,
            can_record=is_open and permits(Operation.RECORD_PEERS, roles),
            closed_note="" if is_open else closed_note(review),
        )
    return Answer(text, blocks)


def peers_form(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    response_url: str | None,
    review_id: int | None = None,
) -> Block | Answer:
    """The modal for the channel's open review (the one a button names, if it still is),
    or why not."""
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            return Answer(
                no_open_review(latest_review_in_channel(session=session, channel_id=channel_id))
            )
        if review_id is not None and review.id != review_id:
            return Answer(OUT_OF_DATE)
        if not permits(Operation.RECORD_PEERS, roles_of(review, user_id)):
            return Answer(refusal(Operation.RECORD_PEERS))
        return build_peers_modal(
            peer_councils_of(review), review_id=review.id, response_url=response_url or None
        )


@dataclass(frozen=True)
class PeersSaved:
    """Inline errors for the form (nothing saved), or empty once saved."""

    errors: dict[str, str] = field(default_factory=dict)


def save_peers(deps: Deps, *, user_id: str, metadata: PeersMetadata, form: PeersForm) -> PeersSaved:
    first_block = whole_form_block(metadata)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=metadata.review_id)
        if review is None or review.closed_at is not None:
            return PeersSaved({first_block: CLOSED})
        if not permits(Operation.RECORD_PEERS, roles_of(review, user_id)):
            return PeersSaved({first_block: refusal(Operation.RECORD_PEERS)})
        items = peer_councils_of(review)
        check = check_form(form, items, host_council=review.host_council, today=deps.today())
        if check:
            return PeersSaved(form_errors(check))
        by_id = {item.id: item for item in items}
        updates = [settled(update) for update in form.updates if update.council_id in by_id]
        news: list[tuple[str, PeerState | None]] = [
            (by_id[update.council_id].name, update.state)
            for update in updates
            if changed(by_id[update.council_id], update)
            and (update.state is not None or by_id[update.council_id].is_partner)
        ]
        if form.new_partner:
            news.append((form.new_partner, PeerState.TO_APPROACH))
        update_peer_councils(
            session=session,
            review=review,
            updates=updates,
            new_partner=form.new_partner,
            actor_id=user_id,
            now=deps.now(),
        )
        if news:
            line = channel_line(user_id, news)
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=line,
                if_undelivered={
                    "user_id": user_id,
                    "response_url": metadata.response_url,
                    "text": "The peer councils' answers are saved, but I couldn't tell the "
                    "channel.",
                },
            )
    return PeersSaved()
