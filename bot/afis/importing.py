"""`/afi import`: the self-assessment's candidate areas for improvement become AFIs, each
worded as the gap it names, with the statement's figures kept for the team to weigh.

`/afi import` opens a form where each candidate's wording can be edited, or the candidate
left out, before anything is added; `/afi import all` adds every candidate as worded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from bot.afis.gaps import gap_text
from bot.afis.import_views import (
    FORM_MAX,
    NOTHING_TICKED,
    UNTICK_OR_WRITE,
    ImportFormMetadata,
    Offered,
    build_import_modal,
    keep_block_id,
    text_block_id,
)
from bot.afis.rules import afi_text_problem
from bot.afis.service import owe_vote_refresh
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.review_access import channel_review, require_permission
from bot.self_assessment.checklist import AfiCandidate, round_pct
from bot.self_assessment.results import NoResults, load_results
from bot.self_assessment.views import build_afis_imported, describe_tally
from bot.slack.blocks import Block
from bot.slack.outbox import owe_message
from bot.slack.text import join_words, plural
from storage.db import transaction
from storage.models.afis import AfiSource
from storage.models.reviews import Review
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


STALE_FORM = "These areas were imported already, so nothing new was added."


def _candidates(session: Session, deps: Deps, review: Review) -> list[AfiCandidate]:
    """The self-assessment's candidates; a refusal while its results can't be shown."""
    try:
        results = load_results(session=session, deps=deps, review=review)
    except NoResults as no_results:
        raise Refusal(f"{no_results} Nothing was imported.") from no_results
    return list(results.analysis.afi_candidates)


def import_candidates(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """`/afi import all`: add every candidate not imported yet, as worded; what to tell the user."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.IMPORT_AFIS)
        candidates = _candidates(session, deps, review)
        if not candidates:
            return NONE_FLAGGED
        done = imported_statement_ids(session=session, review_id=review.id)
        pending = [c for c in candidates if c.result.statement.id not in done]
        if not pending:
            return (
                f"All {plural(len(candidates), 'candidate')} from the self-assessment were "
                "imported already; nothing new to add."
            )
        return _add(
            session,
            deps,
            review,
            user_id=user_id,
            chosen=[(candidate, gap_text(candidate)) for candidate in pending],
            earlier=len(candidates) - len(pending),
            response_url=response_url,
        )


def import_form(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None
) -> Block | str:
    """`/afi import`: the form offering the candidates not imported yet, or what to tell the
    user when there is nothing to offer."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.IMPORT_AFIS)
        candidates = _candidates(session, deps, review)
        if not candidates:
            return NONE_FLAGGED
        done = imported_statement_ids(session=session, review_id=review.id)
    pending = [c for c in candidates if c.result.statement.id not in done]
    if not pending:
        return (
            f"All {plural(len(candidates), 'candidate')} from the self-assessment were "
            "imported already; nothing new to add."
        )
    offered = [
        Offered(
            statement_id=candidate.result.statement.id,
            statement=candidate.result.statement.text,
            why=f"{describe_tally(candidate.result.tally)}; flagged for "
            + join_words([reason.value for reason in candidate.reasons])
            + ".",
            wording=gap_text(candidate),
        )
        for candidate in pending[:FORM_MAX]
    ]
    metadata = ImportFormMetadata(channel_id=channel_id, response_url=response_url or "")
    return build_import_modal(
        offered,
        metadata,
        more=len(pending) - len(offered),
        earlier=len(candidates) - len(pending),
    )


def _form_errors(chosen: Mapping[str, str | None]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for statement_id, wording in chosen.items():
        if wording is None:
            continue  # unticked: left out, whatever its wording
        problem = afi_text_problem(wording) if wording else UNTICK_OR_WRITE
        if problem:
            errors[text_block_id(statement_id)] = problem
    if chosen and all(wording is None for wording in chosen.values()):
        errors[keep_block_id(next(iter(chosen)))] = NOTHING_TICKED
    return errors


def import_chosen(
    deps: Deps,
    *,
    metadata: ImportFormMetadata,
    user_id: str,
    chosen: Mapping[str, str | None],
) -> dict[str, str]:
    """The import form's submission: add the ticked candidates as worded. Returns the form's
    errors by block id, empty once added; refuses when nothing on the form can still be added."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=metadata.channel_id)
        require_permission(review, user_id, Operation.IMPORT_AFIS)
        errors = _form_errors(chosen)
        if errors:
            return errors
        candidates = _candidates(session, deps, review)
        done = imported_statement_ids(session=session, review_id=review.id)
        by_id = {c.result.statement.id: c for c in candidates if c.result.statement.id not in done}
        kept = [
            (by_id[statement_id], wording)
            for statement_id, wording in chosen.items()
            if wording is not None and statement_id in by_id
        ]
        if not kept:
            raise Refusal(STALE_FORM)
        _add(
            session,
            deps,
            review,
            user_id=user_id,
            chosen=kept,
            earlier=len(candidates) - len(by_id),
            response_url=metadata.response_url or None,
        )
    return {}


def _add(
    session: Session,
    deps: Deps,
    review: Review,
    *,
    user_id: str,
    chosen: Sequence[tuple[AfiCandidate, str]],
    earlier: int,
    response_url: str | None,
) -> str:
    """Add each candidate with its wording, record it, and owe the channel the list."""
    now = deps.now()
    imported = [
        add_afi(
            session=session,
            review_id=review.id,
            new=NewAfi(
                text=wording,
                author_id=user_id,
                section_number=candidate.result.section_number,
                evidence=evidence_of(candidate),
                source=AfiSource.CHECKLIST,
                statement_id=candidate.result.statement.id,
                figures=figures_of(candidate),
            ),
            now=now,
        )
        for candidate, wording in chosen
    ]
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
        earlier=earlier,
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
