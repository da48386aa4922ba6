"""Submissions of the edit, merge and withdraw modals opened from `/afi list`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import ids
from bot.afi.rules import can_manage_afi
from bot.blocks import section
from bot.deps import Deps
from bot.text import escape_mrkdwn, mention, plural, truncate
from bot.views.afi import (
    AfiFormMetadata,
    build_notice_modal,
    parse_afi_form,
    parse_merge_target,
)
from handlers.afi_tally import tally_refresher
from handlers.slack_calls import post_to_channel
from handlers.views.afi_add import form_errors
from storage.db import transaction
from storage.models import Review
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import edit_afi, get_afi, merge_afis, withdraw_afi
from storage.repositories.reviews import get_review, roles_of

GONE = "This area was merged or withdrawn by someone else meanwhile; nothing was changed."
NOT_ALLOWED = "Only its author, the host lead or the Improvement Service can change this area."


def _review_if_allowed(session: Session, afi_id: int | None, user_id: str) -> Review | str:
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


def _refresh_open_vote(deps: Deps, review_id: int) -> None:
    with transaction(deps.sessions) as session:
        vote_round = open_round(session=session, review_id=review_id)
    if vote_round is not None:
        tally_refresher(deps).request(vote_round.id)


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_EDIT_MODAL)
    def handle_afi_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        form = parse_afi_form(view["state"]["values"])
        errors = form_errors(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        assert metadata.afi_id is not None
        with transaction(deps.sessions) as session:
            review = _review_if_allowed(session, metadata.afi_id, user_id)
            edited = (
                edit_afi(
                    session=session,
                    review=review,
                    afi_id=metadata.afi_id,
                    text=form.text,
                    section_number=form.section_number,
                    evidence=form.evidence,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review)
                else None
            )
        if not isinstance(review, Review) or edited is None:
            reason = review if isinstance(review, str) else GONE
            ack(response_action="errors", errors={ids.AFI_TEXT: reason})
            return
        ack()
        _refresh_open_vote(deps, review.id)

    @app.view(ids.AFI_MERGE_MODAL)
    def handle_afi_merge_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        target_id = parse_merge_target(view["state"]["values"])
        if target_id is None or metadata.afi_id is None:
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: "Choose an area."})
            return
        with transaction(deps.sessions) as session:
            review = _review_if_allowed(session, metadata.afi_id, user_id)
            merged = (
                merge_afis(
                    session=session,
                    review=review,
                    source_id=metadata.afi_id,
                    target_id=target_id,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review)
                else None
            )
            if merged is not None:
                source_number, target_number = merged.source.number, merged.target.number
                target_text = merged.target.text
        if not isinstance(review, Review) or merged is None:
            reason = (
                review
                if isinstance(review, str)
                else (
                    "One of the two areas was merged or withdrawn meanwhile; nothing was changed."
                )
            )
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: reason})
            return
        ack()
        _refresh_open_vote(deps, review.id)
        moved = ""
        if merged.votes_moved or merged.votes_returned:
            moved = f" {plural(merged.votes_moved, 'vote')} moved across"
            if merged.votes_returned:
                moved += (
                    f"; {plural(merged.votes_returned, 'vote')} went back to voters who "
                    "already had the most allowed on it"
                )
            moved += "."
        text = (
            f"{mention(user_id)} merged AFI {source_number} into AFI {target_number}: "
            f"{escape_mrkdwn(truncate(target_text, 300))}.{moved}"
        )
        post_to_channel(client, channel=review.channel_id, text=text, blocks=[section(text)])

    @app.view(ids.AFI_WITHDRAW_MODAL)
    def handle_afi_withdraw_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        with transaction(deps.sessions) as session:
            review = _review_if_allowed(session, metadata.afi_id, user_id)
            withdrawn = (
                withdraw_afi(
                    session=session,
                    review=review,
                    afi_id=metadata.afi_id,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review) and metadata.afi_id is not None
                else None
            )
            number = withdrawn.number if withdrawn else None
        if not isinstance(review, Review) or number is None:
            reason = review if isinstance(review, str) else GONE
            ack(response_action="update", view=build_notice_modal(reason))
            return
        ack()
        _refresh_open_vote(deps, review.id)
        text = f"{mention(user_id)} withdrew AFI {number}; any votes on it went back to the voters."
        post_to_channel(client, channel=review.channel_id, text=text, blocks=[section(text)])
