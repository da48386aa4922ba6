"""`/afi add`, and `/afi list` with Show and edit, merge and withdraw, end to end over HTTP."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks, validate_view
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.reviews import AuditEvent

from afi_helpers import (
    CHANNEL,
    HOST_LEAD,
    PEERS,
    responses_to,
    seed_voting_review,
    show_from_list,
)
from conftest import RunningBot


def stored_afis(bot: RunningBot) -> list[Afi]:
    with transaction(bot.deps.sessions) as session:
        return list(session.scalars(select(Afi).order_by(Afi.number)))


def test_add_with_text_stores_the_afi_and_confirms_its_number(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    reply, _, url = slack.command("/afi", "add Staff don't get <!channel> feedback", user=PEERS[3])
    assert reply.status == 200
    answer = responses_to(fake_slack, url)[0]
    assert answer["response_type"] == "ephemeral"
    assert "AFI 3" in answer["text"] and "&lt;!channel&gt;" in answer["text"]
    afi = stored_afis(bot)[-1]
    assert (afi.number, afi.author_id, afi.text) == (
        3,
        PEERS[3],
        "Staff don't get <!channel> feedback",
    )


def test_add_with_too_little_text_explains_and_stores_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    _, _, url = slack.command("/afi", "add ok")
    assert "at least 5 characters" in responses_to(fake_slack, url)[0]["text"]
    _, _, url = slack.command("/afi", "add " + "x" * 600)
    text = responses_to(fake_slack, url)[0]["text"]
    assert "500 characters" in text and "x" * 600 in text, "the user's text is given back"
    _, _, url = slack.command("/afi", "add " + "Roads & <!channel> " * 30)
    text = responses_to(fake_slack, url)[0]["text"]
    assert "Roads &amp; &lt;!channel&gt;" in text and "<!channel>" not in text
    assert stored_afis(bot) == []


def test_afi_commands_without_a_review_point_to_psif_start(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    for words in ("add Something to improve", "list", "vote", "close", "reopen"):
        _, _, url = slack.command("/afi", words)
        assert "/psif start" in responses_to(fake_slack, url)[0]["text"], words


def open_add_modal(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    slack.command("/afi", "add", user=PEERS[1])
    call = fake.wait_for("views.open")[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def test_add_without_text_opens_a_modal_with_section_and_evidence(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    view = open_add_modal(slack, fake_slack)
    assert validate_view(view, "modal") == []
    reply = slack.submit_view(view, {ids.AFI_TEXT: "", ids.AFI_EVIDENCE: "y" * 1600}, user=PEERS[1])
    errors = reply.json()["errors"]
    assert set(errors) == {ids.AFI_TEXT, ids.AFI_EVIDENCE}
    reply = slack.submit_view(
        view,
        {
            ids.AFI_TEXT: "Performance data is not shared with staff",
            ids.AFI_SECTION: "5",
            ids.AFI_EVIDENCE: "Self-assessment section 5; staff survey 2025",
        },
        user=PEERS[1],
    )
    assert reply.status == 200 and reply.body in (b"", b"{}")
    afi = stored_afis(bot)[0]
    assert (afi.number, afi.section_number, afi.evidence) == (
        1,
        5,
        "Self-assessment section 5; staff survey 2025",
    )
    confirmation = fake_slack.wait_for_responses(1)[-1]
    assert "Added as AFI 1" in confirmation.body["text"]


def list_afis_as(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    _, _, url = slack.command("/afi", "list", user=user)
    answer = responses_to(fake, url)[0]
    assert validate_blocks(answer["blocks"], "message") == []
    return answer


def shown_as(slack: SlackDriver, fake: FakeSlack, user: str, afi: Afi) -> dict[str, Any]:
    """`/afi list`, then Show on `afi`: the AFI in full, as `user` sees it."""
    shown = show_from_list(slack, fake, list_afis_as(slack, fake, user), afi.id, user)
    assert validate_blocks(shown["blocks"], "message") == []
    return shown


def has_manage_menu(message: dict[str, Any]) -> bool:
    return any(
        block.get("accessory", {}).get("action_id") == ids.AFI_MANAGE for block in message["blocks"]
    )


def test_the_list_is_one_line_per_area_and_show_gives_one_in_full(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    with transaction(bot.deps.sessions) as session:
        second = session.scalars(select(Afi).where(Afi.number == 2)).one()
        second.evidence = "Staff survey 2025, question 12"
        second_id = second.id
    listing = list_afis_as(slack, fake_slack, PEERS[3])
    rows = [block for block in listing["blocks"] if block.get("block_id", "").startswith("afi:")]
    assert [row["accessory"]["text"]["text"] for row in rows] == ["Show", "Show"]
    assert "Staff survey" not in str(listing["blocks"])
    shown = show_from_list(slack, fake_slack, listing, second_id, PEERS[3])
    assert shown.get("replace_original") is not True  # the list stays
    assert "*AFI 2.* Area for improvement number 2" in str(shown["blocks"])
    assert "Staff survey 2025, question 12" in str(shown["blocks"])


def test_show_on_an_area_withdrawn_meanwhile_says_so(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    listing = list_afis_as(slack, fake_slack, PEERS[0])
    afi = stored_afis(bot)[0]
    withdraw = choose_in_menu(
        slack, fake_slack, shown_as(slack, fake_slack, PEERS[0], afi), "withdraw", afi, PEERS[0]
    )
    slack.submit_view(withdraw, {}, user=PEERS[0])
    fake_slack.wait_for("chat.postMessage")
    shown = show_from_list(slack, fake_slack, listing, afi.id, PEERS[0])
    assert "merged or withdrawn already" in shown["text"]


def test_show_offers_the_manage_menu_to_the_author_and_the_leads_only(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1)  # written by PEERS[0]
    _, _, url = slack.command("/afi", "add Written by another peer", user=PEERS[5])
    responses_to(fake_slack, url)
    first, other = stored_afis(bot)
    assert has_manage_menu(shown_as(slack, fake_slack, PEERS[0], first))
    assert not has_manage_menu(shown_as(slack, fake_slack, PEERS[0], other))
    assert has_manage_menu(shown_as(slack, fake_slack, HOST_LEAD, other))
    assert not has_manage_menu(shown_as(slack, fake_slack, PEERS[9], first))


def choose_in_menu(
    slack: SlackDriver, fake: FakeSlack, message: dict[str, Any], verb: str, afi: Afi, user: str
) -> dict[str, Any]:
    value = f"{verb}:{afi.id}"
    before = len(fake.calls_to("views.open"))
    slack.click_in_message(
        message,
        ids.AFI_MANAGE,
        user=user,
        channel=CHANNEL,
        selected_option={"text": {"type": "plain_text", "text": verb}, "value": value},
    )
    call = fake.wait_for("views.open", before + 1)[-1]
    assert call.ok, call.response
    assert validate_view(call.response["view"], "modal") == []
    return dict(call.response["view"])


def test_the_author_edits_an_afi_from_the_list(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    afi = stored_afis(bot)[1]
    message = shown_as(slack, fake_slack, PEERS[0], afi)
    view = choose_in_menu(slack, fake_slack, message, "edit", afi, PEERS[0])
    reply = slack.submit_view(view, {ids.AFI_TEXT: "Clearer wording of area two"}, user=PEERS[0])
    assert reply.body in (b"", b"{}")
    assert stored_afis(bot)[1].text == "Clearer wording of area two"


def test_merging_two_afis_marks_one_merged_and_tells_the_channel(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    first, _, third = stored_afis(bot)
    message = shown_as(slack, fake_slack, HOST_LEAD, first)
    view = choose_in_menu(slack, fake_slack, message, "merge", first, HOST_LEAD)
    slack.submit_view(view, {ids.AFI_MERGE_TARGET: str(third.id)}, user=HOST_LEAD)
    note = fake_slack.wait_for("chat.postMessage")[-1]
    assert "merged AFI 1 into AFI 3" in note.args["text"]
    merged = stored_afis(bot)[0]
    assert (merged.status, merged.merged_into_id) == ("merged", third.id)
    remaining = list_afis_as(slack, fake_slack, HOST_LEAD)
    assert "number 1" not in str(remaining["blocks"])


def test_withdrawing_is_confirmed_in_a_modal_and_audited(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    afi = stored_afis(bot)[0]
    message = shown_as(slack, fake_slack, PEERS[0], afi)
    view = choose_in_menu(slack, fake_slack, message, "withdraw", afi, PEERS[0])
    slack.submit_view(view, {}, user=PEERS[0])
    fake_slack.wait_for("chat.postMessage")
    assert stored_afis(bot)[0].status == "withdrawn"
    again = slack.submit_view(view, {}, user=PEERS[0])
    assert again.json()["response_action"] == "update", "a second withdrawal says nothing changed"
    with transaction(bot.deps.sessions) as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "afi.withdrawn" in actions


def test_someone_else_cannot_manage_an_afi_they_did_not_write(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1)
    afi = stored_afis(bot)[0]
    message = shown_as(slack, fake_slack, PEERS[0], afi)
    reply = slack.click_in_message(
        message,
        ids.AFI_MANAGE,
        user=PEERS[7],
        channel=CHANNEL,
        response_url=(url := fake_slack.new_response_url()),
        selected_option={"text": {"type": "plain_text", "text": "x"}, "value": f"edit:{afi.id}"},
    )
    assert reply.status == 200
    assert "Only its author" in responses_to(fake_slack, url)[0]["text"]
    assert fake_slack.calls_to("views.open") == []


def test_a_long_list_pages_with_next_and_previous(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=45)
    first = list_afis_as(slack, fake_slack, PEERS[2])
    assert "Page 1 of 2" in str(first["blocks"])
    url = fake_slack.new_response_url()
    slack.click_in_message(
        first, ids.AFI_LIST_PAGE, user=PEERS[2], channel=CHANNEL, response_url=url, value="2"
    )
    second = responses_to(fake_slack, url)[0]
    assert second["replace_original"] is True
    assert "Page 2 of 2" in str(second["blocks"]) and "number 45" in str(second["blocks"])
    assert validate_blocks(second["blocks"], "message") == []


def test_a_list_of_one_says_one_area(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1)
    _, _, url = slack.command("/afi", "list", user=PEERS[0])
    assert responses_to(fake_slack, url)[0]["text"] == "1 area for improvement"
