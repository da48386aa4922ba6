"""The permission table: README.md shows it as the code has it, and every cell holds when
the bot is driven through signed requests, by someone in each column."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.core.findings import FindingKind, FindingSource
from bot.core.permissions import Column, Operation, allows, markdown_table, refusal
from bot.core.roles import Role
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi, AfiVoteRound
from storage.repositories.findings import NewFinding, add_finding
from storage.repositories.improvement_actions import ActionFields, add_action
from storage.repositories.report import add_version
from storage.repositories.reviews import add_members

from checklist_helpers import seed_checklist_review
from conftest import RunningBot
from fake_slack import FakeSlack
from slack_driver import SlackDriver

README = Path(__file__).resolve().parents[2] / "README.md"
PERSON: dict[Column, tuple[str, str]] = {  # column → (user, workspace)
    Column.HOST_LEAD: ("UHOST", "T0001"),
    Column.HOST_TEAM: ("UH2", "T0001"),
    Column.IS_LEAD: ("UIS", "T0IS"),
    Column.IS_TEAM: ("UIS2", "T0IS"),
    Column.PEER_REVIEWER: ("UPEER", "T0ANGUS"),
    Column.STAKEHOLDER: ("USTAKE", "T0001"),
    Column.CHANNEL_MEMBER: ("UMEMBER", "T0001"),
    Column.SLACK_CONNECT_MEMBER: ("UCONNECT", "T0PARTNER"),
}


def test_readme_shows_the_permission_table_from_the_code() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


def button_message(action_id: str, value: str, *, overflow: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = (
        {
            "type": "overflow",
            "action_id": action_id,
            "options": [{"text": {"type": "plain_text", "text": "Edit"}, "value": value}],
        }
        if overflow
        else {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": "Go"},
            "value": value,
        }
    )
    return {"blocks": [{"type": "actions", "block_id": "b", "elements": [element]}]}


def test_every_cell_of_the_permission_table_holds(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    with transaction(bot.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        now = bot.deps.now()
        add_members(
            session=session,
            review=review,
            user_ids=["UIS2"],
            role=Role.IS_TEAM,
            actor_id="UHOST",
            now=now,
        )
        add_members(
            session=session,
            review=review,
            user_ids=["USTAKE"],
            role=Role.STAKEHOLDER,
            actor_id="UHOST",
            now=now,
        )
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action="Walk the table", owner_id="UOWNER", due=now.date()),
            actor_id="UOWNER",
            now=now,
        )
    slack.command("/afi", "add An area the host lead wrote", user="UHOST")
    slack.command("/afi", "add Another area", user="UHOST")
    fake_slack.wait_for_responses(2)
    slack.command("/afi", "vote", user="UHOST")
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    assert slack.submit_view(view, {}, user="UHOST").body in (b"", b"{}")
    with transaction(bot.deps.sessions) as session:
        round_id = session.scalars(select(AfiVoteRound.id)).one()
        afi_id = session.scalars(select(Afi.id).where(Afi.number == 1)).one()
        version_id = add_version(
            session=session, review_id=review_id, actor_id="UHOST", now=bot.deps.now()
        ).id
        finding_id = add_finding(
            session=session,
            review_id=review_id,
            new=NewFinding(
                afi_id=afi_id,
                kind=FindingKind.CONCERN,
                source=FindingSource.DATA,
                text="Recorded by someone outside the table's columns",
            ),
            actor_id="URECORDER",
            now=bot.deps.now(),
        ).id

    def command(text: str) -> Callable[[str, str], str]:
        command_name, _, rest = text.partition(" ")

        def send(user: str, team: str) -> str:
            return slack.command(command_name, rest, user=user, team_id=team)[2]

        return send

    def click(action_id: str, value: str, overflow: bool = False) -> Callable[[str, str], str]:
        message = button_message(action_id, value, overflow=overflow)

        def send(user: str, _team: str) -> str:
            url = fake_slack.new_response_url()
            slack.click_in_message(
                message,
                action_id,
                user=user,
                channel="CREVIEW",
                value=value,
                response_url=url,
                ephemeral=False,
            )
            return url

        return send

    probes: dict[Operation, tuple[Callable[[str, str], str], str]] = {
        Operation.VIEW_REVIEW: (command("/psif status"), ""),
        Operation.START_REVIEW: (command("/psif start"), ""),
        Operation.EDIT_REVIEW: (command("/psif edit"), ""),
        Operation.CHANGE_TEAM: (command("/psif team remove <@UNOBODY>"), ""),
        Operation.SEE_HOST_PARTICIPANTS: (command("/psif participants"), ""),
        Operation.CHANGE_HOST_PARTICIPANTS: (command("/psif participants remove <@UNOBODY>"), ""),
        Operation.SEE_PEERS: (command("/psif peers"), ""),
        Operation.RECORD_PEERS: (command("/psif peers edit"), ""),
        Operation.MOVE_STAGE: (command("/psif stage next"), ""),
        Operation.CLOSE_REVIEW: (command("/psif close"), ""),
        Operation.RECORD_MILESTONE: (command("/psif done pre-meeting"), ""),
        Operation.SWITCH_REMINDERS: (command("/psif reminders off digest"), ""),
        Operation.SNOOZE: (command("/psif snooze 7d"), ""),
        Operation.INVITE_STAKEHOLDERS: (command("/psif invite <@UINVITED>"), ""),
        Operation.SET_SELF_ASSESSMENT_CLOSE: (command("/psif checklist close-date 2027-01-20"), ""),
        Operation.SEE_RESULTS: (command("/psif results"), ""),
        Operation.REPOST_RESULTS: (command("/psif results repost"), ""),
        Operation.SURVEY_LINKS: (command("/psif links withdraw"), ""),
        Operation.ADD_AFI: (command("/afi add Walked in"), ""),
        Operation.MANAGE_ANY_AFI: (
            click(ids.AFI_MANAGE, f"edit:{afi_id}", overflow=True),
            "Only its author",
        ),
        Operation.IMPORT_AFIS: (command("/afi import"), ""),
        Operation.RUN_VOTE: (command("/afi reopen"), ""),
        Operation.VOTE: (click(ids.AFI_VOTE_ADD, f"{round_id}:{afi_id}"), "This vote is for"),
        Operation.LOG_ACTION: (command("/action log"), ""),
        Operation.MANAGE_ANY_ACTION: (command("/action edit 1"), "Only the action's owner"),
        Operation.SEE_PLAN: (command("/action plan"), ""),
        Operation.SEE_PAPERS: (command("/psif papers"), ""),
        Operation.ADD_PAPERS: (command("/psif papers remove 9"), ""),
        Operation.SEND_PAPERS: (command("/psif papers send"), ""),
        Operation.PLAN_FIELDWORK: (command("/psif fieldwork plan"), ""),
        Operation.RECORD_FINDING: (command("/afi show 1"), ""),
        Operation.MANAGE_ANY_FINDING: (
            click(ids.FINDING_MANAGE, f"edit:{finding_id}", overflow=True),
            "Only whoever recorded",
        ),
        Operation.BUILD_REPORT: (command("/psif report briefing"), ""),
        Operation.FINALISE_REPORT: (command("/psif report final 7"), ""),
        Operation.MARK_LEARNING: (command("/afi share 1"), ""),
        Operation.COMMENT_ON_DRAFT: (click(ids.REPORT_COMMENT, str(version_id)), ""),
    }
    assert set(probes) == set(Operation)
    wrong = []
    for operation, (probe, marker) in probes.items():
        marker = marker or refusal(operation)
        for column, (user, team) in PERSON.items():
            views, posts = _activity(fake_slack)
            url = probe(user, team)
            refused = _first_answer_refuses(fake_slack, url, views, posts, marker)
            if refused == allows(operation, column):
                wrong.append(f"{operation.value} × {column.value}: refused={refused}")
    assert wrong == []


def _activity(fake: FakeSlack) -> tuple[int, int]:
    """Modals opened and messages posted in the review's channel so far."""
    posts = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == "CREVIEW"]
    return len(fake.calls_to("views.open")), len(posts)


def _first_answer_refuses(fake: FakeSlack, url: str, views: int, posts: int, marker: str) -> bool:
    """Wait for the request's first effect; True if it is the refusal. A refusal is the only
    answer a refused request gets, so a different answer to its response_url, a modal or a
    message in the channel first means the request was let in."""
    url_id = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        answers = [post.body for post in fake.responses if post.url_id == url_id]
        if any(marker in str(body) for body in answers):
            return True
        now_views, now_posts = _activity(fake)
        if answers or now_views > views or now_posts > posts:
            return False
        time.sleep(0.005)
    raise AssertionError(f"the bot did not react to {url_id}")
