"""The report and the public summary, laid out as outlines (see `outline.py`).

The report follows the guidance (§5.4): a focus on action and next steps, input from the
peers and the Improvement Service, timescales wherever possible. The LGBF summary (§5.5) is
short and public: no personal names, no free-text checklist comments.
"""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.report.content import PLAN_COLUMNS, FindingLine, ReportAfi, ReportData, SelfAssessment
from bot.report.outline import Bullets, Element, Heading, Image, Paragraph, Table

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


def _when(data: ReportData) -> str:
    dates = data.fieldwork_dates
    if dates is None:
        return "Fieldwork dates not set"
    start, end = dates
    return format_date(start) if start == end else f"{format_date(start)} to {format_date(end)}"


def _line(line: FindingLine) -> str:
    if not line.actions:
        return f"{line.text} ({line.source})"
    numbers = ", ".join(str(number) for number in line.actions)
    noun = "action" if len(line.actions) == 1 else "actions"
    return f"{line.text} ({line.source}; taken forward in {noun} {numbers})"


def _findings(title: str, lines: tuple[FindingLine, ...]) -> list[Element]:
    if not lines:
        return []
    return [Paragraph(title, italic=True), Bullets(tuple(map(_line, lines)))]


def _afi(afi: ReportAfi) -> list[Element]:
    elements: list[Element] = [Heading(f"Area {afi.number}: {afi.text}", 2)]
    if afi.section_title:
        elements.append(Paragraph(f"PSIF section: {afi.section_title}", italic=True))
    if afi.evidence:
        elements.append(Paragraph(f"Evidence: {afi.evidence}"))
    if afi.figures:
        elements.append(Paragraph(afi.figures))
    elements += _findings("What we found", afi.concerns)
    elements += _findings("What works well", afi.strengths)
    elements += _findings("Options for improvement", afi.options)
    if not (afi.concerns or afi.strengths or afi.options):
        elements.append(Paragraph("No findings have been recorded against this area yet."))
    if afi.actions:
        numbers = ", ".join(str(number) for number in afi.actions)
        elements.append(Paragraph(f"Improvement plan actions: {numbers}."))
    return elements


def self_assessment_section(sa: SelfAssessment) -> list[Element]:
    """The self-assessment in aggregate: figures by section, the chart, candidate areas."""
    elements: list[Element] = [Heading("Self-assessment findings", 1)]
    if sa.note:
        return [*elements, Paragraph(sa.note)]
    elements.append(
        Table(
            ("Section", "Respondents", "% agree", "% disagree", "% don't know"),
            tuple(
                (
                    f"{s.number}. {s.title}",
                    str(s.respondents),
                    *(("withheld",) * 3 if s.withheld else (s.agree, s.disagree, s.dont_know)),
                )
                for s in sa.sections
            ),
        )
    )
    if sa.chart_png:
        elements.append(Image(sa.chart_png, "Agreement by section"))
    if sa.candidates:
        elements += [Heading("Candidate areas for improvement", 2), Bullets(sa.candidates)]
    if sa.not_shown:
        elements += [Heading("Statements not shown", 2), Bullets(sa.not_shown)]
    if sa.rule:
        elements.append(Paragraph(sa.rule, italic=True))
    return elements


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
                *((line.role, ", ".join(line.names)) for line in data.team),
            ),
        ),
        Heading("Context and rationale", 1),
        Paragraph(data.rationale or "The rationale for the focus was not recorded."),
    ]
    if data.peer_rationale:
        elements.append(Paragraph(f"Peer councils were chosen because: {data.peer_rationale}"))
    sessions = [f"{held.count} {held.kind} ({held.taking_part})" for held in data.sessions]
    sa = data.self_assessment
    elements += [
        Heading("How the review was done", 1),
        Bullets(data.stages),
        Paragraph(
            f"{sa.finished} of {sa.invited} people invited completed the PSIF self-assessment."
        ),
        Paragraph(
            "Fieldwork sessions held: " + "; ".join(sessions) + "."
            if sessions
            else "No fieldwork sessions were recorded."
        ),
        *self_assessment_section(sa),
        Heading("Strengths", 1),
    ]
    strengths = [*sa.strengths, *map(_line, data.fieldwork_strengths)]
    elements.append(Bullets(tuple(strengths)) if strengths else Paragraph("None recorded yet."))
    elements.append(Heading("Prioritised areas for improvement", 1))
    for afi in data.afis:
        elements += _afi(afi)
    if not data.afis:
        elements.append(Paragraph("No areas have been prioritised yet."))
    if data.other_afis:
        elements += [
            Heading("Other areas considered", 2),
            Bullets(tuple(f"{number}. {text}" for number, text in data.other_afis)),
        ]
    elements += [Heading("Improvement plan", 1), *_plan(data)]
    elements += [Heading("Next steps", 1), *_next_steps(data), *_dates(data)]
    elements.append(Paragraph(CONFIDENTIALITY, italic=True))
    return elements


def _plan(data: ReportData) -> list[Element]:
    if not data.plan:
        return [Paragraph("No improvement actions have been agreed yet.")]
    return [
        Table(
            PLAN_COLUMNS,
            tuple(
                (
                    f"{row.number}. {row.key_action}",
                    row.owner,
                    format_date(row.due),
                    row.risks,
                    row.measure,
                    row.outcome,
                    row.status,
                    row.rag,
                )
                for row in data.plan
            ),
        )
    ]


def _next_steps(data: ReportData) -> list[Element]:
    if not data.next_steps:
        return [Paragraph("Next steps will follow from the improvement plan.")]
    return [Bullets(tuple(f"By {format_date(s.when)}: {s.what}" for s in data.next_steps))]


def _dates(data: ReportData) -> list[Element]:
    t = data.timeline
    lines = [
        f"{label}: {format_date(day) if day else 'to be agreed'}"
        for label, day in (
            ("Leads' meeting on the draft", t.leads_meeting),
            ("Final reporting", t.final_report),
        )
    ]
    return [Heading("Dates", 2), Bullets(tuple(lines))]


def summary_outline(data: ReportData) -> list[Element]:
    """The LGBF website summary: focus, main findings, areas, actions and timescales, with
    no personal names (no team, no owners) and no free-text checklist comments."""
    elements: list[Element] = [
        Heading(f"{data.host_council}: peer collaborative improvement summary", 0),
        Paragraph(f"Focus: {data.focus}"),
        Paragraph(
            f"Fieldwork: {_when(data)}. Peer councils: "
            + (", ".join(data.peer_councils) or "none recorded")
            + "."
        ),
        Heading("Main findings", 1),
    ]
    main = [
        *data.self_assessment.strengths[:3],
        *(line.text for line in data.fieldwork_strengths[:3]),
    ]
    main += [line.text for afi in data.afis for line in afi.concerns[:2]]
    elements.append(Bullets(tuple(main)) if main else Paragraph("To be confirmed."))
    elements.append(Heading("Areas for improvement", 1))
    elements.append(
        Bullets(tuple(f"{afi.text}" for afi in data.afis))
        if data.afis
        else Paragraph("No areas have been prioritised yet.")
    )
    elements.append(Heading("Actions and timescales", 1))
    elements.append(
        Bullets(tuple(f"{row.key_action} (by {format_date(row.due)})" for row in data.plan))
        if data.plan
        else Paragraph("The improvement plan is being agreed.")
    )
    return elements


def self_assessment_report(*, host_council: str, focus: str, sa: SelfAssessment) -> list[Element]:
    """The self-assessment report sent with the papers: aggregates only, never answers."""
    strengths: list[Element] = (
        [Heading("Strengths", 2), Bullets(sa.strengths)] if sa.strengths else []
    )
    return [
        Heading(f"{host_council}: PSIF self-assessment report", 0),
        Paragraph(focus, italic=True),
        Paragraph(f"{sa.finished} of {sa.invited} people invited completed the self-assessment."),
        *self_assessment_section(sa),
        *strengths,
        Paragraph(SELF_ASSESSMENT_CONFIDENTIALITY, italic=True),
    ]
