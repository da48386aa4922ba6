"""Messages about moving a review on: the stage and its gaps, the confirmations to move on
or close, and the channel's lines when the stage changes, the review closes or reopens."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import ORDER, STAGES, Stage
from bot.core.timeline import next_milestone
from bot.reviews.moves import Closing, StageMove
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    section,
)
from bot.slack.text import mention, plural


def build_stage_view(
    review: ReviewSnapshot, *, gaps: list[str], can_advance: bool
) -> tuple[str, list[Block]]:
    """`/psif stage`: where the review is and what the stage still lacks."""
    info = STAGES[review.stage]
    lines = []
    for stage in ORDER:
        label = STAGES[stage].label
        if stage is review.stage:
            lines.append(f"👉 *{label}*")
        elif ORDER.index(stage) < ORDER.index(review.stage):
            lines.append(f"✅ {label}")
        else:
            lines.append(f"▫️ {label}")
    blocks: list[Block] = [
        section(f"*{info.label}*\n{info.purpose}"),
        section(
            "*Still to do*\n" + "\n".join(f"• {g}" for g in gaps)
            if gaps
            else "*Still to do*\nNothing outstanding that I can see."
        ),
        section("*All stages*\n" + "\n".join(lines)),
    ]
    if can_advance and review.stage is Stage.FOLLOW_UP:
        blocks.append(context("When the plan is carried out, close the review with `/psif close`."))
    elif can_advance and review.stage is not Stage.CLOSED:
        blocks.append(context("When the stage is done, move on with `/psif stage next`."))
    return f"Stage: {info.label}", blocks


def build_advance_confirmation(
    review: ReviewSnapshot, target: Stage, gaps: list[str]
) -> tuple[str, list[Block]]:
    """The confirmation before `/psif stage next` moves the review on."""
    current, upcoming = STAGES[review.stage], STAGES[target]
    text = f"Move the review from {current.label} to {upcoming.label}?"
    body = f"Move the review from *{current.label}* to *{upcoming.label}*?"
    if gaps:
        body += "\n\n*This stage still has gaps:*\n" + "\n".join(f"• {g}" for g in gaps)
        body += "\n\nYou lead the review, so you can move on anyway."
    value = StageMove(review.id, review.stage, target).value
    blocks: list[Block] = [
        section(body),
        actions(
            button(f"Move to {upcoming.label}", ids.STAGE_ADVANCE_CONFIRM, value, style="primary"),
            button("Cancel", ids.STAGE_ADVANCE_CANCEL, value),
        ),
    ]
    return text, blocks


def build_stage_changed(
    review: ReviewSnapshot,
    *,
    previous: Stage,
    changed_by: str,
    gaps_left: list[str],
    today: date,
    done: frozenset[str] = frozenset(),
) -> tuple[str, list[Block]]:
    """The short summary posted to the channel when the stage changes."""
    before, now = STAGES[previous], STAGES[review.stage]
    coming = next_milestone(review.timeline, today=today, done=done)
    text = f"The review has moved on to {now.label}."
    blocks: list[Block] = [
        section(
            f"➡️ {mention(changed_by)} moved the review from *{before.label}* to *{now.label}*."
        ),
        section(f"*What comes next*\n{now.purpose}"),
    ]
    if gaps_left:
        blocks.append(
            section(f"*Left open from {before.label}*\n" + "\n".join(f"• {g}" for g in gaps_left))
        )
    if coming:
        blocks.append(context(f"Next date: {coming.label}, {format_date(coming.day)}."))
    return text, blocks


def build_close_confirmation(
    review: ReviewSnapshot, open_actions: list[str]
) -> tuple[str, list[Block]]:
    """`/psif close`: what closing means, the actions still open, and the buttons."""
    text = f"Close the {review.host_council} review?"
    body = (
        f"Close the *{review.host_council}* review? Reminders stop, and nothing more can be "
        "added or changed. Its plan and results stay readable in this channel, and a lead "
        "can `/psif reopen` it."
    )
    if open_actions:
        shown = "\n".join(f"• {line}" for line in open_actions[:15])
        more = f"\n…and {len(open_actions) - 15} more." if len(open_actions) > 15 else ""
        body += (
            f"\n\n*{plural(len(open_actions), 'improvement action')} "
            f"{'is' if len(open_actions) == 1 else 'are'} still open*; "
            f"{'its owner stops' if len(open_actions) == 1 else 'their owners stop'} "
            f"getting reminders:\n{shown}{more}"
        )
    value = Closing(review.id, review.stage).value
    return text, [
        section(body),
        actions(
            button("Close the review", ids.CLOSE_CONFIRM, value, style="danger"),
            button("Cancel", ids.CLOSE_CANCEL, value),
        ),
    ]


def review_closed_line(review: ReviewSnapshot, *, closed_by: str) -> str:
    return (
        f"🔒 {mention(closed_by)} closed the {review.host_council} review. Its plan and "
        "results stay readable here (`/psif status`, `/action plan`, `/psif results`)."
    )


def review_reopened_line(review: ReviewSnapshot, *, reopened_by: str) -> str:
    return (
        f"🔓 {mention(reopened_by)} reopened the {review.host_council} review; it is back in "
        f"*{STAGES[review.stage].label}*."
    )
