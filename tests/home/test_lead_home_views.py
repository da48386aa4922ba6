"""A lead's Home part: what comes next, the summary lines, and Slack's limits."""

from __future__ import annotations

from datetime import date

from bot.core.responses import Completion, RoundStatus
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.demo.fake_slack import validate_view
from bot.home.service import next_step
from bot.home.views import (
    HomePicture,
    LeadFacts,
    VoteFacts,
    build_home,
    build_invite_modal,
    build_lead_home,
    next_line,
    vote_line,
)
from bot.slack.blocks import VIEW_BLOCKS_LIMIT

TODAY = date(2027, 2, 20)
TIMELINE = Timeline(
    pre_meeting=date(2027, 2, 10),
    fieldwork_start=date(2027, 3, 3),
    fieldwork_end=date(2027, 3, 5),
)


def test_a_passed_milestone_nobody_recorded_is_next_and_late() -> None:
    step = next_step(TIMELINE, today=TODAY, done=frozenset())  # papers before the meeting
    assert step is not None and step.milestone.key == "papers_due" and step.late
    assert next_line(step) == (
        "⚠️ Next: Papers circulated was due 9 February 2027 and isn't recorded done. "
        "Type `/psif done papers` once it has."
    )


def test_milestones_recorded_done_are_skipped() -> None:
    step = next_step(TIMELINE, today=TODAY, done=frozenset({"papers_due"}))
    assert step is not None and step.milestone.key == "pre_meeting" and step.late
    step = next_step(
        TIMELINE, today=TODAY, done=frozenset({"pre_meeting", "papers_due", "fieldwork_start"})
    )
    assert step is not None and step.milestone.key == "fieldwork_end" and not step.late
    assert next_line(step) == "➡️ Next: Fieldwork ends, 5 March 2027."
    # Fieldwork over by date and not recorded: its end is next, with the word to type.
    over = next_step(
        TIMELINE,
        today=date(2027, 4, 1),
        done=frozenset({"pre_meeting", "papers_due", "fieldwork_start"}),
    )
    assert over is not None and over.milestone.key == "fieldwork_end" and over.late
    assert "Type `/psif done fieldwork` once it has." in next_line(over)
    after = next_step(
        TIMELINE,
        today=date(2027, 4, 1),
        done=frozenset({"pre_meeting", "papers_due", "fieldwork_start", "fieldwork_end"}),
    )
    assert after is None and next_line(after) == "➡️ Next: nothing left on the timeline."


def test_vote_lines_count_votes_and_people_never_what_for() -> None:
    assert vote_line(None, afi_count=1, prioritised=0) == (
        "🗳️ Vote: not started · 1 area for improvement so far."
    )
    assert vote_line(VoteFacts(True, 1, 1), afi_count=5, prioritised=0) == (
        "🗳️ Vote open: 1 vote from 1 person so far."
    )
    assert vote_line(VoteFacts(False, 12, 4), afi_count=5, prioritised=3) == (
        "🗳️ Vote closed: 12 votes from 4 people · 3 of 5 areas prioritised."
    )


def facts(review_id: int, stage: Stage = Stage.PRE_WORK) -> LeadFacts:
    status = RoundStatus(closes_on=date(2027, 2, 24), today=TODAY, completion=Completion(8, 6))
    return LeadFacts(
        review_id=review_id,
        stage=stage,
        self_assessment=status,
        afi_count=6,
        prioritised_count=0,
        vote=VoteFacts(True, 9, 3),
        open_actions=4,
        overdue_actions=1,
        next_step=next_step(TIMELINE, today=TODAY, done=frozenset()),
    )


def test_the_lead_part_is_two_blocks_of_counts_with_four_buttons() -> None:
    part = build_lead_home(facts(7))
    assert len(part.blocks) == 2
    text = part.blocks[0]["text"]["text"]
    assert "6 of 8 invited have finished (75%). Closes 24 February 2027." in text
    assert "📋 Actions: 4 open · ⚠️ 1 overdue." in text
    labels = [element["text"]["text"] for element in part.blocks[1]["elements"]]
    assert labels == ["Invite stakeholders", "Post results", "Start a vote", "Post the plan"]
    modal = build_invite_modal(review_id=7, host_council="Fife", channel_id="C0REVIEW")
    assert validate_view(modal, "modal") == []


def test_in_follow_up_a_lead_is_offered_no_invitation_results_or_vote() -> None:
    part = build_lead_home(facts(7, Stage.FOLLOW_UP))
    labels = [element["text"]["text"] for element in part.blocks[1]["elements"]]
    assert labels == ["Post the plan"]
    fieldwork = build_lead_home(facts(7, Stage.FIELDWORK_INTERVIEWS))
    assert "Invite stakeholders" not in str(fieldwork.blocks)
    assert "Start a vote" not in str(fieldwork.blocks)


def test_a_home_leading_two_hundred_reviews_stays_within_slacks_limits() -> None:
    reviews = tuple(
        ReviewSnapshot(
            id=number,
            channel_id=f"C{number:06d}",
            host_council="Argyll and Bute " * 3,
            focus="A very long focus " * 30,
            rationale="",
            stage=Stage.PRE_WORK,
            timeline=TIMELINE,
            members=(("UIS", Role.IS_LEAD),),
        )
        for number in range(1, 201)
    )
    picture = HomePicture(
        reviews=reviews, sections=tuple(build_lead_home(facts(r.id)) for r in reviews)
    )
    home = build_home(picture, user_id="UIS", today=TODAY)
    assert len(home["blocks"]) <= VIEW_BLOCKS_LIMIT
    assert validate_view(home, "home") == []
    assert "more reviews that don't fit here" in str(home["blocks"][-1])
