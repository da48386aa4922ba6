"""AFI builders stay within Slack's limits whatever the number and length of AFIs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.afis._rules import cut_off_tie, rank_afis
from bot.afis.views import (
    AfiFormMetadata,
    build_afi_card,
    build_afi_list,
    build_afi_modal,
    build_merge_modal,
    build_vote_modal,
    build_vote_pages,
    build_vote_result,
)
from bot.core.afis import AfiItem, BallotInfo, psif_sections
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.slack import ids

from afi_helpers import SLACK_BLOCKS_TEXT_LIMIT, text_length

UNFRIENDLY_TEXT = "Roads & pavements <!channel> " * 20


def items(count: int, text: str = "An area for improvement <!channel> & more") -> list[AfiItem]:
    return [
        AfiItem(
            id=100 + n,
            number=n,
            text=text,
            section_number=1 + n % 6,
            evidence="e" * 1500,
            source="added",
            author_id="U1",
            votes=n % 7,
        )
        for n in range(1, count + 1)
    ]


BALLOT = BallotInfo(
    round_id=1, budget=3, per_afi_cap=1, everyone_can_vote=False, is_open=True, voters=4, votes=9
)


def test_voting_pages_never_exceed_fifty_blocks_and_escape_user_text() -> None:
    for count in (0, 1, 20, 21, 60, 120):
        pages = build_vote_pages(BALLOT, items(count, "x" * 500 + " <!channel>"))
        assert len(pages) == max(1, -(-count // 20))
        for _, blocks in pages:
            assert len(blocks) <= 50
            assert validate_blocks(blocks, "message") == []
    text = str(build_vote_pages(BALLOT, items(1))[0][1])
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text


def test_a_closed_ballot_has_no_buttons() -> None:
    closed = BallotInfo(1, 3, 1, False, False, 4, 9)
    ((_, blocks),) = build_vote_pages(closed, items(3))
    assert not [block for block in blocks if block["type"] == "actions"]


def test_the_list_is_one_line_per_area_with_a_show_button_a_page_at_a_time() -> None:
    many = items(95)
    _, blocks = build_afi_list(many, ballot=BALLOT)
    assert len(blocks) <= 50 and validate_blocks(blocks, "message") == []
    rows = [block for block in blocks if str(block.get("block_id", "")).startswith("afi:")]
    assert len(rows) == 40
    for row in rows:
        assert "\n" not in row["text"]["text"]  # one line, no evidence
        assert row["accessory"]["text"]["text"] == "Show"
    assert "e" * 20 not in str(blocks)
    _, last = build_afi_list(many, ballot=BALLOT, page=99)
    assert "*95.*" in str(last) and "Previous" in str(last) and "Next" not in str(last)


def test_an_area_shown_in_full_has_its_evidence_figures_and_a_menu_only_where_allowed() -> None:
    item = items(1)[0]
    figures = "Self-assessment, statement 6.01: 0 of 4 agree (0%) · 3 disagree (75%)"
    _, blocks = build_afi_card(
        item, psif_sections(), ballot=BALLOT, figures=figures, manageable=True, reads_findings=True
    )
    assert validate_blocks(blocks, "message") == []
    assert blocks[0]["accessory"]["action_id"] == ids.AFI_MANAGE
    assert blocks[2] == {"type": "context", "elements": [{"type": "mrkdwn", "text": figures}]}
    assert "*Evidence*" in str(blocks) and "`/afi show 1`" in str(blocks)
    _, plain = build_afi_card(
        item, {}, ballot=None, figures=None, manageable=False, reads_findings=False
    )
    assert "accessory" not in plain[0] and "agree" not in str(plain)
    assert "/afi show" not in str(plain)


def test_modals_are_valid() -> None:
    metadata = AfiFormMetadata(
        channel_id="C1", response_url="https://example.invalid/r", afi_id=101
    )
    for view in (
        build_afi_modal(psif_sections(), metadata),
        build_afi_modal(psif_sections(), metadata, editing=items(1)[0]),
        build_merge_modal(items(1)[0], items(150), metadata),
        build_vote_modal(12, AfiFormMetadata(channel_id="C1")),
    ):
        assert validate_view(view, "modal") == []


def test_the_result_lists_every_afi_within_the_limits() -> None:
    listed = items(120, "y" * 500)
    ranked = rank_afis([(item.number, item.votes) for item in listed], top_n=5)
    messages = build_vote_result(
        ranked,
        {item.number: item for item in listed},
        top_n=5,
        closed_by="U1",
        round_id=1,
        tie=None,
    )
    for _, blocks in messages:
        assert len(blocks) <= 50 and validate_blocks(blocks, "message") == []
    assert "Voting closed" in messages[0][0]


def test_a_long_result_is_split_into_messages_slack_accepts_and_lists_every_afi() -> None:
    listed = items(60, UNFRIENDLY_TEXT)
    ranked = rank_afis([(item.number, item.votes) for item in listed], top_n=5)
    messages = build_vote_result(
        ranked,
        {item.number: item for item in listed},
        top_n=5,
        closed_by="U1",
        round_id=1,
        tie=None,
    )
    assert len(messages) > 1
    shown = ""
    for _, blocks in messages:
        assert text_length(blocks) <= SLACK_BLOCKS_TEXT_LIMIT
        assert validate_blocks(blocks, "message") == []
        shown += str(blocks)
    assert all(f"*{item.number}.*" in shown for item in listed if item.votes)
    unvoted = [str(item.number) for item in listed if not item.votes]
    assert f"{len(unvoted)} others had no votes: AFIs {', '.join(unvoted[:-1])}" in shown
    assert "part 1 of" in messages[0][0] and "/afi list" in str(messages[-1][1])


def test_voting_pages_stay_under_slacks_total_text_limit_whatever_the_afis_say() -> None:
    for text in ("<&>" * 200, UNFRIENDLY_TEXT, "x" * 500):
        listed = items(45, text)
        pages = build_vote_pages(BALLOT, listed)
        shown = ""
        for _, blocks in pages:
            assert text_length(blocks) <= SLACK_BLOCKS_TEXT_LIMIT
            assert validate_blocks(blocks, "message") == []
            shown += str(blocks)
        assert all(f"*{item.number}.*" in shown for item in listed)


def test_every_list_page_stays_under_slacks_total_text_limit_and_every_afi_is_reachable() -> None:
    listed = items(45, "z" * 500)
    _, first = build_afi_list(listed, ballot=BALLOT)
    page_count = int(str(first).split("Page 1 of ")[1].split("'")[0])
    shown = ""
    for page in range(1, page_count + 1):
        _, blocks = build_afi_list(listed, ballot=BALLOT, page=page)
        assert text_length(blocks) <= SLACK_BLOCKS_TEXT_LIMIT
        assert validate_blocks(blocks, "message") == []
        shown += str(blocks)
    assert all(f"*{item.number}.*" in shown for item in listed)


def result_wording(votes: dict[int, int], top_n: int) -> tuple[str, str]:
    """The result's notification text and its opening sentence, for AFIs with these votes."""
    listed = {item.number: item for item in items(len(votes))}
    ranked = rank_afis(votes.items(), top_n=top_n)
    ((text, blocks),) = build_vote_result(
        ranked,
        listed,
        top_n=top_n,
        closed_by=None,
        round_id=1,
        tie=cut_off_tie(ranked, top_n=top_n),
    )
    return text, blocks[1]["text"]["text"].removeprefix("The vote closed at its set time. ")


@pytest.mark.parametrize(
    ("votes", "top_n", "text", "opening"),
    [
        (
            {1: 5, 2: 4, 3: 2, 4: 2, 5: 0, 6: 2},
            3,
            "Voting closed. Prioritised: AFIs 1 and 2; AFIs 3, 4 and 6 tie for the last place.",
            "AFIs 1 and 2 are prioritised; AFIs 3, 4 and 6 tie for the last place. A host lead "
            "or the Improvement Service can run a tie-break, or keep them all.",
        ),
        (
            {1: 5, 2: 2, 3: 2, 4: 2},
            3,
            "Voting closed. Prioritised: AFI 1; AFIs 2, 3 and 4 tie for the last 2 places.",
            "AFI 1 is prioritised; AFIs 2, 3 and 4 tie for the last 2 places. A host lead or the "
            "Improvement Service can run a tie-break, or keep them all.",
        ),
        (
            {1: 2, 2: 2, 3: 2},
            2,
            "Voting closed. AFIs 1, 2 and 3 tie for the 2 places.",
            "AFIs 1, 2 and 3 tie for the 2 places. A host lead or the Improvement Service can "
            "run a tie-break, or keep them all.",
        ),
        (
            {1: 3, 2: 1, 3: 0},
            3,
            "Voting closed. Prioritised: AFIs 1 and 2.",
            "AFIs 1 and 2 are prioritised: only they had votes (the top 3 were asked for).",
        ),
        (
            {1: 3, 2: 2, 3: 1},
            2,
            "Voting closed. Prioritised: AFIs 1 and 2.",
            "AFIs 1 and 2 are prioritised: the top 2 by votes.",
        ),
    ],
)
def test_the_result_says_who_is_prioritised_and_who_ties_in_one_plain_sentence(
    votes: dict[int, int], top_n: int, text: str, opening: str
) -> None:
    assert result_wording(votes, top_n) == (text, opening)


@given(st.integers(min_value=0, max_value=150), st.integers(min_value=5, max_value=500))
@settings(max_examples=25, deadline=None)
def test_any_list_fits_slacks_limits_a_page_at_a_time_and_reaches_every_area(
    count: int, length: int
) -> None:
    listed = items(count, "<&" * (length // 2))
    _, first = build_afi_list(listed, ballot=BALLOT)
    paged = str(first).split("Page 1 of ")
    pages = int(paged[1].split("'")[0]) if len(paged) > 1 else 1
    shown = ""
    for page in range(1, pages + 1):
        _, blocks = build_afi_list(listed, ballot=BALLOT, page=page)
        assert len(blocks) <= 50 and validate_blocks(blocks, "message") == []
        assert text_length(blocks) <= SLACK_BLOCKS_TEXT_LIMIT
        shown += str(blocks)
    assert all(f"'afi:{item.id}'" in shown for item in listed)
