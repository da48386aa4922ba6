"""Messages about the self-assessment: thanks, results, comments and status."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.calendar import format_date
from bot.core.checklist import Checklist, CommentKind
from bot.core.responses import Comment, Completion
from bot.self_assessment.checklist import AfiCandidate, Analysis, Tally
from bot.self_assessment.checklist.analysis import minimum_rule, whole_pct, withheld_summary
from bot.self_assessment.rules import RoundStatus
from bot.slack.blocks import (
    SECTION_TEXT_LIMIT,
    Block,
    context,
    header,
    section,
)
from bot.slack.pages import Pager, fit_message
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate


def build_thanks(host_council: str, status: RoundStatus) -> str:
    if not status.is_open:
        return (
            f"Thank you: your {host_council} self-assessment is saved. Everyone invited has "
            "now finished, so it has closed and the review team can see the results."
        )
    return (
        f"Thank you: your {host_council} self-assessment is saved. You can change your "
        f"answers until {format_date(status.closes_on)} by typing `/psif checklist`."
    )


# What the figures mean, said once under the results.
FIGURES_NOTE = (
    "Agree and disagree are shares of the people who gave a view, so they add up to 100%; "
    "don't know is a share of everyone who answered. Figures are rounded to whole numbers."
)


def describe_tally(tally: Tally) -> str:
    """ "71% agree, 29% disagree (of 38 views); 14% don't know": whole numbers, with counts.

    Disagree is taken as the rest of 100, so the pair never adds to 99 or 101 by rounding.
    A tally with no views pools only withheld statements, which have no figures.
    """
    if not tally.gave_view:
        return "no figures (every statement had too few answers or views)"
    agree = whole_pct(tally.pct_agree or 0.0)
    line = f"{agree}% agree, {100 - agree}% disagree (of {plural(tally.gave_view, 'view')})"
    if tally.answers > tally.gave_view:
        line += f"; {whole_pct(tally.pct_dont_know or 0.0)}% don't know"
    return line


def _statement_line(analysis: Analysis, statement_id: str) -> str:
    result = analysis.statement_result(statement_id)
    text = truncate(escape_mrkdwn(result.statement.text), 160)
    return f"*{statement_id}* {text}"


def _afi_line(analysis: Analysis, candidate: AfiCandidate) -> str:
    tally = candidate.result.tally
    reasons = join_words([reason.value for reason in candidate.reasons])
    return (
        f"• {_statement_line(analysis, candidate.result.statement.id)}\n"
        f"   {describe_tally(tally)} ({reasons})"
    )


def build_results(
    *, host_council: str, analysis: Analysis, completion: Completion, posted_by: str
) -> tuple[str, list[Block]]:
    """The results posted to the channel: completion, section figures, strengths, AFIs."""
    overall = analysis.overall
    assert overall is not None and not analysis.suppressed  # callers check suppression
    text = f"{host_council} self-assessment results: {completion.line()}."
    by_section = "\n".join(
        f"{result.section.number}. {escape_mrkdwn(result.section.title)}: "
        + (
            "_no figures: every statement had too few answers or views_"
            if result.withheld
            else describe_tally(result.tally)
        )
        for result in analysis.sections
    )
    strengths = [
        f"• {_statement_line(analysis, r.statement.id)} ({describe_tally(r.tally)})"
        for r in analysis.strengths
    ] or ["_No statement reached the strength threshold._"]
    afis = [_afi_line(analysis, c) for c in analysis.afi_candidates] or [
        "_No statement stood out for improvement._"
    ]
    blocks: list[Block] = [
        header(f"Self-assessment results: {host_council}"),
        section(
            f"*{completion.line()}*; "
            f"{plural(analysis.respondents, 'person', 'people')} answered at least one "
            f"statement.\nOverall: {describe_tally(overall)}."
        ),
        section(f"*By section*\n{by_section}"),
        *_listed("*Strengths* (highest agreement)", strengths),
        *_listed("*Candidate areas for improvement*", afis),
        *_withheld_lines(analysis),
        context(
            f"Posted by {mention(posted_by)}. {FIGURES_NOTE} Individual answers are never "
            f"shown. {minimum_rule(analysis.settings.min_respondents)} Comments are in the "
            "thread, without names. Leads can turn candidates into AFIs with `/afi import`; "
            "`/psif results export` sends the totals as a spreadsheet."
        ),
    ]
    return text, blocks


def _withheld_lines(analysis: Analysis) -> list[Block]:
    lines = withheld_summary(analysis)
    return _listed("*Not shown*", lines) if lines else []


def _listed(title: str, lines: Sequence[str]) -> list[Block]:
    """A titled list in as many sections as Slack's text limit needs, cutting no line."""
    blocks: list[Block] = []
    chunk = title
    for line in lines:
        if len(chunk) + 1 + len(line) > SECTION_TEXT_LIMIT:
            blocks.append(section(chunk))
            chunk = title + " (continued)"
        chunk += "\n" + line
    blocks.append(section(chunk))
    return blocks


def build_comment_messages(
    checklist: Checklist, comments: Sequence[Comment]
) -> list[tuple[str, list[Block]]]:
    """The anonymous comments as thread replies, grouped by section and question.

    Sorted by text within each group so that their order says nothing about who wrote them;
    split into as many messages as Slack's block and text limits need.
    """
    grouped: dict[tuple[int, CommentKind], list[str]] = {}
    for comment in comments:
        grouped.setdefault((comment.section_number, comment.kind), []).append(comment.text)
    blocks: list[Block] = []
    for section_ in checklist.sections:
        for kind in CommentKind:
            texts = sorted(grouped.get((section_.number, kind), []))
            if not texts:
                continue
            title = f"*{section_.number}. {escape_mrkdwn(section_.title)}: {kind.question}*"
            chunk = title
            for item in texts:
                line = "\n• " + truncate(escape_mrkdwn(item).replace("\n", " "), 1500)
                if len(chunk) + len(line) > SECTION_TEXT_LIMIT:
                    blocks.append(section(chunk))
                    chunk = title + " (continued)"
                chunk += line
            blocks.append(section(chunk))
    if not blocks:
        return [("No comments were left.", [section("_No comments were left._")])]
    pager = Pager(heading_blocks=0, heading_chars=0)
    for block in blocks:
        pager.add([block])
    return [("Self-assessment comments", page) for page in pager.result()]


def build_self_assessment_status(status: RoundStatus) -> list[Block]:
    """The self-assessment part of `/psif status`: completion counts, never names."""
    if status.is_open:
        lines = [
            f"*Self-assessment* (open until {format_date(status.closes_on)})",
            status.completion.line() + ".",
            "Results are shown once it closes. I remind those still to finish myself; "
            "nobody is shown who they are.",
        ]
    else:
        lines = [
            f"*Self-assessment*: it {status.why_closed()}.",
            status.completion.line() + ". The review team can see the results with "
            "`/psif results`.",
        ]
    return [section("\n".join(lines))]


def build_afis_imported(
    *, imported_by: str, afis: Sequence[tuple[int, str, str]], earlier: int
) -> tuple[str, list[Block]]:
    """The channel note after `/afi import`; `afis` are (number, statement id, text)."""
    note = f" ({earlier} imported earlier)" if earlier else ""
    text = f"Imported {plural(len(afis), 'area')} for improvement from the self-assessment{note}."
    lines = [
        f"• *AFI {number}* ({statement_id}) {truncate(escape_mrkdwn(statement), 300)}"
        for number, statement_id, statement in afis
    ]
    chunks = [[section("\n".join(lines[start : start + 8]))] for start in range(0, len(lines), 8)]
    blocks = fit_message(
        [
            section(
                f"{mention(imported_by)} imported {plural(len(afis), 'area')} for improvement "
                f"from the self-assessment{note}:"
            )
        ],
        chunks,
        more=lambda left: f"…and {len(lines) - 8 * (len(chunks) - left)} more.",
        footer=[
            context(
                "Each is worded as a gap, with its figures. To change the wording, use Edit on "
                "`/afi list` before the vote."
            )
        ],
    )
    return text, blocks
