"""`/afi list`'s manage menu (edit, merge, withdraw) and its page buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.afis.rules import can_manage_afi, manageable_ids
from bot.afis.sections import sections_of
from bot.afis.service import NOT_ALLOWED
from bot.afis.views import (
    AfiFormMetadata,
    build_afi_list,
    build_afi_modal,
    build_merge_modal,
    build_withdraw_modal,
)
from bot.deps import Deps
from bot.slack import ids
from bot.slack.calls import open_view
from bot.slack.payloads import action_value, record_id, verb_and_id
from storage.db import transaction
from storage.repositories.afi_votes import afis_with_latest_votes
from storage.repositories.afis import afi_item, get_afi, list_afis
from storage.repositories.reviews import get_review, open_review_in_channel, roles_of

MANAGE_VERBS = frozenset({"edit", "merge", "withdraw"})
GONE = "That area has been merged or withdrawn already. Type `/afi list` to see the current list."


def register(app: App, deps: Deps) -> None:
    def tell(respond: Respond, text: str) -> None:
        respond(text=text, response_type="ephemeral", replace_original=False)

    @app.action(ids.AFI_MANAGE)
    def handle_afi_manage(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        verb, afi_id = verb_and_id(action_value(action), MANAGE_VERBS)
        ack()
        user_id = body["user"]["id"]
        with transaction(deps.sessions) as session:
            afi = get_afi(session=session, afi_id=afi_id)
            review = get_review(session=session, review_id=afi.review_id) if afi else None
            if afi is None or review is None or afi.status != "active":
                tell(respond, GONE)
                return
            if not can_manage_afi(
                author_id=afi.author_id, user_id=user_id, roles=roles_of(review, user_id)
            ):
                tell(respond, NOT_ALLOWED)
                return
            item = afi_item(afi)
            others = [
                afi_item(other)
                for other in list_afis(session=session, review_id=review.id)
                if other.id != afi.id
            ]
            channel_id, checklist_id = review.channel_id, review.checklist_id
        metadata = AfiFormMetadata(
            channel_id=channel_id,
            response_url=body.get("response_url", ""),
            afi_id=item.id,
            checklist_id=checklist_id,
        )
        if verb == "edit":
            sections = sections_of(deps.checklists, checklist_id)
            view = build_afi_modal(sections, metadata, editing=item)
        elif verb == "merge":
            if not others:
                tell(respond, "There is no other area to merge this one into.")
                return
            view = build_merge_modal(item, others, metadata)
        else:
            view = build_withdraw_modal(item, metadata)
        open_view(
            client,
            trigger_id=body["trigger_id"],
            view=view,
            on_expired=lambda: tell(respond, "Slack took too long to open the form; try again."),
        )

    @app.action(ids.AFI_LIST_PAGE)
    def handle_afi_list_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        page = record_id(action_value(action))
        ack()
        user_id = body["user"]["id"]
        channel_id = (body.get("channel") or {}).get("id", "")
        with transaction(deps.sessions) as session:
            review = open_review_in_channel(session=session, channel_id=channel_id)
            if review is None:
                respond(text="The review in this channel has been closed.", replace_original=True)
                return
            info, items = afis_with_latest_votes(session=session, review_id=review.id)
            manageable = manageable_ids(items, user_id, roles_of(review, user_id))
            sections = sections_of(deps.checklists, review.checklist_id)
        text, blocks = build_afi_list(
            items, sections, ballot=info, manageable=manageable, page=page
        )
        respond(text=text, blocks=blocks, replace_original=True)
