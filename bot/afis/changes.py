"""Changing an AFI from its menu in `/afi list`: edit, merge into another, withdraw. Each use
case checks who may, saves, and owes the open vote's refresh and the channel's line in the
same transaction."""

from __future__ import annotations

from bot.afis.rules import afi_text_problem, evidence_problem
from bot.afis.service import GONE, owe_vote_refresh, review_if_allowed
from bot.afis.views import AfiForm
from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import section
from bot.slack.outbox import owe_message
from bot.slack.text import escape_mrkdwn, mention, plural, truncate
from storage.db import transaction
from storage.repositories.afi_changes import MergeResult, edit_afi, merge_afis, withdraw_afi

MERGED_MEANWHILE = "One of the two areas was merged or withdrawn meanwhile; nothing was changed."


def form_problems(form: AfiForm) -> dict[str, str]:
    """Inline errors for the add and edit forms, keyed by input block id."""
    errors: dict[str, str] = {}
    problem = afi_text_problem(form.text)
    if problem:
        errors[ids.AFI_TEXT] = problem
    problem = evidence_problem(form.evidence)
    if problem:
        errors[ids.AFI_EVIDENCE] = problem
    return errors


def edit_area(deps: Deps, *, afi_id: int, user_id: str, form: AfiForm) -> str | None:
    """Save the edited wording, section and evidence; why not, if not."""
    with transaction(deps.sessions) as session:
        review = review_if_allowed(session, afi_id, user_id)
        if isinstance(review, str):
            return review
        edited = edit_afi(
            session=session,
            review=review,
            afi_id=afi_id,
            text=form.text,
            section_number=form.section_number,
            evidence=form.evidence,
            actor_id=user_id,
            now=deps.now(),
        )
        if edited is None:
            return GONE
        owe_vote_refresh(session, deps, review)
    return None


def merge_note(merged: MergeResult, user_id: str) -> str:
    """The channel's line about a merge, with where the votes went."""
    moved = ""
    if merged.votes_moved or merged.votes_returned:
        moved = f" {plural(merged.votes_moved, 'vote')} moved across"
        if merged.votes_returned:
            moved += (
                f"; {plural(merged.votes_returned, 'vote')} went back to voters who "
                "already had the most allowed on it"
            )
        moved += "."
    return (
        f"{mention(user_id)} merged AFI {merged.source.number} into AFI {merged.target.number}: "
        f"{escape_mrkdwn(truncate(merged.target.text, 300))}.{moved}"
    )


def merge_area(deps: Deps, *, afi_id: int, target_id: int, user_id: str) -> str | None:
    """Merge the AFI into `target_id` and tell the channel; why not, if not."""
    with transaction(deps.sessions) as session:
        review = review_if_allowed(session, afi_id, user_id)
        if isinstance(review, str):
            return review
        merged = merge_afis(
            session=session,
            review=review,
            source_id=afi_id,
            target_id=target_id,
            actor_id=user_id,
            now=deps.now(),
        )
        if merged is None:
            return MERGED_MEANWHILE
        owe_vote_refresh(session, deps, review)
        text = merge_note(merged, user_id)
        owe_message(
            session,
            team_id=review.team_id,
            channel=review.channel_id,
            text=text,
            blocks=[section(text)],
        )
    return None


def withdraw_area(deps: Deps, *, afi_id: int, user_id: str) -> str | None:
    """Withdraw the AFI (its votes go back to the voters) and tell the channel; why not."""
    with transaction(deps.sessions) as session:
        review = review_if_allowed(session, afi_id, user_id)
        if isinstance(review, str):
            return review
        withdrawn = withdraw_afi(
            session=session, review=review, afi_id=afi_id, actor_id=user_id, now=deps.now()
        )
        if withdrawn is None:
            return GONE
        owe_vote_refresh(session, deps, review)
        text = (
            f"{mention(user_id)} withdrew AFI {withdrawn.number}; any votes on it went back to "
            "the voters."
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=review.channel_id,
            text=text,
            blocks=[section(text)],
        )
    return None
