"""The Web API methods the bot (and Bolt) call, answered as Slack answers them, by family.

Each method is a function of (workspace, decoded arguments) returning the answer without
``"ok": true``, or raising `SlackError`; the server calls them with the workspace's lock held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.demo.fake_slack.methods.chat import chat_post_ephemeral, chat_post_message, chat_update
from bot.demo.fake_slack.methods.conversations import (
    conversations_history,
    conversations_info,
    conversations_members,
    conversations_open,
)
from bot.demo.fake_slack.methods.files import (
    files_complete_upload_external,
    files_get_upload_url_external,
)
from bot.demo.fake_slack.methods.users import auth_test, usergroups_users_list, users_info
from bot.demo.fake_slack.methods.views import views_open, views_publish, views_push, views_update
from bot.demo.fake_slack.workspace import Workspace

Method = Callable[[Workspace, dict[str, Any]], dict[str, Any]]

METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
