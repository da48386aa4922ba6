"""What the reminders say: the scheduler's messages, the morning post carrying a channel's
reminders, and the `/psif reminders` listing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.calendar import format_date, format_date_range, format_day
from bot.core.milestones_done import WORD_FOR
from bot.core.nudges import CHANNEL, PlannedNudge, when
from bot.core.stages import STAGES, MoveOffer, Stage, stage_heading
from bot.core.timeline import LABELS
from bot.slack.blocks import Block, Message, context, divider, header, section
from bot.slack.pages import Pager
from bot.slack.text import channel_link, escape_mrkdwn, plural, truncate

MAX_LISTED_AFIS = 10
MAX_LISTED_REMINDERS = 40
NOTIFICATION_LIMIT = 300
# Slack's special mentions notify everyone in the channel; a reminder never needs that.
_MASS_MENTION = re.compile(r"<!(channel|here|everyone)(\|[^>]*)?>")

_BEFORE: dict[str, str] = {
    "pre_meeting": "The team pre-meeting is {when}: the team gets ready for fieldwork and "
    "agrees how it will run. The areas for improvement are challenged and agreed on the "
    "first fieldwork day, in context setting.",
    "papers_due": "Papers are due to the review team by {day}{how_soon}, so they have 2 weeks "
    "with them before fieldwork. Circulate the self-assessment results, the evidence and "
    "the areas for improvement.",
    "fieldwork_start": "Fieldwork starts {when}, with context setting: the team reflects on "
    "the self-assessment and agrees which areas for improvement go forward.",
    "draft_report": "The draft report is due to go to the core team {when}.",
    "leads_meeting": "The leads' meeting on the draft report is {when}.",
    "final_report": "Final reporting is planned {when}.",
}
_TITLES: dict[str, str] = {
    "pre_meeting": "Team pre-meeting",
    "papers_due": "Papers due",
    "fieldwork_start": "Fieldwork",
    "fieldwork_end": "Fieldwork",
    "draft_report": "Draft report",
    "leads_meeting": "Leads' meeting",
    "final_report": "Final reporting",
}


def _how_soon(day: date, today: date) -> str:
    """' (in 4 days)' after a date already named in full; nothing once the day has passed."""
    days = (day - today).days
    if days < 0:
        return ""
    return {0: " (today)", 1: " (tomorrow)"}.get(days, f" (in {days} days)")


def build_milestone_reminder(
    *,
    host_council: str,
    milestone: str,
    day: date,
    today: date,
    prioritised_afis: Sequence[str] = (),
) -> Message:
    """A reminder that a timeline milestone is coming up."""
    line = _BEFORE[milestone].format(
        when=when(day, today), day=format_day(day), how_soon=_how_soon(day, today)
    )
    text = f"Reminder: {LABELS[milestone]} {when(day, today)}"
    blocks = [header(f"⏰ {_TITLES[milestone]}"), section(line)]
    done = f"Done? Type `/psif done {WORD_FOR[milestone]}` · "
    if milestone == "fieldwork_start":
        done = ""  # fieldwork can't be done the day before it starts; the others may be early
        if prioritised_afis:
            listed = "\n".join(
                f"{number}. {escape_mrkdwn(truncate(afi, 200))}"
                for number, afi in enumerate(prioritised_afis[:MAX_LISTED_AFIS], start=1)
            )
            more = len(prioritised_afis) - MAX_LISTED_AFIS
            if more > 0:
                listed += f"\n_…and {more} more: `/afi list` shows them all._"
            blocks.append(section(f"*Prioritised areas for improvement*\n{listed}"))
        else:
            blocks.append(
                section("_No areas for improvement have been prioritised yet._ See `/afi list`.")
            )
    blocks.append(
        context(
            f"{escape_mrkdwn(host_council)} review · {done}`/psif reminders` shows what's coming"
        )
    )
    return Message(text, blocks)


def missed(milestone: str) -> tuple[str, str]:
    """("Fieldwork", "ended") or (its label, "was due"): how a passed milestone is named."""
    return (
        ("Fieldwork", "ended") if milestone == "fieldwork_end" else (LABELS[milestone], "was due")
    )


def build_milestone_missed(*, host_council: str, milestone: str, day: date, who: str) -> Message:
    """The milestone's date has passed and nothing recorded it done: say who can, and how."""
    subject, verb = missed(milestone)
    line = (
        f"*{subject}* {verb} on {format_day(day)}, and nothing has recorded it done. If it has "
        f"happened, the review's {who} can type `/psif done {WORD_FOR[milestone]}` in this "
        "channel and I'll stop reminding you. If the date has moved, the host lead can change "
        "it with `/psif edit`."
    )
    text = f"{subject} {verb} on {format_date(day)}"
    return Message(text, [header(f"⚠️ {_TITLES[milestone]}: date passed"), section(line)])


@dataclass(frozen=True)
class DigestFacts:
    host_council: str
    focus: str
    stage: Stage
    week_start: date
    week_end: date
    activity: Sequence[str]
    coming: Sequence[tuple[str, date]]
    overdue: Sequence[tuple[str, date]]
    # The move to the next stage, when its work or its dates have begun.
    offer: MoveOffer | None = None


def _stage_line(facts: DigestFacts) -> str:
    line = f"*{stage_heading(facts.stage)}*"
    if facts.offer is None:
        return line
    return (
        f"{line}\n_Ready for {STAGES[facts.offer.target].label}: {facts.offer.because}. "
        "A lead can move it on with `/psif stage next`._"
    )


def build_weekly_digest(facts: DigestFacts) -> Message:
    """Monday's digest: stage, last week's activity, what's due next."""
    stage_line = _stage_line(facts)
    period = format_date_range(facts.week_start, facts.week_end)
    activity = "\n".join(f"• {line}" for line in facts.activity)
    coming = (
        "\n".join(f"• {label}: *{format_day(day)}*" for label, day in facts.coming)
        if facts.coming
        else "_Nothing on the timeline in the next two weeks._"
    )
    blocks = [
        header(f"📋 Weekly update: {facts.host_council}"),
        section(f"{stage_line}\n_Focus:_ {escape_mrkdwn(truncate(facts.focus, 300))}"),
        *([section(f"*Last week* ({period})\n{activity}")] if facts.activity else []),
        section(f"*Coming up*\n{coming}"),
    ]
    if facts.overdue:
        overdue = "\n".join(
            f"• {LABELS[key]}: was due {format_day(day)} (`/psif done {WORD_FOR[key]}` if "
            "it's done)"
            for key, day in facts.overdue
        )
        blocks.append(section(f"*Not yet recorded done*\n{overdue}"))
    blocks.append(
        context("`/psif status` for the full picture · `/psif reminders` to change these")
    )
    return Message(f"Weekly update for the {facts.host_council} review", blocks)


def build_channel_unreachable(*, channel_id: str, host_council: str, error: str) -> Message:
    """Direct message to the host lead when the review's channel refuses reminders."""
    if error == "is_archived":
        problem = f"{channel_link(channel_id)} is archived"
        fix = "Unarchive it"
    elif error == "channel_not_found":
        problem = (
            f"I can't find {channel_link(channel_id)} (it may have been deleted or made private)"
        )
        fix = "Check the channel still exists and add me to it"
    else:
        problem = f"I'm not a member of {channel_link(channel_id)}"
        fix = "Add me to the channel (type `/invite @PSIF` in it)"
    text = (
        f"I couldn't post a reminder for the {escape_mrkdwn(host_council)} review: {problem}. "
        f"I've stopped the channel reminders so nothing piles up. {fix}, then type "
        "`/psif reminders on` in the channel to start them again."
    )
    return Message(text, [section(text)])


@dataclass(frozen=True)
class ScheduledEntry:
    """One line of `/psif reminders`: a channel message, or one kind of direct message on one
    day, counted and never named (who hasn't yet answered the self-assessment is confidential)."""

    day: date
    summary: str
    state: str  # "scheduled", "sent", "skipped", "muted", "channel unreachable", …
    direct_messages: int = 0  # 0 for a channel message
    to_viewer: bool = False


def scheduled_entries(
    nudges: Sequence[tuple[PlannedNudge, str]], *, viewer: str
) -> list[ScheduledEntry]:
    """(nudge, state) pairs as listing lines, in day order; direct messages with the same day,
    wording and state share a line."""
    lines: dict[tuple[date, str, str, bool], list[str]] = {}
    for nudge, state in sorted(nudges, key=lambda pair: (pair[0].day, pair[0].rule)):
        direct = nudge.recipient != CHANNEL
        lines.setdefault((nudge.day, nudge.summary, state, direct), []).append(nudge.recipient)
    return [
        ScheduledEntry(
            day=day,
            summary=summary,
            state=state,
            direct_messages=len(recipients) if direct else 0,
            to_viewer=viewer in recipients,
        )
        for (day, summary, state, direct), recipients in lines.items()
    ]


def _recipients(entry: ScheduledEntry) -> str:
    if not entry.direct_messages:
        return ""
    if entry.to_viewer:
        others = entry.direct_messages - 1
        return " → you" + (f" and {plural(others, 'other')}" if others else "")
    return f" → {plural(entry.direct_messages, 'person', 'people')}"


def build_reminders_list(
    *,
    entries: Sequence[ScheduledEntry],
    rule_labels: Sequence[tuple[str, str]],
    muted: frozenset[str],
    channel_problem: str | None,
    snoozed_through: date | None,
    today: date,
    days: int,
) -> Message:
    """What the scheduler will send for this review in the next `days` days."""
    blocks: list[Block] = [header("Reminders for this review")]
    if channel_problem:
        blocks.append(
            section(
                f"⚠️ Channel reminders are stopped: Slack said `{channel_problem}` when I "
                "last posted here. Once I can post here again, type `/psif reminders on`."
            )
        )
    if "all" in muted:
        blocks.append(section("🔕 All reminders are *off* for this review."))
    if snoozed_through:
        blocks.append(
            section(
                f"😴 Your own reminders are paused until the end of "
                f"{format_date(snoozed_through)} (`/psif snooze off` to end it)."
            )
        )
    lines = []
    for entry in entries[:MAX_LISTED_REMINDERS]:
        state = "" if entry.state == "scheduled" else f" _({entry.state})_"
        lines.append(f"• *{format_day(entry.day)}*: {entry.summary}{_recipients(entry)}{state}")
    if len(entries) > MAX_LISTED_REMINDERS:
        lines.append(f"_…and {len(entries) - MAX_LISTED_REMINDERS} more._")
    listing = "\n".join(lines) if lines else "_Nothing is scheduled._"
    blocks.append(section(f"*Next {days} days* (from {format_date(today)}, at 09:00)\n{listing}"))
    kinds = [
        f"• {label} (`{name}`): {'off' if name in muted or 'all' in muted else 'on'}"
        for name, label in rule_labels
    ]
    blocks.append(section("*Kinds of reminder*\n" + "\n".join(kinds)))
    blocks.append(
        context(
            "Leads: `/psif reminders off` or `on`, or `/psif reminders off &lt;kind&gt;`. "
            "Away? `/psif snooze 7d` pauses your own reminders."
        )
    )
    return Message(f"Reminders for this review in the next {days} days", blocks)


def without_mass_mentions(text: str) -> str:
    """`<!channel>`, `<!here>` and `<!everyone>` shown as words, not acted on."""
    return _MASS_MENTION.sub(lambda found: f"@{found.group(1)}", text)


def build_morning_post(*, host_council: str, topics: Sequence[Message]) -> list[Message]:
    """One message for the topics (each a rule's rendered message, in listing order), or
    more only if Slack's limits demand it. A single topic goes out as it is."""
    if len(topics) == 1:
        return [_map_text(topics[0], without_mass_mentions)]
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
    return [
        _map_text(Message(text, [heading, *_without_leading_divider(page)]), without_mass_mentions)
        for page in pages
    ]


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


def _map_text(message: Message, change: Callable[[str], str]) -> Message:
    return Message(change(message.text), [_map_block(block, change) for block in message.blocks])


def _map_block(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every "text" string inside it."""
    if isinstance(value, dict):
        return {
            name: change(item)
            if name == "text" and isinstance(item, str)
            else _map_block(item, change)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_map_block(item, change) for item in value]
    return value
