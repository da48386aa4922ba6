"""The fake Slack's usergroups.users.list answers as Slack does, errors included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.fake_slack import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


def error_of(client: WebClient, **params: str) -> object:
    with pytest.raises(SlackApiError) as failure:
        client.api_call("usergroups.users.list", params=params)
    return failure.value.response.data


def test_a_groups_members_and_slacks_errors(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user_group("S0ROADS", "roads-team", ["UANN", "UBOB"])
    assert client.usergroups_users_list(usergroup="S0ROADS")["users"] == ["UANN", "UBOB"]
    assert error_of(client, usergroup="S0NOPE") == {"ok": False, "error": "no_such_subteam"}
    missing = error_of(client)
    assert isinstance(missing, dict) and missing["error"] == "invalid_arguments"
    fake.has_user_groups = False
    assert error_of(client, usergroup="S0ROADS") == {
        "ok": False,
        "error": "plan_upgrade_required",
    }
    fake.scopes = frozenset({"chat:write"})
    assert error_of(client, usergroup="S0ROADS") == {
        "ok": False,
        "error": "missing_scope",
        "needed": "usergroups:read",
        "provided": "chat:write",
    }
