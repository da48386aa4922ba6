"""Dot-vote use cases: starting a vote, a press on a Vote button and My votes (closing and
tie-breaks are in vote_closing.py).

Each owns its transaction and owes its Slack effects through the outbox in it.

One ballot per voter, updated in place, as far as Slack allows: an ephemeral message can
only be changed through the response_url of a click *in that ephemeral message*
(`replace_original`); chat.update cannot touch ephemerals, and a click on the channel's
voting message carries that shared message's response_url, whose `replace_original` would
rewrite the message everyone sees. So a press in the voter's own ballot replaces that ballot,
while a press on the channel message (or My votes) brings a fresh ballot, which from then
on is the one that changes. The channel message therefore leads people to the ballot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.afis.ballot_views import MyVotes, build_my_ballot, describe_vote_answer
from bot.afis.tally import owe_tally
from bot.core.permissions import Operation, permits, refusal
from bot.core.roles import Role
from bot.core.votes import VoteOutcome, VoteSettings
from bot.deps import Deps
from bot.slack import ids
from bot.slack.outbox import owe_answer
from bot.slack.payloads import action_value, record_ids
from storage.db import transaction
from storage.models.afis import AfiVoteRound
from storage.models.reviews import Review
from storage.repositories.afi_vote_clicks import VoteClick, change_vote
from storage.repositories.afi_vote_rounds import round_for_voter
from storage.repositories.afi_votes import VoteAlreadyOpen, get_round, open_vote, voter_ballot
from storage.repositories.reviews import open_review_in_channel, roles_of

NOT_A_VOTER = (
    "This vote is for the review team (host team, Improvement Service and peer reviewers). "
    "If you should be, ask the host lead or Improvement Service lead to add you with "
    "`/psif team add`."
)
GONE = "This vote no longer exists."


def _voting_round(
    session: Session, round_id: int, user_id: str
) -> tuple[AfiVoteRound, Review, bool] | None:
    """The round, its review and whether the person may vote in it, unless the round is
    gone or the review closed."""
    found = round_for_voter(session=session, round_id=round_id, voter_id=user_id)
    if found is None or found[1].closed_at is not None:
        return None
    vote_round, review, roles = found
    return vote_round, review, _may_vote(vote_round, roles)


def _may_vote(vote_round: AfiVoteRound, roles: set[Role]) -> bool:
    return vote_round.everyone_can_vote or permits(Operation.VOTE, roles)


def _owe_ballot(
    session: Session,
    *,
    vote_round: AfiVoteRound,
    review: Review,
    user_id: str,
    response_url: str | None,
    headline: Callable[[MyVotes], str],
    replace: bool,
) -> None:
    """Owe the voter their ballot, headed by what `headline` makes of their votes."""
    info, items, by_afi = voter_ballot(session=session, vote_round=vote_round, voter_id=user_id)
    mine = MyVotes(by_afi)
    text, blocks = build_my_ballot(info, items, mine, headline(mine))
    owe_answer(
        session,
        team_id=review.team_id,
        user_id=user_id,
        response_url=response_url,
        text=text,
        blocks=blocks,
        replace_original=replace,
    )


def click_of(body: dict[str, Any], action: dict[str, Any]) -> VoteClick:
    """The press as a value; UnreadablePayload if the button isn't one of ours."""
    round_id, afi_id = record_ids(action_value(action), 2)
    # Slack stamps each press with its own action_ts; a redelivered press repeats it.
    action_ts = str(action.get("action_ts") or "")
    return VoteClick(
        round_id=round_id,
        afi_id=afi_id,
        voter_id=body["user"]["id"],
        key=(action_ts or str(body.get("trigger_id", "")))[:64],
        adding=action["action_id"] != ids.AFI_VOTE_REMOVE,
        clicked_at=_seconds(action_ts),
        toggle=action["action_id"] != ids.AFI_VOTE_REMOVE,
    )


def _seconds(action_ts: str) -> float | None:
    try:
        return float(action_ts)
    except ValueError:
        return None


def cast_vote(
    deps: Deps, click: VoteClick, *, response_url: str | None, in_ballot: bool = False
) -> str | None:
    """Apply one press and owe the voter their answer and the message its tally, all in one
    transaction: once this returns, the press is stored (it is acknowledged after).
    `in_ballot`: pressed in the voter's own ballot, which the answer then replaces. Returns
    what the listener must say itself when the vote is gone, else None."""
    with transaction(deps.sessions) as session:
        found = _voting_round(session, click.round_id, click.voter_id)
        if found is None:
            return GONE
        vote_round, review, may_vote = found
        if not may_vote:
            owe_answer(
                session,
                team_id=review.team_id,
                user_id=click.voter_id,
                response_url=response_url,
                text=NOT_A_VOTER,
            )
            return None
        result = change_vote(session=session, click=click, now=deps.now(), locked_round=vote_round)
        assert result is not None  # the round exists
        if result.outcome in (VoteOutcome.ADDED, VoteOutcome.REMOVED):
            owe_tally(
                session,
                team_id=review.team_id,
                round_id=vote_round.id,
                interval=deps.settings.afi_tally_interval_seconds,
            )

        def headline(mine: MyVotes) -> str:
            return describe_vote_answer(
                result.outcome,
                afi_number=result.afi_number,
                on_afi=mine.by_afi.get(click.afi_id, 0),
                budget=vote_round.budget,
                cap=vote_round.per_afi_cap,
            )

        _owe_ballot(
            session,
            vote_round=vote_round,
            review=review,
            user_id=click.voter_id,
            response_url=response_url,
            headline=headline,
            replace=in_ballot,
        )
    return None


def show_my_votes(
    deps: Deps, *, round_id: int, user_id: str, response_url: str | None
) -> str | None:
    """My votes: owe the voter their ballot, changing nothing; else why not."""
    with transaction(deps.sessions) as session:
        found = _voting_round(session, round_id, user_id)
        if found is None:
            return GONE
        vote_round, review, may_vote = found
        if not may_vote:
            return NOT_A_VOTER
        _owe_ballot(
            session,
            vote_round=vote_round,
            review=review,
            user_id=user_id,
            response_url=response_url,
            headline=lambda _mine: "",
            replace=False,
        )
    return None


def start_vote(
    deps: Deps,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    settings: VoteSettings,
    response_url: str | None,
) -> str | None:
    """Open a vote in the channel's review and owe it its voting message; why not, if not."""
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            return "The review in this channel has been closed."
        if not permits(Operation.RUN_VOTE, roles_of(review, user_id)):
            return refusal(Operation.RUN_VOTE)
        try:
            vote_round = open_vote(
                session=session,
                review=review,
                channel_id=channel_id,
                settings=settings,
                actor_id=user_id,
                now=deps.now(),
            )
        except VoteAlreadyOpen:
            return "Someone started a vote meanwhile; use theirs."
        owe_first_post(session, deps, review, vote_round, user_id, response_url)
    return None


def owe_first_post(
    session: Session,
    deps: Deps,
    review: Review,
    vote_round: AfiVoteRound,
    user_id: str,
    response_url: str | None,
) -> None:
    owe_tally(
        session,
        team_id=review.team_id,
        round_id=vote_round.id,
        interval=deps.settings.afi_tally_interval_seconds,
        channel_id=vote_round.channel_id,
        if_undelivered={
            "user_id": user_id,
            "response_url": response_url,
            "text": "The vote was not started.",
        },
    )


def votes_taken_back(session: Session, deps: Deps, *, round_ids: list[int]) -> None:
    """Votes left these rounds without a click (a voter used `/psif forget-me`): their
    messages catch up, in the caller's transaction."""
    for round_id in round_ids:
        vote_round = get_round(session=session, round_id=round_id)
        review = session.get(Review, vote_round.review_id) if vote_round else None
        if vote_round is None or review is None:
            continue
        owe_tally(
            session,
            team_id=review.team_id,
            round_id=round_id,
            interval=deps.settings.afi_tally_interval_seconds,
        )
