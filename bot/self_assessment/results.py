"""Loading a review's self-assessment results: shared by `/psif results` and `/afi import`.

Results exist only once the self-assessment has closed; before that there is only the
completion count. The first time results are loaded the round is closed for good (so no
second set of results can be compared with the first) and its answers are sealed.

The minimum counts only people outside the review team (see
bot.self_assessment.checklist.analysis). Nothing stored says whose answers are whose, so
this is worked out here each time from the keys: a response counts when its key is that of
someone invited who has never held a team role in the review. Everyone else's answers are
in the figures without counting towards the minimum: today's team, anyone who has left it
(they may still tell the team what they said), and anyone whose key can no longer be
computed because they used `/psif forget-me` (they may have been on the team). Counting
only whom the bot can vouch for means the set can only shrink once results are out, so
the results can lose figures later but never gain any that could be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.checklist import Checklist
from bot.core.responses import Comment, Completion
from bot.deps import Deps
from bot.self_assessment.checklist import Analysis, analyse
from bot.self_assessment.rules import RoundStatus, analysis_settings
from bot.self_assessment.service import key_of, round_status
from bot.slack.text import plural
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistRound
from storage.repositories.privacy import seal_answers
from storage.repositories.self_assessment import get_round, participants, release_results
from storage.repositories.self_assessment_answers import all_responses
from storage.repositories.team import ever_on_team


@dataclass(frozen=True)
class Results:
    checklist: Checklist
    analysis: Analysis
    comments: list[Comment]
    completion: Completion


class NoResults(Exception):
    """Why there is nothing to report yet; the message is for the person who asked."""


def still_open(status: RoundStatus) -> str:
    return (
        f"The self-assessment is open until {format_date(status.closes_on)}: "
        f"{status.completion.line()}. Results are shown once it closes – on that date, as "
        "soon as everyone invited has finished, or earlier if the host lead or IS lead "
        "closes it with `/psif checklist close`. Until then only the count is shared, so "
        "that nobody's answers can be worked out by comparing results."
    )


def load_results(*, session: Session, deps: Deps, review: Review) -> Results:
    """The analysed self-assessment; raises NoResults with a message a person can act on.

    Takes a fixed number of queries whatever the number of respondents.
    """
    round_ = get_round(session=session, review_id=review.id)
    if round_ is None:
        raise NoResults(
            "The self-assessment hasn't been issued yet. The host team issues it with "
            "`/psif invite @person …`."
        )
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise NoResults(f"This review's checklist `{review.checklist_id}` isn't installed.")
    status = round_status(session=session, deps=deps, round_=round_)
    if status.is_open:
        raise NoResults(still_open(status))
    responses = all_responses(
        session=session,
        review_id=review.id,
        counted_keys=_counted_keys(session=session, deps=deps, review=review, round_=round_),
    )
    settings = analysis_settings(deps.settings)
    analysis = analyse(checklist, responses.respondents, settings)
    if analysis.respondents == 0:
        raise NoResults("Nobody answered the self-assessment, so there is nothing to show.")
    if analysis.suppressed:
        raise NoResults(_too_few(analysis.counted_respondents, settings.min_respondents))
    if release_results(session=session, round_=round_, now=deps.now()):
        seal_answers(session=session, round_=round_, now=deps.now())
    return Results(
        checklist=checklist,
        analysis=analysis,
        comments=[c for c in responses.comments if analysis.shows_section(c.section_number)],
        completion=status.completion,
    )


def _too_few(counted: int, minimum: int) -> str:
    """Why results are held back: the minimum, and that the review team doesn't count."""
    who = f"Only {plural(counted, 'person', 'people')}" if counted else "Nobody"
    return (
        f"{who} outside the review team answered. Results are shown only when at least "
        f"{minimum} have, so that nobody's answers can be worked out; the review team's own "
        "answers don't count towards that, since the team knows them."
    )


def _counted_keys(
    *, session: Session, deps: Deps, review: Review, round_: ChecklistRound
) -> set[str]:
    """The keys of invited people who have never held a team role in the review."""
    team = ever_on_team(session=session, review=review)
    return {
        key_of(deps, round_, person.user_id)
        for person in participants(session=session, review_id=review.id)
        if person.user_id not in team
    }
