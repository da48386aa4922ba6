"""Someone forgotten (`/psif forget-me`, or the retention purge of a self-assessment): what
replaces their Slack id in every table, and how it reads wherever a mention would be. A
forgotten voter's votes in a closed vote stay under FORGOTTEN plus a random suffix (see
storage.repositories.forgetting), which reads the same."""

from __future__ import annotations

FORGOTTEN = "forgotten"
REMOVED_PERSON = "a removed person"


def is_forgotten(user_id: str) -> bool:
    return user_id == FORGOTTEN or user_id.startswith(f"{FORGOTTEN}-")
