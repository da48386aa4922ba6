"""Hypothesis types anything at every slash command, through the signed-request door:
never a server error or an apology, never a mention or link echoed live."""

from __future__ import annotations

import pytest
from fuzz_helpers import Traffic, assert_no_error_and_nothing_live, settle, slack_escaped
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.settings import Settings
from handlers.commands import ACTION_SUBCOMMANDS, AFI_SUBCOMMANDS, PSIF_SUBCOMMANDS

from afi_helpers import PEERS, seed_voting_review
from conftest import RunningBot
from fake_slack import FakeSlack
from hostile_text import hostile
from slack_driver import SlackDriver

COMMANDS = [
    (command, name)
    for command, subcommands in (
        ("/psif", PSIF_SUBCOMMANDS),
        ("/afi", AFI_SUBCOMMANDS),
        ("/action", ACTION_SUBCOMMANDS),
    )
    for sub in subcommands
    for name in (sub.name, *sub.aliases)
    if name != "start"  # opens a modal only; its submission is fuzzed with the modals
]
# What Slack sends as markup rather than escaped text: picker mentions and @channel.
MARKUP = st.sampled_from(
    [
        "<!channel>",
        "<!here>",
        f"<@{PEERS[1]}|peer>",
        "<#CREVIEW|psif-review>",
        "<https://x.example|x>",
    ]
)
WORDS = st.sampled_from(
    ["mine", "all", "overdue", "off", "on", "next", "export", "digest", "close-date", "until",
     "7d", "2w", "2027-03-01", "2027-02-30", "#3", "0", "-1", "99999999999999999999999", "٣", "²"]
)  # fmt: skip
arguments = st.lists(
    st.one_of(WORDS, MARKUP, hostile.map(slack_escaped), st.text(max_size=30).map(slack_escaped)),
    max_size=4,
).map(" ".join)
FUZZ = hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """One after-ack thread: what requests leave for after their acknowledgement runs in
    order, so `settle` can wait for it."""
    return settings.model_copy(update={"listener_threads": 1})


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@FUZZ
@given(args=arguments, user=st.sampled_from(["UHOST", "UIS", PEERS[0], "UOUTSIDER"]))
@example(args="99999999999999999999999", user="UHOST")
@example(args="² <!channel> &lt;@UEVIL&gt;", user="UHOST")
@example(args="Staff get no \x00 feedback", user="UHOST")  # PostgreSQL can't store a NUL
def test_every_command_answers_anything_typed_without_an_error(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    bot: RunningBot,
    command: tuple[str, str],
    args: str,
    user: str,
) -> None:
    if not getattr(bot, "seeded", False):
        seed_voting_review(bot.deps, afis=3)
        bot.seeded = True  # type: ignore[attr-defined]
    before = Traffic.mark(fake_slack)
    reply, _, _ = slack.command(command[0], f"{command[1]} {args}", user=user)
    assert reply.status == 200
    settle(bot.deps)
    assert_no_error_and_nothing_live(before.since(fake_slack))
