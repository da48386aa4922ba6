"""The stages of a peer collaborative improvement review (guidance, section 5).

Each stage says what it is for and what it expects to be done before moving on. The host
leads, so unmet expectations are shown as gaps that warn (the reviews feature's stage
gaps); they never block. After final reporting comes Follow-up, while the improvement plan
is carried out; only `/psif close` closes a review, never a stage move, and what a closed
review says is here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.calendar import format_date
from bot.core.timeline import Timeline


class Stage(StrEnum):
    GETTING_READY = "getting_ready"
    PRE_WORK = "pre_work"
    FIELDWORK_CONTEXT = "fieldwork_context"
    FIELDWORK_INTERVIEWS = "fieldwork_interviews"
    FIELDWORK_PLANNING = "fieldwork_planning"
    REPORTING = "reporting"
    SHARING = "sharing"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


@dataclass(frozen=True)
class StageInfo:
    label: str
    purpose: str


STAGES: dict[Stage, StageInfo] = {
    Stage.GETTING_READY: StageInfo(
        "Getting ready",
        "Agree the focus, the team, the peer councils and the timeline.",
    ),
    Stage.PRE_WORK: StageInfo(
        "Pre-work: self-assessment",
        "Stakeholders complete the PSIF checklist; the host gathers evidence and circulates "
        "papers at least 2 weeks before fieldwork.",
    ),
    Stage.FIELDWORK_CONTEXT: StageInfo(
        "Fieldwork: context setting and prioritisation",
        "Reflect on the self-assessment, challenge the areas for improvement and agree "
        "which go forward.",
    ),
    Stage.FIELDWORK_INTERVIEWS: StageInfo(
        "Fieldwork: interviews and focus groups",
        "Probe the prioritised areas for improvement with stakeholders and explore options.",
    ),
    Stage.FIELDWORK_PLANNING: StageInfo(
        "Fieldwork: improvement planning",
        "Agree key actions, risks and costs, measures and the overall outcome.",
    ),
    Stage.REPORTING: StageInfo(
        "Capturing findings and reporting",
        "Draft the report with a focus on actions and next steps; peers and the "
        "Improvement Service give feedback; the leads meet on the draft.",
    ),
    Stage.SHARING: StageInfo(
        "Sharing findings",
        "Share learning and practice across local government, for example a summary on "
        "the LGBF website.",
    ),
    Stage.FOLLOW_UP: StageInfo(
        "Follow-up",
        "Carry out the improvement plan: owners keep their actions up to date and get "
        "reminders until every action is done or dropped. A lead closes the review with "
        "`/psif close`.",
    ),
    Stage.CLOSED: StageInfo(
        "Closed", "The review is complete; its plan and results stay readable here."
    ),
}

ORDER: tuple[Stage, ...] = tuple(Stage)


def next_stage(stage: Stage) -> Stage | None:
    """Where `/psif stage next` goes; None from Follow-up and Closed (closing is `/psif close`)."""
    if stage in (Stage.FOLLOW_UP, Stage.CLOSED):
        return None
    return ORDER[ORDER.index(stage) + 1]


def stage_number(stage: Stage) -> int:
    """1-based position, for "stage 3 of 8"."""
    return ORDER.index(stage) + 1


NO_REVIEW = (
    "There's no PSIF review open in this channel yet. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)


class StoredReview(Protocol):
    """What the notes below read of a stored review."""

    @property
    def host_council(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def closed_at(self) -> datetime | None: ...


def closed_note(review: StoredReview) -> str:
    """Said whenever a command shows a closed review, so nobody mistakes it for a live one."""
    on = f" on {format_date(review.closed_at.date())}" if review.closed_at else ""
    return (
        f"This channel's review ({review.host_council}) was closed{on}. What it holds stays "
        "readable here; a lead can `/psif reopen` it, or anyone can `/psif start` a new one."
    )


def no_open_review(latest: StoredReview | None) -> str:
    """What to say when a command needs an open review and the channel has none."""
    if latest is None or Stage(latest.stage) is not Stage.CLOSED:
        return NO_REVIEW
    return closed_note(latest)


@dataclass(frozen=True)
class ReviewProgress:
    """What is known about a review's progress, gathered by storage for the gap checks.

    Counts are None when the feature that provides them has nothing to say yet.
    """

    timeline: Timeline
    today: date
    peer_council_count: int = 0
    peer_reviewers_named: int = 0
    # From `/psif peers` (None: not gathered, as in checks that don't concern peers).
    peer_councils_agreed: int | None = None
    peer_councils_declined: int = 0
    agreed_without_reviewers: tuple[str, ...] = ()
    has_is_lead: bool = False
    has_host_lead: bool = False
    stakeholders_invited: int | None = None
    stakeholders_finished: int | None = None
    self_assessment_closes: date | None = None
    self_assessment_closed: bool = False
    afi_count: int | None = None
    prioritised_afi_count: int | None = None
    vote_open: bool = False
    action_count: int | None = None
    open_action_count: int | None = None
    extra_gaps: tuple[str, ...] = field(default=())


def work_stage(progress: ReviewProgress) -> tuple[Stage, str] | None:
    """The furthest stage the recorded work shows, and the milestone that shows it; None
    before any milestone. Officers do the work and forget to move the stage, so status and
    digests follow the work and offer the move."""
    t, today = progress.timeline, progress.today
    if progress.action_count:
        return Stage.FIELDWORK_PLANNING, "improvement actions are being logged"
    if progress.prioritised_afi_count:
        return Stage.FIELDWORK_INTERVIEWS, "the vote has prioritised the areas for improvement"
    if progress.vote_open:
        return Stage.FIELDWORK_CONTEXT, "the prioritisation vote is open"
    if t.fieldwork_start is not None and today >= t.fieldwork_start:
        return Stage.FIELDWORK_CONTEXT, f"fieldwork began on {format_date(t.fieldwork_start)}"
    # Closing the self-assessment is pre-work's own work: the papers and the pre-meeting
    # still come before fieldwork, so it never shows the review in fieldwork weeks early.
    closes = progress.self_assessment_closes
    if progress.self_assessment_closed or (closes is not None and today > closes):
        return Stage.PRE_WORK, "the self-assessment has closed"
    if progress.stakeholders_invited:
        return Stage.PRE_WORK, "stakeholders are invited to the self-assessment"
    return None


@dataclass(frozen=True)
class MoveOffer:
    """The work is ahead of the recorded stage: where it is, why, and the next step."""

    reached: Stage
    because: str
    target: Stage


def move_offer(stage: Stage, progress: ReviewProgress) -> MoveOffer | None:
    """Offer to move one stage on when the work is ahead of the recorded stage."""
    found = work_stage(progress)
    if found is None or stage in (Stage.FOLLOW_UP, Stage.CLOSED):
        return None
    reached, because = found
    target = next_stage(stage)
    if target is None or ORDER.index(reached) <= ORDER.index(stage):
        return None
    return MoveOffer(reached, because, target)


@dataclass(frozen=True)
class WorkMoments:
    """When each milestone's work first happened in a review, as stored; None if not yet."""

    first_invited: datetime | None = None
    self_assessment_closed: datetime | None = None
    self_assessment_closes: date | None = None
    first_vote_opened: datetime | None = None
    first_vote_closed: datetime | None = None
    first_action: datetime | None = None


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps UTC naive
    return aware.astimezone(zone).date()


def work_reached_on(
    moments: WorkMoments, timeline: Timeline, *, today: date, zone: ZoneInfo
) -> tuple[Stage, date] | None:
    """The furthest stage the work has reached (as `work_stage` judges it) and the day it
    first showed it: the scheduler offers the move once, on that day."""
    closes = moments.self_assessment_closes
    closed_by_date = closes + timedelta(days=1) if closes is not None and closes < today else None
    started = timeline.fieldwork_start
    evidence = (
        (Stage.FIELDWORK_PLANNING, (_local_day(moments.first_action, zone),)),
        (Stage.FIELDWORK_INTERVIEWS, (_local_day(moments.first_vote_closed, zone),)),
        (
            Stage.FIELDWORK_CONTEXT,
            (
                _local_day(moments.first_vote_opened, zone),
                started if started is not None and started <= today else None,
            ),
        ),
        (
            Stage.PRE_WORK,
            (
                _local_day(moments.first_invited, zone),
                _local_day(moments.self_assessment_closed, zone),
                closed_by_date,
            ),
        ),
    )
    for stage, days in evidence:
        known = [day for day in days if day is not None]
        if known:
            return stage, min(known)
    return None
