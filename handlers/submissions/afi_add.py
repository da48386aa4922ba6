"""The `/afi add` modal's submission: validate inline, store, confirm to the author."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.rules import afi_text_problem, evidence_problem
from bot.afis.tally import tally_refresher
from bot.afis.views import AfiForm, AfiFormMetadata, afi_added_text, parse_afi_form
from bot.deps import Deps
from bot.reviews.permissions import Operation, permits, refusal
from bot.slack import ids
from handlers.submissions.start_submission import tell_user
from storage.db import transaction
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import NewAfi, add_afi, afi_item
from storage.repositories.reviews import open_review_in_channel, record_audit, roles_of

NO_REVIEW = (
    "The review in this channel has been closed, so nothing was added. "
    "Copy your text before closing this form."
)


def form_errors(form: AfiForm) -> dict[str, str]:
    """Inline errors for the add/edit modal, keyed by input block id."""
    errors: dict[str, str] = {}
    problem = afi_text_problem(form.text)
    if problem:
        errors[ids.AFI_TEXT] = problem
    problem = evidence_problem(form.evidence)
    if problem:
        errors[ids.AFI_EVIDENCE] = problem
    return errors


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_ADD_MODAL)
    def handle_afi_add_submission(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        form = parse_afi_form(view["state"]["values"])
        errors = form_errors(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        now = deps.now()
        with transaction(deps.sessions) as session:
            review = open_review_in_channel(session=session, channel_id=metadata.channel_id)
            if review is None:
                ack(response_action="errors", errors={ids.AFI_TEXT: NO_REVIEW})
                return
            if not permits(Operation.ADD_AFI, roles_of(review, user_id)):
                ack(response_action="errors", errors={ids.AFI_TEXT: refusal(Operation.ADD_AFI)})
                return
            afi = add_afi(
                session=session,
                review_id=review.id,
                new=NewAfi(
                    text=form.text,
                    author_id=user_id,
                    section_number=form.section_number,
                    evidence=form.evidence,
                ),
                now=now,
            )
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action="afi.added",
                details={"number": afi.number},
                now=now,
            )
            item = afi_item(afi)
            vote_round = open_round(session=session, review_id=review.id)
        ack()
        if vote_round is not None:
            tally_refresher(deps).request(vote_round.id)
        tell_user(
            client,
            user_id=user_id,
            response_url=metadata.response_url,
            text=afi_added_text(item),
            logger=logger,
        )
