"""The things a fake Slack workspace is made of, as the Web API describes them: its
identity (team, bot, app), channels, users, user groups and uploaded files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"
TEAM_DOMAIN = "psif-test"


@dataclass
class Channel:
    """A conversation known to the fake. ``members`` lists users other than the bot."""

    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False
    missing: bool = False  # answer channel_not_found although configured
    members: list[str] = field(default_factory=list)
    user: str | None = None  # the other user of a DM
    # Private unless configured public, so that tests not about privacy need no setup.
    is_private: bool = True

    def member_ids(self) -> list[str]:
        bot = [BOT_USER_ID] if self.is_member else []
        return bot + [m for m in self.members if m != BOT_USER_ID]

    def to_api(self) -> dict[str, Any]:
        is_im = self.id.startswith("D")
        is_mpim = self.id.startswith("G")
        info: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "created": 1700000000,
            "is_channel": not (is_im or is_mpim),
            "is_group": False,
            "is_im": is_im,
            "is_mpim": is_mpim,
            "is_private": self.is_private or is_im or is_mpim,
            "is_archived": self.is_archived,
            "is_member": self.is_member,
            "num_members": len(self.member_ids()),
        }
        if self.user is not None:
            info["user"] = self.user
        return info


@dataclass
class User:
    """A workspace user answered by users.info."""

    id: str
    name: str
    real_name: str
    tz: str = "Europe/London"
    email: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "real_name": self.real_name,
                "display_name": self.name,
                "email": self.email,
            },
        }


@dataclass
class UserGroup:
    """A user group (`@roads-team`) answered by usergroups.users.list."""

    id: str
    handle: str
    users: list[str]


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal → upload URL → complete."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None  # set by the POST to the upload URL
    title: str | None = None
    channel_id: str | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False
