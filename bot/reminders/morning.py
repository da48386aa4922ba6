"""The morning post: a review's channel reminders of one scheduler pass as one message.

Three posts at 09:05 (a meeting reminder, overdue actions, the weekly update) read as noise;
one post with a part per topic reads as a briefing. Only when the parts together would
break Slack's limits is the post split, topic by topic, never inside one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from bot.slack.blocks import Block, Message, divider, header
from bot.slack.pages import Pager
from bot.slack.text import truncate

NOTIFICATION_LIMIT = 300
# Slack's special mentions notify everyone in the channel; a reminder never needs that.
_MASS_MENTION = re.compile(r"<!(channel|here|everyone)(\|[^>]*)?>")


def without_mass_mentions(text: str) -> str:
    """`<!channel>`, `<!here>` and `<!everyone>` shown as words, not acted on."""
    return _MASS_MENTION.sub(lambda found: f"@{found.group(1)}", text)


def build_morning_post(*, host_council: str, topics: Sequence[Message]) -> list[Message]:
    """One message for the topics (each a rule's rendered message, in listing order), or
    more only if Slack's limits demand it. A single topic goes out as it is."""
    if len(topics) == 1:
        return [_quiet(topics[0])]
    pager = Pager(heading_blocks=1, heading_chars=400)
    for topic in topics:
        pager.add([divider(), *topic.blocks] if pager.pages[-1] else list(topic.blocks))
    pages = pager.result()
    heading = header(truncate(f"🗓️ Today in the {host_council} review", 150))
    text = truncate(
        f"{len(topics)} updates for the {host_council} review: "
        + " · ".join(topic.text for topic in topics),
        NOTIFICATION_LIMIT,
    )
    return [_quiet(Message(text, [heading, *_without_leading_divider(page)])) for page in pages]


def _without_leading_divider(page: list[Block]) -> list[Block]:
    return page[1:] if page and page[0].get("type") == "divider" else page


def without_mentions_of(message: Message, users: Collection[str], instead: str) -> Message:
    """`message` with its mentions of `users` (people told the same thing by direct message
    this morning: a mention would notify them twice) replaced by `instead`."""
    mentions = [f"<@{user}>" for user in users]

    def unmention(text: str) -> str:
        for found in mentions:
            text = text.replace(found, instead)
        return text

    return _map_text(message, unmention)


def _quiet(message: Message) -> Message:
    return _map_text(message, without_mass_mentions)


def _map_text(message: Message, change: Callable[[str], str]) -> Message:
    return Message(change(message.text), [_map_block(block, change) for block in message.blocks])


def _map_block(block: Block, change: Callable[[str], str]) -> Block:
    mapped: Block = {}
    for name, value in block.items():
        if isinstance(value, str) and name == "text":
            mapped[name] = change(value)
        elif isinstance(value, dict):
            mapped[name] = _map_block(value, change)
        elif isinstance(value, list):
            mapped[name] = [
                _map_block(item, change) if isinstance(item, dict) else item for item in value
            ]
        else:
            mapped[name] = value
    return mapped
