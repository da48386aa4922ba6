"""Shared by `/afi list` and its page buttons: which AFIs the user may manage."""

from __future__ import annotations

from bot.afi.items import AfiItem
from bot.afi.rules import can_manage_afi
from bot.roles import Role


def manageable_ids(items: list[AfiItem], user_id: str, roles: set[Role]) -> set[int]:
    return {
        item.id
        for item in items
        if can_manage_afi(author_id=item.author_id, user_id=user_id, roles=roles)
    }
