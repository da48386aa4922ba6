"""The morning post: several channel reminders as one message, within Slack's limits."""

from __future__ import annotations

import json

from bot.demo.fake_slack import validate_blocks
from bot.reminders.views import build_morning_post, without_mass_mentions
from bot.slack.blocks import Message, header, section


def topic(title: str, lines: int = 1, line: str = "Something to do") -> Message:
    return Message(
        f"{title} in the Fife review", [header(title), *[section(line) for _ in range(lines)]]
    )


def test_one_topic_goes_out_as_it_is() -> None:
    alone = topic("Pre-meeting next week")
    assert build_morning_post(host_council="Fife", topics=[alone]) == [alone]


def test_several_topics_make_one_message_with_a_part_each() -> None:
    topics = [topic("Pre-meeting next week"), topic("Overdue actions"), topic("Weekly update")]
    [post] = build_morning_post(host_council="Fife", topics=topics)
    titles = [block["text"]["text"] for block in post.blocks if block["type"] == "header"]
    assert titles == [
        "🗓️ Today in the Fife review",
        "Pre-meeting next week",
        "Overdue actions",
        "Weekly update",
    ]
    assert [block["type"] for block in post.blocks].count("divider") == 2
    assert post.text.startswith("3 updates for the Fife review: Pre-meeting next week")
    assert validate_blocks(post.blocks, "message") == []


def test_topics_too_big_for_one_message_are_split_between_topics_not_inside_one() -> None:
    topics = [topic(f"Topic {number}", lines=5, line="x" * 1000) for number in range(3)]
    posts = build_morning_post(host_council="Fife", topics=topics)
    assert len(posts) == 3
    for post in posts:
        assert validate_blocks(post.blocks, "message") == []
        assert sum(len(block.get("text", {}).get("text", "")) for block in post.blocks) < 12_000
        assert post.blocks[1]["type"] == "header"  # each page starts with its topic


def test_mass_mentions_never_reach_the_channel() -> None:
    noisy = Message("<!channel> look", [section("<!here> and <!everyone|everyone>")])
    [post] = build_morning_post(host_council="Fife", topics=[noisy])
    shown = post.text + json.dumps(post.blocks)
    assert "<!" not in shown
    assert without_mass_mentions("<!here> now") == "@here now"
