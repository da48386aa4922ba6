"""Messages and forms about improvement actions: card, DMs, lists, plan, history, forms.

The plan is split across messages; too long for grids, it is one line per action, and too
long even for that it stops after `PLAN_MESSAGE_LIMIT` messages, pointing to the export."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.actions import (
    RAG_EMOJI,
    RAG_LABELS,
    RAG_MEANINGS,
    STATUS_LABELS,
    UNFINISHED,
    ActionItem,
    ActionStatus,
    AfiRef,
    ProgressUpdate,
    RagStatus,
    StatusChange,
    rag_text,
    status_text,
)
from bot.core.calendar import format_date, format_datetime
from bot.core.findings import OptionChoice
from bot.core.nudges import when
from bot.core.snapshot import ReviewSnapshot
from bot.improvement_actions._rules import (
    DETAIL_MAX,
    DROP_REASON_MAX,
    KEY_ACTION_MAX,
    NOTE_MAX,
    AfiGroup,
    ListFilter,
)
from bot.slack import ids
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    fields_section,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
)
from bot.slack.pages import PAGE_CHARACTER_BUDGET, Pager, block_size
from bot.slack.payloads import Metadata, RecordId, ResponseUrl
from bot.slack.text import escape_mrkdwn, mention, plural, truncate
from storage.repositories.improvement_actions import ListedLine

NOTE_TEXT_LIMIT = 1500
AFI_OPTIONS_LIMIT = 100
NOT_LINKED = "none"  # the AFI menu's "Not linked to an AFI"
# Green first: the order people read a traffic light's meaning in, best to worst.
RAG_ORDER = (RagStatus.GREEN, RagStatus.AMBER, RagStatus.RED)
PLAN_MESSAGE_LIMIT = 6
ROW_PREFIX = "plan_action_"  # each action's block id, so what a page holds can be counted

DETAIL_INPUTS = (
    (
        ids.ACTION_RISKS,
        "Risks or costs",
        "Financial or resource costs, and what could get in the way",
    ),
    (
        ids.ACTION_MEASURE,
        "How we will know it's done",
        "The measure or evidence that shows it was implemented",
    ),
    (ids.ACTION_OUTCOME, "Overall outcome", "What will be better for people when this is done?"),
)
# Each list's title, and what it says when empty.
LISTS: dict[ListFilter, tuple[str, str]] = {
    ListFilter.OPEN: ("Open actions", "No open actions. "),
    ListFilter.MINE: ("Your actions", "You don't own any actions in this review. "),
    ListFilter.OVERDUE: ("Overdue actions", "Nothing is overdue. "),
    ListFilter.ALL: ("All actions", "No actions have been logged yet. "),
}


class ActionMetadata(Metadata):
    review_id: RecordId
    action_id: RecordId | None = None
    response_url: ResponseUrl | None = None


def afi_text(afi: AfiRef | None) -> str:
    """'AFI 3: Budget planning ★ prioritised', escaped, or 'Not linked to an AFI'."""
    if afi is None:
        return "Not linked to an AFI"
    marker = " ★ prioritised" if afi.prioritised else ""
    return escape_mrkdwn(truncate(afi.label, 300)) + marker


def action_controls(item: ActionItem, *, block_id: str) -> Block:
    value = str(item.id)
    elements: list[Block] = []
    if item.status is ActionStatus.OPEN:
        elements.append(button("Start", ids.ACTION_START, value))
    if item.unfinished:
        elements.append(button("Mark done", ids.ACTION_DONE, value, style="primary"))
    elements.append(button("Update progress", ids.ACTION_PROGRESS, value))
    elements.append(button("Edit", ids.ACTION_EDIT, value))
    first = (
        option("Drop this action…", f"{ids.ACTION_MORE_DROP}:{value}")
        if item.unfinished
        else option("Reopen", f"{ids.ACTION_MORE_REOPEN}:{value}")
    )
    elements.append(
        {
            "type": "overflow",
            "action_id": ids.ACTION_MORE,
            "options": [first, option("Show history", f"{ids.ACTION_MORE_HISTORY}:{value}")],
        }
    )
    return actions(*elements, block_id=block_id)


def _change_line(item: ActionItem, zone: ZoneInfo) -> str:
    logged = f"Logged by {mention(item.created_by)}"
    if item.created_at:
        logged += f" on {format_date(item.created_at.astimezone(zone).date())}"
    if item.status_changed_by and item.status_changed_at:
        changed = format_datetime(item.status_changed_at, zone)
        by = mention(item.status_changed_by)
        logged += f" · {STATUS_LABELS[item.status]} by {by} on {changed}"
    return logged


def build_action_card(
    item: ActionItem, *, zone: ZoneInfo, latest_note: ProgressUpdate | None = None
) -> tuple[str, list[Block]]:
    title = f"*Action {item.number}:* {escape_mrkdwn(truncate(item.key_action, 2500))}"
    facts = [
        ("Area for improvement", afi_text(item.afi)),
        ("Owner", mention(item.owner_id)),
        ("Due", format_date(item.due)),
        ("Status", status_text(item)),
    ]
    if item.rag is not None:
        facts.append(("RAG status", rag_text(item.rag)))
    blocks: list[Block] = [section(title), fields_section(facts)]
    details = [
        (label, escape_mrkdwn(truncate(value, 1900)))
        for label, value in (
            ("Risks or costs", item.risks),
            ("How we will know", item.measure),
            ("Overall outcome", item.outcome),
        )
        if value
    ]
    if details:
        blocks.append(fields_section(details))
    if item.status is ActionStatus.DROPPED and item.drop_reason:
        blocks.append(section(f"*Why it was dropped:* {escape_mrkdwn(item.drop_reason)}"))
    if latest_note is not None:
        day = format_date(latest_note.at.astimezone(zone).date())
        blocks.append(
            section(
                f"📝 *Latest progress*, {day}, {mention(latest_note.author_id)}: "
                f"{escape_mrkdwn(truncate(latest_note.note, NOTE_TEXT_LIMIT))}"
            )
        )
    blocks.append(context(_change_line(item, zone)))
    blocks.append(action_controls(item, block_id=f"action_controls:{item.id}"))
    text = (
        f"Action {item.number}: {escape_mrkdwn(truncate(item.key_action, 200))} — "
        f"owner {mention(item.owner_id)}, due {format_date(item.due)}, "
        f"{STATUS_LABELS[item.status].lower()}"
        + (f", {RAG_LABELS[item.rag].lower()}" if item.rag else "")
    )
    return text, blocks


def build_assignment_dm(
    item: ActionItem, *, assigned_by: str, channel_id: str, host: str, edited: bool = False
) -> tuple[str, list[Block]]:
    verb = "made you the owner of" if edited else "assigned you"
    intro = (
        f"{mention(assigned_by)} {verb} action {item.number} in the {escape_mrkdwn(host)} "
        f"review (<#{channel_id}>), due *{format_date(item.due)}*:"
    )
    blocks = [
        section(intro),
        section(f">{escape_mrkdwn(truncate(item.key_action, 2000))}"),
        context(
            f"Area for improvement: {afi_text(item.afi)}",
            "Update it from its card in the channel or from my Home tab.",
        ),
    ]
    text = f"You've been assigned action {item.number}, due {format_date(item.due)}"
    return text, blocks


def build_action_due_reminder(
    item: ActionItem, *, host_council: str, channel_id: str, today: date, overdue: bool
) -> Message:
    """The owner's DM: due soon, or overdue and still open; RAG buttons until it has one."""
    if overdue:
        lead = f"⚠️ Action {item.number} was due {format_date(item.due)} and is still open."
        text = f"Action {item.number} in the {host_council} review was due {format_date(item.due)}"
    else:
        lead = f"⏰ Action {item.number} is due {when(item.due, today)}."
        text = f"Action {item.number} in the {host_council} review is due {format_date(item.due)}"
    blocks: list[Block] = [
        section(f"{lead}\n*{escape_mrkdwn(host_council)}* review (<#{channel_id}>)"),
        section(f">{escape_mrkdwn(truncate(item.key_action, 2000))}"),
    ]
    blocks += _rag_blocks(item)
    blocks += [
        action_controls(item, block_id=f"action_reminder_{item.id}"),
        context(
            f"Area for improvement: {afi_text(item.afi)}",
            "If the date has moved, use Edit to change it. Pause reminders with `/psif snooze 7d`.",
        ),
    ]
    return Message(text=text, blocks=blocks)


def _rag_blocks(item: ActionItem) -> list[Block]:
    if item.rag is not None:
        return [
            context(
                f"RAG status: {rag_text(item.rag)}. If that has changed, say so with "
                "*Update progress*."
            )
        ]
    meanings = " · ".join(f"{rag_text(rag)}: {RAG_MEANINGS[rag]}" for rag in RAG_ORDER)
    buttons = [
        button(rag_text(rag), ids.ACTION_SET_RAG, f"{rag.value}:{item.id}") for rag in RAG_ORDER
    ]
    return [
        section(f"*How is it going?* Give it a RAG status so the team can see.\n{meanings}"),
        actions(*buttons, block_id=f"action_rag_{item.id}"),
    ]


def build_overdue_digest(items: Sequence[ActionItem], *, host_council: str, today: date) -> Message:
    ordered = sorted(items, key=lambda item: (item.due, item.number))
    lines: list[str] = []
    used = 0
    for item in ordered[:40]:
        line = (
            f"• *{item.number}.* {escape_mrkdwn(truncate(item.key_action, 150))} – "
            f"{mention(item.owner_id)}, due {format_date(item.due)} "
            f"({plural((today - item.due).days, 'day')} ago)"
        )
        # Stay well inside the ~12,000 characters of block text a message may hold.
        if used + len(line) > PAGE_CHARACTER_BUDGET - 1000:
            break
        lines.append(line)
        used += len(line) + 1
    blocks = [header(f"Overdue actions – {truncate(host_council, 100)}"), *_line_sections(lines)]
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


def action_line(item: ActionItem, *, today: date) -> str:
    """'*3.* Key action — @owner · due 3 March 2027 · 🔵 In progress · ⚠️ overdue · 🟠 Amber'."""
    line = (
        f"*{item.number}.* {escape_mrkdwn(truncate(item.key_action, 300))} — "
        f"{mention(item.owner_id)} · due {format_date(item.due)} · "
        f"{status_text(item, today=today)}"
    )
    return f"{line} · {rag_text(item.rag)}" if item.rag else line


def _line_sections(lines: list[str]) -> list[Block]:
    """Lines packed into sections under Slack's 3000 characters."""
    sections: list[Block] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > 2900 and current:
            sections.append(section(current))
            candidate = line
        current = candidate
    if current:
        sections.append(section(current))
    return sections


def _numbered_parts(
    pages: list[list[Block]],
    title: str,
    text: str,
    *,
    top: Sequence[Block] = (),
    parts: int | None = None,
) -> list[tuple[str, list[Block]]]:
    """Each page under the title, 'part 2 of 3' when several (of `parts` if only the first
    pages are given); without `top`, later parts say which they continue."""
    messages = []
    parts = len(pages) if parts is None else parts
    for number, page in enumerate(pages, start=1):
        part = f" (part {number} of {parts})" if parts > 1 else ""
        heading = [header(f"{title}{part}"), *top]
        if not top and number > 1:
            heading.append(context(f"Continued from part {number - 1}."))
        messages.append((f"{title}{part}: {text}", [*heading, *page]))
    return messages


# `/action list` is packed as `build_action_list` packs it, but counted from each action's
# measured line (`list_parts`), so only the parts shown are built.
_SECTION = block_size(section(""))
_CONTINUED = " (continued)"
_DONE = ActionItem(0, 0, 0, "", "", date(1000, 5, 1), ActionStatus.DONE)
# What a line has besides its number, key action, owner, due date, status and RAG status.
_LINE_FIXED = len(action_line(_DONE, today=date.max)) - len(
    "0" + mention("") + format_date(_DONE.due) + status_text(_DONE)
)
_PRIORITISED = len(afi_text(AfiRef(0, 0, "", True))) - len(afi_text(AfiRef(0, 0, "")))


def _measured(text: str) -> tuple[int, int]:
    """`text`'s length, and how many characters JSON adds to it."""
    return len(text), len(json.dumps(text, ensure_ascii=False)) - 2 - len(text)


@lru_cache(maxsize=4096)  # bounded: the bot runs for months
def _line_rest(owner_id: str, due: str, status: str, rag: str | None, overdue: bool) -> int:
    """How long a line is besides its number and key action."""
    item = ActionItem(0, 0, 0, "", "", date.min, ActionStatus(status))
    shown = status_text(item, today=date.max if overdue else None)
    day = date.fromisoformat(due)
    rest = _LINE_FIXED + len(mention(owner_id)) + len(format_date(day)) + len(shown)
    return rest + (len(f" · {rag_text(RagStatus(rag))}") if rag else 0)


@lru_cache(maxsize=4096)
def _owner_json(owner_id: str) -> int:
    return _measured(mention(owner_id))[1]


_UNFINISHED = frozenset(status.value for status in UNFINISHED)


def _line_size(line: ListedLine, today: str) -> tuple[int, int]:
    """`action_line`'s length for `line`, and how many characters JSON adds to it."""
    if line.key_chars is None or line.key_json is None:
        key_chars, key_json = _measured(escape_mrkdwn(truncate(line.key_action, 300)))
    else:
        key_chars, key_json = line.key_chars, line.key_json
    overdue = line.status in _UNFINISHED and line.due < today
    rest = _line_rest(line.owner_id, line.due, line.status, line.rag, overdue)
    return len(str(line.number)) + key_chars + rest, key_json + _owner_json(line.owner_id)


def _heading_size(line: ListedLine) -> int:
    """The size of the section heading `line`'s AFI in a list."""
    if line.afi_id is None:
        chars, extra = _measured(afi_text(None))
    elif line.afi_chars is None or line.afi_json is None:
        assert line.afi_text is not None and line.afi_number is not None
        afi = AfiRef(line.afi_id, line.afi_number, line.afi_text, bool(line.afi_prioritised))
        chars, extra = _measured(afi_text(afi))
    else:
        chars = line.afi_chars + (_PRIORITISED if line.afi_prioritised else 0)
        extra = line.afi_json
    return _SECTION + len("**") + chars + extra


def list_parts(lines: Sequence[ListedLine], *, today: date, shown: int) -> tuple[int, int]:
    """How many parts `build_action_list` makes of the listed `lines`, and how many actions
    its first `shown` parts hold: the same packing (its `_line_sections` and `Pager`),
    done on lengths."""
    most_blocks, most_chars = MESSAGE_BLOCKS_LIMIT - 2, PAGE_CHARACTER_BUDGET - 400
    held: list[int] = []  # how many actions each finished page holds
    blocks = chars = actions = 0  # the page being filled
    heading = sections = 0  # the AFI's heading's size, and how many of its sections are placed
    text_chars = text_json = count = 0  # the section being filled: length, serialised, lines

    def place_section() -> None:
        """`Pager.add`: the AFI's first section comes with its heading, and any other
        starting a page after its heading marked continued."""
        nonlocal blocks, chars, actions, sections
        unit_blocks, size = (
            (1, _SECTION + text_json) if sections else (2, heading + _SECTION + text_json)
        )
        if blocks and (blocks + unit_blocks > most_blocks or chars + size > most_chars):
            held.append(actions)
            blocks, chars, actions = (1, heading + len(_CONTINUED), 0) if sections else (0, 0, 0)
        blocks, chars, actions = blocks + unit_blocks, chars + size, actions + count
        sections += 1

    afi: object = object()  # no AFI's id
    iso_today = today.isoformat()  # compared with the lines' ISO due dates
    for line in lines:
        line_chars, line_json = _line_size(line, iso_today)
        new_afi = line.afi_id != afi
        if count and (new_afi or text_chars + 1 + line_chars > 2900):  # `_line_sections`
            place_section()
            text_chars = text_json = count = 0
        if new_afi:
            afi, heading, sections = line.afi_id, _heading_size(line), 0
        if count:
            text_chars, text_json = text_chars + 1, text_json + len("\\n")
        text_chars += line_chars
        text_json += line_chars + line_json
        count += 1
    if count:
        place_section()
    if blocks:
        held.append(actions)
    return len(held), sum(held[:shown])


def build_action_list(
    groups: list[AfiGroup],
    *,
    which: ListFilter,
    today: date,
    total: int,
    listed: int | None = None,
    parts: int | None = None,
) -> list[tuple[str, list[Block]]]:
    """The parts holding `groups`' actions; given only the first parts' actions, `listed` and
    `parts` say how many actions and parts there are in all (see `list_parts`)."""
    count = sum(len(group.actions) for group in groups) if listed is None else listed
    if not count:
        empty = LISTS[which][1]
        hint = (
            "Log one with `/action log`." if total == 0 else "`/action list all` shows every one."
        )
        return [(empty + hint.replace("`", ""), [section(empty + hint)])]
    pager = Pager(heading_blocks=2)
    for group in groups:
        heading = section(f"*{afi_text(group.afi)}*")
        body = _line_sections([action_line(item, today=today) for item in group.actions])
        pager.add([heading, body[0]])
        for more in body[1:]:
            pager.add([more], continuation=[section(f"*{afi_text(group.afi)}*{_CONTINUED}")])
    summary = f"{count} of {plural(total, 'action')} · `/action plan` posts the whole plan"
    return _numbered_parts(
        pager.result(),
        LISTS[which][0],
        plural(count, "action"),
        top=[context(summary)],
        parts=parts,
    )


def _progress_entry(update: ProgressUpdate, zone: ZoneInfo) -> str:
    entry = f"📝 {mention(update.author_id)} on {format_datetime(update.at, zone)}"
    if update.rag is not None:
        entry += f" set the RAG status to *{rag_text(update.rag)}*"
    if update.note:
        entry += f": {escape_mrkdwn(truncate(update.note, NOTE_TEXT_LIMIT))}"
    return entry


def build_history_modal(
    item: ActionItem,
    history: list[StatusChange],
    *,
    zone: ZoneInfo,
    progress: Sequence[ProgressUpdate] = (),
) -> Block:
    lines = [f"Logged by {mention(item.created_by)}"]
    if item.created_at:
        lines[0] += f" on {format_datetime(item.created_at, zone)}"
    entries: list[tuple[datetime, str]] = []
    for change in history:
        line = (
            f"{mention(change.actor_id)} moved it from {STATUS_LABELS[change.from_status]} to "
            f"*{STATUS_LABELS[change.to_status]}* on {format_datetime(change.at, zone)}"
        )
        if change.reason:
            line += f": _{escape_mrkdwn(change.reason)}_"
        entries.append((change.at, line))
    entries += [(update.at, _progress_entry(update, zone)) for update in progress]
    lines += [line for _, line in sorted(entries, key=lambda entry: entry[0])]
    return modal(
        title=f"Action {item.number} history",
        callback_id=ids.ACTION_HISTORY_MODAL,
        close="Close",
        blocks=[
            section(f"*{escape_mrkdwn(truncate(item.key_action, 500))}*"),
            *_line_sections([f"• {line}" for line in lines[-60:]]),
        ],
    )


def _select(
    action_id: str, placeholder: str, groups: dict[str, list[Block]], initial: Block | None
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder),
        "option_groups": [
            {"label": plain(label), "options": options}
            for label, options in groups.items()
            if options
        ],
    }
    if initial:
        element["initial_option"] = initial
    return element


def afi_select(
    prioritised: list[AfiRef],
    others: list[AfiRef],
    *,
    initial: AfiRef | None,
    preselect_not_linked: bool,
) -> Block:
    """Prioritised AFIs, then the others, then "not linked"; at most 100 options."""
    not_linked = option("Not linked to an AFI", NOT_LINKED)
    first = prioritised[: AFI_OPTIONS_LIMIT - 1]
    rest = others[: AFI_OPTIONS_LIMIT - 1 - len(first)]
    made = {afi.id: option(afi.label, str(afi.id)) for afi in [*first, *rest]}
    groups = {
        "Prioritised areas": [made[afi.id] for afi in first],
        "Other areas" if first else "Areas for improvement": [made[afi.id] for afi in rest],
        "None": [not_linked],
    }
    chosen = made.get(initial.id) if initial else None
    default = not_linked if preselect_not_linked else None
    return _select(ids.ACTION_AFI, "Choose an area for improvement", groups, chosen or default)


def option_select(options: Sequence[OptionChoice], chosen: int | None) -> Block:
    shown = [*options][:AFI_OPTIONS_LIMIT]
    made = {c.id: option(f"Option {c.number}: {c.text}", str(c.id)) for c in shown}
    groups: dict[str, list[Block]] = {}
    for choice in shown:
        groups.setdefault(f"AFI {choice.afi_number}", []).append(made[choice.id])
    initial = made.get(chosen) if chosen else None
    return _select(ids.ACTION_OPTION, "Choose the option it carries out", groups, initial)


def _text_input(action_id: str, initial: str, max_length: int, placeholder: str) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": True,
        "max_length": max_length,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    return element


def build_action_modal(
    *,
    metadata: ActionMetadata,
    prioritised: list[AfiRef],
    others: list[AfiRef],
    existing: ActionItem | None = None,
    key_action: str = "",
    options: Sequence[OptionChoice] = (),
    chosen_option: int | None = None,
) -> Block:
    """The log modal, or with `existing` the edit modal."""
    owner: Block = {
        "type": "users_select",
        "action_id": ids.ACTION_OWNER,
        "placeholder": plain("Choose a person"),
    }
    due: Block = {
        "type": "datepicker",
        "action_id": ids.ACTION_DUE,
        "placeholder": plain("Choose a date"),
    }
    if existing:
        owner["initial_user"] = existing.owner_id
        due["initial_date"] = existing.due.isoformat()
        key_action = existing.key_action
    afi = existing.afi if existing else None
    linked_afis = [*prioritised, *others]
    if afi and all(candidate.id != afi.id for candidate in linked_afis):
        others = [afi, *others]  # an AFI since withdrawn stays choosable for its actions
    blocks: list[Block] = [
        input_block(
            block_id=ids.ACTION_AFI,
            label="Area for improvement",
            element=afi_select(
                prioritised,
                others,
                initial=afi,
                preselect_not_linked=(existing is not None and afi is None) or not linked_afis,
            ),
            hint=None if linked_afis else "No areas for improvement are recorded yet.",
        )
    ]
    if options:
        blocks.append(
            input_block(
                block_id=ids.ACTION_OPTION,
                label="Option for improvement it carries out",
                element=option_select(options, chosen_option),
                optional=True,
                hint="Options noted in fieldwork against the chosen area (`/afi show`).",
            )
        )
    blocks += [
        input_block(
            block_id=ids.ACTION_KEY,
            label="Key action",
            element=_text_input(
                ids.ACTION_KEY,
                key_action[:KEY_ACTION_MAX],
                KEY_ACTION_MAX,
                "What needs to happen?",
            ),
        ),
        input_block(
            block_id=ids.ACTION_OWNER,
            label="Owner",
            element=owner,
            hint="The person who will make sure it happens. They needn't be in this channel.",
        ),
        input_block(block_id=ids.ACTION_DUE, label="Due date", element=due),
    ]
    details = (existing.risks, existing.measure, existing.outcome) if existing else ("",) * 3
    blocks += [
        input_block(
            block_id=block_id,
            label=label,
            element=_text_input(block_id, value, DETAIL_MAX, placeholder),
            optional=True,
        )
        for (block_id, label, placeholder), value in zip(DETAIL_INPUTS, details, strict=True)
    ]
    if existing is None:
        blocks.append(context("The owner gets a direct message, and a card is posted here."))
    return modal(
        title=f"Edit action {existing.number}" if existing else "Log an action",
        blocks=blocks,
        callback_id=ids.ACTION_MODAL,
        submit="Save changes" if existing else "Log action",
        private_metadata=metadata.dump(),
    )


def _about(item: ActionItem) -> Block:
    return context(f"*{item.number}.* {escape_mrkdwn(truncate(item.key_action, 500))}")


def build_drop_modal(*, item: ActionItem, metadata: ActionMetadata) -> Block:
    return modal(
        title=f"Drop action {item.number}",
        callback_id=ids.ACTION_DROP_MODAL,
        submit="Drop action",
        private_metadata=metadata.dump(),
        blocks=[
            _about(item),
            input_block(
                block_id=ids.ACTION_DROP_REASON,
                label="Why is it being dropped?",
                element=_text_input(
                    ids.ACTION_DROP_REASON,
                    "",
                    DROP_REASON_MAX,
                    "For example: overtaken by the new service plan",
                ),
                hint="The reason is shown on the action's card and kept in the plan.",
            ),
        ],
    )


def _rag_option(rag: RagStatus) -> Block:
    return option(f"{RAG_EMOJI[rag]} {RAG_LABELS[rag]}: {RAG_MEANINGS[rag]}", rag.value)


def build_progress_modal(*, item: ActionItem, metadata: ActionMetadata) -> Block:
    rag: Block = {
        "type": "radio_buttons",
        "action_id": ids.ACTION_PROGRESS_RAG,
        "options": [_rag_option(rag) for rag in RAG_ORDER],
    }
    if item.rag is not None:
        rag["initial_option"] = _rag_option(item.rag)
    return modal(
        title=f"Action {item.number} progress",
        callback_id=ids.ACTION_PROGRESS_MODAL,
        submit="Save",
        private_metadata=metadata.dump(),
        blocks=[
            _about(item),
            input_block(
                block_id=ids.ACTION_PROGRESS_RAG, label="RAG status", element=rag, optional=True
            ),
            input_block(
                block_id=ids.ACTION_PROGRESS_NOTE,
                label="Progress note",
                element=_text_input(
                    ids.ACTION_PROGRESS_NOTE,
                    "",
                    NOTE_MAX,
                    "What has happened since the last update?",
                ),
                optional=True,
                hint="Your name and today's date are kept with the note, and it's shown on "
                "the action's card and in the plan.",
            ),
        ],
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
    """The latest progress note of each action, by number."""

    by_number: Mapping[int, ProgressUpdate]
    zone: ZoneInfo


def _plan_detail(text: str) -> str:
    return escape_mrkdwn(truncate(text, 500)) if text else "—"


def _plan_row(item: ActionItem, *, today: date, notes: LatestNotes | None, grid: bool) -> Block:
    """One action as a two-column grid, or on one line for plans too long for grids."""
    if not grid:
        action = escape_mrkdwn(truncate(item.key_action, 150))
        rag = f" · {rag_text(item.rag)}" if item.rag else ""
        row = section(
            f"*{item.number}.* {action} · {mention(item.owner_id)} · due {format_date(item.due)}"
            f" · {status_text(item, today=today)}{rag}"
        )
        return {**row, "block_id": f"{ROW_PREFIX}{item.number}"}
    fields = [
        (f"Action {item.number}", escape_mrkdwn(truncate(item.key_action, 900))),
        ("Owner", mention(item.owner_id)),
        ("Due", format_date(item.due)),
        ("Status", status_text(item, today=today)),
        ("RAG status", rag_text(item.rag) or "Not set"),
        ("Risks or costs", _plan_detail(item.risks)),
        ("How we will know", _plan_detail(item.measure)),
        ("Overall outcome", _plan_detail(item.outcome)),
    ]
    note = notes.by_number.get(item.number) if notes else None
    if notes is not None and note is not None:
        day = format_date(note.at.astimezone(notes.zone).date())
        text = escape_mrkdwn(truncate(note.note, 300))
        fields.append(("Latest progress", f"{day}, {mention(note.author_id)}: {text}"))
    return {**fields_section(fields), "block_id": f"{ROW_PREFIX}{item.number}"}


def build_plan_messages(
    review: ReviewSnapshot,
    groups: list[AfiGroup],
    *,
    today: date,
    posted_by: str,
    notes: LatestNotes | None = None,
) -> list[tuple[str, list[Block]]]:
    items = [item for group in groups for item in group.actions]
    # A closed review's plan, posted again, says so: nobody takes it for a live one.
    closed = (
        [f"🔒 This review closed on {format_date(review.closed_on)}"] if review.closed_on else []
    )

    def pages(grid: bool) -> list[list[Block]]:
        # Room on every page for its heading and, on the last, the note of what was left out.
        pager = Pager(heading_blocks=3, heading_chars=1000)
        pager.add(
            [
                section(f"*Focus:* {escape_mrkdwn(truncate(review.focus, 1000))}"),
                context(
                    *closed,
                    plan_summary(items, today=today),
                    f"Posted by {mention(posted_by)} · ★ marks prioritised areas",
                ),
            ]
        )
        for group in groups:
            continued = [section(f"*{afi_text(group.afi)}* (continued)")]
            rows = [_plan_row(item, today=today, notes=notes, grid=grid) for item in group.actions]
            pager.add([divider(), section(f"*{afi_text(group.afi)}*"), rows[0]])
            for row in rows[1:]:
                pager.add([row], continuation=continued)
        return pager.result()

    posted = pages(grid=True)
    if len(posted) > PLAN_MESSAGE_LIMIT:
        posted = pages(grid=False)[:PLAN_MESSAGE_LIMIT]
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
    return _numbered_parts(posted, title, plan_summary(items, today=today))
