"""What people see around the self-assessment's modals (issue 16, point 10): a respondent's
invitation DM once they have finished, and the channel's note when it closes."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.slack import ids
from storage.db import transaction
from storage.models.self_assessment import ChecklistInvitationMessage

from checklist_helpers import (
    CHANNEL,
    answer_everything,
    close_early,
    dm_to,
    invite,
    seed_checklist_review,
)
from conftest import RunningBot
from helpers import wait_until_delivered


def agree(_: str) -> Answer:
    return Answer.AGREE


def invitation_rows(bot: RunningBot) -> list[tuple[int, str, str, str]]:
    with transaction(bot.deps.sessions) as session:
        return [
            (row.review_id, row.user_id, row.channel_id, row.ts)
            for row in session.scalars(select(ChecklistInvitationMessage))
        ]


def test_finishing_turns_the_invitation_dm_into_done_with_a_way_to_review_answers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    wait_until_delivered(bot.deps)
    invitation = dm_to(fake_slack, "UA")
    stored = fake_slack.messages[(invitation["channel"], invitation["ts"])]
    assert "Start self-assessment" in json.dumps(stored["blocks"])
    remembered = invitation_rows(bot)

    summary = answer_everything(slack, fake_slack, "UA", agree)
    assert "Start self-assessment" in json.dumps(stored["blocks"])  # not until Finish
    assert slack.submit_view(summary, {}, user="UA").status == 200

    [update] = fake_slack.wait_for("chat.update")
    assert update.ok and update.args["ts"] == invitation["ts"]
    done = fake_slack.messages[(update.args["channel"], invitation["ts"])]
    assert done["text"] == "✅ Done — review your answers"
    shown = json.dumps(done["blocks"], ensure_ascii=False)
    assert "Start self-assessment" not in shown
    assert "Review your answers" in shown and "✅ *Done*" in shown
    # Finishing wrote nothing naming anyone: the DM's place was known since delivery.
    assert invitation_rows(bot) == remembered
    # UB, still to answer, keeps their Start button.
    other = dm_to(fake_slack, "UB")
    kept = fake_slack.messages[(other["channel"], other["ts"])]
    assert "Start self-assessment" in json.dumps(kept["blocks"])

    # Its button opens the review screen of their answers.
    opened = len(fake_slack.calls_to("views.open"))
    slack.click_in_message(
        done | {"channel": update.args["channel"]},
        ids.CHECKLIST_START,
        user="UA",
        channel=update.args["channel"],
    )
    view = fake_slack.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.CHECKLIST_SUMMARY_MODAL


def channel_posts(fake: FakeSlack, since: int = 0) -> list[dict[str, Any]]:
    return [
        call.args
        for call in fake.calls_to("chat.postMessage")[since:]
        if call.ok and call.args["channel"] == CHANNEL
    ]


def wait_for_post(fake: FakeSlack, words: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [post for post in channel_posts(fake) if words in post["text"]]
        if found:
            return {**found[-1], "ts": "1700000002.000100"}
        time.sleep(0.02)
    raise AssertionError(f"no channel post saying {words!r}")


def test_closing_early_tells_the_channel_once_and_its_button_posts_results_for_the_team_only(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE", "UF")
    for user in ("UA", "UB", "UC", "UD", "UE"):
        summary = answer_everything(slack, fake_slack, user, agree)
        slack.submit_view(summary, {}, user=user)
    told = close_early(slack, fake_slack)
    assert "button in the channel" in told
    note = wait_for_post(fake_slack, "closed")
    assert note["text"] == "The self-assessment is closed: 5 of 6 invited have finished (83%)."
    shown = json.dumps(note["blocks"], ensure_ascii=False)
    assert "🔒 <@UHOST> closed the self-assessment: 5 of 6" in shown
    assert "Post the results" in shown
    wait_until_delivered(bot.deps)
    assert len([p for p in channel_posts(fake_slack) if "closed" in p["text"]]) == 1

    # Someone outside the review team: refused, with whom to ask; nothing is posted.
    posted, answered = len(fake_slack.calls_to("chat.postMessage")), len(fake_slack.responses)
    url = fake_slack.new_response_url()
    slack.click_in_message(
        note, ids.CHECKLIST_POST_RESULTS, user="UA", channel=CHANNEL, response_url=url
    )
    refusal = fake_slack.wait_for_responses(answered + 1)[-1].body
    assert refusal["text"].startswith("Only the review's") and "<@UHOST>" in refusal["text"]
    assert refusal["response_type"] == "ephemeral"
    assert channel_posts(fake_slack, posted) == []

    # The host lead: the results, with their comments thread, in the channel.
    slack.click_in_message(
        note,
        ids.CHECKLIST_POST_RESULTS,
        user="UHOST",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    results = wait_for_post(fake_slack, "self-assessment results")
    assert results["text"] == "Fife self-assessment results: 5 of 6 invited have finished (83%)."
    assert "Posted by <@UHOST>" in json.dumps(results["blocks"])
