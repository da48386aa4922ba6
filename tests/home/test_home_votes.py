"""The Home tab tells voters how many votes they have left while a vote is open."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.votes import VoteSettings
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.deps import Deps
from bot.review_access import get_review
from storage.db import transaction
from storage.repositories.afi_votes import VoteClick, change_vote, open_vote
from storage.repositories.afis import list_afis

from afi_helpers import CHANNEL, PEERS, seed_voting_review

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def home_text(slack: SlackDriver, fake: FakeSlack, user: str) -> str:
    before = len(fake.calls_to("views.publish"))
    slack.open_home(user)
    fake.wait_for("views.publish", before + 1)
    assert validate_view(fake.home_tabs[user], "home") == []
    return str(fake.home_tabs[user]["blocks"])


def test_home_shows_votes_left_until_they_are_spent(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_voting_review(deps, afis=3)
    voter = PEERS[0]
    assert "Prioritisation vote" not in home_text(slack, fake_slack, voter)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        vote_round = open_vote(
            session=session,
            review_id=review.id,
            channel_id=CHANNEL,
            settings=VoteSettings(budget=2, per_afi_cap=1),
            actor_id="UHOST",
            now=NOW,
        )
        round_id = vote_round.id
        afi_ids = [afi.id for afi in list_afis(session=session, review_id=review_id)]
    assert "2 votes of 2 left" in home_text(slack, fake_slack, voter)
    for index, afi_id in enumerate(afi_ids[:2]):
        with transaction(deps.sessions) as session:
            change_vote(
                session=session,
                now=NOW,
                click=VoteClick(
                    round_id=round_id,
                    afi_id=afi_id,
                    voter_id=voter,
                    key=f"click-{index}",
                    adding=True,
                ),
            )
    assert "Prioritisation vote" not in home_text(slack, fake_slack, voter)
