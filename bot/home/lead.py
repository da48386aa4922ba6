"""A lead's Home tab: the facts shown for each review they lead, and the check every lead
button makes when pressed (the tab may be days old and its presser no longer a lead)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.milestones_done import done_keys
from bot.core.permissions import Operation, permits
from bot.core.roles import LEAD_ROLES, Role
from bot.core.stages import Stage
from bot.deps import Deps
from bot.home.lead_facts import LeadFacts, VoteFacts, next_step
from bot.home.lead_views import build_lead_home
from bot.home.views import HomeSection
from bot.review_access import get_review
from bot.self_assessment.service import round_status
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.action_items import unfinished_and_overdue
from storage.repositories.afi_votes import latest_vote_round, round_tally
from storage.repositories.afis import afi_facts
from storage.repositories.reminders import done_milestones
from storage.repositories.reviews import latest_review_in_channel, roles_of, timeline_of
from storage.repositories.self_assessment import get_round

# A led review takes at least five of the tab's 100 blocks (divider, title, role, summary,
# buttons), so no more than this many ever show: the rest aren't worth gathering.
LED_REVIEWS_SHOWN = 20


def leads(review: Review, user_id: str) -> bool:
    return bool(roles_of(review, user_id) & LEAD_ROLES)


def lead_facts(session: Session, deps: Deps, review: Review) -> LeadFacts:
    today = deps.today()
    checklist_round = get_round(session=session, review_id=review.id)
    status = (
        round_status(session=session, deps=deps, round_=checklist_round)
        if checklist_round is not None
        else None
    )
    vote_round = latest_vote_round(session=session, review_id=review.id)
    vote = None
    if vote_round is not None:
        tally = round_tally(session=session, round_id=vote_round.id)
        vote = VoteFacts(
            is_open=vote_round.closed_at is None, votes=tally.votes, voters=tally.voters
        )
    afis = afi_facts(session=session, review_id=review.id)
    open_actions, overdue_actions = unfinished_and_overdue(
        session=session, review_id=review.id, today=today
    )
    recorded = done_milestones(session=session, review_id=review.id)
    done = done_keys(stage=Stage(review.stage), recorded=recorded)
    return LeadFacts(
        review_id=review.id,
        self_assessment=status,
        afi_count=afis.afi_count,
        prioritised_count=afis.prioritised_afi_count,
        vote=vote,
        open_actions=open_actions,
        overdue_actions=overdue_actions,
        next_step=next_step(timeline_of(review), today=today, done=done),
    )


def lead_sections(
    session: Session, deps: Deps, reviews: list[Review], *, user_id: str
) -> list[HomeSection]:
    """A lead's part of the tab for each open review the user leads (host or IS lead), as
    many as can show."""
    led = [review for review in reviews if leads(review, user_id)][:LED_REVIEWS_SHOWN]
    return [build_lead_home(lead_facts(session, deps, review)) for review in led]


@dataclass(frozen=True)
class LeadTarget:
    """A lead button's review, still open and still led by the presser."""

    review_id: int
    channel_id: str
    host_council: str


def lead_target(
    deps: Deps, *, user_id: str, review_id: int, operation: Operation
) -> LeadTarget | str:
    """The review a lead button acts on, or why the presser can't use it any more."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            return "That review is no longer there, so the button does nothing now."
        where = (
            f"the {escape_mrkdwn(review.host_council)} review in {channel_link(review.channel_id)}"
        )
        latest = latest_review_in_channel(session=session, channel_id=review.channel_id)
        if review.closed_at is not None or latest is None or latest.id != review.id:
            return f"{where[0].upper()}{where[1:]} has closed, so its buttons no longer work."
        if not leads(review, user_id) or not permits(operation, roles_of(review, user_id)):
            current = [
                member.user_id
                for role in (Role.HOST_LEAD, Role.IS_LEAD)
                for member in review.members
                if member.role == role.value
            ]
            ask = join_words([mention(user) for user in dict.fromkeys(current)])
            ask_line = (
                f" Ask {ask.replace(' and ', ' or ')} if you should still lead it." if ask else ""
            )
            return (
                f"You're no longer a lead of {where}, so its lead buttons no longer work for "
                f"you, and nothing was changed.{ask_line} Your Home tab now shows what you can do."
            )
        return LeadTarget(
            review_id=review.id, channel_id=review.channel_id, host_council=review.host_council
        )
