"""The fake Slack (bot/demo/fake_slack), driven through slack_sdk.WebClient as the bot drives it."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from bot.demo.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack, validate_blocks, validate_view

TOKEN = "xoxb-test"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token=TOKEN)


def api_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return excinfo.value.response["error"]


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def modal(title: str = "Review", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("hello")],
        **extra,
    }


def input_block(block_id: str = "b1") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Name"},
        "element": {"type": "plain_text_input", "action_id": "name"},
    }


# ---- auth, recording, basics ------------------------------------------------------------


def test_auth_test_and_token_checks(fake: FakeSlack, client: WebClient) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:") and fake.base_url.endswith("/api/")
    response = client.auth_test()
    assert (response["team_id"], response["user_id"], response["bot_id"]) == (
        TEAM_ID,
        BOT_USER_ID,
        "B0001",
    )
    assert fake.last("auth.test").token == TOKEN

    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=fake.base_url).auth_test()
    assert api_error(excinfo) == "not_authed"
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=fake.base_url, token="xoxp-user").auth_test()
    assert api_error(excinfo) == "invalid_auth"


def test_configured_tokens() -> None:
    with FakeSlack(tokens=["xoxb-good"]) as fake:
        WebClient(base_url=fake.base_url, token="xoxb-good").auth_test()
        with pytest.raises(SlackApiError) as excinfo:
            WebClient(base_url=fake.base_url, token="xoxb-other").auth_test()
        assert api_error(excinfo) == "invalid_auth"


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.doSomethingOdd")
    assert api_error(excinfo) == "unknown_method"


def test_post_message_records_and_echoes(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("*hi*", "b1")]
    first = client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])
    assert first["channel"] == "C1"
    assert first["message"]["blocks"] == blocks
    assert float(second["ts"]) > float(first["ts"])
    assert first["ts"].startswith("1700000000.")
    call = fake.last("chat.postMessage")
    assert call.args == {"channel": "C1", "text": "again", "thread_ts": first["ts"]}
    assert call.ok and call.status == 200
    assert [m["text"] for m in fake.messages_in("C1")] == ["hi", "again"]

    with pytest.raises(SlackApiError) as excinfo, pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C1")
    assert api_error(excinfo) == "no_text"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x" * 40_001)
    assert api_error(excinfo) == "msg_too_long"


def test_form_encoded_json_strings_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    client.api_call(
        "chat.postMessage", params={"channel": "C1", "text": "t", "blocks": '[{"type": "divider"}]'}
    )
    assert fake.last("chat.postMessage").args["blocks"] == [{"type": "divider"}]


def test_wait_for_calls_made_on_another_thread(fake: FakeSlack, client: WebClient) -> None:
    def later() -> None:
        client.chat_postMessage(channel="C1", text="one")
        client.chat_postMessage(channel="C1", text="two")

    threading.Thread(target=later).start()
    calls = fake.wait_for("chat.postMessage", count=2)
    assert [c.args["text"] for c in calls] == ["one", "two"]
    with pytest.raises(AssertionError, match=r"chat\.update"):
        fake.wait_for("chat.update", timeout=0.05)
    fake.reset()
    assert fake.calls == []


def test_update_edits_the_stored_message(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="draft")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="final")
    assert (updated["channel"], updated["ts"], updated["text"]) == ("C1", posted["ts"], "final")
    assert fake.messages[("C1", posted["ts"])]["text"] == "final"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C1", ts="1.000001", text="gone")
    assert api_error(excinfo) == "message_not_found"


# ---- channels and users -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"is_member": False}, "not_in_channel"),
        ({"is_archived": True}, "is_archived"),
        ({"missing": True}, "channel_not_found"),
    ],
)
def test_channel_errors(
    fake: FakeSlack, client: WebClient, config: dict[str, Any], error: str
) -> None:
    fake.set_channel("C9", **config)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C9", text="hi")
    assert api_error(excinfo) == error


def test_channel_info(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel("C9", name="reviews", is_member=False, members=["U1"])
    info = client.conversations_info(channel="C9")["channel"]
    assert (info["name"], info["is_member"], info["num_members"]) == ("reviews", False, 1)
    fake.set_channel("C9", name="reviews", members=["U1"])
    assert client.conversations_info(channel="C9")["channel"]["num_members"] == 2


def test_conversations_info_says_whether_a_channel_is_private(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_channel("CPUB", is_private=False)
    assert client.conversations_info(channel="CPUB")["channel"]["is_private"] is False
    assert client.conversations_info(channel="CPRIV")["channel"]["is_private"] is True


def test_strict_channels() -> None:
    with FakeSlack(strict_channels=True) as fake:
        client = WebClient(base_url=fake.base_url, token=TOKEN)
        fake.set_channel("C1")
        client.chat_postMessage(channel="C1", text="ok")
        with pytest.raises(SlackApiError) as excinfo:
            client.conversations_info(channel="C2")
        assert api_error(excinfo) == "channel_not_found"


def test_dm_channels_are_stable(fake: FakeSlack, client: WebClient) -> None:
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert dm.startswith("D")
    assert client.conversations_open(users=["U1"])["channel"]["id"] == dm
    assert client.conversations_open(users="U2")["channel"]["id"] != dm
    client.chat_postMessage(channel=dm, text="hello")
    assert client.conversations_info(channel=dm)["channel"]["is_im"] is True


def test_users(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1", name="ailsa", real_name="Ailsa Macleod", email="ailsa@example.gov.uk")
    user = client.users_info(user="U1")["user"]
    assert (user["real_name"], user["tz"]) == ("Ailsa Macleod", "Europe/London")
    assert user["tz_label"] in {"GMT", "BST"}
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U404")
    assert api_error(excinfo) == "user_not_found"


# ---- fault injection --------------------------------------------------------------------


def test_rate_limit_with_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="hi")
    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "7"
    assert api_error(excinfo) == "ratelimited"
    client.chat_postMessage(channel="C1", text="hi")  # only the next call failed


def test_rate_limit_retry_handler_succeeds(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", retry_after=0)
    client = WebClient(
        base_url=fake.base_url,
        token=TOKEN,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]


def test_server_error_and_plain_error(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("views.publish", "internal_error", status=500, times=2)
    retrying = WebClient(
        base_url=fake.base_url,
        token=TOKEN,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=1,
                interval_calculator=FixedValueRetryIntervalCalculator(0.0),
            )
        ],
    )
    with pytest.raises(SlackApiError) as excinfo:
        retrying.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert excinfo.value.response.status_code == 500
    assert len(fake.calls_to("views.publish")) == 2

    fake.fail_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="hi")
    assert (excinfo.value.response.status_code, api_error(excinfo)) == (200, "channel_not_found")


def test_delay(fake: FakeSlack, client: WebClient) -> None:
    fake.delay("auth.test", 0.2)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.2


def test_delay_of_every_method_gives_way_to_a_method_s_own(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.delay("*", 0.3)
    fake.delay("auth.test", 0)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3
    client.chat_postMessage(channel="C1", text="hi")
    assert time.monotonic() - started >= 0.3


def test_a_slow_answer_does_not_expire_a_trigger_fresh_on_arrival(
    fake: FakeSlack, clock: FakeClock
) -> None:
    fake.delay("views.open", 0.3)
    trigger = fake.issue_trigger_id()

    def time_passes() -> None:  # while Slack is working on the call
        time.sleep(0.15)
        clock.now += 10

    passing = threading.Thread(target=time_passes)
    passing.start()
    opened = WebClient(base_url=fake.base_url, token=TOKEN).views_open(
        trigger_id=trigger, view=modal()
    )
    passing.join()
    assert opened["ok"]


# ---- block validation -------------------------------------------------------------------


def test_too_many_blocks_in_message(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "divider"}] * 51)
    response = excinfo.value.response
    assert response["error"] == "invalid_blocks"
    assert response["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]


def test_modal_title_too_long(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=fake.issue_trigger_id(), view=modal("x" * 25))
    assert api_error(excinfo) == "invalid_arguments"
    assert excinfo.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    client.views_open(trigger_id=fake.issue_trigger_id(), view=modal("x" * 24))


def button(text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, **extra}


def options(count: int, text: str = "opt") -> list[dict[str, Any]]:
    return [{"text": {"type": "plain_text", "text": text}, "value": str(i)} for i in range(count)]


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x" * 3001)], "/blocks/0/text/text"),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "/blocks/0/fields",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "/blocks/0/fields/0/text",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "/blocks/0/text/text",
        ),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "/blocks/0/text/type"),
        ([{"type": "actions", "elements": [button()] * 26}], "/blocks/0/elements"),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "/blocks/0/elements",
        ),
        ([section("a", "same"), section("b", "same")], "/blocks/1/block_id"),
        ([section("a", "b" * 256)], "/blocks/0/block_id"),
        (
            [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
            "/blocks/0/elements/0/action_id",
        ),
        ([{"type": "actions", "elements": [button("b" * 76)]}], "/blocks/0/elements/0/text/text"),
        (
            [{"type": "actions", "elements": [button(value="v" * 2001)]}],
            "/blocks/0/elements/0/value",
        ),
        (
            [{"type": "actions", "elements": [{"type": "radio_buttons", "options": options(11)}]}],
            "/blocks/0/elements/0/options",
        ),
        (
            [{"type": "actions", "elements": [{"type": "checkboxes", "options": options(11)}]}],
            "/blocks/0/elements/0/options",
        ),
        (
            [{"type": "actions", "elements": [{"type": "static_select", "options": options(101)}]}],
            "/blocks/0/elements/0/options",
        ),
        (
            [{"type": "actions", "elements": [{"type": "overflow", "options": options(1)}]}],
            "/blocks/0/elements/0/options",
        ),
        (
            [{"type": "actions", "elements": [{"type": "overflow", "options": options(6)}]}],
            "/blocks/0/elements/0/options",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [{"type": "static_select", "options": options(1, "o" * 76)}],
                }
            ],
            "/blocks/0/elements/0/options/0/text/text",
        ),
        (
            [{**input_block(), "element": {"type": "plain_text_input", "max_length": 3001}}],
            "/blocks/0/element/max_length",
        ),
        (
            [{**input_block(), "label": {"type": "plain_text", "text": "l" * 2001}}],
            "/blocks/0/label/text",
        ),
        (
            [
                {
                    **input_block(),
                    "element": {
                        "type": "plain_text_input",
                        "placeholder": {"type": "plain_text", "text": "p" * 151},
                    },
                }
            ],
            "/blocks/0/element/placeholder/text",
        ),
        ([{"type": "sektion"}], "/blocks/0/type"),
    ],
)
def test_validate_blocks_limits(blocks: list[dict[str, Any]], pointer: str) -> None:
    errors = validate_blocks(blocks, "message")
    assert len(errors) == 1, errors
    assert errors[0].endswith(f"[json-pointer:{pointer}]")


def test_validate_blocks_surfaces() -> None:
    assert validate_blocks([{"type": "divider"}] * 50, "message") == []
    assert validate_blocks([{"type": "divider"}] * 100, "modal") == []
    assert validate_blocks([{"type": "divider"}] * 101, "home") == [
        "no more than 100 items allowed [json-pointer:/view/blocks]"
    ]


def test_validate_view() -> None:
    assert validate_view(modal(), "modal") == []
    assert validate_view(modal(blocks=[input_block()]), "modal") == [
        "submit is required when the view has an input block [json-pointer:/view/submit]"
    ]
    submit = {"type": "plain_text", "text": "Send"}
    assert validate_view(modal(blocks=[input_block()], submit=submit), "modal") == []
    too_long = {"type": "plain_text", "text": "c" * 25}
    assert validate_view(modal(close=too_long, private_metadata="m" * 3001), "modal") == [
        "must be less than 25 characters [json-pointer:/view/close/text]",
        "must be less than 3001 characters [json-pointer:/view/private_metadata]",
    ]
    assert validate_view({"type": "home", "blocks": []}, "home") == []


# ---- modals and home tab ----------------------------------------------------------------


def test_trigger_id_once_and_expiry(fake: FakeSlack, client: WebClient, clock: FakeClock) -> None:
    trigger = fake.issue_trigger_id()
    opened = client.views_open(trigger_id=trigger, view=modal(callback_id="review"))
    view = opened["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["previous_view_id"] is None
    assert (view["callback_id"], view["state"]) == ("review", {"values": {}})
    assert fake.views[view["id"]]["title"]["text"] == "Review"

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger, view=modal())
    assert api_error(excinfo) == "exchanged_trigger_id"

    late = fake.issue_trigger_id()
    clock.now += 3.01
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=late, view=modal())
    assert api_error(excinfo) == "expired_trigger_id"

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="123.456.nope", view=modal())
    assert api_error(excinfo) == "invalid_trigger_id"


def test_a_closed_modal_is_gone(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=fake.issue_trigger_id(), view=modal())["view"]
    fake.close_view(view["id"])
    assert view["id"] not in fake.views
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=view["id"], view=modal("Too late"))
    assert api_error(excinfo) == "not_found"


def test_views_update_hash_conflict(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=fake.issue_trigger_id(), view=modal(external_id="ext-1"))[
        "view"
    ]
    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=modal("New"))
    assert updated["view"]["hash"] != view["hash"]
    assert fake.views[view["id"]]["title"]["text"] == "New"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Stale"))
    assert api_error(excinfo) == "hash_conflict"
    client.views_update(external_id="ext-1", view=modal("By external id", external_id="ext-1"))
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id="V404", view=modal())
    assert api_error(excinfo) == "not_found"


def test_views_publish_home_tab(fake: FakeSlack, client: WebClient) -> None:
    home: dict[str, Any] = {"type": "home", "blocks": [section("Welcome")]}
    first = client.views_publish(user_id="U1", view=home)["view"]
    again = client.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert again["id"] == first["id"]
    [stored] = fake.home_tabs["U1"]["blocks"]
    assert stored["text"] == home["blocks"][0]["text"]
    assert stored["block_id"]  # Slack gives every stored block an id
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U1", view=modal())
    assert api_error(excinfo) == "invalid_arguments"


# ---- files and response_url -------------------------------------------------------------


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="report thread")
    response = client.files_upload_v2(
        channel="C1",
        content=b"a,b\n1,2\n",
        filename="report.csv",
        title="Report",
        initial_comment="Here you go",
        thread_ts=posted["ts"],
    )
    file_id = response["file"]["id"]
    stored = fake.files[file_id]
    assert stored.content == b"a,b\n1,2\n"
    assert (stored.filename, stored.title, stored.channel_id) == ("report.csv", "Report", "C1")
    assert (stored.initial_comment, stored.thread_ts) == ("Here you go", posted["ts"])
    assert response["file"]["mimetype"] == "text/csv"
    assert fake.last("files.completeUploadExternal").args["files"] == [
        {"id": file_id, "title": "Report"}
    ]

    fake.set_channel("C2", is_member=False)
    with pytest.raises(SlackApiError) as excinfo:
        client.files_upload_v2(channel="C2", content="x", filename="x.txt")
    assert api_error(excinfo) == "not_in_channel"


def test_response_url(fake: FakeSlack, clock: FakeClock) -> None:
    url = fake.new_response_url()
    webhook = WebhookClient(url)
    for i in range(5):
        assert webhook.send(text=f"update {i}", replace_original=True).status_code == 200
    refused = webhook.send(text="one too many")
    assert (refused.status_code, refused.body) == (404, "used_url")
    posts = fake.wait_for_responses(6)
    assert posts[0].body == {"text": "update 0", "replace_original": True}
    assert [p.status for p in posts] == [200] * 5 + [404]
    assert {p.url_id for p in posts} == {url.rsplit("/", 1)[1]}

    expired = WebhookClient(fake.new_response_url())
    clock.now += 31 * 60
    assert expired.send(text="late").body == "expired_url"


def test_conversations_history_lists_newest_first_with_metadata_on_request(
    fake: FakeSlack, client: WebClient
) -> None:
    metadata = {"event_type": "psif_nudge", "event_payload": {"nudge_id": 7}}
    first = client.chat_postMessage(channel="C1", text="one", metadata=metadata)["ts"]
    second = client.chat_postMessage(channel="C1", text="two")["ts"]
    client.chat_postMessage(channel="C2", text="elsewhere")
    plain = client.conversations_history(channel="C1")["messages"]
    assert [message["ts"] for message in plain] == [second, first]
    assert "metadata" not in plain[1]
    rich = client.conversations_history(channel="C1", include_all_metadata=True, oldest=second)
    assert rich["messages"] == []
    rich = client.conversations_history(channel="C1", include_all_metadata=True, limit=5)
    assert rich["messages"][1]["metadata"] == metadata
    fake.set_channel("C3", is_member=False)
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel="C3")
    assert api_error(excinfo) == "not_in_channel"


def test_a_file_a_person_chose_is_described_and_downloads_only_with_a_token(
    fake: FakeSlack,
) -> None:
    chosen = fake.user_uploads("answers.csv", b"1.01\r\nAgree\r\n")
    client = WebClient(base_url=fake.base_url, token="xoxb-test")
    found = client.files_info(file=chosen["id"])["file"]
    assert found["name"] == "answers.csv" and found["size"] == 13
    url = str(found["url_private_download"])
    with_token = urllib.request.Request(url, headers={"Authorization": "Bearer xoxb-test"})
    with urllib.request.urlopen(with_token, timeout=5) as answer:
        assert answer.read() == b"1.01\r\nAgree\r\n"
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(url, timeout=5)
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_info(file="F0NOTHERE")
