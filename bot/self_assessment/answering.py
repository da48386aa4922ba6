"""What `/psif checklist` and the self-assessment's buttons and modal submissions do, one
function each: the listeners only acknowledge, read the payload, call one of these and show
the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.core.checklist import Checklist, Section
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.home.service import publish_home
from bot.self_assessment.invitation_views import build_which_self_assessment
from bot.self_assessment.invitations import mark_invitation_done
from bot.self_assessment.modals import parse_section_state
from bot.self_assessment.service import (
    CannotAnswer,
    Finished,
    entry_view,
    find_respondent,
    finish,
    own_progress,
    resume_view,
    save_own_section,
    section_view,
)
from bot.slack.after_ack import Answer
from bot.slack.blocks import Block
from bot.slack.calls import direct_message
from bot.slack.payloads import UnreadablePayload
from storage.db import transaction
from storage.repositories.reviews import open_review_in_channel
from storage.repositories.self_assessment import reviews_answering


@dataclass(frozen=True)
class OnPage:
    """A section modal as submitted or left: which section, and what it held."""

    review_id: int
    section: int
    values: dict[str, Any]


def section_of(checklist: Checklist, number: int) -> Section:
    """The checklist's section `number`; UnreadablePayload if it has no such section."""
    if not 1 <= number <= len(checklist.sections):
        raise UnreadablePayload(f"no section {number}")
    return checklist.sections[number - 1]


def open_self_assessment(deps: Deps, *, review_id: int, user_id: str) -> Block:
    """A Start (or Review your answers) button: the view to open, or why there is none
    (the channel's button is pressed by people who weren't invited too)."""
    with transaction(deps.sessions) as session:
        return entry_view(session=session, deps=deps, review_id=review_id, user_id=user_id)


NOT_INVITED = (
    "You haven't been invited to a self-assessment yet: only invited people can answer one. "
    "If you should be, ask the review's host lead or host team to invite you with "
    "`/psif invite @your-name` in the review's channel; I'll then send you a direct message "
    "with a button to start."
)


def own_self_assessment(deps: Deps, *, channel_id: str, user_id: str) -> Block | Answer:
    """`/psif checklist`: the view of this channel's self-assessment, or of the only one the
    person is invited to; else which one, as buttons."""
    with transaction(deps.sessions) as session:
        here = open_review_in_channel(session=session, channel_id=channel_id)
        candidates = reviews_answering(session=session, user_id=user_id)
        chosen = here or (candidates[0] if len(candidates) == 1 else None)
        if chosen is not None:
            return entry_view(session=session, deps=deps, review_id=chosen.id, user_id=user_id)
        choices = [(review.id, review.host_council) for review in candidates]
    if not choices:
        raise Refusal(NOT_INVITED)
    return build_which_self_assessment(choices)


def save_and_continue(deps: Deps, *, page: OnPage, user_id: str) -> Block:
    """Next (or Save and review): save the section, then the next unsaved one or the
    review screen."""
    with transaction(deps.sessions) as session:
        try:
            respondent = find_respondent(
                session=session, deps=deps, review_id=page.review_id, user_id=user_id
            )
        except CannotAnswer as cannot:
            return cannot.notice
        section_ = section_of(respondent.checklist, page.section)
        progress = save_own_section(
            session=session,
            respondent=respondent,
            saved=parse_section_state(page.values, section_),
        )
        return resume_view(respondent, progress, after=page.section)


def go_to_section(deps: Deps, *, page: OnPage, user_id: str, target: int) -> Block:
    """Back or Change: keep what is on a section page (page.section 0 is the review
    screen, which holds nothing), then show section `target`."""
    with transaction(deps.sessions) as session:
        try:
            respondent = find_respondent(
                session=session, deps=deps, review_id=page.review_id, user_id=user_id
            )
        except CannotAnswer as cannot:
            return cannot.notice
        if page.section:
            progress = save_own_section(
                session=session,
                respondent=respondent,
                saved=parse_section_state(
                    page.values, section_of(respondent.checklist, page.section)
                ),
            )
        else:
            progress = own_progress(session=session, respondent=respondent)
        return section_view(respondent, progress, section_of(respondent.checklist, target).number)


def finish_answering(deps: Deps, *, review_id: int, user_id: str) -> Finished:
    """Finish on the review screen: thanks to send, or a view to show instead."""
    with transaction(deps.sessions) as session:
        return finish(session=session, deps=deps, review_id=review_id, user_id=user_id)


def thank_finisher(
    client: WebClient, deps: Deps, *, review_id: int, user_id: str, thanks: str
) -> None:
    """After Finish: thank the person, mark their invitation done, refresh their Home tab.

    Direct calls, made once the Finish is acknowledged (bot.slack.after_ack), not outbox
    items, so that nothing written at this moment records that this person finished (see
    bot.self_assessment.invitations).
    """
    direct_message(client, user=user_id, text=thanks)
    mark_invitation_done(client, deps, review_id=review_id, user_id=user_id)
    publish_home(client, deps, user_id=user_id)
