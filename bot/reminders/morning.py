"""The morning post: a review's channel reminders of one scheduler pass as one message.

Three posts at 09:05 (a meeting reminder, overdue actions, the weekly update) read as noise;
one post with a part per topic reads as a briefing. Only when the parts together would
break Slack's limits is the post split, topic by topic, never inside one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.reminders.nudges import Message
from bot.slack.blocks import Block, divider, header
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


def _quiet(message: Message) -> Message:
    blocks = [_quiet_block(block) for block in message.blocks]
    return Message(without_mass_mentions(message.text), blocks)


def _quiet_block(block: Block) -> Block:
    quiet: Block = {}
    for name, value in block.items():
        if isinstance(value, str) and name == "text":
            quiet[name] = without_mass_mentions(value)
        elif isinstance(value, dict):
            quiet[name] = _quiet_block(value)
        elif isinstance(value, list):
            quiet[name] = [_quiet_block(item) if isinstance(item, dict) else item for item in value]
        else:
            quiet[name] = value
    return quiet
