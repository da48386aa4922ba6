"""Hypothesis submits every modal with anything in its fields (over-long text, options
and users no picker offers, broken dates, forged private_metadata), through the signed
door: never a server error, and a refused submission writes nothing at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fuzz_helpers import Traffic, assert_no_error_and_nothing_live, row_counts, settle
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.settings import Settings
from bot.slack import ids

from action_helpers import log_action
from afi_helpers import PEERS, seed_voting_review, show_from_list
from checklist_helpers import invite, start_from_dm
from conftest import RunningBot
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from hostile_text import hostile
from slack_driver import APP_ID, TEAM, SlackDriver

FORGED = st.one_of(
    hostile,
    st.sampled_from(
        ["", "0", "-1", "99999999999999999999999", "none", "U", "2027-02-30", "x" * 80, "a\x00b"]
    ),
)
FUZZ = hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """One after-ack thread: what requests leave for after their acknowledgement runs in
    order, so `settle` can wait for it."""
    return settings.model_copy(update={"listener_threads": 1})


def offered(element: dict[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or [{"options": element.get("options", [])}]
    return [option for group in groups for option in group["options"]]


def fuzzed_state(view: dict[str, Any], draw: Callable[..., Any]) -> dict[str, Any]:
    """`view.state.values` with each input left alone, filled sensibly, or forged."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, kind = block["element"], block["element"]["type"]
        state: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            limit = element.get("max_length", 3000)
            state["value"] = draw(
                st.one_of(
                    st.none(),
                    hostile,
                    st.text(max_size=40),
                    st.integers(limit - 2, limit + 50).map(lambda n: "y" * n),
                )
            )
        elif kind in ("static_select", "radio_buttons"):
            choices = [*offered(element), {"text": {"type": "plain_text", "text": "x"}}]
            chosen = dict(draw(st.sampled_from(choices)))
            if "value" not in chosen:
                chosen["value"] = draw(FORGED)
            state["selected_option"] = draw(st.sampled_from([None, chosen]))
        elif kind in ("multi_static_select", "checkboxes"):
            picks = draw(st.lists(st.sampled_from(offered(element)), max_size=6))
            forged = draw(st.lists(FORGED, max_size=2))
            state["selected_options"] = [*picks, *({"value": value} for value in forged)]
        elif kind == "users_select":
            state["selected_user"] = draw(st.one_of(st.sampled_from(["UHOST", PEERS[2]]), FORGED))
        elif kind == "multi_users_select":
            state["selected_users"] = draw(
                st.lists(st.one_of(st.sampled_from(["UHOST", PEERS[3]]), FORGED), max_size=60)
            )
        elif kind == "datepicker":
            state["selected_date"] = draw(
                st.one_of(
                    st.none(),
                    st.dates().map(lambda day: day.isoformat()),
                    FORGED,
                )
            )
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def submit(slack: SlackDriver, view: dict[str, Any], values: dict[str, Any], metadata: str) -> Any:
    payload = {
        "type": "view_submission",
        "team": TEAM,
        "user": {"id": "UHOST", "username": "uhost", "name": "uhost", "team_id": TEAM["id"]},
        "api_app_id": APP_ID,
        "trigger_id": slack.fake.issue_trigger_id(),
        "view": {**view, "private_metadata": metadata, "state": {"values": values}},
        "response_urls": [],
    }
    reply = slack.post_interaction(payload)
    assert reply.status == 200, reply.body
    return reply.json()


def opened_view(fake: FakeSlack, before: int) -> dict[str, Any]:
    call = fake.wait_for("views.open", count=before + 1)[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def afi_list_view(slack: SlackDriver, fake: FakeSlack, verb: str) -> dict[str, Any]:
    before, responses = len(fake.calls_to("views.open")), len(fake.responses)
    _, _, url = slack.command("/afi", "list")
    listing = fake.wait_for_responses(count=responses + 1)[-1].body
    shown = show_from_list(slack, fake, listing, 1, "UHOST")
    slack.click_in_message(
        shown, ids.AFI_MANAGE, user="UHOST", channel="CREVIEW", value=f"{verb}:1",
        response_url=url,
    )  # fmt: skip
    return opened_view(fake, before)


def command_view(slack: SlackDriver, fake: FakeSlack, command: str, text: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command(command, text)
    return opened_view(fake, before)


def drop_view(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    card = log_action(slack, fake, action_owner="UHOST")
    before = len(fake.calls_to("views.open"))
    slack.click_in_message(
        card, ids.ACTION_MORE, user="UHOST", channel="CREVIEW", value=f"{ids.ACTION_MORE_DROP}:1"
    )
    return opened_view(fake, before)


def checklist_view(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    invite(slack, fake, "UHOST")
    return start_from_dm(slack, fake, "UHOST")


MODALS: dict[str, Callable[[SlackDriver, FakeSlack], dict[str, Any]]] = {
    "start": lambda slack, fake: command_view(slack, fake, "/psif", "start"),
    "afi add": lambda slack, fake: command_view(slack, fake, "/afi", "add"),
    "afi edit": lambda slack, fake: afi_list_view(slack, fake, "edit"),
    "afi merge": lambda slack, fake: afi_list_view(slack, fake, "merge"),
    "afi withdraw": lambda slack, fake: afi_list_view(slack, fake, "withdraw"),
    "afi vote": lambda slack, fake: command_view(slack, fake, "/afi", "vote"),
    "action log": lambda slack, fake: command_view(slack, fake, "/action", "log"),
    "action edit": lambda slack, fake: (
        log_action(slack, fake),
        command_view(slack, fake, "/action", "edit 1"),
    )[1],
    "action drop": drop_view,
    "action progress": lambda slack, fake: (
        log_action(slack, fake),
        command_view(slack, fake, "/action", "progress 1"),
    )[1],
    "checklist section": checklist_view,
    "peer councils": lambda slack, fake: command_view(slack, fake, "/psif", "peers edit"),
}


@pytest.mark.parametrize("modal", MODALS)
@FUZZ
@given(data=st.data())
def test_every_modal_takes_anything_without_an_error_or_a_partial_write(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, modal: str, data: st.DataObject
) -> None:
    if not hasattr(bot, "view"):
        if modal != "start":
            seed_voting_review(bot.deps, afis=3)
        bot.view = MODALS[modal](slack, fake_slack)  # type: ignore[attr-defined]
    view: dict[str, Any] = bot.view  # type: ignore[attr-defined]
    metadata = data.draw(
        st.one_of(
            st.just(view.get("private_metadata", "")),
            FORGED,
            st.just(json.dumps({"review_id": 2**40, "channel_id": "C" * 40, "afi_id": -1})),
        )
    )
    wait_until_delivered(bot.deps)  # earlier examples' messages are out before counting
    before, counts = Traffic.mark(fake_slack), row_counts(bot.deps)
    answer = submit(slack, view, fuzzed_state(view, data.draw), metadata)
    settle(bot.deps)
    title = ((answer or {}).get("view") or {}).get("title", {}).get("text")
    if answer and (answer.get("response_action") == "errors" or title == "Nothing changed"):
        assert row_counts(bot.deps) == counts, answer  # refused: nothing written
    assert_no_error_and_nothing_live([answer, *before.since(fake_slack)])
