"""Block Kit for fieldwork: the schedule message, the plan and the direct messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby

from bot.core.calendar import format_day
from bot.core.fieldwork import KIND_LABELS, MODE_LABELS, AfiLabel, SessionItem
from bot.fieldwork.rules import fieldwork_window_text, in_order
from bot.slack import ids
from bot.slack.blocks import (
    SECTION_TEXT_LIMIT,
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    header,
    section,
)
from bot.slack.pages import PAGE_CHARACTER_BUDGET, block_size, fit_message
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate

# A schedule of many sessions must still be one message Slack accepts (50 blocks, ~12k
# characters); past these, it points to `/psif fieldwork` for the rest.
SCHEDULE_BLOCKS_LIMIT = 45


def _runners(item: SessionItem) -> str:
    return join_words([mention(user) for user in item.runners]) or "nobody yet"


def _afi_numbers(afis: Iterable[AfiLabel]) -> str:
    return join_words([f"AFI {afi.number}" for afi in afis]) or "no areas chosen"


def session_line(item: SessionItem, *, afi_texts: bool = False) -> str:
    """One session in mrkdwn: time, kind, who takes part (a group, never names), runners."""
    kind = KIND_LABELS[item.kind]
    who = escape_mrkdwn(truncate(item.participants, 120))
    title = f"*{item.times} · {kind}* (session {item.number})"
    if item.cancelled:
        return f"~{item.times} · {kind} (session {item.number})~ *cancelled*"
    lines = [
        title,
        f"{who} ({item.participant_count}) · {MODE_LABELS[item.mode].lower()} · "
        f"run by {_runners(item)}",
    ]
    if afi_texts:
        lines += [
            f"   ↳ AFI {afi.number}: {escape_mrkdwn(truncate(afi.text, 200))}" for afi in item.afis
        ]
    else:
        lines.append(f"Probes {_afi_numbers(item.afis)}")
    return "\n".join(lines)


def _sections(lines: Sequence[str], heading: str = "") -> list[Block]:
    """Lines packed into as few sections as Slack's 3,000 characters allow."""
    blocks: list[Block] = []
    current = heading
    for line in lines:
        candidate = f"{current}\n\n{line}" if current else line
        if len(candidate) > SECTION_TEXT_LIMIT - 100 and current:
            blocks.append(section(current))
            current = line
        else:
            current = candidate
    if current:
        blocks.append(section(current))
    return blocks


def build_schedule(
    items: Sequence[SessionItem], *, host_council: str, focus: str, window: tuple[date, date] | None
) -> tuple[str, list[Block]]:
    """The channel's schedule message, one section per day, updated in place on each change."""
    when = f" · {fieldwork_window_text(*window)}" if window else ""
    blocks: list[Block] = [
        header(f"Fieldwork schedule: {host_council}"),
        context(f"{escape_mrkdwn(truncate(focus, 300))}{when}"),
    ]
    ordered = in_order(items)
    shown = 0
    used = sum(block_size(block) for block in blocks)
    for day, group in groupby(ordered, key=lambda item: item.day):
        day_items = list(group)
        day_blocks = _sections([session_line(item) for item in day_items], f"*{format_day(day)}*")
        size = sum(block_size(block) for block in day_blocks)
        if len(blocks) + len(day_blocks) > SCHEDULE_BLOCKS_LIMIT or used + size > (
            PAGE_CHARACTER_BUDGET - 600
        ):
            break
        blocks += day_blocks
        used += size
        shown += len(day_items)
    if not ordered:
        blocks.append(section("No sessions are planned yet."))
    elif shown < len(ordered):
        blocks.append(
            context(
                f"…and {len(ordered) - shown} more sessions: "
                "type `/psif fieldwork` to see them all."
            )
        )
    planned = sum(1 for item in ordered if not item.cancelled)
    blocks.append(
        context(
            "Who takes part is described as a group, never by name. Sessions change here as "
            "the leads update the plan (`/psif fieldwork`)."
        )
    )
    return f"Fieldwork schedule for {host_council}: {plural(planned, 'session')} planned", blocks


def _plan_controls(item: SessionItem, *, can_plan: bool) -> list[Block]:
    controls = [button("Add a finding", ids.FINDING_ADD, f"session:{item.id}")]
    if can_plan:
        controls += [
            button("Edit or move", ids.FIELDWORK_EDIT, str(item.id)),
            button(
                "Cancel session",
                ids.FIELDWORK_CANCEL,
                str(item.id),
                style="danger",
                confirm=confirm_dialog(
                    f"Cancel session {item.number}?",
                    "It comes off the schedule and the people running it are told.",
                    "Cancel session",
                    "Keep it",
                ),
            ),
        ]
    return controls


def build_plan(
    items: Sequence[SessionItem],
    *,
    review_id: int,
    window: tuple[date, date] | None,
    can_plan: bool,
) -> tuple[str, list[Block]]:
    """`/psif fieldwork`: the sessions with edit and cancel for the leads, and a way to note
    findings from each."""
    when = fieldwork_window_text(*window) if window else "dates not agreed yet"
    blocks: list[Block] = [header("Fieldwork plan"), context(f"Fieldwork: {when}")]
    ordered = [item for item in in_order(items) if not item.cancelled]
    if not ordered:
        blocks.append(section("No sessions are planned yet."))
    footer = (
        actions(button("Plan a session", ids.FIELDWORK_PLAN, str(review_id), style="primary"))
        if can_plan
        else context("The host lead and the Improvement Service lead plan the sessions.")
    )
    units = [
        [
            section(_day_heading(item, previous) + session_line(item, afi_texts=True)),
            actions(*_plan_controls(item, can_plan=can_plan)),
        ]
        for previous, item in zip([None, *ordered], ordered, strict=False)
    ]
    blocks = fit_message(
        blocks,
        units,
        more=lambda left: f"…and {plural(left, 'later session')}, in the channel's schedule.",
        footer=[footer],
        at_most=15,
    )
    return f"Fieldwork plan: {plural(len(ordered), 'session')}", blocks


def _day_heading(item: SessionItem, previous: SessionItem | None) -> str:
    """The day above a session, once for each day's sessions."""
    if previous is not None and previous.day == item.day:
        return ""
    return f"*{format_day(item.day)}*\n"


def _session_units(items: Sequence[SessionItem], *, with_day: bool) -> list[list[Block]]:
    """Each session, in order, with its "Add a finding" button."""
    ordered = in_order(items)
    return [
        [
            section(
                (_day_heading(item, previous) if with_day else "")
                + session_line(item, afi_texts=True)
            ),
            actions(button("Add a finding", ids.FINDING_ADD, f"session:{item.id}")),
        ]
        for previous, item in zip([None, *ordered], ordered, strict=False)
    ]


def build_my_sessions(
    items: Sequence[SessionItem], *, host_council: str, channel_id: str, change: str
) -> tuple[str, list[Block]]:
    """A team member's own sessions by DM, after a change that concerns them."""
    blocks: list[Block] = [
        section(f"{change}\n*Your fieldwork sessions for {escape_mrkdwn(host_council)}*")
    ]
    if not items:
        blocks.append(section("You aren't running any sessions now."))
    blocks = fit_message(
        blocks,
        _session_units(items, with_day=True),
        more=lambda left: f"…and {plural(left, 'more session')}.",
        at_most=20,
        footer=[context(f"The full schedule is in <#{channel_id}>.")],
    )
    return f"{change} You run {len(items)} fieldwork sessions.", blocks


def build_day_before_reminder(
    items: Sequence[SessionItem], *, host_council: str, day: date
) -> tuple[str, list[Block]]:
    """The working day before: the sessions someone runs next, with the areas to probe."""
    intro = f"Your fieldwork sessions for {escape_mrkdwn(host_council)} on *{format_day(day)}*:"
    blocks: list[Block] = [section(intro)]
    blocks = fit_message(
        blocks,
        _session_units(items, with_day=False),
        more=lambda left: f"…and {plural(left, 'more session')}.",
        at_most=20,
        footer=[
            context(
                "Probe the areas listed and note key points with “Add a finding”. Findings "
                "never record who said what."
            )
        ],
    )
    return f"Reminder: {len(items)} fieldwork sessions on {format_day(day)}", blocks
