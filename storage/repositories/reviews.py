"""Reviews, their team, peer councils and audit trail; moving a review between stages;
open reviews as the scheduler sees them, and when each milestone's work first happened."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import BindParameter, bindparam, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, joinedload, selectinload

from bot.core.actions import UNFINISHED
from bot.core.nudges import OpenReview
from bot.core.responses import Completion, RoundStatus
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage, WorkMoments
from bot.core.timeline import Timeline
from storage.models.afis import Afi, AfiStatus, AfiVote, AfiVoteRound
from storage.models.improvement_actions import Action
from storage.models.reminders import MilestoneDone
from storage.models.report import ReportVersion
from storage.models.reviews import AuditEvent, PeerCouncil, Review, TeamMember
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistParticipant,
    ChecklistRound,
)
from storage.models.survey import SurveyLink
from storage.repositories._sql import added, set_where

logger = logging.getLogger(__name__)


class ReviewAlreadyOpen(Exception):
    """The channel already has an open review."""


@dataclass(frozen=True)
class NewReview:
    team_id: str
    channel_id: str
    host_council: str
    focus: str
    rationale: str
    peer_councils: tuple[str, ...]
    peer_rationale: str
    timeline: Timeline
    members: tuple[tuple[str, Role], ...]
    checklist_id: str = "psif-default"


def timeline_of(review: Review) -> Timeline:
    return Timeline.of(review)


def snapshot(review: Review) -> ReviewSnapshot:
    return snapshot_of(
        review,
        members=tuple((member.user_id, Role(member.role)) for member in review.members),
        peer_councils=tuple(p.council for p in review.peer_councils if not p.is_partner),
        partners=tuple(p.council for p in review.peer_councils if p.is_partner),
        organisations={
            member.user_id: member.organisation for member in review.members if member.organisation
        },
    )


def snapshot_of(columns: Any, **people: Any) -> ReviewSnapshot:
    """A snapshot from a review's columns (a `Review`, or a row read with them) and the people
    given (`members`, `peer_councils`, `partners`, `organisations`; none if not given)."""
    return ReviewSnapshot(
        id=columns.id,
        channel_id=columns.channel_id,
        host_council=columns.host_council,
        focus=columns.focus,
        rationale=columns.rationale,
        stage=Stage(columns.stage),
        timeline=Timeline.of(columns),
        peer_rationale=columns.peer_rationale,
        created_by=columns.created_by,
        opened_on=columns.created_at.date(),
        checklist_id=columns.checklist_id,
        closed_on=columns.closed_at.date() if columns.closed_at else None,
        **people,
    )


def create_review(*, session: Session, new: NewReview, actor_id: str, now: datetime) -> Review:
    """Store a review with its team and peers; raise ReviewAlreadyOpen if the channel has one."""
    review = Review(
        team_id=new.team_id,
        channel_id=new.channel_id,
        host_council=new.host_council,
        focus=new.focus,
        rationale=new.rationale,
        peer_rationale=new.peer_rationale,
        checklist_id=new.checklist_id,
        stage=Stage.GETTING_READY.value,
        created_by=actor_id,
        created_at=now,
        **new.timeline.as_dict(),
    )
    review.members = [
        TeamMember(user_id=user_id, role=role.value, added_by=actor_id, added_at=now)
        for user_id, role in dict.fromkeys(new.members)
    ]
    review.peer_councils = [
        PeerCouncil(council=council, position=position)
        for position, council in enumerate(dict.fromkeys(new.peer_councils), start=1)
    ]
    if not added(session, review):
        raise ReviewAlreadyOpen(new.channel_id)
    details = {"host_council": new.host_council, "focus": new.focus}
    audit(session, review, actor_id, "review.opened", details, now)
    return review


# Nearly every request finds its review by channel, so these are built once (building costs as
# much CPU as running); peer councils come in a second statement, so rows don't multiply.
_WITH_PEOPLE = (joinedload(Review.members), selectinload(Review.peer_councils))
_OPEN_IN_CHANNEL = (
    select(Review)
    .where(Review.channel_id == bindparam("channel_id"), Review.closed_at.is_(None))
    .options(*_WITH_PEOPLE)
)
_LATEST_IN_CHANNEL = (
    select(Review)
    .where(Review.channel_id == bindparam("channel_id"))
    .order_by(Review.closed_at.is_not(None), Review.closed_at.desc(), Review.id.desc())
    .options(*_WITH_PEOPLE)
)


def open_review_in_channel(*, session: Session, channel_id: str) -> Review | None:
    """The channel's open review, whichever workspace the person asking is in: a Slack
    Connect channel has the same id in every workspace that shares it."""
    return session.scalars(_OPEN_IN_CHANNEL, {"channel_id": channel_id}).unique().first()


def latest_review_in_channel(*, session: Session, channel_id: str) -> Review | None:
    """The channel's open review, or else the one closed most recently (still readable)."""
    return session.scalars(_LATEST_IN_CHANNEL, {"channel_id": channel_id}).unique().first()


@dataclass(frozen=True)
class ChannelHead:
    """The channel's latest review as a permission check sees it, without its people."""

    host_council: str
    closed_at: datetime | None
    roles: frozenset[Role]  # the user's


_LATEST = aliased(Review)
# The id of the review `latest_review_in_channel` finds (bind `channel_id`), for statements
# that read only some of it.
LATEST_REVIEW_ID_IN_CHANNEL = (
    select(_LATEST.id)
    .where(_LATEST.channel_id == bindparam("channel_id"))
    .order_by(_LATEST.closed_at.is_not(None), _LATEST.closed_at.desc(), _LATEST.id.desc())
    .limit(1)
    .scalar_subquery()
)
_HEAD_IN_CHANNEL = (
    select(Review.host_council, Review.closed_at, TeamMember.role)
    .outerjoin(
        TeamMember,
        (TeamMember.review_id == Review.id) & (TeamMember.user_id == bindparam("user_id")),
    )
    .where(Review.id == LATEST_REVIEW_ID_IN_CHANNEL)
)


def channel_head(*, session: Session, channel_id: str, user_id: str) -> ChannelHead | None:
    """What `latest_review_in_channel` finds, with only the user's roles in it: one statement
    of plain columns, for a check made before a change that loads the review again."""
    rows = session.execute(_HEAD_IN_CHANNEL, {"channel_id": channel_id, "user_id": user_id}).all()
    if not rows:
        return None
    roles = frozenset(Role(row.role) for row in rows if row.role is not None)
    return ChannelHead(host_council=rows[0].host_council, closed_at=rows[0].closed_at, roles=roles)


_MEMBER_OF = select(TeamMember.review_id).where(TeamMember.user_id == bindparam("user_id"))
_FOR_HOME = (
    select(Review)
    .where(
        Review.closed_at.is_(None),
        Review.id.in_(_MEMBER_OF)
        | Review.id.in_(select(Action.review_id).where(Action.owner_id == bindparam("user_id"))),
    )
    .order_by(case((Review.id.in_(_MEMBER_OF), 0), else_=1), Review.id.desc())
    .options(*_WITH_PEOPLE)
)


def reviews_for_home(*, session: Session, user_id: str) -> list[Review]:
    """Open reviews where the user holds any role (newest first), then those where they only
    own an action (an owner may be outside the review team), in any workspace."""
    return list(session.scalars(_FOR_HOME, {"user_id": user_id}).unique())


@dataclass(frozen=True)
class SelfAssessmentCounts:
    """A review's self-assessment in counts and dates, never who."""

    self_assessment_closes: date | None  # None until stakeholders are first invited
    self_assessment_closed_early: bool
    results_released: bool
    invited: int  # in Slack, or by a survey link or imported row not withdrawn
    finished: int

    def self_assessment_status(self, today: date) -> RoundStatus | None:
        if self.self_assessment_closes is None:
            return None
        return RoundStatus(
            closes_on=self.self_assessment_closes,
            today=today,
            completion=Completion(invited=self.invited, finished=self.finished),
            closed_early=self.self_assessment_closed_early,
            released=self.results_released,
        )


@dataclass(frozen=True)
class LeadCounts(SelfAssessmentCounts):
    """A review as its leads' Home tab shows it: counts and dates, never who."""

    afis: int  # active ones
    prioritised: int
    vote_open: bool | None  # the latest vote's; None before the first
    votes: int  # in the latest vote
    voters: int
    unfinished_actions: int
    overdue_actions: int


_LED: BindParameter[list[int]] = bindparam("review_ids", expanding=True)


def _count(model: Any, *where: Any) -> Any:
    """How many of the review's rows, correlated to Review."""
    return (
        select(func.count()).select_from(model).where(model.review_id == Review.id, *where)
    ).scalar_subquery()


# A review's self-assessment (outer-joined to ChecklistRound), read by `_self_assessment`.
_SELF_ASSESSMENT = (
    ChecklistRound.closes_on,
    ChecklistRound.closed_at,
    ChecklistRound.results_released_at,
    _count(ChecklistParticipant).label("in_slack"),
    _count(SurveyLink, SurveyLink.withdrawn.is_(False)).label("linked"),
    _count(ChecklistCompletion).label("finished"),
)


def _self_assessment(row: Any) -> dict[str, Any]:
    return {
        "self_assessment_closes": row.closes_on,
        "self_assessment_closed_early": row.closed_at is not None,
        "results_released": row.results_released_at is not None,
        "invited": int(row.in_slack or 0) + int(row.linked or 0),
        "finished": int(row.finished or 0),
    }


_AFI_COUNTS = (
    select(
        Afi.review_id,
        func.count().label("afis"),
        func.count().filter(Afi.prioritised.is_(True)).label("prioritised"),
    )
    .where(Afi.review_id.in_(_LED), Afi.status == AfiStatus.ACTIVE.value)
    .group_by(Afi.review_id)
    .subquery()
)
_UNFINISHED_ACTION = Action.status.in_([status.value for status in UNFINISHED])
_ACTION_COUNTS = (
    select(
        Action.review_id,
        func.count().label("unfinished"),
        func.count().filter(Action.due < bindparam("today")).label("overdue"),
    )
    .where(Action.review_id.in_(_LED), _UNFINISHED_ACTION)
    .group_by(Action.review_id)
    .subquery()
)
_ANY_VOTE = aliased(AfiVoteRound)
_LATEST_VOTE = (
    select(func.max(_ANY_VOTE.id))
    .where(_ANY_VOTE.review_id == Review.id)
    .correlate(Review)
    .scalar_subquery()
)
_LEAD_COUNTS = (
    select(
        Review.id,
        _AFI_COUNTS.c.afis,
        _AFI_COUNTS.c.prioritised,
        AfiVoteRound.id.label("vote_id"),
        AfiVoteRound.closed_at.label("vote_closed_at"),
        select(func.count())
        .where(AfiVote.round_id == AfiVoteRound.id)
        .scalar_subquery()
        .label("votes"),
        select(func.count(func.distinct(AfiVote.voter_id)))
        .where(AfiVote.round_id == AfiVoteRound.id)
        .scalar_subquery()
        .label("voters"),
        _ACTION_COUNTS.c.unfinished,
        _ACTION_COUNTS.c.overdue,
        *_SELF_ASSESSMENT,
    )
    .outerjoin(_AFI_COUNTS, _AFI_COUNTS.c.review_id == Review.id)
    .outerjoin(AfiVoteRound, AfiVoteRound.id == _LATEST_VOTE)
    .outerjoin(_ACTION_COUNTS, _ACTION_COUNTS.c.review_id == Review.id)
    .outerjoin(ChecklistRound, ChecklistRound.review_id == Review.id)
    .where(Review.id.in_(_LED))
)


def lead_counts(
    *, session: Session, review_ids: Sequence[int], today: date
) -> dict[int, LeadCounts]:
    """For each review, what its leads' Home tab counts (AFIs, the latest vote, actions, the
    self-assessment), in one statement however many reviews and items."""
    if not review_ids:
        return {}
    rows = session.execute(_LEAD_COUNTS, {"review_ids": list(review_ids), "today": today})
    return {
        int(row.id): LeadCounts(
            afis=int(row.afis or 0),
            prioritised=int(row.prioritised or 0),
            vote_open=None if row.vote_id is None else row.vote_closed_at is None,
            votes=int(row.votes or 0),
            voters=int(row.voters or 0),
            unfinished_actions=int(row.unfinished or 0),
            overdue_actions=int(row.overdue or 0),
            **_self_assessment(row),
        )
        for row in rows
    }


def review_by_id(*, session: Session, review_id: int) -> Review | None:
    """The review, whoever asks: requests find reviews by number through
    `bot.review_access.get_review`, which keeps tenants apart."""
    return session.get(Review, review_id)


def roles_of(review: Review, user_id: str) -> set[Role]:
    return {Role(member.role) for member in review.members if member.user_id == user_id}


def members_with_role(review: Review, role: Role) -> list[str]:
    return [member.user_id for member in review.members if member.role == role.value]


def add_members(
    *,
    session: Session,
    review: Review,
    user_ids: Iterable[str],
    role: Role,
    actor_id: str,
    now: datetime,
    organisation: str | None = None,
) -> list[str]:
    """Add users with a role (a peer reviewer with their council or organisation); return
    the ones newly added (existing holders are skipped)."""
    existing = set(members_with_role(review, role))
    added = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in existing]
    for user_id in added:
        review.members.append(
            TeamMember(
                user_id=user_id,
                role=role.value,
                organisation=organisation,
                added_by=actor_id,
                added_at=now,
            )
        )
    if added:
        details: dict[str, Any] = {"role": role.value, "users": added}
        if organisation:
            details["organisation"] = organisation
        audit(session, review, actor_id, "team.added", details, now)
    session.flush()
    return added


def update_review(
    *,
    session: Session,
    review: Review,
    changes: dict[str, Any],
    peer_councils: Sequence[str] | None,
    actor_id: str,
    now: datetime,
) -> None:
    """Apply edited Appendix 1 fields (column → new value) and the peer council list,
    keeping the state of councils that stay (and partner organisations, which the form
    doesn't show); audit old and new values."""
    details: dict[str, Any] = {
        name: {"from": _jsonable(getattr(review, name)), "to": _jsonable(value)}
        for name, value in changes.items()
    }
    for name, value in changes.items():
        setattr(review, name, value)
    if peer_councils is not None:
        before = [peer.council for peer in review.peer_councils if not peer.is_partner]
        kept = {
            peer.council: peer for peer in review.peer_councils if peer.council in peer_councils
        }
        partners = [peer for peer in review.peer_councils if peer.is_partner]  # not on the form
        review.peer_councils = [
            kept.get(council) or PeerCouncil(council=council, position=0)
            for council in dict.fromkeys(peer_councils)
            if council not in {partner.council for partner in partners}
        ] + partners
        for position, peer in enumerate(review.peer_councils, start=1):
            peer.position = position
        if before != list(dict.fromkeys(peer_councils)):
            details["peer_councils"] = {"from": before, "to": list(dict.fromkeys(peer_councils))}
    if details:
        audit(session, review, actor_id, "review.edited", details, now)
    session.flush()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def record_audit(
    *,
    session: Session,
    review: Review,
    actor_id: str,
    action: str,
    details: dict[str, Any],
    now: datetime,
) -> None:
    audit(session, review, actor_id, action, details, now)


def audit(
    session: Session, review: Review, actor_id: str, action: str, details: Any, now: datetime
) -> None:
    session.add(
        AuditEvent(review_id=review.id, actor_id=actor_id, action=action, details=details, at=now)
    )


def audit_counts(
    *, session: Session, review_id: int, since: datetime, until: datetime
) -> dict[str, int]:
    """How many audit events of each action the review recorded in [since, until)."""
    rows = session.execute(
        select(AuditEvent.action, func.count())
        .where(AuditEvent.review_id == review_id, AuditEvent.at >= since, AuditEvent.at < until)
        .group_by(AuditEvent.action)
    )
    return {action: int(count) for action, count in rows}


def set_stage(
    *, session: Session, review: Review, expected: Stage, stage: Stage, actor_id: str, now: datetime
) -> bool:
    """Move the open review from `expected` to `stage`, auditing it; a compare-and-set:
    False if someone else changed the stage (or closed the review) first."""
    where = (Review.id == review.id, Review.stage == expected.value, Review.closed_at.is_(None))
    if set_where(session, Review, *where, stage=stage.value) != 1:
        return False
    session.refresh(review)
    details = {"from": expected.value, "to": stage.value}
    audit(session, review, actor_id, "stage.changed", details, now)
    session.flush()
    return True


def set_closed(
    *, session: Session, review: Review, closed: bool, actor_id: str, now: datetime
) -> bool:
    """Close the review, or reopen it in its stage, auditing it; False if it already was.
    Reopening raises ReviewAlreadyOpen if the channel has another open review by now."""
    was_open = Review.closed_at.is_(None) if closed else Review.closed_at.is_not(None)
    try:
        with session.begin_nested():
            changed = set_where(
                session, Review, Review.id == review.id, was_open, closed_at=now if closed else None
            )
    except IntegrityError as error:
        raise ReviewAlreadyOpen(review.channel_id) from error
    if changed != 1:
        return False
    session.refresh(review)
    action = "review.closed" if closed else "review.reopened"
    audit(session, review, actor_id, action, {"stage": review.stage}, now)
    session.flush()
    return True


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A bad zone name must not stop every other review's reminders.
        logger.warning("review time zone %r is unknown; using %s", name, default.key)
        return default


def open_review_facts(review: Review, *, default_zone: ZoneInfo) -> OpenReview:
    """What the reminder rules plan from."""
    return _open_review(review, _zone(review.timezone, default_zone))


def _open_review(review: Any, zone: ZoneInfo) -> OpenReview:
    """Of a review or a row of its columns (they have the same names)."""
    created: datetime = review.created_at
    return OpenReview(
        id=review.id,
        channel_id=review.channel_id,
        host_council=review.host_council,
        focus=review.focus,
        stage=Stage(review.stage),
        timeline=Timeline.of(review),
        zone=zone,
        # SQLite hands back naive UTC; PostgreSQL aware times in the session's zone.
        opened_on=(created if created.tzinfo is None else created.astimezone(UTC)).date(),
        team_id=review.team_id,
    )


def load_open_reviews(*, session: Session, default_zone: ZoneInfo) -> list[OpenReview]:
    """Every open review, in one query of plain columns (no ORM objects: this runs each pass)."""
    rows = session.execute(
        select(*(getattr(Review, name) for name in _OPEN_REVIEW_COLUMNS))
        .where(Review.closed_at.is_(None))
        .order_by(Review.id)
    ).all()
    zones = {name: _zone(name, default_zone) for name in {row.timezone for row in rows}}
    return [_open_review(row, zones[row.timezone]) for row in rows]


_OPEN_REVIEW_COLUMNS = (
    "id",
    "team_id",
    "channel_id",
    "host_council",
    "focus",
    "stage",
    "timezone",
    *Timeline().as_dict(),
    "created_at",
)


def _first(column: InstrumentedAttribute[Any], review_id: InstrumentedAttribute[int]) -> Any:
    """The earliest value of `column` among the review's rows, correlated to Review."""
    return select(func.min(column)).where(review_id == Review.id).scalar_subquery()


# When the work that opens each stage first happened, and when the review last moved stage.
_MOMENTS = (
    _first(ChecklistParticipant.invited_at, ChecklistParticipant.review_id),
    _first(AfiVoteRound.opened_at, AfiVoteRound.review_id),
    _first(AfiVoteRound.closed_at, AfiVoteRound.review_id),
    _first(Action.created_at, Action.review_id),
    _first(ReportVersion.built_at, ReportVersion.review_id),
    _first(ReportVersion.final_at, ReportVersion.review_id),
    select(func.max(AuditEvent.at))
    .where(AuditEvent.review_id == Review.id, AuditEvent.action == "stage.changed")
    .scalar_subquery(),
)
_WORK_MOMENTS = select(Review.id, *_MOMENTS).where(Review.id.in_(_LED))


def work_moments_of(*, session: Session, review_ids: Sequence[int]) -> dict[int, WorkMoments]:
    """When the work that opens each stage first happened in each review, and when it last
    moved stage, in one statement however many reviews: the scheduler's offer to move the
    stage on plans from it every pass."""
    if not review_ids:
        return {}
    rows = session.execute(_WORK_MOMENTS, {"review_ids": list(review_ids)}).all()
    return {int(review_id): WorkMoments(*moments) for review_id, *moments in rows}


@dataclass(frozen=True)
class StatusFacts(SelfAssessmentCounts):
    """What `/psif status` shows of a review beyond the review itself: counts, never who."""

    moments: WorkMoments
    done: frozenset[str]  # the milestones recorded done
    links: int  # survey links and imported rows, withdrawn ones too


_STATUS_FACTS = (
    select(
        *_MOMENTS,
        select(func.aggregate_strings(MilestoneDone.milestone, " "))
        .where(MilestoneDone.review_id == Review.id)
        .scalar_subquery()
        .label("done"),
        *_SELF_ASSESSMENT,
        _count(SurveyLink).label("links"),
    )
    .select_from(Review)
    .outerjoin(ChecklistRound, ChecklistRound.review_id == Review.id)
    .where(Review.id == bindparam("review_id"))
)


def status_facts(*, session: Session, review_id: int) -> StatusFacts:
    """When each stage's work first happened, the milestones recorded done and the
    self-assessment's counts, in one statement however many items the review holds."""
    row = session.execute(_STATUS_FACTS, {"review_id": review_id}).one()
    return StatusFacts(
        moments=WorkMoments(*row[: len(_MOMENTS)]),
        done=frozenset((row.done or "").split()),
        links=int(row.links or 0),
        **_self_assessment(row),
    )
