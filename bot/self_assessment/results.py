"""Loading a review's self-assessment analysis: shared by `/psif results` and `/afi import`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.self_assessment.checklist import Analysis, Checklist, Comment, RespondentAnswers, analyse
from bot.self_assessment.rules import analysis_settings
from storage.models.reviews import Review
from storage.repositories.self_assessment import all_responses, get_round, self_assessment_facts


@dataclass(frozen=True)
class Results:
    checklist: Checklist
    analysis: Analysis
    respondents: list[RespondentAnswers]
    comments: list[Comment]
    invited: int
    finished: int


class NoResults(Exception):
    """Why there is nothing to report yet; the message is for the person who asked."""


def load_results(*, session: Session, deps: Deps, review: Review) -> Results:
    """The analysed self-assessment; raises NoResults with a message a person can act on.

    Takes a fixed number of queries whatever the number of respondents.
    """
    if get_round(session=session, review_id=review.id) is None:
        raise NoResults(
            "The self-assessment hasn't been issued yet. The host team issues it with "
            "`/psif invite @person …`."
        )
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise NoResults(f"This review's checklist `{review.checklist_id}` isn't installed.")
    responses = all_responses(session=session, review_id=review.id)
    facts = self_assessment_facts(session=session, review_id=review.id)
    settings = analysis_settings(deps.settings)
    analysis = analyse(checklist, responses.respondents, settings)
    if analysis.respondents == 0:
        raise NoResults("Nobody has answered the self-assessment yet, so there is nothing to show.")
    if analysis.suppressed:
        raise NoResults(
            f"Only {analysis.respondents} of the people invited have answered so far. Results "
            f"are shown once at least {settings.min_respondents} have, so that nobody's answers "
            "can be worked out."
        )
    return Results(
        checklist=checklist,
        analysis=analysis,
        respondents=responses.respondents,
        comments=responses.comments,
        invited=facts["stakeholders_invited"] or 0,
        finished=facts["stakeholders_finished"] or 0,
    )
