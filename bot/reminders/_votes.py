"""Vote reminder: one direct message to each team member who hasn't voted, the working day
before the vote closes, or for a vote with no closing time, the second working day after it
opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.afis.views import build_vote_nudge
from bot.core.calendar import aware, format_date, previous_working_day, working_day_on_or_after
from bot.core.nudges import PlannedNudge, is_before_send_moment
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.reminders._rule import NudgeRule, Planning, Rendering
from bot.slack.blocks import Message
from storage.models.afis import AfiVoteRound
from storage.repositories.afi_votes import (
    get_vote_round,
    members_of,
    open_rounds_of,
    round_tally,
    voters_by_round,
)

KIND = "vote.not_voted"  # "vote" is the rule name: `/psif reminders off vote` mutes it
USEFUL_FOR = timedelta(days=5)


def nudge_day(vote_round: AfiVoteRound, zone: ZoneInfo) -> tuple[date, date] | None:
    """The day the nudge goes and the last day it is worth sending; None if there is none
    (a vote opened too close to its closing time)."""
    opened_on = aware(vote_round.opened_at).astimezone(zone).date()
    if vote_round.closes_at is None:
        day = working_day_on_or_after(opened_on + timedelta(days=2))
        return day, day + USEFUL_FOR
    closes_on = aware(vote_round.closes_at).astimezone(zone).date()
    day = previous_working_day(closes_on)
    if not is_before_send_moment(vote_round.opened_at, day, zone):
        day = closes_on  # opened the day before: a reminder on the morning it closes
    if not is_before_send_moment(vote_round.opened_at, day, zone):
        return None
    return day, closes_on


def _may_vote(roles: set[str]) -> bool:
    return permits(Operation.VOTE, {Role(role) for role in roles})


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    zones = {review.id: review.zone for review in planning.reviews}
    rounds = open_rounds_of(session=planning.session, review_ids=planning.review_ids)
    if not rounds:
        return
    voted = voters_by_round(session=planning.session, round_ids=[r.id for r in rounds])
    teams = members_of(session=planning.session, review_ids=[r.review_id for r in rounds])
    for vote_round in rounds:
        when = nudge_day(vote_round, zones[vote_round.review_id])
        if when is None or not planning.covers(when[0]):
            continue
        for user_id, roles in teams.get(vote_round.review_id, {}).items():
            if user_id not in voted[vote_round.id] and _may_vote(roles):
                yield PlannedNudge(
                    review_id=vote_round.review_id,
                    rule=KIND,
                    day=when[0],
                    useful_until=when[1],
                    summary="Direct reminder to vote, to those who haven't "
                    f"({format_date(when[0])})",
                    recipient=user_id,
                    payload={"round_id": vote_round.id},
                )


def render(rendering: Rendering) -> Message | None:
    session, review, nudge = rendering.session, rendering.review, rendering.nudge
    vote_round = get_vote_round(session=session, round_id=int(nudge.payload["round_id"]))
    if vote_round is None or vote_round.closed_at is not None:
        return None
    if round_tally(session=session, round_id=vote_round.id, voter_id=nudge.recipient).mine:
        return None  # voted since this was planned
    roles = members_of(session=session, review_ids=[review.id]).get(review.id, {})
    if not _may_vote(roles.get(nudge.recipient, set())):
        return None  # left the team since
    return build_vote_nudge(
        round_id=vote_round.id,
        channel_id=vote_round.channel_id,
        host_council=review.host_council,
        budget=vote_round.budget,
        closes_at=aware(vote_round.closes_at) if vote_round.closes_at else None,
        zone=review.zone,
        voters=round_tally(session=session, round_id=vote_round.id).voters,
    )


RULE = NudgeRule(name="vote", label="Vote reminders", plan=plan, render=render)
