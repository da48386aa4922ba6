"""The report (§5.4), the public LGBF summary and the members' briefing (§5.5, no names, no
checklist figures or comments) and the self-assessment report, laid out as documents. A date
still to come reads "planned for …", never as though it happened.
"""

from __future__ import annotations

from bot.core.actions import RAG_LABELS, STATUS_LABELS
from bot.core.calendar import format_date, format_date_range
from bot.core.fieldwork import KIND_LABELS, FieldworkKind
from bot.core.findings import FindingItem, FindingKind
from bot.core.timeline import LABELS, Milestone, milestones
from bot.report._content import ReportAfi, ReportData, SelfAssessment
from bot.report._render import Bullets, Element, Heading, Image, Paragraph, Table
from bot.slack.text import join_words

CONFIDENTIALITY = (
    "This report contains no individual's checklist answers and does not identify anyone who "
    "took part in interviews or focus groups. Self-assessment figures resting on fewer than "
    "the minimum number of respondents outside the review team, or on fewer than that many "
    "who agreed or disagreed, are withheld."
)
SELF_ASSESSMENT_CONFIDENTIALITY = (
    "Totals only: no individual's answers and no free-text comments. Figures resting on fewer "
    "than the minimum number of respondents outside the review team, or on fewer than that "
    "many who agreed or disagreed, are withheld."
)
PLAN_COLUMNS = (
    "Key action",
    "Owner",
    "Due",
    "Risks or costs",
    "How we'll know",
    "Outcome",
    "Status",
    "RAG",
)


BRIEFING_LIMIT = 5  # bullets per heading, so that the briefing stays on one page


def _when(data: ReportData) -> str:
    start = data.timeline.fieldwork_start
    if start is None:
        return "Fieldwork dates not set"
    window = format_date_range(start, data.timeline.fieldwork_end or start)
    return f"planned for {window}" if start > data.built_on else window


def _happened(data: ReportData, milestone: Milestone) -> str:
    """The day it was done (and the plan, if that differed), passed, or is planned for."""
    done = data.done.get(milestone.key)
    if done is not None and done != milestone.day:
        return f"{milestone.label}: {format_date(done)} (planned for {format_date(milestone.day)})"
    if done is not None or milestone.day <= data.built_on:
        return f"{milestone.label}: {format_date(milestone.day)}"
    return f"{milestone.label}: planned for {format_date(milestone.day)}"


def _peers(data: ReportData) -> str:
    """The councils that agreed, each with its peer reviewers' names."""
    return "; ".join(
        f"{council} ({', '.join(map(data.name, reviewers))})" if reviewers else council
        for council, reviewers in data.peer_councils
    )


def _line(data: ReportData, item: FindingItem) -> str:
    """A finding with its source; an option with the actions that carry it out."""
    actions = data.taken_forward.get(item.id, []) if item.kind is FindingKind.OPTION else []
    if not actions:
        return f"{item.text} ({item.source_label})"
    noun = "action" if len(actions) == 1 else "actions"
    numbers = ", ".join(str(number) for number in actions)
    return f"{item.text} ({item.source_label}; taken forward in {noun} {numbers})"


def _afi(data: ReportData, afi: ReportAfi) -> list[Element]:
    elements: list[Element] = [Heading(f"Area {afi.number}: {afi.text}", 2)]
    if afi.section_title:
        elements.append(Paragraph(f"PSIF section: {afi.section_title}", italic=True))
    if afi.evidence:
        elements.append(Paragraph(f"Evidence: {afi.evidence}"))
    if afi.figures:
        elements.append(Paragraph(afi.figures))
    found = [item for item in data.findings if item.afi_id == afi.id]
    for title, kind in (
        ("What we found", FindingKind.CONCERN),
        ("What works well", FindingKind.STRENGTH),
        ("Options for improvement", FindingKind.OPTION),
    ):
        lines = tuple(_line(data, item) for item in found if item.kind is kind)
        if lines:
            elements += [Paragraph(title, italic=True), Bullets(lines)]
    if not found:
        elements.append(Paragraph("No findings have been recorded against this area yet."))
    numbers = [str(a.number) for a in data.actions if a.afi is not None and a.afi.id == afi.id]
    if numbers:
        elements.append(Paragraph(f"Improvement plan actions: {', '.join(numbers)}."))
    return elements


def self_assessment_section(sa: SelfAssessment) -> list[Element]:
    """The self-assessment in aggregate: figures by section, the chart, candidate areas."""
    elements: list[Element] = [Heading("Self-assessment findings", 1)]
    if sa.note:
        return [*elements, Paragraph(sa.note)]
    columns = ("Section", "Respondents", "% agree", "% disagree", "% don't know")
    elements.append(Table(columns, sa.sections))
    if sa.chart_png:
        elements.append(Image(sa.chart_png, "Agreement by section"))
    if sa.candidates:
        elements += [Heading("Candidate areas for improvement", 2), Bullets(sa.candidates)]
    if sa.not_shown:
        elements += [Heading("Statements not shown", 2), Bullets(sa.not_shown)]
    if sa.rule:
        elements.append(Paragraph(sa.rule, italic=True))
    return elements


def _sessions(data: ReportData, *, held: bool) -> list[str]:
    """Sessions held (or planned) by kind; head counts below the minimum are not shown."""
    by_kind = []
    for kind in FieldworkKind:
        counts = [
            item.participant_count
            for item in data.fieldwork_sessions
            if item.kind is kind and (item.day <= data.built_on) is held
        ]
        if counts:
            people = sum(counts)
            shown = people if people >= data.minimum else f"fewer than {data.minimum}"
            name = KIND_LABELS[kind].lower() + ("" if len(counts) == 1 else "s")
            by_kind.append(f"{len(counts)} {name} ({shown} taking part)")
    return by_kind


def report_outline(data: ReportData, *, final: bool = False) -> list[Element]:
    kind = "Final report" if final else f"Draft report, version {data.version}"
    elements: list[Element] = [
        Heading(f"{data.host_council}: peer collaborative improvement", 0),
        Paragraph(f"{data.focus}", italic=True),
        Paragraph(f"{kind}, {format_date(data.built_on)}"),
        Table(
            ("", ""),
            (
                ("Host council", data.host_council),
                ("Focus", data.focus),
                ("Fieldwork", _when(data)),
                ("Peer councils", _peers(data) or "None has agreed yet"),
                *((role, ", ".join(map(data.name, users))) for role, users in data.team),
            ),
        ),
        Heading("Context and rationale", 1),
        Paragraph(data.rationale or "The rationale for the focus was not recorded."),
    ]
    if data.peer_rationale:
        elements.append(Paragraph(f"Peer councils were chosen because: {data.peer_rationale}"))
    held, planned = _sessions(data, held=True), _sessions(data, held=False)
    sa = data.self_assessment
    elements += [
        Heading("How the review was done", 1),
        Bullets(tuple(_happened(data, m) for m in milestones(data.timeline))),
        Paragraph(
            f"{sa.finished} of {sa.invited} people invited completed the PSIF self-assessment."
            + (f" {sa.answered_by}" if sa.answered_by else "")
        ),
        Paragraph(
            "Fieldwork sessions held: " + "; ".join(held) + "."
            if held
            else "No fieldwork sessions have been held yet."
        ),
        *(
            [Paragraph("Fieldwork sessions planned: " + "; ".join(planned) + ".")]
            if planned
            else []
        ),
        *self_assessment_section(sa),
        Heading("Strengths", 1),
    ]
    strengths = [
        *sa.strengths,
        *(_line(data, item) for item in data.findings if item.kind is FindingKind.STRENGTH),
    ]
    elements.append(Bullets(tuple(strengths)) if strengths else Paragraph("None recorded yet."))
    elements.append(Heading("Prioritised areas for improvement", 1))
    for afi in data.afis:
        elements += _afi(data, afi)
    if not data.afis:
        elements.append(Paragraph("No areas have been prioritised yet."))
    if data.other_afis:
        elements += [
            Heading("Other areas considered", 2),
            Bullets(tuple(f"{afi.number}. {afi.text}" for afi in data.other_afis)),
        ]
    elements.append(Heading("Improvement plan", 1))
    plan = tuple(
        (
            f"{a.number}. {a.key_action}",
            data.name(a.owner_id),
            format_date(a.due),
            a.risks,
            a.measure,
            a.outcome,
            STATUS_LABELS[a.status],
            RAG_LABELS[a.rag] if a.rag else "",
        )
        for a in data.actions
    )
    elements.append(
        Table(PLAN_COLUMNS, plan)
        if plan
        else Paragraph("No improvement actions have been agreed yet.")
    )
    steps = sorted((a for a in data.actions if a.unfinished), key=lambda a: (a.due, a.number))
    elements += [
        Heading("Next steps", 1),
        Bullets(
            tuple(
                f"{'Overdue, due' if a.overdue(data.built_on) else 'By'} {format_date(a.due)}: "
                f"{a.key_action} (action {a.number})"
                for a in steps
            )
        )
        if steps
        else Paragraph("Next steps will follow from the improvement plan."),
        *_dates_to_agree(data),
        Paragraph(CONFIDENTIALITY, italic=True),
    ]
    return elements


def _dates_to_agree(data: ReportData) -> list[Element]:
    """The closing dates still to be agreed (agreed ones are under "How the review was done")."""
    missing = tuple(
        f"{LABELS[key]}: to be agreed"
        for key in ("leads_meeting", "final_report")
        if getattr(data.timeline, key) is None
    )
    return [Heading("Dates", 2), Bullets(missing)] if missing else []


def _sessions_held(data: ReportData) -> str:
    """ "an interview and a focus group", "3 interviews and a site visit"."""
    held = [item.kind for item in data.fieldwork_sessions if item.day <= data.built_on]
    kinds = []
    for kind in FieldworkKind:
        count = held.count(kind)
        label = KIND_LABELS[kind].lower()
        if count == 1:
            kinds.append(f"{'an' if label[0] in 'aeiou' else 'a'} {label}")
        elif count:
            kinds.append(f"{count} {label}s")
    return join_words(kinds)


def _how_it_was_done(data: ReportData) -> str:
    """One sentence, no names and no figures from the checklist."""
    councils = [council for council, _ in data.peer_councils]
    with_whom = (
        f"peers from {join_words(councils)}{',' if len(councils) > 1 else ''} and the "
        "Improvement Service"
        if councils
        else "the Improvement Service"
    )
    sessions = _sessions_held(data)
    fieldwork = (
        f"fieldwork ({_when(data)}): {sessions}" if sessions else f"fieldwork ({_when(data)})"
    )
    return (
        f"{data.host_council} worked with {with_whom}: a PSIF self-assessment by people who "
        f"use and deliver the service, the review team's prioritisation of areas for "
        f"improvement, and {fieldwork}."
    )


def _words(text: str) -> str:
    return " ".join(text.lower().rstrip(".").split())


def _next_steps(data: ReportData, said: list[str], limit: int | None = None) -> list[Element]:
    """The unfinished actions by due date; one worded as a line already `said` is left out."""
    already = {_words(line) for line in said}
    steps = sorted((a for a in data.actions if a.unfinished), key=lambda a: (a.due, a.number))
    lines = [
        f"{a.key_action.rstrip('.')} ("
        + (
            f"overdue: due {format_date(a.due)})"
            if a.overdue(data.built_on)
            else f"by {format_date(a.due)})"
        )
        for a in steps
        if _words(a.key_action) not in already
    ]
    if limit is not None and len(lines) > limit:
        lines = [*lines[:limit], f"…and {len(lines) - limit} more in the improvement plan."]
    if lines:
        return [Bullets(tuple(lines))]
    if steps:
        return [Paragraph("The learning above is being taken forward in the improvement plan.")]
    return [Paragraph("The improvement plan is being agreed.")]


def summary_outline(data: ReportData) -> list[Element]:
    """The LGBF website summary: no personal names, checklist comments or checklist figures."""
    learning = tuple(item.text for item in data.learning)
    return [
        Heading(f"{data.host_council}: peer collaborative improvement summary", 0),
        Paragraph(f"Summary, {format_date(data.built_on)}"),
        Paragraph(f"Focus: {data.focus}"),
        Heading("How the review was done", 1),
        Paragraph(_how_it_was_done(data)),
        Heading("Areas for improvement", 1),
        Bullets(tuple(afi.text for afi in data.afis))
        if data.afis
        else Paragraph("No areas have been prioritised yet."),
        Heading("Learning to share", 1),
        Bullets(learning)
        if learning
        else Paragraph("The review team has not yet marked learning to share."),
        Heading("Next steps", 1),
        *_next_steps(data, said=list(learning)),
    ]


def briefing_outline(data: ReportData) -> list[Element]:
    """One page for elected members: the purpose, what was found, the plan. No names."""
    strengths = [item.text for item in data.findings if item.kind is FindingKind.STRENGTH]
    learning = [item.text for item in data.learning if item.text not in strengths]
    areas = [afi.text for afi in data.afis]
    final = data.timeline.final_report
    found: list[Element] = []
    for title, lines in (
        ("What works well:", strengths),
        ("Learning worth sharing with other councils:", learning),
        ("Areas the council will improve:", areas),
    ):
        if lines:
            found += [Paragraph(title, italic=True), Bullets(tuple(lines[:BRIEFING_LIMIT]))]
    return [
        Heading(f"{data.host_council}: briefing for elected members", 0),
        Paragraph(f"Peer collaborative improvement review: {data.focus}", italic=True),
        Paragraph(f"Briefing, {format_date(data.built_on)}"),
        Heading("Purpose", 1),
        Paragraph(
            "To brief members on the review of this service and on the improvement plan "
            f"that follows it. {_how_it_was_done(data)}"
        ),
        Heading("What was found", 1),
        *(found or [Paragraph("The review's findings are being confirmed.")]),
        Heading("The plan and its timescales", 1),
        *_next_steps(data, said=[*strengths, *learning], limit=BRIEFING_LIMIT),
        Paragraph(
            f"The final report is planned for {format_date(final)}."
            if final and final > data.built_on and "final_report" not in data.done
            else "The full report and improvement plan are available from the review team."
        ),
    ]


def self_assessment_report(*, host_council: str, focus: str, sa: SelfAssessment) -> list[Element]:
    """The self-assessment report sent with the papers: aggregates only, never answers."""
    strengths: list[Element] = (
        [Heading("Strengths", 2), Bullets(sa.strengths)] if sa.strengths else []
    )
    return [
        Heading(f"{host_council}: PSIF self-assessment report", 0),
        Paragraph(focus, italic=True),
        Paragraph(
            f"{sa.finished} of {sa.invited} people invited completed the self-assessment."
            + (f" {sa.answered_by}" if sa.answered_by else "")
        ),
        *self_assessment_section(sa),
        *strengths,
        Paragraph(SELF_ASSESSMENT_CONFIDENTIALITY, italic=True),
    ]
