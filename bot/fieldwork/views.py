"""Block Kit for fieldwork: the schedule message, the plan, the direct messages to those who
run sessions, and the form that plans, edits or moves a session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import Any

from bot.core.calendar import format_date, format_date_range, format_day
from bot.core.fieldwork import (
    KIND_LABELS,
    LENGTHS,
    MAX_PARTICIPANTS,
    MODE_LABELS,
    PARTICIPANTS_MAX,
    START_MINUTES,
    AfiLabel,
    FieldworkMode,
    FieldworkSessionItem,
    clock,
    length_label,
)
from bot.slack import ids
from bot.slack.blocks import (
    SECTION_TEXT_LIMIT,
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
)
from bot.slack.pages import PAGE_CHARACTER_BUDGET, block_size, fit_message
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate

# A schedule of many sessions must still be one message Slack accepts (50 blocks, ~12k
# characters); past these, it points to `/psif fieldwork` for the rest.
SCHEDULE_BLOCKS_LIMIT = 45
AFI_OPTIONS_LIMIT = 100


def in_order(items: Sequence[FieldworkSessionItem]) -> list[FieldworkSessionItem]:
    return sorted(items, key=lambda item: (item.day, item.start_minute, item.number))


def session_line(item: FieldworkSessionItem, *, afi_texts: bool = False) -> str:
    """One session in mrkdwn: time, kind, who takes part (a group, never names), runners."""
    kind = KIND_LABELS[item.kind]
    if item.cancelled:
        return f"~{item.times} · {kind} (session {item.number})~ *cancelled*"
    runners = join_words([mention(user) for user in item.runners]) or "nobody yet"
    lines = [
        f"*{item.times} · {kind}* (session {item.number})",
        f"{escape_mrkdwn(truncate(item.participants, 120))} ({item.participant_count}) · "
        f"{MODE_LABELS[item.mode].lower()} · run by {runners}",
    ]
    if afi_texts:
        for afi in item.afis:
            lines.append(f"   ↳ AFI {afi.number}: {escape_mrkdwn(truncate(afi.text, 200))}")
            if afi.figures:
                lines.append(f"      _{escape_mrkdwn(afi.figures)}_")
    else:
        probes = join_words([f"AFI {afi.number}" for afi in item.afis]) or "no areas chosen"
        lines.append(f"Probes {probes}")
    return "\n".join(lines)


def _sections(lines: Sequence[str], heading: str) -> list[Block]:
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
    items: Sequence[FieldworkSessionItem],
    *,
    host_council: str,
    focus: str,
    window: tuple[date, date] | None,
    as_of: date | None = None,
) -> tuple[str, list[Block]]:
    """The channel's schedule message, one section per day, updated in place on each change;
    `as_of`: a copy sent on that day to someone outside the channel."""
    when = f" · {format_date_range(*window)}" if window else ""
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
    changes = (
        f"This is the schedule as it stood on {format_date(as_of)}; I'll send it again if "
        "it changes."
        if as_of
        else "Sessions change here as the leads update the plan (`/psif fieldwork`)."
    )
    blocks.append(context(f"Who takes part is described as a group, never by name. {changes}"))
    planned = sum(1 for item in ordered if not item.cancelled)
    return f"Fieldwork schedule for {host_council}: {plural(planned, 'session')} planned", blocks


def build_schedule_changed(
    schedule: tuple[str, list[Block]], change: str
) -> tuple[str, list[Block]]:
    """A host participant's copy of the schedule after a lead changed it: what changed,
    then the schedule as it now stands."""
    text, blocks = schedule
    return f"The fieldwork schedule has changed. {text}", [
        section(f"🔁 *The fieldwork schedule has changed:* {change}"),
        *blocks,
    ]


def _session_units(
    items: Sequence[FieldworkSessionItem], *, with_day: bool, can_plan: bool = False
) -> list[list[Block]]:
    """Each session in order (its day above the first of each day's), with "Add a finding"
    and, for those who plan, "Edit or move" and "Cancel session"."""
    ordered = in_order(items)
    units = []
    for previous, item in zip([None, *ordered], ordered, strict=False):
        new_day = with_day and (previous is None or previous.day != item.day)
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
        heading = f"*{format_day(item.day)}*\n" if new_day else ""
        units.append([section(heading + session_line(item, afi_texts=True)), actions(*controls)])
    return units


def build_plan(
    items: Sequence[FieldworkSessionItem],
    *,
    review_id: int,
    window: tuple[date, date] | None,
    can_plan: bool,
) -> tuple[str, list[Block]]:
    """`/psif fieldwork`: the sessions, to note findings from and (leads) edit or cancel."""
    when = format_date_range(*window) if window else "dates not agreed yet"
    participants = (
        " · `/psif participants send` gives the schedule to the host's officers taking part"
        if can_plan
        else ""
    )
    blocks: list[Block] = [
        header("Fieldwork plan"),
        context(f"Fieldwork: {when}{participants}"),
    ]
    planned = [item for item in items if not item.cancelled]
    if not planned:
        blocks.append(section("No sessions are planned yet."))
    footer = (
        actions(button("Plan a session", ids.FIELDWORK_PLAN, str(review_id), style="primary"))
        if can_plan
        else context("The host lead and the Improvement Service lead plan the sessions.")
    )
    blocks = fit_message(
        blocks,
        _session_units(planned, with_day=True, can_plan=can_plan),
        more=lambda left: f"…and {plural(left, 'later session')}, in the channel's schedule.",
        footer=[footer],
        at_most=15,
    )
    return f"Fieldwork plan: {plural(len(planned), 'session')}", blocks


def _sessions_message(
    head: list[Block], items: Sequence[FieldworkSessionItem], *, with_day: bool, footer: str
) -> list[Block]:
    """A team member's sessions by DM, under `head`, at most 20 of them."""
    return fit_message(
        head,
        _session_units(items, with_day=with_day),
        more=lambda left: f"…and {plural(left, 'more session')}.",
        at_most=20,
        footer=[context(footer)],
    )


def build_my_sessions(
    items: Sequence[FieldworkSessionItem], *, host_council: str, channel_id: str, change: str
) -> tuple[str, list[Block]]:
    """A team member's own sessions by DM, after a change that concerns them."""
    head = [section(f"{change}\n*Your fieldwork sessions for {escape_mrkdwn(host_council)}*")]
    if not items:
        head.append(section("You aren't running any sessions now."))
    footer = f"The full schedule is in <#{channel_id}>."
    blocks = _sessions_message(head, items, with_day=True, footer=footer)
    return f"{change} You run {len(items)} fieldwork sessions.", blocks


def build_day_before_reminder(
    items: Sequence[FieldworkSessionItem], *, host_council: str, day: date
) -> tuple[str, list[Block]]:
    """The working day before: the sessions someone runs next, with the areas to probe."""
    intro = f"Your fieldwork sessions for {escape_mrkdwn(host_council)} on *{format_day(day)}*:"
    footer = (
        "Probe the areas listed and note key points with “Add a finding”. Findings never "
        "record who said what."
    )
    blocks = _sessions_message([section(intro)], items, with_day=False, footer=footer)
    return f"Reminder: {len(items)} fieldwork sessions on {format_day(day)}", blocks


def afi_option(afi: AfiLabel) -> Block:
    return option(truncate(f"AFI {afi.number}: {afi.text}", 75), str(afi.id))


def _select(
    block_id: str, label: str, placeholder: str, options: dict[Any, Block], initial: object
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": block_id,
        "placeholder": plain(placeholder),
        "options": list(options.values()),
    }
    if initial is not None:
        element["initial_option"] = options[initial]
    return input_block(block_id=block_id, label=label, element=element)


def _text(
    block_id: str, label: str, initial: str, max_length: int, placeholder: str, hint: str = ""
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": block_id,
        "max_length": max_length,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    return input_block(block_id=block_id, label=label, element=element, hint=hint or None)


def build_session_modal(
    *,
    private_metadata: str,
    afis: Sequence[AfiLabel],
    prioritised: bool,
    window: tuple[date, date] | None,
    planner: str,
    existing: FieldworkSessionItem | None = None,
) -> Block:
    """Plan a session, or with `existing` edit or move it."""
    mode = {each: option(label, each.value) for each, label in MODE_LABELS.items()}
    day: Block = {"type": "datepicker", "action_id": ids.FIELDWORK_DAY}
    first_day = existing.day if existing else (window[0] if window else None)
    if first_day:
        day["initial_date"] = first_day.isoformat()
    choices = list(afis[:AFI_OPTIONS_LIMIT])
    afi_element: Block = {
        "type": "multi_static_select",
        "action_id": ids.FIELDWORK_AFIS,
        "placeholder": plain("Choose areas"),
        "options": [afi_option(afi) for afi in choices] or [option("No areas yet", "0")],
    }
    chosen = [afi for afi in choices if existing and afi in existing.afis]
    if chosen:
        afi_element["initial_options"] = [afi_option(afi) for afi in chosen]
    window_hint = (
        f"Fieldwork runs {format_date_range(*window)}."
        if window
        else "Fieldwork dates aren't agreed yet."
    )
    blocks: list[Block] = [
        _select(
            ids.FIELDWORK_KIND,
            "Kind of session",
            "Choose a kind",
            {each: option(label, each.value) for each, label in KIND_LABELS.items()},
            existing.kind if existing else None,
        ),
        input_block(block_id=ids.FIELDWORK_DAY, label="Day", element=day, hint=window_hint),
        _select(
            ids.FIELDWORK_START,
            "Starts at",
            "Choose a time",
            {minute: option(clock(minute), str(minute)) for minute in START_MINUTES},
            existing.start_minute if existing else None,
        ),
        _select(
            ids.FIELDWORK_LENGTH,
            "Length",
            "Choose a length",
            {minutes: option(length_label(minutes), str(minutes)) for minutes in LENGTHS},
            existing.minutes if existing else 60,
        ),
        input_block(
            block_id=ids.FIELDWORK_AFIS,
            label="Areas for improvement it probes",
            element=afi_element,
            hint=None
            if prioritised
            else "No areas have been prioritised yet, so every open area is listed.",
        ),
        input_block(
            block_id=ids.FIELDWORK_RUNNERS,
            label="Run by",
            element={
                "type": "multi_users_select",
                "action_id": ids.FIELDWORK_RUNNERS,
                "placeholder": plain("Choose team members"),
                "initial_users": list(existing.runners) if existing else [planner],
            },
            hint="Members of the review team: they get the session by direct message.",
        ),
        _text(
            ids.FIELDWORK_PARTICIPANTS,
            "Who takes part",
            existing.participants if existing else "",
            PARTICIPANTS_MAX,
            "For example: depot supervisors from the three areas",
            "Describe the group, never people's names: what is said stays confidential.",
        ),
        _text(
            ids.FIELDWORK_COUNT,
            "How many take part",
            str(existing.participant_count) if existing else "",
            len(str(MAX_PARTICIPANTS)),
            "A number, for example 6",
        ),
        input_block(
            block_id=ids.FIELDWORK_MODE,
            label="In person or remote",
            element={
                "type": "radio_buttons",
                "action_id": ids.FIELDWORK_MODE,
                "options": list(mode.values()),
                "initial_option": mode[existing.mode if existing else FieldworkMode.IN_PERSON],
            },
        ),
    ]
    return modal(
        title=f"Edit session {existing.number}" if existing else "Plan a session",
        blocks=blocks,
        callback_id=ids.FIELDWORK_SESSION_MODAL,
        submit="Save changes" if existing else "Add to the plan",
        private_metadata=private_metadata,
    )
