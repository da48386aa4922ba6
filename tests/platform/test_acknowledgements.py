"""Acknowledgements never wait on Slack: with Slack answering every Web API call in 5 s, a
burst of commands and clicks from many people is still acknowledged within Slack's 3 s, and
every effect arrives once Slack answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from bot.core.roles import Role
from bot.demo.driver import HttpReply, SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.improvement_actions.views import build_action_card
from bot.slack import ids
from handlers.commands import ACTION_SUBCOMMANDS, AFI_SUBCOMMANDS, PSIF_SUBCOMMANDS
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action, item_of

from action_helpers import CHANNEL, NOW, TEAM, wait_until
from conftest import RunningBot
from factories import make_review
from helpers import wait_until_delivered

PEOPLE = tuple(f"UTEAM{index:02d}" for index in range(40))
OWNER = "UOWNER"
SLACK_DEADLINE = 3.0
SLOW_SLACK = 5.0
# Every command, one after another: each answered well before one call to Slack returns.
QUICK, SLOWISH_SLACK = 1.0, 1.5
# Each command's paths that need Slack: forms, and what must ask Slack before it can act.
ASKING_SLACK = (
    ("/psif", "start"),
    ("/psif", "edit"),
    ("/psif", "peers edit"),
    ("/psif", "checklist"),
    ("/psif", "fieldwork plan"),
    ("/psif", "team add <@UNEW|new> as peer Angus"),
    ("/psif", "invite <!subteam^S0TEAM|@roads-team>"),
    ("/psif", "results"),
    ("/psif", "results export"),
    ("/psif", "papers send"),
    ("/psif", "report"),
    ("/psif", "report final"),
    ("/afi", "add"),
    ("/afi", "import"),
    ("/afi", "vote"),
    ("/afi", "note 1"),
    ("/action", "log"),
    ("/action", "edit 1"),
    ("/action", "progress 1"),
    ("/action", "export"),
)


def seed_plan(bot: RunningBot) -> dict[str, object]:
    """A review whose team is `PEOPLE` too, with one action owned by OWNER: its card."""
    members = (*TEAM, (OWNER, Role.HOST_TEAM), *((person, Role.HOST_TEAM) for person in PEOPLE))
    with transaction(bot.deps.sessions) as session:
        review = make_review(session, members=members, channel=CHANNEL)
        action = add_action(
            session=session,
            review_id=review.id,
            fields=ActionFields(
                key_action="Publish a dashboard", owner_id=OWNER, due=date(2027, 1, 15)
            ),
            actor_id="UHOST",
            now=NOW,
        )
        text, blocks = build_action_card(item_of(action), zone=bot.deps.settings.timezone)
    return {"text": text, "blocks": blocks, "ts": "1700000000.000100"}


def plan_posts(fake: FakeSlack) -> int:
    return sum(
        1
        for call in fake.calls_to("chat.postMessage")
        if call.ok
        and call.args.get("channel") == CHANNEL
        and "Improvement plan" in call.args["text"]
    )


def test_a_fresh_app_answers_its_first_command_without_asking_slack(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.delay("*", SLOW_SLACK)
    reply, _, _ = slack.command("/psif", "help", channel=CHANNEL)
    assert reply.status == 200 and reply.elapsed < SLACK_DEADLINE
    assert "/psif start" in str(reply.json())
    assert fake_slack.calls == []  # not even auth.test


def test_no_command_waits_on_slack(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_plan(bot)
    fake_slack.delay("*", SLOWISH_SLACK)
    every = [
        (command, subcommand.name)
        for command, subcommands in (
            ("/psif", PSIF_SUBCOMMANDS),
            ("/afi", AFI_SUBCOMMANDS),
            ("/action", ACTION_SUBCOMMANDS),
        )
        for subcommand in subcommands
    ]
    slow = []
    for command, text in [*every, *ASKING_SLACK]:
        reply, _, _ = slack.command(command, text, user="UHOST", channel=CHANNEL)
        if reply.status != 200 or reply.elapsed >= QUICK:
            slow.append((command, text, reply.status, round(reply.elapsed, 2)))
    fake_slack.delay("*", 0)  # what is on its way still takes SLOWISH_SLACK
    assert not slow


def test_a_burst_is_acknowledged_in_time_while_slack_answers_slowly(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    """40 people ask for the plan and open the AFI form at once (more forms than the bot has
    threads for Slack calls), and an action's owner starts it, on a fresh app."""
    card = seed_plan(bot)
    fake_slack.delay("*", SLOW_SLACK)
    form_urls: dict[str, str] = {}

    def plan(person: str) -> HttpReply:
        return slack.command("/action", "plan", user=person, channel=CHANNEL)[0]

    def open_the_afi_form(person: str) -> HttpReply:
        reply, _, form_urls[person] = slack.command("/afi", "add", user=person, channel=CHANNEL)
        return reply

    def start_the_action() -> HttpReply:
        return slack.click_in_message(card, ids.ACTION_START, user=OWNER, channel=CHANNEL)

    with ThreadPoolExecutor(2 * len(PEOPLE) + 1) as pool:
        burst = [pool.submit(plan, person) for person in PEOPLE]
        burst += [pool.submit(open_the_afi_form, person) for person in PEOPLE]
        burst += [pool.submit(start_the_action)]
        replies = [future.result() for future in burst]

    late = [
        (reply.status, round(reply.elapsed, 2))
        for reply in replies
        if reply.status != 200 or reply.elapsed >= SLACK_DEADLINE
    ]
    assert not late, f"{len(late)} of {len(replies)} not acknowledged in time: {late}"

    # Slack recovers: what is already on its way still takes SLOW_SLACK, the rest is quick.
    fake_slack.delay("*", 0)
    wait_until(lambda: plan_posts(fake_slack) >= len(PEOPLE), "every plan", timeout=30)
    wait_until(
        lambda: len(fake_slack.calls_to("views.open")) >= len(PEOPLE), "every form", timeout=30
    )
    wait_until(lambda: OWNER in fake_slack.home_tabs, "the owner's Home tab", timeout=30)
    wait_until_delivered(bot.deps, timeout=30)
    assert plan_posts(fake_slack) == len(PEOPLE)  # once per request
    assert any("In progress" in str(message) for message in fake_slack.messages_in(CHANNEL))
    # Each form opened, or (its trigger expired while Slack was slow) its person was told.
    forms = fake_slack.calls_to("views.open")
    opened = [call for call in forms if call.ok]
    assert opened and len(forms) == len(PEOPLE)
    assert all(call.args["view"]["callback_id"] == ids.AFI_ADD_MODAL for call in opened)
    expired = [call for call in forms if not call.ok]
    assert all(call.response["error"] == "expired_trigger_id" for call in expired)
    told_to_retry = [
        post
        for post in fake_slack.responses
        if post.url_id in {url.rsplit("/", 1)[1] for url in form_urls.values()}
        and "took too long" in str(post.body)
    ]
    assert len(told_to_retry) == len(expired)
