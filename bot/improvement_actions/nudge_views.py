"""Action reminders: to the owner before and after the due date, and the weekly overdue digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.actions import ActionItem
from bot.core.calendar import format_date
from bot.core.nudges import when
from bot.improvement_actions.views import action_controls, afi_text
from bot.slack.blocks import MESSAGE_BLOCKS_LIMIT, Block, Message, context, header, section
from bot.slack.pages import PAGE_CHARACTER_BUDGET
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

MAX_DIGEST_LINES = 40


def build_action_due_reminder(
    item: ActionItem, *, host_council: str, channel_id: str, today: date, overdue: bool
) -> Message:
    """The owner's direct message: due soon, or due yesterday and still open."""
    if overdue:
        lead = f"⚠️ Action {item.number} was due {format_date(item.due)} and is still open."
        text = f"Action {item.number} in the {host_council} review was due {format_date(item.due)}"
    else:
        lead = f"⏰ Action {item.number} is due {when(item.due, today)}."
        text = f"Action {item.number} in the {host_council} review is due {format_date(item.due)}"
    blocks: list[Block] = [
        section(f"{lead}\n*{escape_mrkdwn(host_council)}* review (<#{channel_id}>)"),
        section(f">{escape_mrkdwn(truncate(item.key_action, 2000))}"),
        action_controls(item, block_id=f"action_reminder_{item.id}"),
        context(
            f"Area for improvement: {afi_text(item.afi)}",
            "If the date has moved, use Edit to change it. Pause reminders with `/psif snooze 7d`.",
        ),
    ]
    return Message(text=text, blocks=blocks)


def build_overdue_digest(items: Sequence[ActionItem], *, host_council: str, today: date) -> Message:
    """The Monday list of overdue actions in the review's channel."""
    ordered = sorted(items, key=lambda item: (item.due, item.number))
    lines = [
        f"• *{item.number}.* {escape_mrkdwn(truncate(item.key_action, 150))} – "
        f"{mention(item.owner_id)}, due {format_date(item.due)} "
        f"({plural((today - item.due).days, 'day')} ago)"
        for item in ordered[:MAX_DIGEST_LINES]
    ]
    blocks: list[Block] = [header(f"Overdue actions – {truncate(host_council, 100)}")]
    chunk: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        # Stay well inside the ~12,000 characters of block text a message may hold.
        if used + len(line) > PAGE_CHARACTER_BUDGET - 1000:
            lines = lines[:index]
            break
        if sum(len(existing) + 1 for existing in chunk) + len(line) > 2800:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
        used += len(line) + 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    more = len(ordered) - len(lines)
    notes = [
        "Owners can update them from the cards, their Home tab or `/action done &lt;number&gt;`."
    ]
    if more:
        notes.insert(0, f"…and {plural(more, 'more overdue action')}: see `/action list overdue`.")
    blocks.append(context(*notes))
    text = (
        f"{plural(len(ordered), 'action is', 'actions are')} overdue in the {host_council} review"
    )
    return Message(text=text, blocks=blocks[:MESSAGE_BLOCKS_LIMIT])
