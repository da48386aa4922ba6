"""A response_url is only ever Slack's: the bot never posts to an address a payload names."""

from __future__ import annotations

import pytest

from bot.slack.calls import is_slack_response_url

SLACK_API = "https://slack.com/api/"
LOCAL_API = "http://127.0.0.1:8123/api/"


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/commands/T1/123/abc",
        "https://hooks.slack.com/actions/T1/123/abc",
        "https://hooks.slack-gov.com/commands/T1/123/abc",
    ],
)
def test_slacks_own_hooks_are_answered(url: str) -> None:
    assert is_slack_response_url(url, api_url=SLACK_API)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/commands/T1/123/abc",  # not https
        "https://hooks.slack.com.evil.example/commands",
        "https://evil.example/?hooks.slack.com",
        "http://127.0.0.1:5432/",  # an internal port
        "http://localhost:8080/admin",
        "file:///etc/passwd",
        "",
    ],
)
def test_anything_else_is_not(url: str) -> None:
    assert not is_slack_response_url(url, api_url=SLACK_API)


def test_a_local_stand_in_for_slack_may_use_local_hooks_only() -> None:
    assert is_slack_response_url("http://127.0.0.1:8123/hooks/1", api_url=LOCAL_API)
    assert not is_slack_response_url("https://evil.example/hooks/1", api_url=LOCAL_API)
