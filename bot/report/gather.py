"""Gather what the report says from the database, in one transaction and a fixed number of
queries; people appear as Slack ids until `with_names` puts names in (from Slack, outside
the transaction)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from bot.core.actions import RAG_LABELS, STATUS_LABELS, ActionItem
from bot.core.afis import sections_of
from bot.core.calendar import format_date
from bot.core.fieldwork import KIND_LABELS, KIND_PLURALS, SessionKind
from bot.core.findings import FindingItem, FindingKind
from bot.core.roles import ROLE_LABELS, Role
from bot.core.timeline import milestones
from bot.deps import Deps
from bot.findings.views import figures_line
from bot.report.content import (
    FindingLine,
    NextStep,
    PlanRow,
    ReportAfi,
    ReportData,
    SectionFigures,
    SelfAssessment,
    SessionsHeld,
    TeamLine,
)
from bot.self_assessment.service import (
    Analysis,
    NoResults,
    analysis_settings,
    format_pct,
    load_results,
    minimum_rule,
    withheld_summary,
)
from bot.slack.text import plural
from storage.models.reviews import Review
from storage.repositories.afis import list_afis
from storage.repositories.fieldwork import session_items
from storage.repositories.findings import actions_by_option, review_findings
from storage.repositories.improvement_actions import item_of, review_actions
from storage.repositories.reviews import timeline_of
from storage.repositories.self_assessment import get_round, self_assessment_facts

# The roles a report names: the review team. Stakeholders answered the self-assessment and
# took part in sessions, so they are never listed.
NAMED_ROLES = (Role.HOST_LEAD, Role.HOST_TEAM, Role.IS_LEAD, Role.IS_TEAM, Role.PEER_REVIEWER)
NO_NAME = "Name not available"


def gather_report(session: Session, deps: Deps, review: Review, *, today: date) -> ReportData:
    minimum = analysis_settings(deps.settings).min_respondents
    findings = review_findings(session=session, review_id=review.id)
    actions = [item_of(action) for action in review_actions(session=session, review_id=review.id)]
    afis = list_afis(session=session, review_id=review.id)
    prioritised = sorted(
        (afi for afi in afis if afi.prioritised), key=lambda afi: (afi.rank or 0, afi.number)
    )
    by_afi: dict[int, list[FindingItem]] = defaultdict(list)
    for finding in findings:
        by_afi[finding.afi_id].append(finding)
    sections = sections_of(deps.checklists, review.checklist_id)
    taken = actions_by_option(session=session, review_id=review.id)
    return ReportData(
        host_council=review.host_council,
        focus=review.focus,
        built_on=today,
        rationale=review.rationale,
        peer_rationale=review.peer_rationale,
        timeline=timeline_of(review),
        team=_team(review),
        peer_councils=tuple(peer.council for peer in review.peer_councils),
        stages=tuple(f"{m.label}: {format_date(m.day)}" for m in milestones(timeline_of(review))),
        sessions=_sessions(session, review.id, minimum),
        self_assessment=self_assessment_part(session, deps, review),
        fieldwork_strengths=tuple(
            _line(item) for item in findings if item.kind is FindingKind.STRENGTH
        ),
        afis=tuple(
            ReportAfi(
                number=afi.number,
                text=afi.text,
                evidence=afi.evidence,
                section_title=sections.get(afi.section_number or 0),
                figures=figures_line(afi.figures or {}),
                strengths=_lines(by_afi[afi.id], FindingKind.STRENGTH),
                concerns=_lines(by_afi[afi.id], FindingKind.CONCERN),
                options=tuple(
                    replace(_line(item), actions=tuple(taken.get(item.id, ())))
                    for item in by_afi[afi.id]
                    if item.kind is FindingKind.OPTION
                ),
                actions=tuple(a.number for a in actions if a.afi and a.afi.id == afi.id),
            )
            for afi in prioritised
        ),
        other_afis=tuple((afi.number, afi.text) for afi in afis if not afi.prioritised),
        plan=tuple(_plan_row(action) for action in actions),
        next_steps=tuple(
            NextStep(action.due, f"{action.key_action} (action {action.number})")
            for action in sorted(actions, key=lambda a: (a.due, a.number))
            if action.unfinished
        ),
    )


def _team(review: Review) -> tuple[TeamLine, ...]:
    lines = []
    for role in NAMED_ROLES:
        users = tuple(dict.fromkeys(m.user_id for m in review.members if m.role == role.value))
        if users:
            lines.append(TeamLine(ROLE_LABELS[role], users))
    return tuple(lines)


def _line(item: FindingItem) -> FindingLine:
    return FindingLine(item.text, item.source_label)


def _lines(items: list[FindingItem], kind: FindingKind) -> tuple[FindingLine, ...]:
    return tuple(_line(item) for item in items if item.kind is kind)


def _plan_row(action: ActionItem) -> PlanRow:
    return PlanRow(
        number=action.number,
        key_action=action.key_action,
        owner=action.owner_id,
        due=action.due,
        risks=action.risks,
        measure=action.measure,
        outcome=action.outcome,
        status=STATUS_LABELS[action.status],
        afi_number=action.afi.number if action.afi else None,
        rag=RAG_LABELS[action.rag] if action.rag else "",
    )


def _sessions(session: Session, review_id: int, minimum: int) -> tuple[SessionsHeld, ...]:
    """Sessions by kind; how many took part is shown only for groups of at least `minimum`,
    as the self-assessment figures are."""
    counts: dict[SessionKind, list[int]] = defaultdict(list)
    for item in session_items(session=session, review_id=review_id, include_cancelled=False):
        counts[item.kind].append(item.participant_count)
    held = []
    for kind in SessionKind:
        if kind in counts:
            people = sum(counts[kind])
            taking_part = (
                f"{people} taking part"
                if people >= minimum
                else f"fewer than {minimum} taking part"
            )
            name = KIND_PLURALS[kind] if len(counts[kind]) != 1 else KIND_LABELS[kind].lower()
            held.append(SessionsHeld(name, len(counts[kind]), taking_part))
    return tuple(held)


def self_assessment_part(
    session: Session, deps: Deps, review: Review, *, chart: bool = True
) -> SelfAssessment:
    """The self-assessment in aggregate, or a note saying why there are no figures."""
    minimum = analysis_settings(deps.settings).min_respondents
    facts = self_assessment_facts(session=session, review_id=review.id)
    invited, finished = facts["stakeholders_invited"] or 0, facts["stakeholders_finished"] or 0
    try:
        results = load_results(session=session, deps=deps, review=review)
    except NoResults:
        issued = get_round(session=session, review_id=review.id) is not None
        note = (
            f"Self-assessment figures are not shown: {plural(finished, 'response')} received, and "
            f"figures are shown only when at least {minimum} people outside the review team "
            "have answered, so that nobody's answers can be worked out (the review team's own "
            "answers don't count towards that)."
            if issued
            else "The PSIF self-assessment was not run through the bot for this review."
        )
        return SelfAssessment(invited=invited, finished=finished, note=note)
    return _figures(results.analysis, invited, finished, chart=chart)


def _figures(analysis: Analysis, invited: int, finished: int, *, chart: bool) -> SelfAssessment:
    png = None
    if chart:
        # matplotlib takes ~0.4 s to import: load it when a chart is drawn, not at start-up.
        from bot.self_assessment.service import render_agreement_chart

        png = render_agreement_chart(analysis)
    return SelfAssessment(
        invited=invited,
        finished=finished,
        sections=tuple(
            SectionFigures(
                number=s.section.number,
                title=s.section.title,
                respondents=s.respondents,
                agree=format_pct(s.tally.pct_agree),
                disagree=format_pct(s.tally.pct_disagree),
                dont_know=format_pct(s.tally.pct_dont_know),
                withheld=s.withheld,
            )
            for s in analysis.sections
        ),
        strengths=tuple(
            f"{r.statement.text} ({format_pct(r.tally.pct_agree)} agree)"
            for r in analysis.strengths
        ),
        candidates=tuple(
            f"{c.result.statement.text} ({', '.join(reason.value for reason in c.reasons)})"
            for c in analysis.afi_candidates
        ),
        not_shown=tuple(withheld_summary(analysis)),
        rule=minimum_rule(analysis.settings.min_respondents),
        chart_png=png,
    )


def people_in(data: ReportData) -> set[str]:
    """The Slack ids the report names: the team and the action owners."""
    return {user for line in data.team for user in line.names} | {row.owner for row in data.plan}


def with_names(data: ReportData, names: Mapping[str, str]) -> ReportData:
    """The report with Slack ids replaced by people's names."""
    return replace(
        data,
        team=tuple(
            TeamLine(line.role, tuple(names.get(user, NO_NAME) for user in line.names))
            for line in data.team
        ),
        plan=tuple(replace(row, owner=names.get(row.owner, NO_NAME)) for row in data.plan),
    )
