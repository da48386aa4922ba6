"""What a respondent sees around the self-assessment's modals: their invitation DM once
they have finished (issue 16, point 10)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.self_assessment.checklist import Answer
from bot.slack import ids
from storage.db import transaction
from storage.models.self_assessment import ChecklistInvitationMessage

from checklist_helpers import answer_everything, dm_to, invite, open_review
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
    open_review(bot.deps)
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
