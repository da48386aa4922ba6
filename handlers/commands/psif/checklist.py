"""`/psif checklist`: open or resume your own self-assessment;
`/psif checklist close`: a lead closes it early (after a confirmation);
`/psif checklist close-date 31/12/2026`: a lead moves the closing date."""

from __future__ import annotations

from bot.reviews.permissions import Operation
from bot.reviews.timeline import close_date_refusal
from bot.reviews.typed_dates import TYPED_DATE_EXAMPLES, parse_typed_date
from bot.self_assessment.closing import move_closing_date
from bot.self_assessment.privacy_views import build_close_confirmation
from bot.self_assessment.service import CannotAnswer, entry_view, issue_round, round_status
from bot.slack import ids
from bot.slack.blocks import actions, button, section
from bot.slack.calls import open_view, post_to_channel
from bot.slack.text import escape_mrkdwn, format_date, mention
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.reviews import open_review_in_channel, record_audit, timeline_of
from storage.repositories.self_assessment import get_round, reviews_answering

CLOSE = "close"
CLOSE_DATE = "close-date"


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.partition(" ")
    if word.lower() == CLOSE_DATE:
        change_closing_date(ctx, rest.strip())
    elif word.lower() == CLOSE and not rest.strip():
        ask_to_close(ctx)
    elif word:
        ctx.reply(
            "Type `/psif checklist` to open your self-assessment; (leads) "
            "`/psif checklist close` to close it now, or "
            "`/psif checklist close-date 2027-03-01` to change when it closes."
        )
    else:
        open_own(ctx)


def ask_to_close(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.SET_SELF_ASSESSMENT_CLOSE):
            return
        round_ = get_round(session=session, review_id=review.id)
        if round_ is None:
            ctx.reply("The self-assessment hasn't been issued yet, so there is nothing to close.")
            return
        status = round_status(session=session, deps=ctx.deps, round_=round_)
        review_id, host = review.id, review.host_council
    if not status.is_open:
        ctx.reply(f"The self-assessment already {status.why_closed()}.")
        return
    ctx.reply(*build_close_confirmation(review_id=review_id, host_council=host, status=status))


def open_own(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        here = open_review_in_channel(session=session, channel_id=ctx.command.channel_id)
        candidates = reviews_answering(session=session, user_id=ctx.user_id)
        choices = [(review.id, review.host_council) for review in candidates]
        if here is not None:
            chosen = here
        elif len(candidates) == 1:
            chosen = candidates[0]
        else:
            chosen = None
        view = (
            entry_view(
                session=session,
                deps=ctx.deps,
                review_id=chosen.id,
                user_id=ctx.user_id,
                join_if_host=True,
            )
            if chosen
            else None
        )
    if view is None:
        if not choices:
            ctx.reply(
                "You haven't been invited to a self-assessment yet. When a host team invites "
                "you, I'll send you a direct message with a button to start."
            )
            return
        ctx.reply(
            "You're invited to more than one self-assessment. Which one?",
            [
                section("You're invited to more than one self-assessment. Which one?"),
                actions(
                    *(
                        button(host, ids.CHECKLIST_START, str(review_id))
                        for review_id, host in choices[:25]
                    )
                ),
            ],
        )
        return
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=view,
        on_expired=lambda: ctx.reply(
            "Slack took too long to open your self-assessment. Please type `/psif checklist` again."
        ),
    )


def change_closing_date(ctx: CommandContext, text: str) -> None:
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        # Who may act comes first: nobody is told their date is wrong and then refused.
        if review is None or not ctx.require(review, Operation.SET_SELF_ASSESSMENT_CLOSE):
            return
        closes_on = parse_typed_date(text, today=today)
        if closes_on is None:
            ctx.reply(
                f"I couldn't read `{escape_mrkdwn(text) or 'nothing'}` as a date. Give it as, "
                f"for example, {TYPED_DATE_EXAMPLES}."
            )
            return
        if closes_on < today:
            ctx.reply(f"{format_date(closes_on)} has already passed. Choose today or a later date.")
            return
        refused = close_date_refusal(timeline_of(review), closes_on, today)
        if refused:
            ctx.reply(refused)
            return
        try:
            round_ = issue_round(
                session=session,
                deps=ctx.deps,
                review=review,
                actor_id=ctx.user_id,
                closes_on=closes_on,
            )
        except CannotAnswer:
            ctx.reply(f"This review's checklist `{review.checklist_id}` isn't installed.")
            return
        previous = round_.closes_on
        try:
            message = move_closing_date(
                session=session, deps=ctx.deps, round_=round_, closes_on=closes_on
            )
        except ValueError as refused:
            ctx.reply(str(refused))
            return
        record_audit(
            session=session,
            review=review,
            actor_id=ctx.user_id,
            action="checklist.closing_date",
            details={"from": previous.isoformat(), "to": closes_on.isoformat()},
            now=ctx.deps.now(),
        )
        pre_meeting, channel_id = review.pre_meeting, review.channel_id
    announcement = (
        f"{mention(ctx.user_id)} set the self-assessment to close on {format_date(closes_on)}."
    )
    post_to_channel(
        ctx.client, channel=channel_id, text=announcement, blocks=[section(announcement)]
    )
    if pre_meeting and closes_on > pre_meeting:
        message += (
            f" Note that this is after the team pre-meeting on {format_date(pre_meeting)}, "
            "so the results won't be ready for it."
        )
    ctx.reply(message)


SUBCOMMAND = Subcommand(
    name="checklist",
    usage="/psif checklist [close | close-date DD/MM/YYYY]",
    summary="open or carry on with your self-assessment; leads can close it early or set its "
    "closing date",
    run=run,
    order=31,
)
