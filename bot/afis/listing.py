"""`/afi list` and its pages, and the forms its manage menu opens (edit, merge, withdraw)."""

from __future__ import annotations

from bot.afis.change_views import build_merge_modal, build_withdraw_modal
from bot.afis.rules import can_manage_afi, manageable_ids
from bot.afis.sections import sections_of
from bot.afis.service import NOT_ALLOWED
from bot.afis.views import AfiFormMetadata, build_afi_list, build_afi_modal
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.review_access import channel_review, get_review
from bot.slack.blocks import Block
from storage.db import transaction
from storage.repositories.afi_votes import afis_with_latest_votes
from storage.repositories.afis import afi_item, get_afi, list_afis
from storage.repositories.reviews import roles_of

GONE = "That area has been merged or withdrawn already. Type `/afi list` to see the current list."
NOTHING_TO_MERGE_INTO = "There is no other area to merge this one into."


def afi_list(
    deps: Deps, *, channel_id: str, user_id: str, page: int = 0
) -> tuple[str, list[Block]]:
    """The channel's AFIs with the latest votes, a page at a time, with a manage menu on
    those the user may change."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        ballot, items = afis_with_latest_votes(session=session, review_id=review.id)
        manageable = manageable_ids(items, user_id, roles_of(review, user_id))
        sections = sections_of(deps.checklists, review.checklist_id)
    return build_afi_list(items, sections, ballot=ballot, manageable=manageable, page=page)


def manage_form(deps: Deps, *, user_id: str, verb: str, afi_id: int, response_url: str) -> Block:
    """The edit, merge or withdraw form for an AFI the user may change."""
    with transaction(deps.sessions) as session:
        afi = get_afi(session=session, afi_id=afi_id)
        review = get_review(session=session, review_id=afi.review_id) if afi else None
        if afi is None or review is None or afi.status != "active":
            raise Refusal(GONE)
        if not can_manage_afi(
            author_id=afi.author_id, user_id=user_id, roles=roles_of(review, user_id)
        ):
            raise Refusal(NOT_ALLOWED)
        item = afi_item(afi)
        others = [
            afi_item(other)
            for other in list_afis(session=session, review_id=review.id)
            if other.id != afi.id
        ]
        metadata = AfiFormMetadata(
            channel_id=review.channel_id,
            response_url=response_url,
            afi_id=item.id,
            checklist_id=review.checklist_id,
        )
    if verb == "edit":
        return build_afi_modal(
            sections_of(deps.checklists, metadata.checklist_id), metadata, editing=item
        )
    if verb == "merge":
        if not others:
            raise Refusal(NOTHING_TO_MERGE_INTO)
        return build_merge_modal(item, others, metadata)
    return build_withdraw_modal(item, metadata)
