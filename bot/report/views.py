"""Block Kit for the report: the draft's post, comments, the confirmations and the final
notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.calendar import format_date
from bot.core.report import OpenComment
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    modal,
    section,
    text_input,
)
from bot.slack.pages import fit_message
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

COMMENT_MAX = 3000
COMMENTS_SHOWN = 20
FINAL_COMMENTS_SHOWN = 10  # each cut to 150 characters: one section holds them


def build_report_post(
    *,
    version: int,
    version_id: int,
    host_council: str,
    built_by: str,
    built_on: date,
    facts: str,
) -> tuple[str, list[Block]]:
    """The channel message for a new draft; the documents go in its thread."""
    return f"Draft report, version {version}, for {host_council}", [
        header(f"Draft report, version {version}"),
        section(
            f"{mention(built_by)} built the draft report for *{escape_mrkdwn(host_council)}*"
            f" on {format_date(built_on)}. The Word and Markdown versions are in the thread."
        ),
        context(facts),
        actions(
            button("Comment on the draft", ids.REPORT_COMMENT, str(version_id), style="primary")
        ),
        context(
            "Peers and the Improvement Service: your comments go into this thread and stay "
            "with this version. `/psif report comments` lists the open ones."
        ),
    ]


def build_comment_modal(*, private_metadata: str, version_number: int) -> Block:
    return modal(
        title=f"Comment on draft {version_number}",
        callback_id=ids.REPORT_COMMENT_MODAL,
        submit="Add comment",
        private_metadata=private_metadata,
        blocks=[
            input_block(
                block_id=ids.REPORT_COMMENT_TEXT,
                label="Your comment",
                element=text_input(
                    ids.REPORT_COMMENT_TEXT,
                    max_length=COMMENT_MAX,
                    placeholder="What should change, and where in the report?",
                    multiline=True,
                ),
            )
        ],
    )


def build_comment_in_thread(
    *, author_id: str, version_number: int, text: str
) -> tuple[str, list[Block]]:
    body = escape_mrkdwn(truncate(text, 2800))
    return (
        f"Comment on draft {version_number}",
        [section(f"💬 {mention(author_id)} on draft {version_number}:\n{body}")],
    )


def build_open_comments(
    comments: Sequence[OpenComment], *, resolvable: set[int]
) -> tuple[str, list[Block]]:
    if not comments:
        text = "There are no open comments on the draft report."
        return text, [section(text)]
    units = [
        [
            section(
                f"*Draft {comment.version_number}* · {mention(comment.author_id)}\n"
                f"{escape_mrkdwn(truncate(comment.text, 600))}",
                accessory=(
                    button("Resolve", ids.REPORT_RESOLVE, str(comment.id))
                    if comment.id in resolvable
                    else None
                ),
            )
        ]
        for comment in comments
    ]
    blocks = fit_message(
        [header("Open comments on the draft")],
        units,
        more=lambda left: f"…and {left} more; resolve some to see them.",
        footer=[context("The comment's author or a lead can resolve it.")],
        at_most=COMMENTS_SHOWN,
    )
    return f"{plural(len(comments), 'open comment')} on the draft report", blocks


def build_final_notice(
    *, version_number: int, by: str, host_council: str, when: date
) -> tuple[str, list[Block]]:
    text = f"Version {version_number} is the final report for {host_council}"
    return text, [
        section(
            f"✅ {mention(by)} marked *version {version_number}* as the final report for "
            f"{escape_mrkdwn(host_council)} on {format_date(when)}. Next: share the learning — "
            "leads mark it with `/afi share &lt;finding&gt;`, then `/psif report summary` gives "
            "the LGBF website summary and `/psif report briefing` the elected members' briefing."
        )
    ]


def _missing(missing: Sequence[str]) -> str:
    return "\n".join(f"• {escape_mrkdwn(line)}" for line in missing)


def build_draft_question(*, review_id: int, missing: Sequence[str]) -> tuple[str, list[Block]]:
    """Asked before a draft that comes before the end of fieldwork."""
    text = "The guidance puts the draft report after fieldwork. Build it anyway?"
    return text, [
        section(f"*{text}*\n{_missing(missing)}"),
        context("The report will say which dates are still planned, not as though they happened."),
        actions(
            button("Do it anyway", ids.REPORT_DRAFT_ANYWAY, str(review_id), style="primary"),
            button("Cancel", ids.REPORT_CANCEL, "cancel"),
        ),
    ]


def build_final_confirmation(
    *,
    version_id: int,
    version_number: int,
    missing: Sequence[str],
    comments: Sequence[OpenComment],
) -> tuple[str, list[Block]]:
    """The open comments, and anything the guidance puts first (then: Do it anyway)."""
    text = f"Mark version {version_number} of the report final?"
    blocks: list[Block] = [section(f"*{text}*")]
    if comments:
        shown = comments[:FINAL_COMMENTS_SHOWN]
        lines = [
            f"• {mention(c.author_id)} on draft {c.version_number}: "
            f"{escape_mrkdwn(truncate(c.text, 150))}"
            for c in shown
        ]
        if len(comments) > len(shown):
            lines.append(f"…and {len(comments) - len(shown)} more.")
        blocks.append(section("*Open comments on the draft:*\n" + "\n".join(lines)))
    else:
        blocks.append(section("There are no open comments on the draft."))
    if missing:
        blocks.append(
            section("*The guidance puts these before the final report:*\n" + _missing(missing))
        )
    label = "Do it anyway" if missing else "Mark final"
    blocks += [
        actions(
            button(label, ids.REPORT_FINAL_CONFIRM, str(version_id), style="primary"),
            button("Cancel", ids.REPORT_CANCEL, "cancel"),
        ),
        context("The final report goes to the channel as Word and Markdown."),
    ]
    return text, blocks
