"""Progress on an action, end to end: notes with their date and author, and a RAG status
shown on the card, in the history, in `/action list` and in `/action plan`."""

from __future__ import annotations

from bot.core.timeline import Timeline
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.slack import ids

from action_helpers import (
    CHANNEL,
    card_of,
    control_value,
    log_action,
    note_progress,
    open_progress_modal,
    seed_review_with_afis,
    wait_until,
)
from conftest import RunningBot, SettableClock
from fieldwork_helpers import AFTER_FIELDWORK, FIELDWORK_END


def test_owner_sets_a_rag_status_and_a_note_which_the_card_shows_with_date_and_author(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    view = open_progress_modal(slack, fake_slack, user="UOWNER")
    assert validate_view(view, "modal") == []
    assert "RAG status" in str(view["blocks"]) and "Progress note" in str(view["blocks"])
    clock.advance(days=7)
    note_progress(slack, fake_slack, user="UOWNER", rag="amber", note="Supplier's quote is <late>")
    card = str(card_of(fake_slack, 1)["blocks"])
    assert "*RAG status*\\n🟠 Amber" in card
    assert "Latest progress*, 2 December 2026, <@UOWNER>: Supplier's quote is &lt;late&gt;" in card
    assert card_of(fake_slack, 1)["text"].endswith("open, amber")


def test_a_lead_may_update_progress_but_another_team_member_may_not(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_PROGRESS)
    slack.click_in_message(card, ids.ACTION_PROGRESS, user="UPEER", channel=CHANNEL, value=value)
    refusal = fake_slack.wait_for_responses()[-1].body["text"]
    assert "Only the action's owner (<@UOWNER>)" in refusal
    assert len(fake_slack.calls_to("views.open")) == 1  # only the log modal
    note_progress(slack, fake_slack, user="UHOST", rag="red", note="")
    card_text = str(card_of(fake_slack, 1)["blocks"])
    assert "🔴 Red" in card_text and "Latest progress" not in card_text


def test_an_empty_update_or_the_same_rag_status_again_gets_an_inline_error(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    note_progress(slack, fake_slack, user="UOWNER", rag="green", note="")
    view = open_progress_modal(slack, fake_slack, user="UOWNER")
    chosen = next(b for b in view["blocks"] if b.get("block_id") == ids.ACTION_PROGRESS_RAG)
    assert chosen["element"]["initial_option"]["value"] == "green"
    reply = slack.submit_view(
        view, {ids.ACTION_PROGRESS_RAG: "green", ids.ACTION_PROGRESS_NOTE: ""}, user="UOWNER"
    )
    assert "Write a progress note" in reply.json()["errors"][ids.ACTION_PROGRESS_NOTE]


def test_history_lists_progress_notes_and_status_changes_in_order(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_START)
    clock.advance(days=1)
    note_progress(slack, fake_slack, user="UOWNER", rag=None, note="Kick-off meeting held")
    clock.advance(days=1)
    slack.click_in_message(card, ids.ACTION_START, user="UOWNER", channel=CHANNEL, value=value)
    fake_slack.wait_for("chat.update", count=2)
    clock.advance(days=1)
    note_progress(slack, fake_slack, user="UIS", rag="amber", note="Waiting on finance")
    slack.click_in_message(
        card_of(fake_slack, 1),
        ids.ACTION_MORE,
        user="UPEER",
        channel=CHANNEL,
        value=f"history:{value}",
    )
    history = str(fake_slack.wait_for("views.open", count=4)[-1].response["view"]["blocks"])
    kick_off = history.index("<@UOWNER> on 26 November 2026")
    started = history.index("to *In progress* on 27 November 2026")
    amber = history.index("<@UIS> on 28 November 2026")
    assert kick_off < started < amber
    assert "Kick-off meeting held" in history
    assert "set the RAG status to *🟠 Amber*: Waiting on finance" in history


def test_list_shows_the_rag_status_and_counts_in_good_english(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    note_progress(slack, fake_slack, user="UOWNER", rag="green", note="")
    slack.command("/action", "list mine", user="UOWNER", channel=CHANNEL)
    reply = fake_slack.wait_for_responses()[-1].body
    assert reply["text"] == "Your actions: 1 action"
    shown = str(reply["blocks"])
    assert "1 of 1 action ·" in shown
    assert "· 🟢 Green" in shown


def test_plan_shows_risks_outcome_rag_status_and_latest_note(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    note_progress(slack, fake_slack, user="UOWNER", rag="amber", note="Analyst starts Monday")
    before = len(fake_slack.messages_in(CHANNEL))
    slack.command("/action", "plan", user="UPEER", channel=CHANNEL)
    wait_until(lambda: len(fake_slack.messages_in(CHANNEL)) > before, "the plan")
    plan = str(fake_slack.messages_in(CHANNEL)[-1]["blocks"])
    assert "*Risks or costs*\\nTwo days of analyst time" in plan
    assert "*Overall outcome*\\nResidents can see progress" in plan
    assert "*RAG status*\\n🟠 Amber" in plan
    assert "Analyst starts Monday" in plan and "25 November 2026" in plan
    assert "1 action · 1 open · 0 done" in plan


def test_the_report_plan_table_has_the_rag_status(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_review_with_afis(bot.deps.sessions, timeline=Timeline(fieldwork_end=FIELDWORK_END))
    log_action(slack, fake_slack)
    note_progress(slack, fake_slack, user="UOWNER", rag="red", note="Stalled")
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork
    slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
    wait_until(
        lambda: any(f.completed and f.filename.endswith(".md") for f in fake_slack.files.values()),
        "the draft report",
    )
    markdown = next(f for f in fake_slack.files.values() if f.filename.endswith(".md"))
    assert markdown.content is not None
    table = [line for line in markdown.content.decode().splitlines() if "Publish a road" in line]
    assert table and table[0].rstrip(" |").endswith("| Red")
    header = next(line for line in markdown.content.decode().splitlines() if "Key action" in line)
    assert header.rstrip(" |").endswith("| RAG")


def test_progress_by_command_sets_the_rag_status_and_keeps_the_note(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    slack.command("/action", "progress 1 AMBER Waiting for the supplier's quote", user="UOWNER")
    reply = fake_slack.wait_for_responses()[-1].body["text"]
    assert reply == (
        "📝 Action 1 is now 🟠 Amber, and your note is saved. Its card in the channel is updated."
    )
    fake_slack.wait_for("chat.update")
    card = str(card_of(fake_slack, 1)["blocks"])
    assert "🟠 Amber" in card and "Waiting for the supplier's quote" in card
    slack.command("/action", "progress 1 green", user="UPEER")
    assert "Only the action's owner" in fake_slack.wait_for_responses(count=2)[-1].body["text"]
    slack.command("/action", "progress 1", user="UIS")
    form = fake_slack.wait_for("views.open", count=2)[-1].response["view"]
    assert form["callback_id"] == ids.ACTION_PROGRESS_MODAL
    slack.command("/action", "progress soon", user="UOWNER")
    assert "Say which action" in fake_slack.wait_for_responses(count=3)[-1].body["text"]
