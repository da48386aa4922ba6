"""Slash-command text arrives with &, < and > escaped; what people typed is what is stored."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from storage.db import transaction
from storage.models.afis import Afi

from afi_helpers import seed_voting_review
from helpers import last_response_text


def test_afi_add_stores_the_text_as_typed_and_shows_it_escaped_once(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_voting_review(deps)
    # What Slack sends for: Roads & bridges <older than 1990>
    slack.command("/afi", "add Roads &amp; bridges &lt;older than 1990&gt;", user="UHOST")
    reply = last_response_text(fake_slack)
    assert "Roads &amp; bridges &lt;older than 1990&gt;" in reply
    assert "&amp;amp;" not in reply
    with transaction(deps.sessions) as session:
        assert session.scalars(select(Afi.text)).all() == ["Roads & bridges <older than 1990>"]
