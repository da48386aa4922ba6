"""`/psif results`: post the aggregated self-assessment to the channel (a private one only);
`/psif results export`: send the requester the totals as CSV and Excel files."""

from __future__ import annotations

from bot.reviews.permissions import Operation
from bot.self_assessment.results import NoResults, Results, load_results
from bot.self_assessment.results_export import export_results
from bot.self_assessment.results_posting import post_results
from bot.slack.channels import Privacy, channel_privacy, refuse_outside_private
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction

EXPORT = "export"


def run(ctx: CommandContext) -> None:
    if ctx.args.lower() == EXPORT:
        command = ctx.command
        answers = export_results(
            lambda: ctx.client, ctx.deps, channel_id=command.channel_id, user_id=ctx.user_id
        )
        for answer in answers:
            ctx.reply(answer)
        return
    if ctx.args:
        ctx.reply(
            "Type `/psif results` to post the self-assessment results here, or "
            "`/psif results export` to get them as spreadsheet files."
        )
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.readable_review(session)  # a closed review's results stay readable
        if review is None or not ctx.require(review, Operation.SEE_RESULTS):
            return
    # Checked before loading: the first load closes the round for good.
    privacy, error = channel_privacy(ctx.client, ctx.command.channel_id)
    if privacy is not Privacy.PRIVATE:
        ctx.reply(
            refuse_outside_private(
                ctx.command.channel_id, privacy, "self-assessment results or comments", error
            )
            + " Meanwhile `/psif results export` sends you the totals by direct message."
        )
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.readable_review(session)
        if review is None:
            return
        if review.closed_at is not None:
            ctx.reply(ctx.closed_note(review))
        try:
            results = load_results(session=session, deps=ctx.deps, review=review)
        except NoResults as no_results:
            ctx.reply(str(no_results))
            return
        host, channel_id = review.host_council, review.channel_id
    post(ctx, results, host, channel_id)


def post(ctx: CommandContext, results: Results, host: str, channel_id: str) -> None:
    problem = post_results(
        ctx.client,
        ctx.deps,
        team_id=ctx.command.team_id,
        channel_id=channel_id,
        host=host,
        results=results,
        posted_by=ctx.user_id,
    )
    if problem:
        ctx.reply(problem)


SUBCOMMAND = Subcommand(
    name="results",
    usage="/psif results [export]",
    summary="once the self-assessment has closed: post its results here (private channels "
    "only), or get the totals as spreadsheets",
    run=run,
    order=32,
)
