"""The self-assessment steps shared by commands, buttons and modal submissions.

Whoever asks (a DM button, the channel button, `/psif checklist`, a modal), the same checks
decide what they see: the section to answer, the review screen, or a notice explaining why
there is nothing to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.core.checklist import Checklist
from bot.core.responses import SectionAnswers
from bot.core.roles import TEAM_ROLES
from bot.deps import Deps
from bot.home.views import HomeSection
from bot.review_access import get_review
from bot.self_assessment.home_views import build_self_assessment_home
from bot.self_assessment.modals import (
    build_notice_modal,
    build_section_modal,
    build_summary_modal,
    closed_notice,
)
from bot.self_assessment.rules import (
    OwnProgress,
    RoundStatus,
    default_closing_date,
    respondent_key,
)
from bot.self_assessment.views import build_self_assessment_status, build_thanks
from bot.slack.blocks import Block
from bot.slack.text import escape_mrkdwn
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistRound
from storage.repositories.reviews import roles_of
from storage.repositories.self_assessment import (
    completion,
    ensure_round,
    get_participant,
    get_round,
    reviews_answering,
)
from storage.repositories.self_assessment_answers import (
    is_completed,
    own_sections,
    record_completion,
    save_section,
)


@dataclass(frozen=True)
class Respondent:
    """A person allowed to answer a review's self-assessment now, under their pseudonym."""

    review_id: int
    host_council: str
    checklist: Checklist
    closes_on: date
    key: str


class CannotAnswer(Exception):
    """Nothing to answer; `notice` is the modal that says why."""

    def __init__(self, notice: Block) -> None:
        super().__init__("cannot answer")
        self.notice = notice


def review_checklist(deps: Deps, review: Review) -> Checklist:
    """The review's checklist; a notice if this installation no longer has it."""
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise CannotAnswer(
            build_notice_modal(
                "Checklist missing",
                f"This review uses the checklist `{review.checklist_id}`, which is not installed "
                "any more. Ask whoever looks after the PSIF bot to add it back to "
                "PSIF_CHECKLIST_FILES.",
            )
        )
    return checklist


def issue_round(
    *, session: Session, deps: Deps, review: Review, actor_id: str, closes_on: date | None = None
) -> ChecklistRound:
    """The review's self-assessment round, issued now if it has not been."""
    today = deps.today()
    return ensure_round(
        session=session,
        review=review,
        checklist=review_checklist(deps, review),
        closes_on=closes_on
        or default_closing_date(today, review.pre_meeting, deps.settings.self_assessment_days),
        actor_id=actor_id,
        now=deps.now(),
    )


def round_status(*, session: Session, deps: Deps, round_: ChecklistRound) -> RoundStatus:
    """Whether the round takes answers now; counts only, never who."""
    return RoundStatus(
        closes_on=round_.closes_on,
        today=deps.today(),
        completion=completion(session=session, review_id=round_.review_id),
        closed_early=round_.closed_at is not None,
        released=round_.results_released_at is not None,
    )


def key_of(deps: Deps, round_: ChecklistRound, user_id: str) -> str:
    """The user's pseudonymous key in this round; computed, never stored next to them."""
    return respondent_key(deps.respondent_secret, round_.key_salt, user_id)


def find_respondent(*, session: Session, deps: Deps, review_id: int, user_id: str) -> Respondent:
    """The user as a respondent of the review; raises CannotAnswer with the reason if not.

    Only invited people answer, whoever asks: the minimum behind the results counts people
    outside the review team (bot.self_assessment.results), and nobody may add themselves.
    """
    review = get_review(session=session, review_id=review_id)
    if review is None or review.closed_at is not None:
        raise CannotAnswer(
            build_notice_modal(
                "Review closed", "This review is closed, so there is nothing to answer."
            )
        )
    host = escape_mrkdwn(review.host_council)
    round_ = get_round(session=session, review_id=review.id)
    if round_ is None:
        raise CannotAnswer(
            build_notice_modal(
                "Not issued yet",
                f"The *{host}* self-assessment hasn't been issued yet. The host team issues it "
                "with `/psif invite`.",
            )
        )
    if get_participant(session=session, review_id=review.id, user_id=user_id) is None:
        raise CannotAnswer(build_notice_modal("Not invited", not_invited(review, user_id)))
    status = round_status(session=session, deps=deps, round_=round_)
    if not status.is_open:
        raise CannotAnswer(closed_notice(review.host_council, status.why_closed()))
    return Respondent(
        review_id=review.id,
        host_council=review.host_council,
        checklist=review_checklist(deps, review),
        closes_on=round_.closes_on,
        key=key_of(deps, round_, user_id),
    )


def not_invited(review: Review, user_id: str) -> str:
    """Why someone who wasn't invited can't answer, and how to be invited."""
    text = (
        f"You're not on the list for the *{escape_mrkdwn(review.host_council)}* "
        "self-assessment: "
        "only people who have been invited can answer it. If you should be, ask the host "
        "lead or the host team to invite you by typing `/psif invite @your-name` in the "
        "review's channel; you'll get a direct message with a button to start."
    )
    if roles_of(review, user_id) & set(TEAM_ROLES):
        text += (
            " As you're on the review team, your answers would be in the figures but would "
            "not count towards the minimum number of people needed before any are shown."
        )
    return text


@dataclass(frozen=True)
class Finished:
    """What pressing Finish gives: thanks by direct message, or a view to show instead."""

    thanks: str | None = None
    view: Block | None = None


def finish(*, session: Session, deps: Deps, review_id: int, user_id: str) -> Finished:
    """The person pressed Finish on the review screen.

    Having saved every section they are finished already; if that closed the round (they
    were the last), they are thanked all the same rather than told it has closed.
    """
    review = get_review(session=session, review_id=review_id)
    round_ = get_round(session=session, review_id=review_id)
    if (
        review is not None
        and round_ is not None
        and get_participant(session=session, review_id=review_id, user_id=user_id) is not None
        and is_completed(
            session=session, review_id=review_id, respondent_key=key_of(deps, round_, user_id)
        )
    ):
        status = round_status(session=session, deps=deps, round_=round_)
        if status.is_open or status.completion.everyone_finished:
            return Finished(thanks=build_thanks(review.host_council, status))
    try:
        respondent = find_respondent(
            session=session, deps=deps, review_id=review_id, user_id=user_id
        )
    except CannotAnswer as cannot:
        return Finished(view=cannot.notice)
    return Finished(
        view=resume_view(respondent, own_progress(session=session, respondent=respondent))
    )


def own_progress(*, session: Session, respondent: Respondent) -> OwnProgress:
    return OwnProgress(
        respondent.checklist,
        own_sections(
            session=session, review_id=respondent.review_id, respondent_key=respondent.key
        ),
    )


def save_own_section(
    *, session: Session, respondent: Respondent, saved: SectionAnswers
) -> OwnProgress:
    """Save a section, however it was left (Next or Back); once every section is saved,
    the person counts as finished, so nobody chases them.

    Everything written here is under the respondent's key: nothing that names them is
    touched in the same transaction, nor is any time recorded.
    """
    save_section(
        session=session, review_id=respondent.review_id, respondent_key=respondent.key, saved=saved
    )
    progress = own_progress(session=session, respondent=respondent)
    if progress.done:
        record_completion(
            session=session, review_id=respondent.review_id, respondent_key=respondent.key
        )
    return progress


def section_view(respondent: Respondent, progress: OwnProgress, section_number: int) -> Block:
    return build_section_modal(
        checklist=respondent.checklist,
        section_number=section_number,
        review_id=respondent.review_id,
        host_council=respondent.host_council,
        closes_on=respondent.closes_on,
        saved=progress.sections.get(section_number),
    )


def summary_view(respondent: Respondent, progress: OwnProgress) -> Block:
    return build_summary_modal(
        progress=progress,
        review_id=respondent.review_id,
        host_council=respondent.host_council,
        closes_on=respondent.closes_on,
    )


def resume_view(respondent: Respondent, progress: OwnProgress, after: int = 0) -> Block:
    """The first unsaved section after `after` (else any unsaved one), or the review screen."""
    later = next(
        (
            s.number
            for s in respondent.checklist.sections
            if s.number > after and s.number not in progress.sections
        ),
        None,
    )
    target = later or progress.first_incomplete()
    if target is None:
        return summary_view(respondent, progress)
    return section_view(respondent, progress, target)


def entry_view(*, session: Session, deps: Deps, review_id: int, user_id: str) -> Block:
    """What opening the self-assessment shows this user now."""
    try:
        respondent = find_respondent(
            session=session, deps=deps, review_id=review_id, user_id=user_id
        )
    except CannotAnswer as cannot:
        return cannot.notice
    return resume_view(respondent, own_progress(session=session, respondent=respondent))


def self_assessment_status(*, session: Session, deps: Deps, review: Review) -> list[Block]:
    """The self-assessment part of `/psif status`: completion counts for everyone, and
    never who has or hasn't finished (the bot reminds people itself)."""
    round_ = get_round(session=session, review_id=review.id)
    if round_ is None:
        return []
    return build_self_assessment_status(round_status(session=session, deps=deps, round_=round_))


def home_sections(session: Session, deps: Deps, *, user_id: str) -> list[HomeSection]:
    """For the user's Home tab: their own self-assessment progress in each review they are
    invited to, found under the key computed from their id: nothing stored beside their
    name says it."""
    found: list[HomeSection] = []
    for review in reviews_answering(session=session, user_id=user_id):
        round_ = get_round(session=session, review_id=review.id)
        checklist = deps.checklists.get(review.checklist_id)
        if round_ is None or checklist is None:
            continue
        status = round_status(session=session, deps=deps, round_=round_)
        key = key_of(deps, round_, user_id)
        saved = {}
        if status.is_open:
            saved = own_sections(session=session, review_id=review.id, respondent_key=key)
        found.append(
            build_self_assessment_home(
                review_id=review.id,
                status=status,
                sections_saved=len(saved),
                sections_total=len(checklist.sections),
                finished=is_completed(session=session, review_id=review.id, respondent_key=key),
            )
        )
    return found


def checklist_status(*, session: Session, deps: Deps, review_id: int) -> RoundStatus | None:
    """How the review's self-assessment stands, in counts; None until people are invited."""
    round_ = get_round(session=session, review_id=review_id)
    return round_status(session=session, deps=deps, round_=round_) if round_ else None
