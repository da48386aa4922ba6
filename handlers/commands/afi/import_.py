"""`/afi import`: turn the self-assessment's candidate areas for improvement into AFIs."""

from __future__ import annotations

from typing import Any

from bot.afis.gaps import gap_text
from bot.afis.service import owe_vote_refresh
from bot.reviews.permissions import Operation
from bot.self_assessment.checklist import AfiCandidate, round_pct
from bot.self_assessment.results import NoResults, load_results
from bot.self_assessment.views import build_afis_imported, describe_tally
from bot.slack.deliveries import owe_message
from bot.slack.text import plural
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.models.afis import AfiSource
from storage.repositories.afis import NewAfi, add_afi, imported_statement_ids
from storage.repositories.reviews import record_audit


def figures_of(candidate: AfiCandidate) -> dict[str, Any]:
    """The statement's figures as stored with the AFI, for the team to weigh it."""
    tally = candidate.result.tally
    return {
        "respondents": candidate.result.respondents,
        "counts": {answer.value: count for answer, count in tally.counts.items()},
        "pct_agree": round_pct(tally.pct_agree),
        "pct_disagree": round_pct(tally.pct_disagree),
        "pct_dont_know": round_pct(tally.pct_dont_know),
        "reasons": [reason.value for reason in candidate.reasons],
    }


def evidence_of(candidate: AfiCandidate) -> str:
    tally = candidate.result.tally
    return (
        f"Self-assessment, statement {candidate.result.statement.id} "
        f"({plural(candidate.result.respondents, 'respondent')}): "
        f"{describe_tally(tally)}. Flagged for "
        + ", ".join(reason.value for reason in candidate.reasons)
        + "."
    )


def run(ctx: CommandContext) -> None:
    now = ctx.deps.now()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.IMPORT_AFIS):
            return
        try:
            results = load_results(session=session, deps=ctx.deps, review=review)
        except NoResults as no_results:
            ctx.reply(f"{no_results} Nothing was imported.")
            return
        candidates = results.analysis.afi_candidates
        done = imported_statement_ids(session=session, review_id=review.id)
        fresh = [c for c in candidates if c.result.statement.id not in done]
        imported = [
            add_afi(
                session=session,
                review_id=review.id,
                new=NewAfi(
                    text=gap_text(candidate),
                    author_id=ctx.user_id,
                    section_number=candidate.result.section_number,
                    evidence=evidence_of(candidate),
                    source=AfiSource.CHECKLIST,
                    statement_id=candidate.result.statement.id,
                    figures=figures_of(candidate),
                ),
                now=now,
            )
            for candidate in fresh
        ]
        summary = [(afi.number, afi.statement_id or "", afi.text) for afi in imported]
        if imported:
            record_audit(
                session=session,
                review=review,
                actor_id=ctx.user_id,
                action="afi.imported",
                details={"statements": [afi.statement_id for afi in imported]},
                now=now,
            )
        if imported:
            owe_vote_refresh(session, ctx.deps, review)  # new AFIs join the open ballot
            text, blocks = build_afis_imported(
                imported_by=ctx.user_id, afis=summary, earlier=len(candidates) - len(imported)
            )
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": ctx.user_id,
                    "response_url": ctx.command.response_url,
                    "text": "The areas are imported, but I couldn't post the list in the channel.",
                },
            )
    if not candidates:
        ctx.reply("The self-assessment didn't flag any candidate areas for improvement.")
        return
    if not imported:
        ctx.reply(
            f"All {plural(len(candidates), 'candidate')} from the self-assessment were imported "
            "already; nothing new to add."
        )
        return
    ctx.reply(text)


SUBCOMMAND = Subcommand(
    name="import",
    usage="/afi import",
    summary="add the self-assessment's candidate areas for improvement as AFIs",
    run=run,
    order=15,
)
