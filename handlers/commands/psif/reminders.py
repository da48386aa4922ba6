"""`/psif reminders` lists the next 14 days; `/psif reminders off|on [kind]` (leads)."""

from __future__ import annotations

from datetime import timedelta

from bot.reminders.nudges import CHANNEL
from bot.reminders.views import build_reminders_list, scheduled_entries
from bot.reviews.permissions import Operation
from bot.slack.text import escape_mrkdwn, join_words, unescape_slack
from handlers.commands.router import CommandContext, Subcommand
from scheduler.planning import plan_nudges
from scheduler.rules import all_rules
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.nudges import open_review_facts, statuses_for_review
from storage.repositories.reminders import (
    ALL_RULES,
    channel_problem,
    clear_channel_unreachable,
    mute,
    muted_rules,
    paused_through,
    unmute,
)
from storage.repositories.reviews import record_audit

LISTED_DAYS = 14


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.strip().partition(" ")
    word, kind = word.lower(), rest.strip().lower() or ALL_RULES
    if word in ("off", "on"):
        switch(ctx, on=word == "on", kind=kind)
    elif not word:
        show(ctx)
    else:
        ctx.reply(
            "Type `/psif reminders` to see what's coming, or `/psif reminders off` / "
            "`/psif reminders on` (optionally with a kind, e.g. `/psif reminders off digest`)."
        )


def _kinds() -> str:
    return join_words([f"`{rule.name}`" for rule in all_rules()])


def switch(ctx: CommandContext, *, on: bool, kind: str) -> None:
    if kind != ALL_RULES and kind not in {rule.name for rule in all_rules()}:
        ctx.reply(
            f"There's no kind of reminder called `{escape_mrkdwn(unescape_slack(kind))}`. "
            f"The kinds are {_kinds()}."
        )
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.SWITCH_REMINDERS):
            return
        if on:
            changed = unmute(session=session, review_id=review.id, rule=kind)
            # Turning reminders on is how people say "I've fixed the channel".
            changed = clear_channel_unreachable(session=session, review_id=review.id) or changed
            still_all_off = ALL_RULES in muted_rules(session=session, review_id=review.id)
        else:
            changed = mute(
                session=session,
                review_id=review.id,
                rule=kind,
                actor_id=ctx.user_id,
                now=ctx.deps.now(),
            )
            still_all_off = False
        if changed:
            record_audit(
                session=session,
                review=review,
                actor_id=ctx.user_id,
                action=f"reminders.{'on' if on else 'off'}",
                details={"kind": kind},
                now=ctx.deps.now(),
            )
    ctx.reply(_switch_answer(on=on, kind=kind, changed=changed, still_all_off=still_all_off))


def _switch_answer(*, on: bool, kind: str, changed: bool, still_all_off: bool) -> str:
    what = "All reminders" if kind == ALL_RULES else f"`{kind}` reminders"
    if on:
        answer = f"🔔 {what} are on for this review." if changed else f"{what} were already on."
        if still_all_off:
            answer += " All reminders are still off, though: `/psif reminders on` turns them on."
        return answer
    if not changed:
        return f"{what} were already off."
    return f"🔕 {what} are off for this review. `/psif reminders on` turns them back on."


def show(ctx: CommandContext) -> None:
    now = ctx.deps.now()
    rules = all_rules()
    with transaction(ctx.deps.sessions) as session:
        review: Review | None = ctx.open_review(session)
        if review is None:
            return
        facts = open_review_facts(review, default_zone=ctx.deps.settings.timezone)
        today = now.astimezone(facts.zone).date()
        planned = plan_nudges(
            session=session,
            reviews=[facts],
            window=lambda _: (today, today + timedelta(days=LISTED_DAYS - 1)),
            now=now,
            rules=rules,
            respondent_secret=ctx.deps.respondent_secret,
        )
        statuses = statuses_for_review(session=session, review_id=review.id, since=today)
        muted = muted_rules(session=session, review_id=review.id)
        problem = channel_problem(session=session, review_id=review.id)
        snoozed_through = paused_through(session=session, user_id=ctx.user_id, today=today)
    listed = []
    for nudge in planned:
        state = statuses.get(nudge.key, "scheduled")
        if state == "scheduled" and (ALL_RULES in muted or nudge.rule_name in muted):
            state = "off"
        elif state == "scheduled" and problem and nudge.recipient == CHANNEL:
            state = "channel unreachable"
        listed.append((nudge, state))
    message = build_reminders_list(
        entries=scheduled_entries(listed, viewer=ctx.user_id),
        rule_labels=[(rule.name, rule.label) for rule in rules],
        muted=muted,
        channel_problem=problem,
        snoozed_through=snoozed_through,
        today=today,
        days=LISTED_DAYS,
    )
    ctx.reply(message.text, message.blocks)


SUBCOMMAND = Subcommand(
    name="reminders",
    usage="/psif reminders [off|on [kind]]",
    summary="what reminders are coming in the next 14 days; leads switch them off or on",
    run=run,
    order=60,
)
