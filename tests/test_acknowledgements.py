"""Acknowledgements never wait on Slack: with Slack answering every Web API call in 5 s,
requests are still acknowledged within Slack's 3 s."""

from __future__ import annotations

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack

from action_helpers import CHANNEL

SLACK_DEADLINE = 3.0
SLOW_SLACK = 5.0


def test_a_fresh_app_answers_its_first_command_without_asking_slack(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.delay("*", SLOW_SLACK)
    reply, _, _ = slack.command("/psif", "help", channel=CHANNEL)
    assert reply.status == 200 and reply.elapsed < SLACK_DEADLINE
    assert "/psif start" in str(reply.json())
    assert fake_slack.calls == []  # not even auth.test
