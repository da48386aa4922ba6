"""The stages of a review (guidance, section 5), and what a closed review says.

The stage is the one a lead last confirmed; unmet expectations warn, never block. The move
to the next stage is offered once the work or the dates show it has begun (`move_offer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.calendar import aware, format_date
from bot.core.timeline import Timeline


class Stage(StrEnum):
    """Closed is not a stage: a closed review keeps its stage, and `closed_at` says so."""

    GETTING_READY = "getting_ready"
    PRE_WORK = "pre_work"
    FIELDWORK_CONTEXT = "fieldwork_context"
    FIELDWORK_INTERVIEWS = "fieldwork_interviews"
    FIELDWORK_PLANNING = "fieldwork_planning"
    REPORTING = "reporting"
    SHARING = "sharing"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class StageInfo:
    label: str
    purpose: str
    number: int  # among the guidance's five stages and follow-up
    phase: int | None = None  # fieldwork's phase, 1 to 3


STAGES: dict[Stage, StageInfo] = {
    Stage.GETTING_READY: StageInfo(
        "Getting ready", "Agree the focus, the team, the peer councils and the timeline.", 1
    ),
    Stage.PRE_WORK: StageInfo(
        "Pre-work: self-assessment",
        "Stakeholders complete the PSIF checklist; the host gathers evidence and circulates "
        "papers at least 2 weeks before fieldwork.",
        2,
    ),
    Stage.FIELDWORK_CONTEXT: StageInfo(
        "Fieldwork: context setting and prioritisation",
        "Reflect on the self-assessment, challenge the areas for improvement and agree "
        "which go forward.",
        3,
        1,
    ),
    Stage.FIELDWORK_INTERVIEWS: StageInfo(
        "Fieldwork: interviews and focus groups",
        "Probe the prioritised areas for improvement with stakeholders and explore options.",
        3,
        2,
    ),
    Stage.FIELDWORK_PLANNING: StageInfo(
        "Fieldwork: improvement planning",
        "Agree key actions, risks and costs, measures and the overall outcome.",
        3,
        3,
    ),
    Stage.REPORTING: StageInfo(
        "Capturing findings and reporting",
        "Draft the report with a focus on actions and next steps; peers and the "
        "Improvement Service give feedback; the leads meet on the draft.",
        4,
    ),
    Stage.SHARING: StageInfo(
        "Sharing findings",
        "Share learning and practice across local government, for example a summary on "
        "the LGBF website.",
        5,
    ),
    Stage.FOLLOW_UP: StageInfo(
        "Follow-up",
        "Carry out the improvement plan: owners keep their actions up to date and get "
        "reminders until every action is done or dropped. A lead closes the review with "
        "`/psif close`.",
        6,
    ),
}

ORDER: tuple[Stage, ...] = tuple(Stage)
STAGE_COUNT = STAGES[ORDER[-1]].number  # the guidance's five, and follow-up
FIELDWORK_PHASES = 3


def next_stage(stage: Stage) -> Stage | None:
    """Where `/psif stage next` goes; None from Follow-up (closing is `/psif close`)."""
    if stage is Stage.FOLLOW_UP:
        return None
    return ORDER[ORDER.index(stage) + 1]


def stage_heading(stage: Stage, *, closed_on: date | None = None) -> str:
    """How every surface names where a review is: "Stage 3 of 6: … (phase 2 of 3)"."""
    info = STAGES[stage]
    if closed_on is not None:
        return f"Closed on {format_date(closed_on)} (in {info.label})"
    phase = f" (phase {info.phase} of {FIELDWORK_PHASES})" if info.phase else ""
    return f"Stage {info.number} of {STAGE_COUNT}: {info.label}{phase}"


NO_REVIEW = (
    "There's no PSIF review open in this channel yet. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)


class StoredReview(Protocol):
    @property
    def host_council(self) -> str: ...
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
    if latest is None or latest.closed_at is None:
        return NO_REVIEW
    return closed_note(latest)


@dataclass(frozen=True)
class ReviewProgress:
    """A review's progress for the gap checks; a count is None when not gathered."""

    timeline: Timeline
    today: date
    peer_council_count: int = 0
    peer_reviewers_named: int = 0
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


@dataclass(frozen=True)
class WorkMoments:
    """When the work that opens each stage first happened (None: not yet)."""

    first_invited: datetime | None = None
    first_vote_opened: datetime | None = None
    first_vote_closed: datetime | None = None
    first_action: datetime | None = None
    first_draft: datetime | None = None
    first_final: datetime | None = None
    stage_moved: datetime | None = None


@dataclass(frozen=True)
class MoveOffer:
    target: Stage
    because: str
    since: date


def _local_day(moment: datetime | None, zone: ZoneInfo, floor: date | None = None) -> date | None:
    """The day of a stored moment in `zone`, no earlier than `floor`."""
    if moment is None:
        return None
    day = aware(moment).astimezone(zone).date()
    return max(day, floor) if floor is not None else day


def _signs(
    target: Stage, moments: WorkMoments, timeline: Timeline, zone: ZoneInfo
) -> list[tuple[date | None, str]]:
    """What shows `target` has begun, with the day it showed; fieldwork phases show no
    earlier than fieldwork."""
    start, end, final = timeline.fieldwork_start, timeline.fieldwork_end, timeline.final_report
    day = partial(_local_day, zone=zone)
    if target is Stage.PRE_WORK:
        return [(day(moments.first_invited), "stakeholders are invited to the self-assessment")]
    if target is Stage.FIELDWORK_CONTEXT:
        if start is not None:
            return [(start, f"fieldwork began on {format_date(start)}")]
        return [(day(moments.first_vote_opened), "the prioritisation vote has opened")]
    if target is Stage.FIELDWORK_INTERVIEWS:
        prioritised = "the vote has prioritised the areas for improvement"
        return [(day(moments.first_vote_closed, floor=start), prioritised)]
    if target is Stage.FIELDWORK_PLANNING:
        return [(day(moments.first_action, floor=start), "improvement actions are being logged")]
    if target is Stage.REPORTING:
        drafted = (day(moments.first_draft, floor=start), "a draft report has been built")
        if end is None:
            return [drafted]
        return [(end + timedelta(days=1), f"fieldwork ended on {format_date(end)}"), drafted]
    if target is Stage.SHARING:
        return [(day(moments.first_final), "the report has been marked final")]
    planned = f" and final reporting was planned for {format_date(final)}" if final else ""
    return [(day(moments.first_final, floor=final), "the final report is out" + planned)]


def move_offer(
    stage: Stage, moments: WorkMoments, timeline: Timeline, *, today: date, zone: ZoneInfo
) -> MoveOffer | None:
    """The move to the stage after `stage` (never further), once signs show it began."""
    target = next_stage(stage)
    if target is None:
        return None
    # A later stage's signs count too; on the same day, the target's own sign is the reason.
    shown = sorted(
        (day, distance, because)
        for distance, later in enumerate(ORDER[ORDER.index(target) :])
        for day, because in _signs(later, moments, timeline, zone)
        if day is not None and day <= today
    )
    if not shown:
        return None
    day, _, because = shown[0]
    moved = _local_day(moments.stage_moved, zone)
    return MoveOffer(target, because, max(day, moved) if moved else day)
