"""Block Kit for the papers: the pack as `/psif papers` shows it, as posted in the channel,
and as each team member gets it by DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.calendar import format_date
from bot.core.papers import PaperItem, PaperKind
from bot.slack.blocks import Block, context, header, section
from bot.slack.text import escape_mrkdwn, plural, truncate


def _link(item: PaperItem) -> str:
    title = escape_mrkdwn(truncate(item.title or item.url, 150)).replace("|", "¦")
    return f"<{item.url.replace('&', '&amp;')}|{title}>"


def _pack_lines(items: Sequence[PaperItem], report_note: str) -> list[str]:
    host = next((item for item in items if item.kind is PaperKind.HOST_PAPER), None)
    evidence = [item for item in items if item.kind is PaperKind.EVIDENCE]
    lines = [
        "*1. What the host wants from fieldwork:* "
        + (_link(host) if host else "_not added yet_ (`/psif papers paper &lt;link&gt;`)"),
        f"*2. Self-assessment report:* {report_note}",
        "*3. Other evidence:*"
        + ("" if evidence else " _none added yet_ (`/psif papers add &lt;title&gt; &lt;link&gt;`)"),
    ]
    lines += [f"   {index}. {_link(item)}" for index, item in enumerate(evidence, start=1)]
    return lines


def build_pack(
    items: Sequence[PaperItem],
    *,
    report_note: str,
    papers_due: date | None,
    sent: bool,
) -> tuple[str, list[Block]]:
    """`/psif papers`: what is in the pack and what is missing."""
    due = (
        f"Due to the team by {format_date(papers_due)}."
        if papers_due
        else "Fieldwork dates aren't set yet."
    )
    status = "✅ Sent to the team." if sent else due
    blocks: list[Block] = [
        header("Papers for fieldwork"),
        section("\n".join(_pack_lines(items, report_note))),
        context(
            f"{status} Remove evidence with `/psif papers remove &lt;number&gt;`; a lead sends the "
            "pack with `/psif papers send`."
        ),
    ]
    return f"Papers for fieldwork: {plural(len(items), 'link')}", blocks


def build_pack_post(
    items: Sequence[PaperItem], *, host_council: str, report_note: str, sent_by: str
) -> tuple[str, list[Block]]:
    """The pack as posted in the channel (the self-assessment report goes in its thread)."""
    return f"Papers for fieldwork: {host_council}", [
        header(f"Papers for fieldwork: {host_council}"),
        section("\n".join(_pack_lines(items, report_note))),
        context(
            f"Sent by <@{sent_by}>. Please read them before fieldwork: the documents and "
            "the discussions stay confidential to the review (guidance §2)."
        ),
    ]


def build_pack_dm(
    items: Sequence[PaperItem], *, host_council: str, channel_id: str | None, report_note: str
) -> tuple[str, list[Block]]:
    """The pack by direct message: to a team member, pointing at the review's channel; to a
    host participant (`channel_id` None), who isn't in it, on its own."""
    council = escape_mrkdwn(host_council)
    where = (
        f"are ready in <#{channel_id}>"
        if channel_id
        else "are here for you, as one of the officers taking part in fieldwork"
    )
    return f"The papers for the {host_council} review are ready", [
        section(
            f"The papers for the *{council}* peer collaborative improvement review {where}. "
            "Please read them before fieldwork and keep them confidential."
        ),
        section("\n".join(_pack_lines(items, report_note))),
    ]
