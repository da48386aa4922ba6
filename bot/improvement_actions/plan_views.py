"""`/action plan`: the whole improvement plan as table-like channel messages, by AFI.

Long plans are split across messages (each within Slack's block and size limits) rather
than cut, and a group that spills onto the next message repeats its heading.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.improvement_actions.rules import ActionItem, ActionStatus, AfiGroup
from bot.improvement_actions.views import afi_text, status_text
from bot.reviews.snapshot import ReviewSnapshot
from bot.slack.blocks import Block, context, divider, fields_section, header, section
from bot.slack.pages import Pager
from bot.slack.text import escape_mrkdwn, format_date, mention, plural, truncate

FIELD_TEXT_LIMIT = 900


def _row(item: ActionItem, *, today: date) -> Block:
    """One action as a two-column grid: action | owner, due | status, measure."""
    measure = escape_mrkdwn(truncate(item.measure, FIELD_TEXT_LIMIT)) if item.measure else "—"
    action = escape_mrkdwn(truncate(item.key_action, FIELD_TEXT_LIMIT))
    return fields_section(
        [
            (f"Action {item.number}", action),
            ("Owner", mention(item.owner_id)),
            ("Due", format_date(item.due)),
            ("Status", status_text(item, today=today)),
            ("How we will know", measure),
        ]
    )


def plan_summary(items: list[ActionItem], *, today: date) -> str:
    counts = Counter(item.status for item in items)
    overdue = sum(1 for item in items if item.overdue(today))
    parts = [
        plural(len(items), "action"),
        f"{counts[ActionStatus.OPEN] + counts[ActionStatus.IN_PROGRESS]} open",
        f"{counts[ActionStatus.DONE]} done",
    ]
    if counts[ActionStatus.DROPPED]:
        parts.append(f"{counts[ActionStatus.DROPPED]} dropped")
    if overdue:
        parts.append(f"⚠️ {overdue} overdue")
    return " · ".join(parts) + f" · as at {format_date(today)}"


def build_plan_messages(
    review: ReviewSnapshot, groups: list[AfiGroup], *, today: date, posted_by: str
) -> list[tuple[str, list[Block]]]:
    """The plan as one or more messages, each a (fallback text, blocks) pair."""
    items = [item for group in groups for item in group.actions]
    title = f"Improvement plan: {review.host_council}"
    pager = Pager(heading_blocks=2, heading_chars=800)
    pager.add(
        [
            section(f"*Focus:* {escape_mrkdwn(truncate(review.focus, 1000))}"),
            context(
                plan_summary(items, today=today),
                f"Posted by {mention(posted_by)} · ★ marks prioritised areas",
            ),
        ]
    )
    for group in groups:
        heading = section(f"*{afi_text(group.afi)}*")
        continued = [section(f"*{afi_text(group.afi)}* (continued)")]
        rows = [_row(item, today=today) for item in group.actions]
        pager.add([divider(), heading, rows[0]])
        for row in rows[1:]:
            pager.add([row], continuation=continued)
    pages = pager.result()
    messages: list[tuple[str, list[Block]]] = []
    for number, page in enumerate(pages, start=1):
        part = f" (part {number} of {len(pages)})" if len(pages) > 1 else ""
        top: list[Block] = [header(f"{title}{part}")]
        if number > 1:
            top.append(context(f"Continued from part {number - 1}."))
        text = f"{title}{part}: {plan_summary(items, today=today)}"
        messages.append((text, [*top, *page]))
    return messages
