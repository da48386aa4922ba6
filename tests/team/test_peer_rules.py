"""Peer councils' states, the form's checks, the stage check's counts, the list and modal
builders, and the self-assessment's closing bound."""

from __future__ import annotations

from datetime import date

from bot.core.peers import PeerCouncilItem, PeerState, PeerUpdate, peer_facts
from bot.core.stages import ReviewProgress, Stage
from bot.core.timeline import Timeline, close_date_refusal, self_assessment_close_bound
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.reviews._rules import stage_gaps
from bot.team._rules import (
    MAX_PARTNERS,
    PeerField,
    PeersForm,
    check_form,
    partner_problem,
    settled,
)
from bot.team.views import build_peers, build_peers_modal, channel_line

TODAY = date(2026, 11, 25)
ITEMS = (
    PeerCouncilItem(1, "Angus", False, PeerState.AGREED, date(2026, 11, 2), "Jo Bloggs"),
    PeerCouncilItem(2, "Stirling", False, PeerState.APPROACHED, date(2026, 11, 10)),
    PeerCouncilItem(3, "Moray", False, PeerState.DECLINED, declined_reason="Budget *season*"),
    PeerCouncilItem(4, "NHS <Fife>", True, PeerState.AGREED, nominees="A Nurse"),
)


def test_a_future_approach_date_and_missing_details_are_refused() -> None:
    form = PeersForm(
        (
            PeerUpdate(1, PeerState.APPROACHED, approached_on=date(2026, 12, 1)),
            PeerUpdate(2, PeerState.AGREED),
            PeerUpdate(3, PeerState.DECLINED),
            PeerUpdate(4, PeerState.TO_APPROACH),
        )
    )
    check = check_form(form, ITEMS, host_council="Fife", today=TODAY)
    assert set(check.entries) == {
        (PeerField.APPROACHED, 1),
        (PeerField.NOMINEES, 2),
        (PeerField.REASON, 3),
    }
    assert not check_form(
        PeersForm((PeerUpdate(4, PeerState.TO_APPROACH),)), ITEMS, host_council="Fife", today=TODAY
    )


def test_partner_organisations_are_free_text_but_not_councils_or_repeats() -> None:
    assert partner_problem("Police Scotland", ITEMS, "Fife") is None
    assert partner_problem("angus", ITEMS, "Fife") == "Angus is already on the list."
    assert partner_problem("Fife", ITEMS, "Fife") == "Fife is the host council."
    assert "/psif edit" in (partner_problem("Highland", ITEMS, "Fife") or "")
    many = [PeerCouncilItem(n, f"Org {n}", True, PeerState.TO_APPROACH) for n in range(9)]
    assert str(MAX_PARTNERS) in (partner_problem("One more", many, "Fife") or "")


def test_a_state_keeps_only_what_it_records() -> None:
    update = PeerUpdate(1, PeerState.TO_APPROACH, date(2026, 11, 2), "Jo", "No")
    assert settled(update) == PeerUpdate(1, PeerState.TO_APPROACH)
    agreed = settled(PeerUpdate(1, PeerState.AGREED, date(2026, 11, 2), "Jo", "No"))
    assert (agreed.nominees, agreed.declined_reason) == ("Jo", "")


def test_the_stage_check_counts_agreed_councils_and_their_reviewers() -> None:
    facts = peer_facts(ITEMS, ["angus"])
    assert (facts.councils, facts.agreed, facts.declined) == (3, 1, 1)
    assert facts.agreed_without_reviewers == ("NHS <Fife>",)
    gaps = stage_gaps(
        Stage.GETTING_READY,
        ReviewProgress(
            timeline=Timeline(),
            today=TODAY,
            peer_council_count=3,
            peer_reviewers_named=1,
            peer_councils_agreed=facts.agreed,
            peer_councils_declined=facts.declined,
            agreed_without_reviewers=facts.agreed_without_reviewers,
        ),
    )
    assert any(gap.startswith("1 of 3 peer councils have agreed") for gap in gaps)
    assert any(gap.startswith("1 peer council has declined") for gap in gaps)
    assert any(gap.startswith("NHS &lt;Fife&gt; agreed, but") for gap in gaps)


def test_the_list_and_the_modal_fit_slack_and_escape_names() -> None:
    text, blocks = build_peers(ITEMS, review_id=7, can_record=True)
    assert text == "Peer councils: 1 of 3 agreed"
    assert validate_blocks(blocks, "message") == []
    shown = str(blocks)
    assert "NHS &lt;Fife&gt;" in shown and "Moray*: declined — Budget *season*" in shown
    view = build_peers_modal(ITEMS, review_id=7, response_url=None)
    assert validate_view(view, "modal") == []
    states = {
        block["block_id"]: [o["value"] for o in block["element"]["options"]]
        for block in view["blocks"]
        if block.get("block_id", "").startswith("peer_state_")
    }
    assert "remove" in states["peer_state_4"] and "remove" not in states["peer_state_1"]
    line = channel_line("UIS", [("Angus", PeerState.AGREED), ("Moray", PeerState.DECLINED)])
    assert "Jo" not in line and "Angus has agreed" in line
    line = channel_line(
        "UIS",
        [("Angus", PeerState.AGREED), ("Stirling", PeerState.AGREED), ("Moray", PeerState.AGREED)],
    )
    assert "Angus, Stirling and Moray have agreed to contribute peer reviewers." in line


def test_the_self_assessment_closes_five_working_days_before_the_papers() -> None:
    timeline = Timeline(fieldwork_start=date(2027, 3, 3))
    assert timeline.papers_due == date(2027, 2, 17)
    assert self_assessment_close_bound(timeline, TODAY) == date(2027, 2, 10)
    assert close_date_refusal(timeline, date(2027, 2, 10), TODAY) is None
    refusal = close_date_refusal(timeline, date(2027, 2, 11), TODAY) or ""
    assert "has to close by 10 February 2027" in refusal and "/psif edit" in refusal
    assert close_date_refusal(Timeline(), date(2027, 6, 1), TODAY) is None
    # Once the bound has passed, today is the latest it can close.
    assert self_assessment_close_bound(timeline, date(2027, 2, 15)) == date(2027, 2, 15)
