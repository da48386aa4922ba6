"""`/action plan`: the whole improvement plan as table-like channel messages, by AFI.

Long plans are split across messages (each within Slack's block and size limits) rather
than cut, and a group that spills onto the next message repeats its heading. A plan too
long for a few messages of grids is shown one line per action; one too long even for that
stops after `PLAN_MESSAGE_LIMIT` messages and points to `/action export`, so a large plan
never floods the channel (or Slack's posting limit) with hundreds of messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.actions import ActionItem, ActionStatus, ProgressUpdate, rag_text
from bot.core.calendar import format_date
from bot.core.snapshot import ReviewSnapshot
from bot.improvement_actions.rules import AfiGroup
from bot.improvement_actions.views import afi_text, status_text
from bot.slack.blocks import Block, context, divider, fields_section, header, section
from bot.slack.pages import Pager
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

FIELD_TEXT_LIMIT = 900
DETAIL_TEXT_LIMIT = 500
NOTE_TEXT_LIMIT = 300
PLAN_MESSAGE_LIMIT = 6
LINE_TEXT_LIMIT = 150
ROW_PREFIX = "plan_action_"  # each action's block id, so what a page holds can be counted


def _detail(text: str) -> str:
    return escape_mrkdwn(truncate(text, DETAIL_TEXT_LIMIT)) if text else "—"


def _row(item: ActionItem, *, today: date, notes: LatestNotes | None) -> Block:
    """One action as a two-column grid: action | owner, due | status, RAG | risks, measure |
    outcome, and the latest progress note."""
    action = escape_mrkdwn(truncate(item.key_action, FIELD_TEXT_LIMIT))
    fields = [
        (f"Action {item.number}", action),
        ("Owner", mention(item.owner_id)),
        ("Due", format_date(item.due)),
        ("Status", status_text(item, today=today)),
        ("RAG status", rag_text(item.rag) or "Not set"),
        ("Risks or costs", _detail(item.risks)),
        ("How we will know", _detail(item.measure)),
        ("Overall outcome", _detail(item.outcome)),
    ]
    note = notes.by_number.get(item.number) if notes else None
    if notes is not None and note is not None:
        day = format_date(note.at.astimezone(notes.zone).date())
        fields.append(
            (
                "Latest progress",
                f"{day}, {mention(note.author_id)}: "
                f"{escape_mrkdwn(truncate(note.note, NOTE_TEXT_LIMIT))}",
            )
        )
    return fields_section(fields)


def _line(item: ActionItem, *, today: date) -> Block:
    """One action on one line, for plans too long for the grid."""
    action = escape_mrkdwn(truncate(item.key_action, LINE_TEXT_LIMIT))
    rag = f" · {rag_text(item.rag)}" if item.rag else ""
    return section(
        f"*{item.number}.* {action} · {mention(item.owner_id)} · due {format_date(item.due)}"
        f" · {status_text(item, today=today)}{rag}"
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


@dataclass(frozen=True)
class LatestNotes:
    """The latest progress note of each action (by number), and the zone of their dates."""

    by_number: Mapping[int, ProgressUpdate]
    zone: ZoneInfo


@dataclass(frozen=True)
class _Shown:
    today: date
    posted_by: str
    notes: LatestNotes | None


def build_plan_messages(
    review: ReviewSnapshot,
    groups: list[AfiGroup],
    *,
    today: date,
    posted_by: str,
    notes: LatestNotes | None = None,
) -> list[tuple[str, list[Block]]]:
    """The plan as at most `PLAN_MESSAGE_LIMIT` messages, each a (fallback text, blocks) pair."""
    items = [item for group in groups for item in group.actions]
    shown = _Shown(today, posted_by, notes)
    pages = _pages(review, groups, items, shown, grid=True)
    if len(pages) > PLAN_MESSAGE_LIMIT:
        pages = _pages(review, groups, items, shown, grid=False)
    posted = pages[:PLAN_MESSAGE_LIMIT]
    left_out = len(items) - sum(
        1
        for page in posted
        for block in page
        if str(block.get("block_id", "")).startswith(ROW_PREFIX)
    )
    if left_out:
        posted[-1] = [
            *posted[-1],
            context(
                f"…and {plural(left_out, 'more action')}: too many to post here. "
                "`/action export` gives the whole plan as a spreadsheet."
            ),
        ]
    title = f"Improvement plan: {review.host_council}"
    messages: list[tuple[str, list[Block]]] = []
    for number, page in enumerate(posted, start=1):
        part = f" (part {number} of {len(posted)})" if len(posted) > 1 else ""
        top: list[Block] = [header(f"{title}{part}")]
        if number > 1:
            top.append(context(f"Continued from part {number - 1}."))
        text = f"{title}{part}: {plan_summary(items, today=today)}"
        messages.append((text, [*top, *page]))
    return messages


def _pages(
    review: ReviewSnapshot,
    groups: list[AfiGroup],
    items: list[ActionItem],
    shown: _Shown,
    *,
    grid: bool,
) -> list[list[Block]]:
    # Room on every page for its heading and, on the last, the note of what was left out.
    pager = Pager(heading_blocks=3, heading_chars=1000)
    pager.add(
        [
            section(f"*Focus:* {escape_mrkdwn(truncate(review.focus, 1000))}"),
            context(
                plan_summary(items, today=shown.today),
                f"Posted by {mention(shown.posted_by)} · ★ marks prioritised areas",
            ),
        ]
    )
    for group in groups:
        heading = section(f"*{afi_text(group.afi)}*")
        continued = [section(f"*{afi_text(group.afi)}* (continued)")]
        rows = [
            {
                **(
                    _row(item, today=shown.today, notes=shown.notes)
                    if grid
                    else _line(item, today=shown.today)
                ),
                "block_id": f"{ROW_PREFIX}{item.number}",
            }
            for item in group.actions
        ]
        pager.add([divider(), heading, rows[0]])
        for row in rows[1:]:
            pager.add([row], continuation=continued)
    return pager.result()
