"""Who may act is checked before what they typed: someone who can't act is told so, not
that their date, number, kind or text is wrong (and nothing is asked of Slack for them)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.deps import Deps
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action

from checklist_helpers import seed_checklist_review
from conftest import RunningBot
from fake_slack import FakeSlack
from slack_driver import SlackDriver


def answer_to(slack: SlackDriver, fake: FakeSlack, command: str, text: str, user: str) -> str:
    before = len(fake.responses)
    slack.command(command, text, user=user)
    return str(fake.wait_for_responses(before + 1)[-1].body["text"])


@pytest.mark.parametrize(
    ("command", "text", "user", "refused"),
    [
        ("/psif", "reminders off wibble", "UH2", "Only the review's"),
        ("/psif", "team add <@UNEW|new> as wibble", "UH2", "Only the review's"),
        ("/psif", "invite", "UPEER", "Only the review's"),
        ("/psif", "checklist close-date 31/13/2027", "UPEER", "Only the review's"),
        ("/afi", "add ok", "UMEMBER", "Only the review's"),
        ("/afi", "close lots", "UH2", "Only the review's"),
        ("/afi", "note Budgets are late", "UMEMBER", "Only the review's"),
        ("/afi", "note 1 Ask <@UH2|h2> about it", "UMEMBER", "Only the review's"),
        ("/psif", "done wibble", "UPEER", "Only the review's"),
        ("/psif", "papers add no link here", "UPEER", "Only the review's"),
    ],
)
def test_someone_who_cant_act_is_told_so_before_what_they_typed_is_checked(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    bot: RunningBot,
    command: str,
    text: str,
    user: str,
    refused: str,
) -> None:
    seed_checklist_review(bot.deps)
    told = answer_to(slack, fake_slack, command, text, user)
    assert told.startswith(refused), told
    # The same words from a lead are read, and what is wrong with them said.
    assert not answer_to(slack, fake_slack, command, text, "UHOST").startswith(refused)


def add_owned_action(deps: Deps, review_id: int, owner: str) -> None:
    with transaction(deps.sessions) as session:
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(
                key_action="Publish a dashboard", owner_id=owner, due=date(2027, 6, 1)
            ),
            actor_id=owner,
            now=deps.now(),
        )


def test_a_progress_note_on_someone_elses_action_is_refused_before_its_length_is_checked(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    add_owned_action(bot.deps, seed_checklist_review(bot.deps), owner="UH2")
    note = "x" * 2000
    told = answer_to(slack, fake_slack, "/action", f"progress 1 {note}", "UPEER")
    assert told.startswith("Only the action's owner (<@UH2>)"), told
    told = answer_to(slack, fake_slack, "/action", f"progress 1 {note}", "UH2")
    assert told == "Keep the note to 1500 characters (this is 2000)."


def test_a_user_group_is_not_looked_up_for_someone_who_cant_invite(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    told = answer_to(slack, fake_slack, "/psif", "invite <!subteam^S0ROADS|@roads>", "UPEER")
    assert told.startswith("Only the review's"), told
    assert fake_slack.calls_to("usergroups.users.list") == []
