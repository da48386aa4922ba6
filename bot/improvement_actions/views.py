"""Messages about improvement actions: the channel card, lists, history and the owner's DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.actions import (
    RAG_LABELS,
    STATUS_EMOJI,
    STATUS_LABELS,
    ActionItem,
    ActionStatus,
    AfiRef,
    ProgressUpdate,
    StatusChange,
    rag_text,
)
from bot.core.calendar import format_date, format_datetime
from bot.improvement_actions.rules import LIST_TITLES, AfiGroup, ListFilter
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    fields_section,
    header,
    modal,
    option,
    section,
)
from bot.slack.pages import Pager
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

CARD_TEXT_LIMIT = 2500
LINE_TEXT_LIMIT = 300
NOTE_TEXT_LIMIT = 1500


def status_text(item: ActionItem, *, today: date | None = None) -> str:
    """'🔵 In progress', with ' · overdue' when `today` is given and it is."""
    text = f"{STATUS_EMOJI[item.status]} {STATUS_LABELS[item.status]}"
    if today is not None and item.overdue(today):
        text += " · ⚠️ overdue"
    return text


def afi_text(afi: AfiRef | None) -> str:
    """'AFI 3: Budget planning ★ prioritised', escaped, or 'Not linked to an AFI'."""
    if afi is None:
        return "Not linked to an AFI"
    marker = " ★ prioritised" if afi.prioritised else ""
    return escape_mrkdwn(truncate(afi.label, 300)) + marker


def action_controls(item: ActionItem, *, block_id: str) -> Block:
    """Buttons to update an action, for its card and the App Home."""
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
        when = format_datetime(item.status_changed_at, zone)
        logged += f" · {STATUS_LABELS[item.status]} by {mention(item.status_changed_by)} on {when}"
    return logged


def progress_line(update: ProgressUpdate, zone: ZoneInfo, *, limit: int = NOTE_TEXT_LIMIT) -> str:
    """'📝 Latest progress, 3 March 2027, @author: the note'."""
    day = format_date(update.at.astimezone(zone).date())
    return (
        f"📝 *Latest progress*, {day}, {mention(update.author_id)}: "
        f"{escape_mrkdwn(truncate(update.note, limit))}"
    )


def build_action_card(
    item: ActionItem, *, zone: ZoneInfo, latest_note: ProgressUpdate | None = None
) -> tuple[str, list[Block]]:
    """The channel card: number, AFI, owner, due date, status and RAG status, the details,
    the latest progress note, and the buttons."""
    title = f"*Action {item.number}:* {escape_mrkdwn(truncate(item.key_action, CARD_TEXT_LIMIT))}"
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
        blocks.append(section(progress_line(latest_note, zone)))
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
    """Tell an owner that an action is theirs."""
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


def action_line(item: ActionItem, *, today: date) -> str:
    """'*3.* Key action — @owner · due 3 March 2027 · 🔵 In progress · ⚠️ overdue · 🟠 Amber'."""
    line = (
        f"*{item.number}.* {escape_mrkdwn(truncate(item.key_action, LINE_TEXT_LIMIT))} — "
        f"{mention(item.owner_id)} · due {format_date(item.due)} · "
        f"{status_text(item, today=today)}"
    )
    return f"{line} · {rag_text(item.rag)}" if item.rag else line


def _line_sections(lines: list[str]) -> list[Block]:
    """Pack lines into sections under Slack's 3000-character limit."""
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


def build_action_list(
    groups: list[AfiGroup], *, which: ListFilter, today: date, total: int
) -> list[tuple[str, list[Block]]]:
    """`/action list`: the chosen actions grouped by AFI, split across messages if long."""
    title = LIST_TITLES[which]
    count = sum(len(group.actions) for group in groups)
    if not groups:
        empty = {
            ListFilter.OPEN: "No open actions. ",
            ListFilter.MINE: "You don't own any actions in this review. ",
            ListFilter.OVERDUE: "Nothing is overdue. ",
            ListFilter.ALL: "No actions have been logged yet. ",
        }[which]
        hint = (
            "Log one with `/action log`." if total == 0 else "`/action list all` shows every one."
        )
        return [(empty + hint.replace("`", ""), [section(empty + hint)])]
    pager = Pager(heading_blocks=2)
    for group in groups:
        heading = section(f"*{afi_text(group.afi)}*")
        lines = [action_line(item, today=today) for item in group.actions]
        body = _line_sections(lines)
        pager.add([heading, body[0]])
        for more in body[1:]:
            pager.add([more], continuation=[section(f"*{afi_text(group.afi)}* (continued)")])
    pages = pager.result()
    messages = []
    for number, page in enumerate(pages, start=1):
        part = f" (part {number} of {len(pages)})" if len(pages) > 1 else ""
        top = [
            header(f"{title}{part}"),
            context(f"{count} of {plural(total, 'action')} · `/action plan` posts the whole plan"),
        ]
        messages.append((f"{title}{part}: {plural(count, 'action')}", [*top, *page]))
    return messages


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
    """Status changes and progress updates, in the order they happened."""
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
