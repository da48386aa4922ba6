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
        return self.channel_id.startswith("D") or self.channel_name == "directmessage"


def team_id_of(body: dict[str, Any]) -> str:
    """The workspace id from an interaction payload (its place varies by payload type)."""
    team = body.get("team") or {}
    return str(team.get("id") or body.get("user", {}).get("team_id") or body.get("team_id", ""))
