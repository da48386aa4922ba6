"""`/psif team`, `/psif close` and `/psif reopen` end to end, and a peer added mid-review."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.core.roles import Role
from storage.db import transaction
from storage.models.reviews import AuditEvent, Review, TeamMember

from checklist_helpers import answer_everything, close_early, invite, seed_checklist_review
from conftest import RunningBot
from fake_slack import FakeSlack, validate_blocks
from helpers import last_response_text, wait_until_delivered
from slack_driver import SlackDriver
from statement_helpers import counting


def team_command(slack: SlackDriver, fake: FakeSlack, text: str, **kwargs: object) -> str:
    before = len(fake.responses)
    slack.command("/psif", f"team {text}".strip(), **kwargs)  # type: ignore[arg-type]
    body = fake.wait_for_responses(before + 1)[-1].body
    return f"{body.get('text', '')} {body.get('blocks', '')}"


def roles(bot: RunningBot) -> dict[str, tuple[str, str | None]]:
    with transaction(bot.deps.sessions) as session:
        return {
            member.user_id: (member.role, member.organisation)
            for member in session.scalars(select(TeamMember))
            if member.role != Role.STAKEHOLDER.value
        }


def wait_until_found(get: Callable[[], list[Any]]) -> list[Any]:
    deadline = time.monotonic() + 15
    while not (found := get()):
        assert time.monotonic() < deadline, "never appeared"
        time.sleep(0.02)
    return found


def channel_text(fake: FakeSlack) -> str:
    posts = fake.calls_to("chat.postMessage")
    return str([c.args for c in posts if c.args["channel"] == "CREVIEW"])


def dm_blocks(fake: FakeSlack, user: str) -> str:
    return str([c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == user])


def test_a_lead_adds_peers_who_get_a_welcome_and_the_channel_a_line(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    fake_slack.add_user("UNEW1", real_name="Ann Peer")
    answer = team_command(
        slack, fake_slack, "add <@UNEW1|ann> <@UNEW2|bob> as peer Argyll &amp; Bute", user="UIS"
    )
    line = "added <@UNEW1> and <@UNEW2> to the team as peer reviewer from Argyll and Bute"
    assert line not in answer  # said once, in the channel
    assert "Done: the channel is told, and <@UNEW1> and <@UNEW2> get a welcome" in answer
    assert roles(bot)["UNEW1"] == (Role.PEER_REVIEWER.value, "Argyll and Bute")
    wait_until_delivered(bot.deps)
    welcome = dm_blocks(fake_slack, "UNEW2")  # not known to users.info: a plain mention
    for words in (
        "critical friend",
        "not an audit or inspection",
        "confidential",
        "Fieldwork starts: 3 March 2027",
        "/afi add",
        "/psif results",
    ):
        assert words in welcome, words
    for call in fake_slack.calls_to("chat.postMessage"):
        assert validate_blocks(call.args.get("blocks"), "message") == []
    channel_lines = [
        c.args["text"]
        for c in fake_slack.calls_to("chat.postMessage")
        if c.args["channel"] == "CREVIEW"
    ]
    assert len(channel_lines) == 1 and line in channel_lines[0]
    with transaction(bot.deps.sessions) as session:
        assert "team.added" in session.scalars(select(AuditEvent.action)).all()

    shown = team_command(slack, fake_slack, "", user="UA")
    assert "Peer reviewers:* <@UPEER>, <@UNEW1> (Argyll and Bute)" in shown


def test_team_changes_are_for_the_leads_and_a_refusal_says_who(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    answer = team_command(slack, fake_slack, "add <@UX|x> as host", user="UH2")
    assert "Only the review's host lead or Improvement Service lead can change the team." in answer
    answer = team_command(slack, fake_slack, "add <@UX|x> as peer", user="UPEER")
    assert "Only the review's host lead" in answer
    assert "UX" not in roles(bot)
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UX"]


def test_leads_are_replaced_not_removed_and_stay_two_people(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    assert "Name a new one first" in team_command(slack, fake_slack, "remove <@UHOST>")
    assert "two different people" in team_command(slack, fake_slack, "lead host <@UIS>")
    answer = team_command(slack, fake_slack, "lead host <@UH2|h2>", user="UIS")
    assert "<@UH2> gets a welcome" in answer
    wait_until_delivered(bot.deps)
    assert "made <@UH2> the host lead. <@UHOST> stays on the host team" in channel_text(fake_slack)
    assert roles(bot)["UH2"][0] == Role.HOST_LEAD.value
    assert roles(bot)["UHOST"][0] == Role.HOST_TEAM.value
    wait_until_delivered(bot.deps)
    assert "Welcome to the review team" in dm_blocks(fake_slack, "UH2")
    answer = team_command(slack, fake_slack, "remove <@UHOST> <@UNOBODY>", user="UH2")
    assert "<@UHOST> gets a direct message" in answer and "<@UNOBODY> isn't on the team" in answer
    wait_until_delivered(bot.deps)
    assert "took <@UHOST> off the team" in channel_text(fake_slack)
    assert "UHOST" not in roles(bot)


def test_a_peer_added_mid_review_votes_and_sees_results(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE")
    for user in ("UA", "UB", "UC", "UD", "UE"):
        answer_everything(slack, fake_slack, user, lambda _: Answer.AGREE)
    close_early(slack, fake_slack)
    before = len(fake_slack.responses)
    slack.command("/psif", "results", user="ULATE")
    assert "Only the review's" in str(fake_slack.wait_for_responses(before + 1)[-1].body)

    team_command(slack, fake_slack, "add <@ULATE|late> as peer Moray", user="UHOST")
    wait_until_delivered(bot.deps)  # the welcome and the channel line
    slack.command("/psif", "results", user="ULATE")
    fake_slack.wait_for("files.completeUploadExternal")  # the results chart, in the channel

    before = len(fake_slack.responses)
    slack.command("/afi", "add Waiting lists are not reviewed", user="ULATE")
    assert "Only the review's" not in str(fake_slack.wait_for_responses(before + 1)[-1].body)
    slack.command("/afi", "add Data is not shared", user="UHOST")
    fake_slack.wait_for_responses(before + 2)
    opened = len(fake_slack.calls_to("views.open"))
    slack.command("/afi", "vote", user="UHOST")
    view = fake_slack.wait_for("views.open", count=opened + 1)[-1].response["view"]
    assert slack.submit_view(view, {}, user="UHOST").body in (b"", b"{}")
    posted = wait_until_found(
        lambda: [m for m in fake_slack.messages_in("CREVIEW") if "afi_vote_add" in str(m)]
    )[0]
    assert "Waiting lists" in str(posted["blocks"])
    before = len(fake_slack.responses)
    slack.click_in_message(
        posted,
        "afi_vote_add",
        user="ULATE",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
        ephemeral=False,
    )
    answer = str(fake_slack.wait_for_responses(before + 1)[-1].body)
    assert "Vote added to AFI 1" in answer


def test_a_slack_connect_member_finds_the_review_by_channel_and_acts_in_their_role(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    slack.command("/psif", "status", user="UPARTNER", team_id="T0PARTNER")
    assert "Roads maintenance" in last_response_text(fake_slack)
    answer = team_command(
        slack, fake_slack, "add <@UPARTNER> as peer NHS Fife", user="UIS", team_id="T0IS"
    )
    assert "<@UPARTNER> gets a welcome" in answer
    before = len(fake_slack.responses)
    slack.command("/afi", "add Referrals from the NHS", user="UPARTNER", team_id="T0PARTNER")
    assert "Only the review's" not in str(fake_slack.wait_for_responses(before + 1)[-1].body)


def test_forged_stage_buttons_move_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    message: dict[str, Any] = {
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "psif_stage_advance_confirm",
                        "text": {"type": "plain_text", "text": "Move"},
                        "value": "",
                    }
                ],
            }
        ]
    }
    for count, value in enumerate(
        (f"{review_id}:getting_ready:closed", f"{review_id}:getting_ready:reporting", "x:y"),
        start=1,
    ):
        message["blocks"][0]["elements"][0]["value"] = value
        url = fake_slack.new_response_url()
        slack.click_in_message(
            message, "psif_stage_advance_confirm", user="UHOST", channel="CREVIEW", response_url=url
        )
        assert "out of date" in str(fake_slack.wait_for_responses(count)[-1].body)
    with transaction(bot.deps.sessions) as session:
        review = session.get(Review, review_id)
        assert review is not None and review.stage == "getting_ready" and review.closed_at is None


def test_closing_lists_open_actions_keeps_the_review_readable_and_reopens(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    before = len(fake_slack.responses)
    slack.command("/psif", "close", user="UH2")
    assert "Only the review's host lead" in str(fake_slack.wait_for_responses(before + 1)[-1].body)
    slack.command("/psif", "close", user="UHOST")
    confirmation = fake_slack.wait_for_responses(before + 2)[-1].body
    slack.click_in_message(
        confirmation,
        "psif_close_confirm",
        user="UHOST",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    line = fake_slack.wait_for("chat.postMessage")[-1]
    assert "closed the Fife review" in line.args["text"]
    assert "the Fife review is closed" in last_response_text(fake_slack, count=before + 3)

    slack.command("/psif", "status", user="UA")
    assert "Closed on 25 November 2026" in last_response_text(fake_slack, count=before + 4)
    slack.command("/psif", "team add <@UX> as peer", user="UHOST")
    assert "was closed on 25 November 2026" in last_response_text(fake_slack, count=before + 5)

    slack.command("/action", "plan", user="UH2")
    answers = [str(post.body) for post in fake_slack.wait_for_responses(before + 7)[-2:]]
    assert any("was closed on 25 November 2026" in answer for answer in answers)
    assert any("No actions have been logged" in answer for answer in answers)

    slack.command("/psif", "reopen", user="UHOST")
    assert "reopened" in last_response_text(fake_slack, count=before + 8)
    with transaction(bot.deps.sessions) as session:
        review = session.scalars(select(Review)).one()
        assert review.closed_at is None and review.stage == "getting_ready"


def test_adding_to_a_bigger_team_runs_the_same_statements_and_audits_who_was_added(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    crowd = " ".join(f"<@UC{n}|c{n}>" for n in range(40))

    def statements_to_add(user: str) -> int:
        with counting(bot.deps.engine) as seen:
            answer = team_command(slack, fake_slack, f"add <@{user}|x> as peer Angus", user="UIS")
        assert f"Done: the channel is told, and <@{user}> gets a welcome" in answer
        return len(seen)

    team_command(slack, fake_slack, "", user="UIS")  # the first request purges old replay keys
    small = statements_to_add("UFIRST")
    team_command(slack, fake_slack, f"add {crowd} as host", user="UIS")
    assert statements_to_add("ULAST") == small
    with transaction(bot.deps.sessions) as session:
        details = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "team.added")
        ).all()
    assert details[-1] == {
        "role": Role.PEER_REVIEWER.value,
        "users": ["ULAST"],
        "organisation": "Angus",
    }
    assert details[-2] == {"role": Role.HOST_TEAM.value, "users": [f"UC{n}" for n in range(40)]}
