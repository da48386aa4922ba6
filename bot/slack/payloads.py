"""Pydantic models for the parts of Slack's payloads our listeners read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class SlashCommand(BaseModel):
    """A slash command as Slack posts it (form fields)."""

    model_config = ConfigDict(extra="ignore")

    command: str
    text: str = ""
    user_id: str
    channel_id: str
    channel_name: str = ""
    team_id: str
    trigger_id: str
    response_url: str = ""

    @property
    def in_direct_message(self) -> bool:
        return (
            self.channel_id.startswith("D")
            or self.channel_name == "directmessage"
            or self.channel_name.startswith("mpdm-")
        )


def team_id_of(body: dict[str, Any]) -> str:
    """The workspace id from an interaction payload, preferring where the app is installed.

    Like Bolt: on Enterprise Grid and Slack Connect `team` may be null and the user's own
    team may differ from the workspace the app (and the review) lives in.
    """
    view = body.get("view") or {}
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(
        view.get("app_installed_team_id")
        or team.get("id")
        or body.get("team_id")
        or user.get("team_id")
        or ""
    )


def submission_key(view: dict[str, Any]) -> str | None:
    """What makes a modal submission unique: Slack redelivers the same view id and hash."""
    view_id = str(view.get("id") or "")
    return f"{view_id}:{view.get('hash') or ''}" if view_id else None
