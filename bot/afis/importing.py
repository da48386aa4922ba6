"""`/afi import`: the self-assessment's candidate areas for improvement become AFIs, each
worded as the gap it names, with the statement's figures kept for the team to weigh."""

from __future__ import annotations

from typing import Any

from bot.afis.gaps import gap_text
from bot.afis.service import owe_vote_refresh
from bot.deps import Deps
from bot.review_access import Refusal, channel_review, require_permission
from bot.reviews.permissions import Operation
from bot.self_assessment.checklist import AfiCandidate, round_pct
from bot.self_assessment.results import NoResults, load_results
from bot.self_assessment.views import build_afis_imported, describe_tally
from bot.slack.deliveries import owe_message
from bot.slack.text import plural
from storage.db import transaction
from storage.models.afis import AfiSource
from storage.repositories.afis import NewAfi, add_afi, imported_statement_ids
from storage.repositories.reviews import record_audit

NONE_FLAGGED = "The self-assessment didn't flag any candidate areas for improvement."


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


def import_candidates(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """Add the candidates not imported yet, owe the channel the list; what to tell the user."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.IMPORT_AFIS)
        try:
            results = load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            raise Refusal(f"{no_results} Nothing was imported.") from no_results
        candidates = results.analysis.afi_candidates
        if not candidates:
            return NONE_FLAGGED
        done = imported_statement_ids(session=session, review_id=review.id)
        imported = [
            add_afi(
                session=session,
                review_id=review.id,
                new=NewAfi(
                    text=gap_text(candidate),
                    author_id=user_id,
                    section_number=candidate.result.section_number,
                    evidence=evidence_of(candidate),
                    source=AfiSource.CHECKLIST,
                    statement_id=candidate.result.statement.id,
                    figures=figures_of(candidate),
                ),
                now=now,
            )
            for candidate in candidates
            if candidate.result.statement.id not in done
        ]
        if not imported:
            return (
                f"All {plural(len(candidates), 'candidate')} from the self-assessment were "
                "imported already; nothing new to add."
            )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="afi.imported",
            details={"statements": [afi.statement_id for afi in imported]},
            now=now,
        )
        owe_vote_refresh(session, deps, review)  # new AFIs join the open ballot
        text, blocks = build_afis_imported(
            imported_by=user_id,
            afis=[(afi.number, afi.statement_id or "", afi.text) for afi in imported],
            earlier=len(candidates) - len(imported),
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=review.channel_id,
            text=text,
            blocks=blocks,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": "The areas are imported, but I couldn't post the list in the channel.",
            },
        )
    return text
