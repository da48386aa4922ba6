"""Shared steps for the self-assessment scenario tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.responses import respondent_key
from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.deps import Deps
from bot.slack import ids
from storage.db import transaction
from storage.repositories.self_assessment import get_checklist_round
from storage.repositories.self_assessment_answers import record_completion

from factories import make_review

CHECKLIST = load_default_checklist()
CHANNEL = "CREVIEW"


def seed_checklist_review(
    deps: Deps,
    *,
    pre_meeting: date | None = date(2027, 2, 17),
    channel: str = CHANNEL,
    host_council: str = "Fife",
) -> int:
    """A review (in CREVIEW by default): host lead UHOST, host team UH2, IS lead UIS, peer
    UPEER."""
    with transaction(deps.sessions) as session:
        review = make_review(
            session,
            members=(
                ("UHOST", Role.HOST_LEAD),
                ("UH2", Role.HOST_TEAM),
                ("UIS", Role.IS_LEAD),
                ("UPEER", Role.PEER_REVIEWER),
            ),
            channel=channel,
            host_council=host_council,
            peer_councils=("Angus", "Stirling", "Moray"),
            timeline=Timeline(
                fieldwork_start=date(2027, 3, 3),
                fieldwork_end=date(2027, 3, 5),
                pre_meeting=pre_meeting,
            ),
            now=deps.now(),
        )
        return review.id


def invite(slack: SlackDriver, fake: FakeSlack, *users: str, by: str = "UHOST") -> None:
    text = "invite " + " ".join(f"<@{user}|{user.lower()}>" for user in users)
    before = len(fake.responses)
    reply, _, _ = slack.command("/psif", text, user=by)
    assert reply.status == 200
    fake.wait_for_responses(before + 1)


def dm_to(fake: FakeSlack, user: str) -> dict[str, Any]:
    """The latest message the bot sent to `user` directly (as Slack stores it), waiting for
    the first one: direct messages follow a saved change through the outbox."""
    deadline = time.monotonic() + 15
    while True:
        posts = [
            c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == user and c.ok
        ]
        if posts or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert posts, f"no direct message to {user}"
    return {**posts[-1].args, "ts": posts[-1].response["ts"]}


def start_from_dm(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    """Click "Start self-assessment" in the invitation DM; return the modal opened."""
    opened = len(fake.calls_to("views.open"))
    reply = slack.click_in_message(
        dm_to(fake, user), ids.CHECKLIST_START, user=user, channel=f"D{user}"
    )
    assert reply.status == 200
    call = fake.wait_for("views.open", opened + 1)[-1]
    assert call.ok, call.response
    view = dict(call.response["view"])
    assert validate_view(view, "modal") == []
    return view


def section_inputs(section_number: int, pick: Callable[[str], Answer | None]) -> dict[str, Any]:
    section = CHECKLIST.sections[section_number - 1]
    inputs: dict[str, Any] = {}
    for statement in section.statements:
        answer = pick(statement.id)
        inputs[ids.CHECKLIST_STATEMENT + statement.id] = answer.value if answer else None
    return inputs


def submit_section(
    slack: SlackDriver,
    view: dict[str, Any],
    user: str,
    pick: Callable[[str], Answer | None],
    comments: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    """Submit a section modal; return the view Slack shows next (response_action update)."""
    section_number = json.loads(view["private_metadata"])["section"]
    inputs = section_inputs(section_number, pick)
    inputs[f"{ids.CHECKLIST_STRENGTHS}{section_number}"] = comments[0] or None
    inputs[f"{ids.CHECKLIST_IMPROVEMENTS}{section_number}"] = comments[1] or None
    reply = slack.submit_view(view, inputs, user=user)
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert validate_view(answer["view"], "modal") == []
    return {**answer["view"], "id": view["id"], "hash": view.get("hash")}


def answer_everything(
    slack: SlackDriver,
    fake: FakeSlack,
    user: str,
    pick: Callable[[str], Answer | None],
    comments: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    """Start from the DM and submit all six sections; return the final review screen."""
    view = start_from_dm(slack, fake, user)
    for _ in CHECKLIST.sections:
        view = submit_section(slack, view, user, pick, comments)
    assert view["callback_id"] == ids.CHECKLIST_SUMMARY_MODAL
    return view


def title_of(view: dict[str, Any]) -> str:
    return str(view["title"]["text"])


def mark_finished(session: Session, deps: Deps, *, review_id: int, user_id: str) -> None:
    """Record `user_id` as finished the way the bot does: under their computed key only."""
    round_ = get_checklist_round(session=session, review_id=review_id)
    assert round_ is not None
    key = respondent_key(deps.respondent_secret, round_.key_salt, user_id)
    record_completion(session=session, review_id=review_id, respondent_key=key)


def close_early(slack: SlackDriver, fake: FakeSlack, *, by: str = "UHOST") -> str:
    """`/psif checklist close` and confirm; return what the lead was told."""
    before = len(fake.responses)
    slack.command("/psif", "checklist close", user=by)
    confirmation = fake.wait_for_responses(before + 1)[-1].body
    assert ids.CHECKLIST_CLOSE_CONFIRM in str(confirmation.get("blocks")), confirmation
    slack.click_in_message(
        confirmation,
        ids.CHECKLIST_CLOSE_CONFIRM,
        user=by,
        channel=CHANNEL,
        response_url=fake.new_response_url(),
    )
    return str(fake.wait_for_responses(before + 2)[-1].body["text"])
