"""`/psif done <milestone>`: record a timeline milestone done, which stops its reminders."""

from __future__ import annotations

from bot.reviews.milestones_done import DONE_WORDS, is_done, milestone_for_word
from bot.reviews.permissions import Operation
from bot.reviews.stages import Stage
from bot.reviews.timeline import LABELS, Timeline
from bot.slack.text import format_date
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.reminders import done_milestones, record_done
from storage.repositories.reviews import record_audit, timeline_of

CHOICES = ", ".join(f"`{word}`" for word in DONE_WORDS)


def run(ctx: CommandContext) -> None:
    milestone = milestone_for_word(ctx.args) if ctx.args.strip() else None
    if ctx.args.strip() and milestone is None:
        ctx.reply(f"I don't know the milestone `{ctx.shown_args}`. Choose one of {CHOICES}.")
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        done = done_milestones(session=session, review_id=review.id)
        if milestone is None:
            ctx.reply(_listing(Stage(review.stage), done, review_timeline=timeline_of(review)))
            return
        if not ctx.require(review, Operation.RECORD_MILESTONE):
            return
        recorded = record_done(
            session=session,
            review_id=review.id,
            milestone=milestone,
            actor_id=ctx.user_id,
            now=ctx.deps.now(),
        )
        if recorded:
            record_audit(
                session=session,
                review=review,
                actor_id=ctx.user_id,
                action="milestone.done",
                details={"milestone": milestone},
                now=ctx.deps.now(),
            )
    label = LABELS[milestone]
    if recorded:
        ctx.reply(f"✅ Recorded: *{label}* is done. I won't send reminders about it again.")
    else:
        ctx.reply(f"*{label}* was already recorded as done.")


def _listing(stage: Stage, done: frozenset[str], *, review_timeline: Timeline) -> str:
    lines = []
    for word, key in DONE_WORDS.items():
        day = getattr(review_timeline, key, None)
        when = f" ({format_date(day)})" if day else ""
        mark = "✅" if is_done(key, stage=stage, recorded=done) else "▫️"
        lines.append(f"{mark} `{word}`: {LABELS[key]}{when}")
    return (
        "Record a milestone done with `/psif done &lt;milestone&gt;`, and I'll stop reminding "
        "the team about it:\n" + "\n".join(lines)
    )


SUBCOMMAND = Subcommand(
    name="done",
    usage="/psif done <milestone>",
    summary="record a timeline milestone done (e.g. `papers`), which stops its reminders",
    run=run,
    order=40,
)
