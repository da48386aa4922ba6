"""What a report says, gathered in one transaction and a fixed number of queries; people are
Slack ids until `names` is filled in. Nothing here can carry a respondent's answers or an
interviewee's identity: aggregates, head counts and kinds of source only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from bot.core.actions import ActionItem
from bot.core.afis import afi_figures_line, sections_of
from bot.core.fieldwork import FieldworkSessionItem
from bot.core.figures import with_agreement
from bot.core.findings import FindingItem
from bot.core.peers import PeerState
from bot.core.roles import ROLE_LABELS, Role
from bot.core.timeline import Timeline
from bot.deps import Deps
from bot.self_assessment.service import (
    NoResults,
    analysis_settings,
    answered_by,
    check_results,
    load_results,
    minimum_rule,
    withheld_summary,
)
from bot.slack.text import plural
from storage.models.reviews import Review
from storage.repositories.afis import list_afis
from storage.repositories.fieldwork import fieldwork_session_items
from storage.repositories.findings import actions_by_option, review_findings
from storage.repositories.improvement_actions import review_action_items
from storage.repositories.reminders import milestones_done_at
from storage.repositories.reviews import timeline_of
from storage.repositories.self_assessment import get_checklist_round, self_assessment_facts

# The roles a report names: the review team, never stakeholders.
NAMED_ROLES = (Role.HOST_LEAD, Role.HOST_TEAM, Role.IS_LEAD, Role.IS_TEAM, Role.PEER_REVIEWER)


@dataclass(frozen=True)
class SelfAssessment:
    """The self-assessment in aggregate. `note` says why there are no figures, if so."""

    invited: int = 0
    finished: int = 0
    note: str | None = None
    # Each section: its title, respondents, % agree, % disagree, % don't know (or "withheld").
    sections: tuple[tuple[str, ...], ...] = ()
    strengths: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    not_shown: tuple[str, ...] = ()  # the statements withheld, by reason
    rule: str = ""  # when a statement has figures
    chart_png: bytes | None = None
    # How they answered, when not all in Slack: "Of the 6 who finished, 4 answered in …".
    answered_by: str = ""


@dataclass(frozen=True)
class ReportAfi:
    id: int
    number: int
    text: str
    evidence: str = ""
    section_title: str | None = None
    figures: str | None = None


@dataclass(frozen=True)
class ReportData:
    host_council: str
    focus: str
    built_on: date
    version: int = 0
    rationale: str = ""
    peer_rationale: str = ""
    timeline: Timeline = field(default_factory=Timeline)
    team: tuple[tuple[str, tuple[str, ...]], ...] = ()  # each role's label and Slack ids
    # The councils (and partner organisations) that agreed to take part, each with the
    # Slack ids of its peer reviewers on the team: never one that declined or wasn't asked.
    peer_councils: tuple[tuple[str, tuple[str, ...]], ...] = ()
    done: Mapping[str, date] = field(default_factory=dict)  # milestone → day recorded done
    minimum: int = 5  # people taking part below which a head count is not shown
    fieldwork_sessions: tuple[FieldworkSessionItem, ...] = ()  # those planned
    self_assessment: SelfAssessment = field(default_factory=SelfAssessment)
    afis: tuple[ReportAfi, ...] = ()  # the prioritised, best ranked first
    other_afis: tuple[ReportAfi, ...] = ()
    findings: tuple[FindingItem, ...] = ()
    taken_forward: Mapping[int, list[int]] = field(default_factory=dict)  # option → actions
    actions: tuple[ActionItem, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # Slack id → name

    def name(self, user_id: str) -> str:
        return self.names.get(user_id, "Name not available")

    @property
    def people(self) -> set[str]:
        """The Slack ids the report names: the team and the action owners."""
        return {user for _, users in self.team for user in users} | {
            action.owner_id for action in self.actions
        }

    @property
    def learning(self) -> tuple[FindingItem, ...]:
        """The findings a lead marked as learning to share."""
        return tuple(item for item in self.findings if item.learning_to_share)


def gather_report(session: Session, deps: Deps, review: Review, *, today: date) -> ReportData:
    afis = list_afis(session=session, review_id=review.id)
    sections = sections_of(deps.checklists, review.checklist_id)
    shown = {
        afi.id: ReportAfi(
            afi.id,
            afi.number,
            afi.text,
            afi.evidence,
            sections.get(afi.section_number or 0),
            afi_figures_line(afi.statement_id, afi.figures or {}),
        )
        for afi in afis
    }
    prioritised = sorted(
        (afi for afi in afis if afi.prioritised), key=lambda afi: (afi.rank or 0, afi.number)
    )
    team = (
        (role, tuple(dict.fromkeys(m.user_id for m in review.members if m.role == role)))
        for role in NAMED_ROLES
    )
    return ReportData(
        host_council=review.host_council,
        focus=review.focus,
        built_on=today,
        rationale=review.rationale,
        peer_rationale=review.peer_rationale,
        timeline=timeline_of(review),
        team=tuple((_role_label(role, len(users)), users) for role, users in team if users),
        peer_councils=_agreed_peers(review),
        done={
            key: moment.astimezone(deps.settings.timezone).date()
            for key, moment in milestones_done_at(session=session, review_id=review.id).items()
        },
        minimum=analysis_settings(deps.settings).min_respondents,
        fieldwork_sessions=tuple(
            fieldwork_session_items(session=session, review_id=review.id, include_cancelled=False)
        ),
        self_assessment=self_assessment_part(session, deps, review),
        afis=tuple(shown[afi.id] for afi in prioritised),
        other_afis=tuple(shown[afi.id] for afi in afis if not afi.prioritised),
        findings=tuple(review_findings(session=session, review_id=review.id)),
        taken_forward=actions_by_option(session=session, review_id=review.id),
        actions=tuple(review_action_items(session=session, review_id=review.id)),
    )


def _role_label(role: Role, people: int) -> str:
    """'Peer reviewer' over one name, 'Peer reviewers' over several."""
    return ROLE_LABELS[role] + ("s" if role is Role.PEER_REVIEWER and people > 1 else "")


def _agreed_peers(review: Review) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The councils that agreed, in the order named, each with its peer reviewers."""
    reviewers = [m for m in review.members if m.role == Role.PEER_REVIEWER]
    return tuple(
        (
            peer.council,
            tuple(
                dict.fromkeys(
                    m.user_id
                    for m in reviewers
                    if (m.organisation or "").casefold() == peer.council.casefold()
                )
            ),
        )
        for peer in sorted(review.peer_councils, key=lambda peer: peer.position)
        if peer.state == PeerState.AGREED
    )


def self_assessment_counts(session: Session, deps: Deps, review: Review) -> SelfAssessment:
    """Who was invited and finished, and why there are no figures, reading no answer."""
    invited, finished = _invited_and_finished(session, review)
    try:
        check_results(session=session, deps=deps, review=review)
    except NoResults:
        return SelfAssessment(invited, finished, note=_no_figures(session, deps, review, finished))
    return SelfAssessment(invited=invited, finished=finished)


def _invited_and_finished(session: Session, review: Review) -> tuple[int, int]:
    facts = self_assessment_facts(session=session, review_id=review.id)
    return facts["stakeholders_invited"] or 0, facts["stakeholders_finished"] or 0


def _no_figures(session: Session, deps: Deps, review: Review, finished: int) -> str:
    minimum = analysis_settings(deps.settings).min_respondents
    issued = get_checklist_round(session=session, review_id=review.id) is not None
    return (
        f"Self-assessment figures are not shown: {plural(finished, 'response')} received, and "
        f"figures are shown only when at least {minimum} people outside the review team "
        "have answered, so that nobody's answers can be worked out (the review team's own "
        "answers don't count towards that)."
        if issued
        else "The PSIF self-assessment was not run through the bot for this review."
    )


def self_assessment_part(session: Session, deps: Deps, review: Review) -> SelfAssessment:
    """The self-assessment in aggregate, with its chart, or a note why there are no figures."""
    invited, finished = _invited_and_finished(session, review)
    round_ = get_checklist_round(session=session, review_id=review.id)
    how = answered_by(session=session, deps=deps, round_=round_).line() if round_ else ""
    try:
        analysis = load_results(session=session, deps=deps, review=review).analysis
    except NoResults:
        note = _no_figures(session, deps, review, finished)
        return SelfAssessment(invited, finished, note=note, answered_by=how)
    # matplotlib takes ~0.4 s to import: load it when a chart is drawn, not at start-up.
    from bot.self_assessment.service import render_agreement_chart

    png = render_agreement_chart(analysis)
    return SelfAssessment(
        invited=invited,
        finished=finished,
        answered_by=how,
        sections=tuple(
            (
                f"{s.section.number}. {s.section.title}",
                str(s.respondents),
                *(
                    ("withheld",) * 3
                    if s.withheld
                    else (f"{share}%" for share in s.tally.figures.percentages)
                ),
            )
            for s in analysis.sections
        ),
        strengths=tuple(
            with_agreement(r.statement.text, r.tally.figures) for r in analysis.strengths
        ),
        candidates=tuple(
            f"{c.result.statement.text} ({', '.join(reason.value for reason in c.reasons)})"
            for c in analysis.afi_candidates
        ),
        not_shown=tuple(withheld_summary(analysis)),
        rule=minimum_rule(analysis.settings.min_respondents),
        chart_png=png,
    )
