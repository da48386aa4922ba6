"""Commands typed in the bot's DM: the person's own reviews, self-assessments and actions,
never "no review here"."""

from __future__ import annotations

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.slack import ids

from action_helpers import CHANNEL, log_action, seed_review_with_afis
from checklist_helpers import invite, seed_checklist_review
from conftest import RunningBot


def in_dm(
    slack: SlackDriver, fake: FakeSlack, command: str, text: str, user: str
) -> dict[str, object]:
    before = len(fake.responses)
    slack.command(command, text, user=user, channel="D0BOTDM", channel_name="directmessage")
    return dict(fake.wait_for_responses(count=before + 1)[-1].body)


def test_status_in_the_dm_lists_my_reviews_with_channel_links_and_my_actions(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack, action_key="Publish a <dashboard> & more")
    for command, text, user in (
        ("/psif", "status", "UHOST"),
        ("/action", "list mine", "UOWNER"),
    ):
        reply = in_dm(slack, fake_slack, command, text, user)
        shown = f"{reply['text']} {reply['blocks']}"
        assert "no PSIF review open" not in shown
        assert "Your PSIF reviews" in shown
        assert f"<#{CHANNEL}>" in shown and "Fife: Roads maintenance" in shown
        owns = "Publish a &lt;dashboard&gt; &amp; more" in shown  # the action, escaped
        assert owns == (user == "UOWNER")
        assert "type it in that review's channel" in shown
        assert validate_blocks(reply["blocks"], "message") == []


def test_someone_in_no_review_is_told_how_one_starts(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    reply = in_dm(slack, fake_slack, "/psif", "status", "UNOBODY")
    assert "not part of any open review yet" in str(reply["blocks"])


def test_in_the_dm_an_invitee_sees_their_self_assessment_and_a_lead_how_it_is_going(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    invite(slack, fake_slack, "USTAKE")
    mine = in_dm(slack, fake_slack, "/psif", "status", "USTAKE")
    shown = str(mine["blocks"])
    assert f"<#{CHANNEL}>" in shown and "You: stakeholder" in shown
    assert "0 of 6 sections saved" in shown and ids.CHECKLIST_START in shown
    assert validate_blocks(mine["blocks"], "message") == []

    lead = str(in_dm(slack, fake_slack, "/action", "list mine", "UHOST")["blocks"])
    assert "You lead this review" in lead and "0 of 1 invited have finished" in lead
    assert "USTAKE" not in lead


def test_in_the_dm_someone_in_many_reviews_still_sees_their_actions_within_50_blocks(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack, action_key="Talk to finance", action_owner="UHOST")
    for number in range(30):
        seed_checklist_review(
            bot.deps, channel=f"CREV{number:03d}", host_council=f"Council {number}"
        )
    reply = in_dm(slack, fake_slack, "/psif", "status", "UHOST")
    blocks = reply["blocks"]
    assert isinstance(blocks, list) and len(blocks) <= 50
    assert validate_blocks(blocks, "message") == []
    shown = str(blocks)
    assert "Council 29" in shown and "more reviews" in shown and "<#CREV000>" in shown
    assert "Your actions" in shown and "Talk to finance" in shown
