"""What replaces a forgotten person's Slack id (FORGOTTEN, or in a closed vote FORGOTTEN plus
a random suffix), and how it reads where a mention would be."""

from __future__ import annotations

FORGOTTEN = "forgotten"
REMOVED_PERSON = "a removed person"


def is_forgotten(user_id: str) -> bool:
    return user_id == FORGOTTEN or user_id.startswith(f"{FORGOTTEN}-")
