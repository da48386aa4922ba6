"""The report, the public summary and the self-assessment report, laid out as documents.

The report follows the guidance (§5.4): a focus on action and next steps, input from the
peers and the Improvement Service, timescales wherever possible. The LGBF summary (§5.5) is
short and public: no personal names, no free-text checklist comments.
"""

from __future__ import annotations

from bot.core.actions import RAG_LABELS, STATUS_LABELS
from bot.core.calendar import format_date
from bot.core.fieldwork import KIND_LABELS, FieldworkKind, fieldwork_window_text
from bot.core.findings import FindingItem, FindingKind
from bot.core.timeline import milestones
from bot.report._content import ReportAfi, ReportData, SelfAssessment
from bot.report._render import Bullets, Element, Heading, Image, Paragraph, Table

CONFIDENTIALITY = (
    "This report contains no individual's checklist answers and does not identify anyone who "
    "took part in interviews or focus groups. Self-assessment figures resting on fewer than "
    "the minimum number of respondents outside the review team, or on fewer than that many "
    "views (agree or disagree), are withheld."
)
SELF_ASSESSMENT_CONFIDENTIALITY = (
    "Totals only: no individual's answers and no free-text comments. Figures resting on fewer "
    "than the minimum number of respondents outside the review team, or on fewer than that "
    "many views (agree or disagree), are withheld."
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


def _when(data: ReportData) -> str:
    start = data.timeline.fieldwork_start
    if start is None:
        return "Fieldwork dates not set"
    return fieldwork_window_text(start, data.timeline.fieldwork_end or start)


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


def _sessions_held(data: ReportData) -> list[str]:
    """Sessions by kind; how many took part is shown only for groups of at least the
    minimum, as the self-assessment figures are."""
    held = []
    for kind in FieldworkKind:
        counts = [item.participant_count for item in data.fieldwork_sessions if item.kind is kind]
        if counts:
            people = sum(counts)
            taking_part = (
                f"{people} taking part"
                if people >= data.minimum
                else f"fewer than {data.minimum} taking part"
            )
            name = KIND_LABELS[kind].lower() + ("" if len(counts) == 1 else "s")
            held.append(f"{len(counts)} {name} ({taking_part})")
    return held


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
                ("Peer councils", ", ".join(data.peer_councils) or "Not recorded"),
                *((role, ", ".join(map(data.name, users))) for role, users in data.team),
            ),
        ),
        Heading("Context and rationale", 1),
        Paragraph(data.rationale or "The rationale for the focus was not recorded."),
    ]
    if data.peer_rationale:
        elements.append(Paragraph(f"Peer councils were chosen because: {data.peer_rationale}"))
    sessions = _sessions_held(data)
    sa = data.self_assessment
    elements += [
        Heading("How the review was done", 1),
        Bullets(tuple(f"{m.label}: {format_date(m.day)}" for m in milestones(data.timeline))),
        Paragraph(
            f"{sa.finished} of {sa.invited} people invited completed the PSIF self-assessment."
            + (f" {sa.answered_by}" if sa.answered_by else "")
        ),
        Paragraph(
            "Fieldwork sessions held: " + "; ".join(sessions) + "."
            if sessions
            else "No fieldwork sessions were recorded."
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
            tuple(f"By {format_date(a.due)}: {a.key_action} (action {a.number})" for a in steps)
        )
        if steps
        else Paragraph("Next steps will follow from the improvement plan."),
        Heading("Dates", 2),
        Bullets(
            tuple(
                f"{label}: {format_date(day) if day else 'to be agreed'}"
                for label, day in (
                    ("Leads' meeting on the draft", data.timeline.leads_meeting),
                    ("Final reporting", data.timeline.final_report),
                )
            )
        ),
        Paragraph(CONFIDENTIALITY, italic=True),
    ]
    return elements


def summary_outline(data: ReportData) -> list[Element]:
    """The LGBF website summary: focus, main findings, areas, actions and timescales, with
    no personal names (no team, no owners) and no free-text checklist comments."""
    strengths = [item.text for item in data.findings if item.kind is FindingKind.STRENGTH]
    main = [*data.self_assessment.strengths[:3], *strengths[:3]]
    for afi in data.afis:
        main += [
            item.text
            for item in data.findings
            if item.afi_id == afi.id and item.kind is FindingKind.CONCERN
        ][:2]
    return [
        Heading(f"{data.host_council}: peer collaborative improvement summary", 0),
        Paragraph(f"Focus: {data.focus}"),
        Paragraph(
            f"Fieldwork: {_when(data)}. Peer councils: "
            + (", ".join(data.peer_councils) or "none recorded")
            + "."
        ),
        Heading("Main findings", 1),
        Bullets(tuple(main)) if main else Paragraph("To be confirmed."),
        Heading("Areas for improvement", 1),
        Bullets(tuple(afi.text for afi in data.afis))
        if data.afis
        else Paragraph("No areas have been prioritised yet."),
        Heading("Actions and timescales", 1),
        Bullets(tuple(f"{a.key_action} (by {format_date(a.due)})" for a in data.actions))
        if data.actions
        else Paragraph("The improvement plan is being agreed."),
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
