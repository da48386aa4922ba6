"""auth.test, users.info and usergroups.users.list: who the bot is and who is in the workspace."""

from __future__ import annotations

from typing import Any

from bot.demo.fake_slack.arguments import text_arg
from bot.demo.fake_slack.slack_error import SlackError, invalid
from bot.demo.fake_slack.workspace import Workspace
from bot.demo.fake_slack.workspace_objects import BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID


def auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": "PSIF Test",
        "user": ws.users[BOT_USER_ID].name,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = ws.users.get(text_arg(args, "user"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


def usergroups_users_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A user group's members; a free plan has no groups, and the token needs the scope."""
    ws.require_scope("usergroups:read")
    group_id = text_arg(args, "usergroup")
    if not group_id:
        raise invalid(["missing required field: usergroup [json-pointer:/usergroup]"])
    if not ws.has_user_groups:
        raise SlackError("plan_upgrade_required")
    group = ws.user_groups.get(group_id)
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.users)}
