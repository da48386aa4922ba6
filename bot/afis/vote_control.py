"""A lead's commands for the vote: its settings form, closing it and re-opening it.

Who may run the vote is checked before anything typed is read, so nobody is told their
number is wrong and then that they can't act.
"""

from __future__ import annotations

from bot.afis.rules import parse_top_n
from bot.afis.tally import owe_tally
from bot.afis.vote_closing import close_open_vote
from bot.afis.vote_views import VoteFormMetadata, build_vote_modal
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.review_access import channel_review, require_permission
from bot.slack.blocks import Block, section
from bot.slack.outbox import owe_message
from bot.slack.text import mention, plural
from storage.db import transaction
from storage.repositories.afi_vote_closing import reopen_vote
from storage.repositories.afi_votes import latest_round, open_round
from storage.repositories.afis import afi_facts

MIN_AFIS_TO_VOTE = 2


def vote_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    """`/afi vote`: the form choosing the vote's settings, once there is something to vote on."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        if open_round(session=session, review_id=review.id) is not None:
            raise Refusal(
                "A vote is already open in this channel: use its message to vote, and "
                "`/afi close` to close it."
            )
        afi_count = afi_facts(session=session, review_id=review.id).afi_count
    if afi_count < MIN_AFIS_TO_VOTE:
        raise Refusal(
            f"There {'is' if afi_count == 1 else 'are'} only "
            f"{plural(afi_count, 'area', 'areas')} for improvement so far: a vote needs at "
            "least two. Add them with `/afi add`."
        )
    metadata = VoteFormMetadata(channel_id=channel_id, response_url=response_url)
    return build_vote_modal(afi_count, metadata)


def close_vote_now(
    deps: Deps, *, channel_id: str, user_id: str, typed_top_n: str, response_url: str
) -> None:
    """`/afi close [N]`: close the open vote and prioritise the top N (by default as chosen
    when it started). The result in the channel names the closer, so nothing else is said."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        top_n = parse_top_n(typed_top_n) if typed_top_n.strip() else None
        if isinstance(top_n, str):
            raise Refusal(top_n)
        if close_open_vote(
            session, deps, review, top_n=top_n, closer=user_id, response_url=response_url
        ):
            return
        held_before = latest_round(session=session, review_id=review.id) is not None
    raise Refusal(
        "No vote is open. "
        + (
            "Re-open the last one with `/afi reopen`, or start a new one with `/afi vote`."
            if held_before
            else "Start one with `/afi vote`."
        )
    )


def reopen_last_vote(deps: Deps, *, channel_id: str, user_id: str) -> str:
    """`/afi reopen`: the last closed vote opens again with its votes (in the audit trail)."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        if open_round(session=session, review_id=review.id) is not None:
            raise Refusal("The vote is already open.")
        vote_round = reopen_vote(session=session, review=review, actor_id=user_id, now=deps.now())
        if vote_round is None:
            raise Refusal("There is no earlier vote to re-open. Start one with `/afi vote`.")
        owe_tally(
            session,
            team_id=review.team_id,
            round_id=vote_round.id,
            interval=deps.settings.afi_tally_interval_seconds,
        )
        text = (
            f"{mention(user_id)} re-opened the vote on the areas for improvement: the votes "
            "cast so far still count, and the voting message above works again. "
            "The prioritised list is updated when the vote is closed again."
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=vote_round.channel_id,
            text=text,
            blocks=[section(text)],
        )
    return "The vote is open again."
