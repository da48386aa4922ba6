"""Slack user groups named in a command (`<!subteam^S123|@roads-team>`), and who is in them
(`usergroups:read`; older installs answer `missing_scope` until reinstalled)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.calls import slack_error
from bot.slack.text import escape_mrkdwn

_GROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9]{1,32})(?:\|([^>]*))?>")
_ONE_BY_ONE = "Meanwhile, name the people one by one."


@dataclass(frozen=True)
class GroupMention:
    group_id: str
    handle: str  # "@roads-team", as Slack wrote it; the id if it didn't

    @property
    def shown(self) -> str:
        return escape_mrkdwn(self.handle or self.group_id)


def mentioned_groups(text: str) -> list[GroupMention]:
    """The user groups mentioned in a command's text, in order, once each."""
    found: dict[str, GroupMention] = {}
    for group_id, handle in _GROUP_MENTION.findall(text):
        found.setdefault(group_id, GroupMention(group_id, handle))
    return list(found.values())


def group_problem(group: GroupMention, error: str) -> str:
    if error == "no_such_subteam":
        return (
            f"I couldn't find the user group {group.shown}: it may have been disabled or "
            f"deleted. {_ONE_BY_ONE}"
        )
    if error == "missing_scope":
        return (
            f"I'm not yet allowed to see who is in user groups such as {group.shown}: whoever "
            "looks after the PSIF app in Slack needs to reinstall it, as it now asks to read "
            f"user groups. {_ONE_BY_ONE}"
        )
    if error == "plan_upgrade_required":
        return f"This Slack workspace's plan has no user groups. {_ONE_BY_ONE}"
    return f"Slack wouldn't tell me who is in {group.shown} (`{error}`). {_ONE_BY_ONE}"


def group_members(client: WebClient, group: GroupMention) -> list[str] | str:
    """The group's members' user ids, or what to tell the person if Slack won't say."""
    try:
        response = client.usergroups_users_list(usergroup=group.group_id)
    except SlackApiError as error:
        return group_problem(group, slack_error(error))
    members = [str(user) for user in response.get("users") or []]
    if not members:
        return f"The user group {group.shown} has nobody in it."
    return members
