"""`/psif invite @roads-team`: a Slack user group invites its members."""

from __future__ import annotations

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.slack import ids

from checklist_helpers import CHANNEL, dm_to, seed_checklist_review

ROADS = "<!subteam^S0ROADS|@roads-team>"


def invite_answer(slack: SlackDriver, fake: FakeSlack, text: str, *, by: str = "UHOST") -> str:
    before = len(fake.responses)
    slack.command("/psif", f"invite {text}", user=by, channel=CHANNEL)
    return str(fake.wait_for_responses(before + 1)[-1].body["text"])


def test_a_user_group_invites_its_members_once_each(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    fake_slack.add_user_group("S0ROADS", "roads-team", ["UANN", "UBOB", "UCAT"])
    told = invite_answer(slack, fake_slack, f"<@UCAT|cat> {ROADS} <@UDAN|dan>")
    assert told.startswith("Invited <@UCAT>, <@UDAN>, <@UANN> and <@UBOB>:"), told
    assert fake_slack.last("usergroups.users.list").args["usergroup"] == "S0ROADS"
    for person in ("UANN", "UBOB", "UCAT", "UDAN"):
        assert ids.CHECKLIST_START in str(dm_to(fake_slack, person)["blocks"])
    # The channel's note names the people, never the group (which would notify it all).
    assert "subteam" not in str(fake_slack.messages_in(CHANNEL))


def test_an_unknown_group_is_named_and_the_people_named_are_still_invited(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    told = invite_answer(slack, fake_slack, f"{ROADS} <@UANN|ann>")
    assert fake_slack.last("usergroups.users.list").response["error"] == "no_such_subteam"
    assert told.startswith("Invited <@UANN>:")
    assert "I couldn't find the user group @roads-team" in told
    assert "<!subteam" not in told


def test_without_the_scope_the_lead_is_told_to_reinstall(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    fake_slack.add_user_group("S0ROADS", "roads-team", ["UANN"])
    fake_slack.scopes = frozenset({"commands", "chat:write"})
    told = invite_answer(slack, fake_slack, ROADS)
    answer = fake_slack.last("usergroups.users.list").response
    assert answer == {
        "ok": False,
        "error": "missing_scope",
        "needed": "usergroups:read",
        "provided": "chat:write,commands",
    }
    assert "needs to reinstall it" in told and "name the people one by one" in told
    assert "Invited" not in told


def test_a_free_plan_and_an_empty_group_say_so(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    fake_slack.add_user_group("S0EMPTY", "nobody", [])
    told = invite_answer(slack, fake_slack, "<!subteam^S0EMPTY|@nobody>")
    assert told == "The user group @nobody has nobody in it."
    fake_slack.has_user_groups = False
    told = invite_answer(slack, fake_slack, ROADS)
    assert "plan has no user groups" in told


def test_someone_who_may_not_invite_is_refused_before_slack_is_asked(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    fake_slack.add_user_group("S0ROADS", "roads-team", ["UANN"])
    told = invite_answer(slack, fake_slack, ROADS, by="UPEER")
    assert "Ask <@UHOST>" in told
    assert fake_slack.calls_to("usergroups.users.list") == []


def test_without_a_group_the_answer_comes_in_the_acknowledgement(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    """Only a user group needs Slack, so people named one by one are answered at once, and so
    is someone who may not invite."""
    seed_checklist_review(deps)
    reply, _, _ = slack.command("/psif", "invite <@UANN|ann>", user="UHOST", channel=CHANNEL)
    assert "Invited <@UANN>" in str(reply.json())
    refused, _, _ = slack.command("/psif", "invite <@UBOB|bob>", user="UANN", channel=CHANNEL)
    assert "invite" in str(refused.json()).lower()
