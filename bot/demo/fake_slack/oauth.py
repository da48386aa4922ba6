"""OAuth for the fake Slack: workspaces that install the app, each with its own bot token.
`grant` stands for a person clicking "Allow"; `access` (oauth.v2.access) swaps its code (or a
refresh token) for the workspace's tokens."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

from bot.demo.fake_slack.workspace import APP_ID


@dataclass
class Installed:
    team_id: str
    team_name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    refresh_token: str | None = None


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    rotation_seconds: int | None = None  # token rotation on: tokens expire after this
    codes: dict[str, Installed] = field(default_factory=dict)
    by_token: dict[str, Installed] = field(default_factory=dict)
    by_refresh: dict[str, Installed] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)

    def grant(self, team_id: str, team_name: str) -> str:
        code = "code-" + secrets.token_hex(8)
        self.codes[code] = Installed(
            team_id=team_id,
            team_name=team_name,
            bot_token=self._new_token(team_id),
            bot_user_id=f"U{team_id}BOT",
            bot_id=f"B{team_id}",
        )
        return code

    def _new_token(self, team_id: str) -> str:
        prefix = "xoxe.xoxb-" if self.rotation_seconds else "xoxb-"
        return f"{prefix}{team_id}-{secrets.token_hex(6)}"

    def token_ok(self, token: str) -> bool | None:
        """True/False for a token this app issued; None for one it knows nothing of."""
        if token in self.revoked:
            return False
        return True if token in self.by_token else None

    def access(self, authorization: str, args: dict[str, Any]) -> dict[str, Any]:
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, client_secret = decoded.partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("grant_type") == "refresh_token":
            old = self.by_refresh.pop(str(args.get("refresh_token")), None)
            if old is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            self.revoked.add(old.bot_token)
            installed = Installed(**{**old.__dict__, "bot_token": self._new_token(old.team_id)})
        else:
            found = self.codes.pop(str(args.get("code")), None)
            if found is None:
                return {"ok": False, "error": "invalid_code"}
            installed = found
        self.by_token[installed.bot_token] = installed
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": APP_ID,
            "token_type": "bot",
            "access_token": installed.bot_token,
            "scope": "commands,chat:write",
            "bot_user_id": installed.bot_user_id,
            "team": {"id": installed.team_id, "name": installed.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": f"U{installed.team_id}ADMIN"},
        }
        if self.rotation_seconds:
            installed.refresh_token = "xoxe-1-" + secrets.token_hex(8)
            self.by_refresh[installed.refresh_token] = installed
            answer["refresh_token"] = installed.refresh_token
            answer["expires_in"] = self.rotation_seconds
        return answer

    def auth_test(self, token: str) -> dict[str, Any] | None:
        installed = self.by_token.get(token)
        if installed is None:
            return None
        return {
            "ok": True,
            "url": f"https://{installed.team_id.lower()}.slack.com/",
            "team": installed.team_name,
            "user": "psif",
            "team_id": installed.team_id,
            "user_id": installed.bot_user_id,
            "bot_id": installed.bot_id,
            "is_enterprise_install": False,
        }
