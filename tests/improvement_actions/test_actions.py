"""`/action log`, the channel card, status changes and permissions, end to end."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.slack import ids
from storage.db import transaction
from storage.models.improvement_actions import Action, ActionStatusChange
from storage.models.reviews import AuditEvent

from action_helpers import (
    CHANNEL,
    action_form,
    card_of,
    control_value,
    log_action,
    open_log_modal,
    seed_review_with_afis,
    wait_until,
)
from conftest import RunningBot, SettableClock
from helpers import wait_until_delivered


def afi_options(view: dict[str, Any]) -> list[tuple[str, list[str]]]:
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.ACTION_AFI)
    return [
        (group["label"]["text"], [option["text"]["text"] for option in group["options"]])
        for group in block["element"]["option_groups"]
    ]


def test_log_modal_offers_prioritised_afis_first_then_the_others_then_none(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack, "Publish a dashboard")
    assert validate_view(view, "modal") == []
    assert afi_options(view) == [
        (
            "Prioritised areas",
            ["AFI 3: Budget planning is annual only", "AFI 2: Complaints are not analysed"],
        ),
        ("Other areas", ["AFI 1: Asset data is out of date"]),
        ("None", ["Not linked to an AFI"]),
    ]
    key = next(b for b in view["blocks"] if b.get("block_id") == ids.ACTION_KEY)
    assert key["element"]["initial_value"] == "Publish a dashboard"


def test_logged_action_is_stored_posted_as_a_card_and_the_owner_is_told(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_review_with_afis(bot.deps.sessions)
    card = log_action(
        slack,
        fake_slack,
        action_afi=str(seeded.afis["budget"]),
        action_key="Move to <!channel> rolling budgets",
    )
    rendered = str(card["blocks"])
    assert "Action 1" in rendered and "AFI 3: Budget planning" in rendered
    assert "<@UOWNER>" in rendered and "15 January 2027" in rendered and "Open" in rendered
    assert "&lt;!channel&gt;" in rendered and "<!channel>" not in rendered
    for action_id in (ids.ACTION_START, ids.ACTION_DONE, ids.ACTION_EDIT, ids.ACTION_MORE):
        assert action_id in rendered
    dm = next(
        call
        for call in fake_slack.wait_for("chat.postMessage", count=2)
        if call.args["channel"] == "UOWNER"
    )
    assert "assigned you action 1" in str(dm.args["blocks"])
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        action = session.scalars(select(Action)).one()
        assert (action.number, action.owner_id, str(action.due)) == (1, "UOWNER", "2027-01-15")
        assert action.afi_id == seeded.afis["budget"]
        assert (action.channel_id, action.message_ts) == (CHANNEL, card["ts"])
        assert "action.logged" in session.scalars(select(AuditEvent.action)).all()
    wait_until(lambda: "UOWNER" in fake_slack.home_tabs, "the owner's Home tab")


def test_missing_key_action_and_past_due_date_get_inline_errors_and_store_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack)
    reply = slack.submit_view(
        view,
        action_form(action_key="  ", action_due="2026-11-24", action_owner=None),
        user="UHOST",
    )
    errors = reply.json()["errors"]
    assert set(errors) == {ids.ACTION_KEY, ids.ACTION_DUE, ids.ACTION_OWNER}
    assert "24 November 2026 is in the past" in errors[ids.ACTION_DUE]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Action)).all() == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_due_today_is_accepted(slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_due="2026-11-25")
    assert "25 November 2026" in str(card["blocks"])


def test_start_then_done_update_the_card_in_place_and_record_who_and_when(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_START)
    slack.click_in_message(card, ids.ACTION_START, user="UOWNER", channel=CHANNEL, value=value)
    update = fake_slack.wait_for("chat.update")[-1]
    assert (update.args["channel"], update.args["ts"]) == (CHANNEL, card["ts"])
    assert "In progress" in str(card_of(fake_slack, 1)["blocks"])
    clock.advance(days=2)
    slack.click_in_message(
        card_of(fake_slack, 1), ids.ACTION_DONE, user="UIS", channel=CHANNEL, value=value
    )
    fake_slack.wait_for("chat.update", count=2)
    done = card_of(fake_slack, 1)
    assert "Done" in str(done["blocks"]) and "<@UIS>" in str(done["blocks"])
    assert ids.ACTION_DONE not in str(done["blocks"])  # no "mark done" on a done action
    assert len(fake_slack.messages_in(CHANNEL)) == 1  # updated, not reposted
    with transaction(bot.deps.sessions) as session:
        changes = session.scalars(select(ActionStatusChange).order_by(ActionStatusChange.id))
        assert [(c.actor_id, c.from_status, c.to_status, c.at.day) for c in changes] == [
            ("UOWNER", "open", "in_progress", 25),
            ("UIS", "in_progress", "done", 27),
        ]


def test_only_owner_host_lead_and_improvement_service_may_change_an_action(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_DONE)
    for outsider in ("UH2", "UPEER"):
        slack.click_in_message(card, ids.ACTION_DONE, user=outsider, channel=CHANNEL, value=value)
    refusals = fake_slack.wait_for_responses(count=2)
    assert all("Only the action's owner" in r.body["text"] for r in refusals)
    assert all(r.body.get("response_type") == "ephemeral" for r in refusals)
    slack.click_in_message(card, ids.ACTION_EDIT, user="UH2", channel=CHANNEL, value=value)
    fake_slack.wait_for_responses(count=3)
    assert fake_slack.calls_to("chat.update") == []
    assert len(fake_slack.calls_to("views.open")) == 1  # only the log modal
    slack.click_in_message(card, ids.ACTION_DONE, user="UHOST", channel=CHANNEL, value=value)
    fake_slack.wait_for("chat.update")
    assert "Done" in str(card_of(fake_slack, 1)["blocks"])


def test_clicking_done_twice_records_one_change_and_says_so(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_DONE)
    slack.click_in_message(card, ids.ACTION_DONE, user="UOWNER", channel=CHANNEL, value=value)
    fake_slack.wait_for("chat.update")
    slack.click_in_message(card, ids.ACTION_DONE, user="UOWNER", channel=CHANNEL, value=value)
    assert "already done" in fake_slack.wait_for_responses()[-1].body["text"]
    with transaction(bot.deps.sessions) as session:
        assert len(session.scalars(select(ActionStatusChange)).all()) == 1


def test_drop_asks_for_a_reason_and_shows_it_on_the_card(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    action_id = control_value(card, ids.ACTION_DONE)
    slack.click_in_message(
        card, ids.ACTION_MORE, user="UHOST", channel=CHANNEL, value=f"drop:{action_id}"
    )
    modal = fake_slack.wait_for("views.open", count=2)[-1].response["view"]
    assert modal["callback_id"] == ids.ACTION_DROP_MODAL
    empty = slack.submit_view(modal, {ids.ACTION_DROP_REASON: ""}, user="UHOST").json()
    assert ids.ACTION_DROP_REASON in empty["errors"]
    reason = "Overtaken by the new <roads> plan"
    reply = slack.submit_view(modal, {ids.ACTION_DROP_REASON: reason}, user="UHOST")
    assert reply.body in (b"", b"{}")
    fake_slack.wait_for("chat.update")
    dropped = str(card_of(fake_slack, 1)["blocks"])
    assert "Dropped" in dropped and "Overtaken by the new &lt;roads&gt; plan" in dropped
    with transaction(bot.deps.sessions) as session:
        change = session.scalars(select(ActionStatusChange)).one()
        assert (change.to_status, change.reason) == ("dropped", reason)


def test_reopen_and_history_from_the_overflow_menu(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    action_id = control_value(card, ids.ACTION_DONE)
    slack.click_in_message(card, ids.ACTION_DONE, user="UOWNER", channel=CHANNEL, value=action_id)
    fake_slack.wait_for("chat.update")
    done = card_of(fake_slack, 1)
    slack.click_in_message(
        done, ids.ACTION_MORE, user="UOWNER", channel=CHANNEL, value=f"reopen:{action_id}"
    )
    fake_slack.wait_for("chat.update", count=2)
    assert ids.ACTION_DONE in str(card_of(fake_slack, 1)["blocks"])
    slack.click_in_message(
        card_of(fake_slack, 1),
        ids.ACTION_MORE,
        user="UPEER",  # anyone may read the history
        channel=CHANNEL,
        value=f"history:{action_id}",
    )
    history = fake_slack.wait_for("views.open", count=2)[-1]
    assert history.ok, history.response
    text = str(history.response["view"]["blocks"])
    assert "from Open to *Done*" in text and "from Done to *Open*" in text


def test_edit_prefills_the_modal_and_a_new_owner_is_told(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seeded = seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_afi=str(seeded.afis["assets"]))
    action_id = control_value(card, ids.ACTION_EDIT)
    clock.advance(days=60)  # the due date has passed; keeping it is allowed when editing
    slack.click_in_message(card, ids.ACTION_EDIT, user="UOWNER", channel=CHANNEL, value=action_id)
    modal = fake_slack.wait_for("views.open", count=2)[-1].response["view"]
    assert modal["title"]["text"] == "Edit action 1"
    afi = next(b for b in modal["blocks"] if b["block_id"] == ids.ACTION_AFI)
    assert afi["element"]["initial_option"]["value"] == str(seeded.afis["assets"])
    reply = slack.submit_view(modal, {ids.ACTION_OWNER: "UNEW"}, user="UOWNER")
    assert reply.body in (b"", b"{}"), reply.body
    fake_slack.wait_for("chat.update")
    assert "<@UNEW>" in str(card_of(fake_slack, 1)["blocks"])
    wait_until(
        lambda: any(c.args["channel"] == "UNEW" for c in fake_slack.calls_to("chat.postMessage")),
        "the new owner's DM",
    )
    moved = slack.submit_view(modal, {ids.ACTION_DUE: "2027-01-01"}, user="UNEW")
    assert "in the past" in moved.json()["errors"][ids.ACTION_DUE]


def test_log_needs_a_review_and_a_team_member(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    slack.command("/action", "log", channel=CHANNEL)
    assert "/psif start" in fake_slack.wait_for_responses()[-1].body["text"]
    seed_review_with_afis(bot.deps.sessions)
    slack.command("/action", "log", user="USTAKE", channel=CHANNEL)
    assert "can log actions" in fake_slack.wait_for_responses(count=2)[-1].body["text"]
    assert fake_slack.calls_to("views.open") == []


def test_card_that_cannot_be_posted_keeps_the_action_and_explains(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack)
    fake_slack.set_channel(CHANNEL, is_member=False)
    slack.submit_view(view, action_form(), user="UHOST")
    advice = fake_slack.wait_for_responses()[-1].body["text"]
    assert "Action 1 is saved" in advice and "/invite" in advice
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Action.number)).all() == [1]


def test_reassigning_tells_the_previous_owner_too(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    slack.click_in_message(
        card,
        ids.ACTION_EDIT,
        user="UHOST",
        channel=CHANNEL,
        value=control_value(card, ids.ACTION_EDIT),
    )
    modal = fake_slack.wait_for("views.open", count=2)[-1].response["view"]
    slack.submit_view(modal, {ids.ACTION_OWNER: "UNEW"}, user="UHOST")

    def dm_to(user: str) -> str:
        return " ".join(
            str(c.args.get("blocks") or c.args["text"])
            for c in fake_slack.calls_to("chat.postMessage")
            if c.args["channel"] == user
        )

    wait_until(lambda: "no longer yours" in dm_to("UOWNER"), "the previous owner's DM")
    wait_until(lambda: "made you the owner of action 1" in dm_to("UNEW"), "the new owner's DM")


def test_editing_an_action_whose_card_never_posted_posts_it_now(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack)
    fake_slack.set_channel(CHANNEL, is_member=False)
    slack.submit_view(view, action_form(), user="UHOST")
    fake_slack.wait_for_responses()
    fake_slack.set_channel(CHANNEL, is_member=True)
    slack.command("/action", "edit 1", user="UHOST", channel=CHANNEL)
    modal = fake_slack.wait_for("views.open", count=2)[-1].response["view"]
    slack.submit_view(modal, {ids.ACTION_KEY: "Publish the dashboard monthly"}, user="UHOST")
    wait_until(lambda: len(fake_slack.messages_in(CHANNEL)) == 1, "the card")
    assert "monthly" in str(card_of(fake_slack, 1)["blocks"])

    def card_remembered() -> bool:
        with transaction(bot.deps.sessions) as session:
            return session.scalars(select(Action.message_ts)).one() is not None

    wait_until(card_remembered, "the card's ts to be stored")


def test_log_text_arrives_escaped_from_slack_and_fills_the_modal_as_typed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    # Slack sends a slash command's text with &, < and > escaped.
    view = open_log_modal(slack, fake_slack, "Roads &amp; paths: fix &lt;10% defects&gt;")
    key = next(b for b in view["blocks"] if b.get("block_id") == ids.ACTION_KEY)
    assert key["element"]["initial_value"] == "Roads & paths: fix <10% defects>"


def test_log_text_too_long_for_the_form_is_given_back_in_full(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    typed = "Review every gully. " * 60  # 1,200 characters
    view = open_log_modal(slack, fake_slack, typed)
    assert validate_view(view, "modal") == []
    note = fake_slack.wait_for_responses()[-1].body["text"]
    assert "1000 characters" in note and typed.strip() in note


def test_card_shows_the_latest_status_when_an_earlier_update_is_rate_limited(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack)
    value = control_value(card, ids.ACTION_START)
    # Slack refuses the first card update for a second; the owner's start retries after it.
    fake_slack.fail_next("chat.update", "ratelimited", retry_after=1)
    slack.click_in_message(card, ids.ACTION_START, user="UOWNER", channel=CHANNEL, value=value)
    fake_slack.wait_for("chat.update")
    slack.click_in_message(card, ids.ACTION_DONE, user="UHOST", channel=CHANNEL, value=value)
    updates = fake_slack.wait_for("chat.update", count=3)
    assert sum(1 for update in updates if update.ok) == 2
    assert "Done" in str(card_of(fake_slack, 1)["blocks"])


def test_logger_is_told_when_the_owner_cannot_be_sent_a_direct_message(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    fake_slack.set_channel("UEXTERNAL", missing=True)  # Slack answers channel_not_found
    log_action(slack, fake_slack, action_owner="UEXTERNAL")
    note = fake_slack.wait_for_responses()[-1].body["text"]
    assert "Action 1 is saved" in note and "couldn't send <@UEXTERNAL> a direct message" in note


def test_log_text_is_given_back_when_slack_is_too_slow_to_open_the_form(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    fake_slack.fail_next("views.open", "expired_trigger_id")
    slack.command("/action", "log Publish the &lt;roads&gt; dashboard", channel=CHANNEL)
    note = fake_slack.wait_for_responses()[-1].body["text"]
    assert "took too long" in note and "Publish the &lt;roads&gt; dashboard" in note
