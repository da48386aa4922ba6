"""The voter's own ballot stays within Slack's limits and always shows their own votes."""

from __future__ import annotations

from bot.afis.views import build_my_ballot
from bot.core.afis import AfiItem, BallotInfo
from bot.demo.fake_slack import validate_blocks
from bot.slack import ids

from afi_helpers import SLACK_BLOCKS_TEXT_LIMIT, text_length

BALLOT = BallotInfo(
    round_id=1, budget=3, per_afi_cap=2, everyone_can_vote=False, is_open=True, voters=4, votes=9
)


def afis(count: int) -> list[AfiItem]:
    return [
        AfiItem(
            id=100 + n,
            number=n,
            text="Roads & pavements <!channel> " * 20,
            section_number=None,
            evidence="",
            source="added",
            author_id="U1",
        )
        for n in range(1, count + 1)
    ]


def test_a_long_ballot_fits_one_message_and_keeps_the_voters_own_choices() -> None:
    listed = afis(120)
    text, blocks = build_my_ballot(BALLOT, listed, {219: 2, 101: 1}, "Vote added.")
    assert len(blocks) <= 50 and validate_blocks(blocks, "message") == []
    assert text_length(blocks) <= SLACK_BLOCKS_TEXT_LIMIT
    assert "<!channel>" not in str(blocks)
    buttons = {
        block["block_id"]: block["accessory"]["text"]["text"]
        for block in blocks
        if block.get("accessory", {}).get("action_id") == ids.AFI_BALLOT_TOGGLE
    }
    assert buttons["mine:219"] == "✓ 2 votes" and buttons["mine:101"] == "✓ Voted"
    assert "74 more areas: vote on them in the channel's voting message." in str(blocks)
    assert text == "Vote added. Your votes: AFI 1 and AFI 119 (2) · all 3 votes used."


def test_a_closed_ballot_has_no_buttons() -> None:
    closed = BallotInfo(**{**BALLOT.__dict__, "is_open": False})
    _, blocks = build_my_ballot(closed, afis(3), {101: 1})
    assert not [block for block in blocks if "accessory" in block]
    assert "Voting has closed" in str(blocks)
