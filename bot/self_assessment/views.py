"""The self-assessment's messages and modals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from bot.core.calendar import format_date, format_day
from bot.core.checklist import Answer, Checklist, CommentKind, Section
from bot.core.figures import with_agreement
from bot.core.nudges import when
from bot.core.responses import (
    AnsweredBy,
    Comment,
    Completion,
    OwnProgress,
    RoundStatus,
    SectionAnswers,
)
from bot.self_assessment._analysis import (
    Analysis,
    StatementResult,
    Tally,
    minimum_rule,
    withheld_summary,
)
from bot.slack import ids
from bot.slack.blocks import (
    SECTION_TEXT_LIMIT,
    Block,
    HomeSection,
    Message,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    modal,
    option,
    section,
    text_input,
)
from bot.slack.pages import Pager, fit_message
from bot.slack.payloads import Metadata, RecordId, UnreadablePayload, reading
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate

COMMENT_MAX_LENGTH = 3000
CONFIDENTIAL = (
    "Your answers are confidential: nobody, the host lead included, sees what you said. "
    "Results are reported only as totals, and comments without names."
)
ALL_OPTIONAL = (
    "Every statement and comment is optional: skip any you can't or would rather not answer."
)


def open_until(closes_on: date) -> str:
    """How long it is open, said the same way to everyone invited."""
    return f"until {format_date(closes_on)}, unless a lead closes it sooner"


class SectionMetadata(Metadata):
    review_id: RecordId
    section: Annotated[int, Field(ge=0, le=1000)] = 0


def _start_button(review_id: int, label: str = "Start self-assessment") -> Block:
    return actions(button(label, ids.CHECKLIST_START, str(review_id), style="primary"))


# -- invitations ---------------------------------------------------------------------------


def build_invitation(
    *,
    review_id: int,
    host_council: str,
    focus: str,
    invited_by: str,
    checklist: Checklist,
    closes_on: date,
    min_respondents: int,
) -> tuple[str, list[Block]]:
    host, what = escape_mrkdwn(host_council), escape_mrkdwn(focus)
    text = (
        f"You're invited to the {host_council} PSIF self-assessment; "
        f"it is open {open_until(closes_on)}."
    )
    return text, [
        header("You're invited to a PSIF self-assessment"),
        section(
            f"{mention(invited_by)} has asked you to take part in the self-assessment for "
            f"*{host}*'s peer collaborative improvement review.\n*Focus:* {what}"
        ),
        section(
            "*Why your view matters*\nThe review starts from how the people closest to the "
            "service see it. Your answers help the team see what works well and where to "
            "improve, and shape what the peer reviewers look at."
        ),
        section(
            "*Confidential*\nNobody, the host lead included, will see your individual answers "
            "or be told whether you have answered. Results are reported only as totals, only "
            f"after the self-assessment closes and only if at least {min_respondents} people "
            "outside the review team have responded (each statement too). Comments are shown "
            "without names."
        ),
        section(
            f"*What it involves*\n{checklist.statement_count} short statements in "
            f"{checklist.section_count} sections: say how far you agree with each, or "
            '"Don\'t know". You can skip any, stop and come back.\n'
            f"*Open* {open_until(closes_on)}; it stays open to that date even once everyone "
            "has answered, and this message will say so if it closes sooner."
        ),
        _start_button(review_id),
        context("You can also type `/psif checklist` here at any time to start or carry on."),
    ]


def build_issued_in_channel(
    *, invited_by: str, invited: Sequence[str], closes_on: date
) -> tuple[str, list[Block]]:
    """The channel note after an invitation: no button, as those invited start from their DM,
    and no names, which would ping them a second time."""
    text = f"Self-assessment issued to {plural(len(invited), 'stakeholder')}."
    return text, [
        section(
            f"📋 {mention(invited_by)} invited {plural(len(invited), 'person', 'people')} to "
            "the PSIF self-assessment; each has a direct message with a button to start. It "
            f"is open {open_until(closes_on)}."
        ),
        context("Answers are confidential and reported only in aggregate."),
    ]


def build_invitation_done(
    *, review_id: int, host_council: str, closes_on: date
) -> tuple[str, list[Block]]:
    text = "✅ Done — review your answers"
    return text, [
        section(
            f"✅ *Done* — thank you for taking part in the *{escape_mrkdwn(host_council)}* "
            f"self-assessment. You can review or change your answers "
            f"{open_until(closes_on)}."
        ),
        actions(button("Review your answers", ids.CHECKLIST_START, str(review_id))),
        context(
            "Your answers are confidential: nobody, the host lead included, sees what you said "
            "or is told that you have finished."
        ),
    ]


def build_invitation_closed(*, host_council: str, status: RoundStatus) -> tuple[str, list[Block]]:
    """The invitation DM once closed: no button, and no promised date."""
    text = f"The {host_council} self-assessment {status.why_closed()}."
    return text, [section(f"🔒 {_closed(host_council, status.why_closed())}")]


def _closed(host_council: str, why_closed: str) -> str:
    return (
        f"The *{escape_mrkdwn(host_council)}* self-assessment {why_closed}, so answers can "
        "no longer be added or changed. Thank you to everyone who took part."
    )


def build_which_self_assessment(choices: Sequence[tuple[int, str]]) -> tuple[str, list[Block]]:
    """A button for each (review id, host council) someone is invited to."""
    text = "You're invited to more than one self-assessment. Which one?"
    buttons = [button(host, ids.CHECKLIST_START, str(review_id)) for review_id, host in choices]
    return text, [section(text), actions(*buttons[:25])]


# -- answering: a modal per section, the review screen, notices ---------------------------


def section_title(section: Section, total: int) -> str:
    """Slack's 24-character title can't hold most section names: they head the modal."""
    return f"Section {section.number} of {total}"


def _radio(chosen: Answer | None) -> Block:
    element: Block = {
        "type": "radio_buttons",
        "action_id": ids.CHECKLIST_ANSWER,
        "options": [option(answer.label, answer.value) for answer in Answer],
    }
    if chosen is not None:
        element["initial_option"] = option(chosen.label, chosen.value)
    return element


def _comment_input(block_id: str, kind: CommentKind, saved: SectionAnswers | None) -> Block:
    initial = getattr(saved, kind.value) if saved else ""
    element = text_input(
        ids.CHECKLIST_COMMENT, max_length=COMMENT_MAX_LENGTH, initial=initial, multiline=True
    )
    return input_block(block_id=block_id, label=kind.question, element=element, optional=True)


def build_section_modal(
    *,
    checklist: Checklist,
    section_number: int,
    review_id: int,
    host_council: str,
    closes_on: date,
    saved: SectionAnswers | None,
) -> Block:
    section_ = checklist.sections[section_number - 1]
    total = checklist.section_count
    answers = saved.answers if saved else {}
    blocks: list[Block] = [
        context(
            f"*{escape_mrkdwn(host_council)}* self-assessment · open "
            f"{open_until(closes_on)}. {CONFIDENTIAL}"
        ),
        header(f"{section_.number}. {section_.title}"),
        section(escape_mrkdwn(section_.summary)),
        context(ALL_OPTIONAL),
    ]
    for sub_area in section_.sub_areas:
        blocks.append(section(f"*{escape_mrkdwn(sub_area.title)}*"))
        # An input per statement: full-width choices read well on phones and screen readers.
        for statement in sub_area.statements:
            blocks.append(
                input_block(
                    block_id=ids.CHECKLIST_STATEMENT + statement.id,
                    label=f"{statement.id}  {statement.text}",
                    element=_radio(answers.get(statement.id)),
                    optional=True,
                )
            )
    blocks += [
        divider(),
        _comment_input(f"{ids.CHECKLIST_STRENGTHS}{section_number}", CommentKind.STRENGTHS, saved),
        _comment_input(
            f"{ids.CHECKLIST_IMPROVEMENTS}{section_number}", CommentKind.IMPROVEMENTS, saved
        ),
    ]
    if section_number > 1:
        blocks.append(
            actions(
                button(
                    f"← Back to section {section_number - 1}",
                    ids.CHECKLIST_GOTO_SECTION,
                    str(section_number - 1),
                ),
                block_id=ids.CHECKLIST_BACK_BLOCK,
            )
        )
    last = section_number == total
    back = " (as does *Back*)" if section_number > 1 else ""
    saving = (
        f"*Save and review* saves this section{back} and shows all your answers."
        if last
        else f"*Next* saves this section{back}."
    )
    blocks.append(
        context(
            saving + " If you close this window, sections you have already saved are kept: "
            "type `/psif checklist` to carry on."
        )
    )
    return modal(
        title=section_title(section_, total),
        blocks=blocks,
        callback_id=ids.CHECKLIST_SECTION_MODAL,
        submit="Save and review" if last else "Next",
        close="Close",
        private_metadata=SectionMetadata(
            review_id=review_id, section=section_number
        ).model_dump_json(),
    )


def parse_section_state(values: dict[str, Any], section_: Section) -> SectionAnswers:
    """The answers and comments in a section modal's state: only this section's statements,
    and UnreadablePayload for anything the modal can't send."""
    statement_ids = {statement.id for statement in section_.statements}
    answers: dict[str, Answer] = {}
    strengths = improvements = ""
    with reading("a self-assessment section"):
        for block_id, elements in values.items():
            for element in elements.values():
                statement_id = block_id.removeprefix(ids.CHECKLIST_STATEMENT)
                if statement_id in statement_ids:
                    chosen = element.get("selected_option")
                    if chosen:
                        answers[statement_id] = Answer(chosen["value"])
                elif block_id == f"{ids.CHECKLIST_STRENGTHS}{section_.number}":
                    strengths = (element.get("value") or "").strip()
                elif block_id == f"{ids.CHECKLIST_IMPROVEMENTS}{section_.number}":
                    improvements = (element.get("value") or "").strip()
    if max(len(strengths), len(improvements)) > COMMENT_MAX_LENGTH:
        raise UnreadablePayload("a comment longer than the modal allows")
    return SectionAnswers(section_.number, answers, strengths, improvements)


def build_summary_modal(
    *, progress: OwnProgress, review_id: int, host_council: str, closes_on: date
) -> Block:
    blocks: list[Block] = [
        section(
            f"Here is where your *{escape_mrkdwn(host_council)}* self-assessment stands. "
            "Leaving a statement blank is fine; it is simply not counted."
        )
    ]
    for section_ in progress.checklist.sections:
        name = f"*{section_.number}. {escape_mrkdwn(section_.title)}*"
        if section_.number not in progress.sections:
            line, label = f"▫️ {name}\nNot answered yet.", "Answer"
        else:
            blanks = progress.unanswered(section_.number)
            answered = section_.statement_count - len(blanks)
            mark = "⚠️" if blanks else "✅"
            line = f"{mark} {name}\n{answered} of {section_.statement_count} answered"
            if blanks:
                line += f"; left blank: {join_words(blanks)}"
            label = "Change"
        blocks.append(
            section(
                line,
                block_id=f"{ids.CHECKLIST_SUMMARY_ROW}{section_.number}",
                accessory=button(label, ids.CHECKLIST_GOTO_SECTION, str(section_.number)),
            )
        )
    blocks.append(
        context(
            f"You can change your answers {open_until(closes_on)}: type "
            f"`/psif checklist` or use the button in my message. {CONFIDENTIAL}"
        )
    )
    return modal(
        title="Check your answers",
        blocks=blocks,
        callback_id=ids.CHECKLIST_SUMMARY_MODAL,
        submit="Finish" if progress.done else None,
        close="Close",
        private_metadata=SectionMetadata(review_id=review_id).model_dump_json(),
    )


def build_notice_modal(title: str, text: str) -> Block:
    return modal(title=title, blocks=[section(text)], callback_id=ids.CHECKLIST_NOTICE, close="OK")


def closed_notice(host_council: str, why_closed: str) -> Block:
    return build_notice_modal("Self-assessment closed", _closed(host_council, why_closed))


def build_thanks(host_council: str, closes_on: date) -> str:
    return (
        f"Thank you: your {host_council} self-assessment is saved. You can change your "
        f"answers {open_until(closes_on)}, by typing `/psif checklist`."
    )


# -- progress: the Home tab, status, reminders --------------------------------------------


def build_self_assessment_home(
    *, review_id: int, status: RoundStatus, sections_saved: int, sections_total: int, finished: bool
) -> HomeSection:
    """The user's own progress in a self-assessment, with a button to carry on."""
    closes_on = status.closes_on
    if not status.is_open:
        line = f"The self-assessment {status.why_closed()}."
        return HomeSection("Self-assessment", (section(line),), review_id=review_id)
    if finished:
        line = (
            f"✅ You've finished – thank you. You can change your answers {open_until(closes_on)}."
        )
        label, style = "Review my answers", None
    else:
        to_go = sections_total - sections_saved
        line = (
            f"📝 {sections_saved} of {sections_total} sections saved; {to_go} to go. "
            f"Open {open_until(closes_on)}."
        )
        label = "Continue self-assessment" if sections_saved else "Start self-assessment"
        style = "primary"
    return HomeSection(
        "Self-assessment",
        (section(line), actions(button(label, ids.CHECKLIST_START, str(review_id), style=style))),
        review_id=review_id,
    )


def _answered_by(answered_by: AnsweredBy | None) -> str:
    line = answered_by.line() if answered_by else ""
    return f" {line}" if line else ""


def build_self_assessment_status(
    status: RoundStatus, answered_by: AnsweredBy | None = None
) -> list[Block]:
    how = _answered_by(answered_by)
    if status.is_open:
        lines = [
            f"*Self-assessment* (open until {format_date(status.closes_on)})",
            status.completion.line() + "." + how,
            "It stays open to its date, as everyone was told; a lead can close it now with "
            "`/psif checklist close` to see the results sooner."
            if status.completion.everyone_finished
            else "Results are shown once it closes. I remind those still to finish myself; "
            "nobody is shown who they are.",
        ]
    else:
        lines = [
            f"*Self-assessment*: it {status.why_closed()}.",
            status.completion.line() + "." + how + " The review team can see the results with "
            "`/psif results`.",
        ]
    return [section("\n".join(lines))]


def build_self_assessment_reminder(
    *,
    review_id: int,
    host_council: str,
    focus: str,
    closes_on: date,
    today: date,
    others_finished: int,
) -> Message:
    closing = when(closes_on, today)
    colleagues = (
        f"{plural(others_finished, 'colleague has', 'colleagues have')} already answered."
        if others_finished
        else "Your answers will help shape the review from the start."
    )
    text = f"Reminder: the {host_council} self-assessment closes {closing}. {colleagues}"
    blocks = [
        section(
            f"⏰ The PSIF self-assessment for *{escape_mrkdwn(host_council)}* "
            f"({escape_mrkdwn(focus)}) closes *{closing}*.\n{colleagues}"
        ),
        _start_button(review_id, "Continue self-assessment"),
        context(
            "It opens where you left off. Your answers are confidential: only totals are "
            "reported. Pause reminders with `/psif snooze 7d`."
        ),
    ]
    return Message(text=text, blocks=blocks)


def build_self_assessment_progress(
    *, host_council: str, closes_on: date, today: date, invited: int, finished: int
) -> Message:
    """The channel summary sent alongside the reminders: totals only, no names."""
    closing = when(closes_on, today)
    text = f"Self-assessment: {finished} of {invited} invited have finished; it closes {closing}."
    blocks = [
        section(
            f"📋 *Self-assessment progress – {escape_mrkdwn(host_council)}*\n"
            f"{finished} of {invited} invited have finished. It closes "
            f"{format_day(closes_on)}."
        ),
        context(
            "Reminders have gone to those still to finish; nobody, leads included, is told "
            "who they are. Results are shown once the self-assessment closes."
        ),
    ]
    return Message(text=text, blocks=blocks)


# -- closing ------------------------------------------------------------------------------


def build_close_confirmation(
    *, review_id: int, host_council: str, status: RoundStatus
) -> tuple[str, list[Block]]:
    text = f"Close the {host_council} self-assessment now?"
    value = str(review_id)
    return text, [
        section(
            f"Close the *{escape_mrkdwn(host_council)}* self-assessment now? "
            f"{status.completion.line()}.\n\nNobody will be able to add or change answers "
            "after this, and each invitation I sent will say it has closed. The review team "
            "can then see the results; once they have been shown, the self-assessment can't "
            "be reopened."
        ),
        actions(
            button("Close it now", ids.CHECKLIST_CLOSE_CONFIRM, value, style="danger"),
            button("Cancel", ids.CHECKLIST_CLOSE_CANCEL, value),
        ),
    ]


def build_closed(
    *, review_id: int, status: RoundStatus, closed_by: str | None = None
) -> tuple[str, list[Block]]:
    """The channel's one note that the self-assessment has closed, with the results button."""
    text = f"The self-assessment is closed: {status.completion.line()}."
    how = (
        f"{mention(closed_by)} closed the self-assessment"
        if closed_by
        else f"The self-assessment {status.why_closed()}"
    )
    return text, [
        section(f"🔒 {how}: {status.completion.line()}."),
        actions(
            button("Post the results", ids.CHECKLIST_POST_RESULTS, str(review_id), style="primary")
        ),
        context(
            "The review team can post the results here (or type `/psif results`). They show "
            "totals only, and once shown the self-assessment can't be reopened."
        ),
    ]


# -- results ------------------------------------------------------------------------------


def describe_tally(tally: Tally, *, pooled: bool = False) -> str:
    """ "12 of 20 agree (60%) · …"; a ``pooled`` tally counts answers, not people."""
    if not tally.answers:
        return "no figures (every statement was withheld)"
    return tally.figures.line(unit="answers" if pooled else "")


def _statement_line(result: StatementResult) -> str:
    return f"*{result.statement.id}* {truncate(escape_mrkdwn(result.statement.text), 160)}"


def build_results(
    *,
    host_council: str,
    analysis: Analysis,
    completion: Completion,
    posted_by: str,
    answered_by: AnsweredBy | None = None,
) -> tuple[str, list[Block]]:
    overall = analysis.overall
    assert overall is not None and not analysis.suppressed  # callers check suppression
    text = f"{host_council} self-assessment results: {completion.line()}."
    by_section = "\n".join(
        f"{result.section.number}. {escape_mrkdwn(result.section.title)}: "
        + (
            "_no figures: every statement was withheld_"
            if result.withheld
            else describe_tally(result.tally, pooled=True)
        )
        for result in analysis.sections
    )
    strengths = [
        f"• {with_agreement(_statement_line(r), r.tally.figures)}" for r in analysis.strengths
    ] or ["_No statement reached the strength threshold._"]
    afis = [
        f"• {_statement_line(c.result)}\n   {describe_tally(c.result.tally)}; flagged for "
        + join_words([reason.value for reason in c.reasons])
        for c in analysis.afi_candidates
    ] or ["_No statement stood out for improvement._"]
    withheld = withheld_summary(analysis)
    head: list[Block] = [
        header(f"Self-assessment results: {host_council}"),
        section(
            f"*{completion.line()}*; "
            f"{plural(analysis.respondents, 'person', 'people')} answered at least one "
            f"statement.{_answered_by(answered_by)}\n"
            f"Overall: {describe_tally(overall, pooled=True)}."
        ),
        section(f"*By section*\n{by_section}"),
    ]
    lists = [
        *_listed("*Strengths* (highest agreement)", strengths),
        *_listed("*Candidate areas for improvement*", afis),
        *(_listed("*Not shown*", withheld) if withheld else []),
    ]
    return text, fit_message(
        head,
        [[block] for block in lists],
        more=lambda _: "There is more than one message holds: `/psif results export` has it all.",
        footer=[
            context(
                f"Posted by {mention(posted_by)}. Individual answers are never shown. "
                f"{minimum_rule(analysis.settings.min_respondents)} Comments are in the thread, "
                "without names; `/afi import` turns candidates into AFIs."
            )
        ],
    )


def _listed(title: str, lines: Sequence[str]) -> list[Block]:
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
    """The anonymous comments by section and question, as few thread replies as Slack's
    limits allow; sorted by text, so their order says nothing of who wrote them."""
    grouped: dict[tuple[int, CommentKind], list[str]] = {}
    for comment in comments:
        grouped.setdefault((comment.section_number, comment.kind), []).append(comment.text)
    blocks: list[Block] = []
    for section_ in checklist.sections:
        lines: list[str] = []
        for kind in CommentKind:
            texts = sorted(grouped.get((section_.number, kind), []))
            if texts:
                lines.append(f"_{kind.question}_")
                flat = [escape_mrkdwn(text).replace("\n", " ") for text in texts]
                lines += [f"• {truncate(text, 1500)}" for text in flat]
        if lines:
            blocks += _listed(f"*{section_.number}. {escape_mrkdwn(section_.title)}*", lines)
    if not blocks:
        return [("No comments were left.", [section("_No comments were left._")])]
    pager = Pager(heading_blocks=0, heading_chars=0)
    for block in blocks:
        pager.add([block])
    return [("Self-assessment comments", page) for page in pager.result()]


def build_afis_imported(
    *, imported_by: str, afis: Sequence[tuple[int, str, str]], earlier: int
) -> tuple[str, list[Block]]:
    """The channel note after `/afi import`; `afis`: (number, statement id, text)."""
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
                "Each is worded as a gap, its figures on a line under it. To change the "
                "wording before the vote, press *Show* beside it in `/afi list`."
            )
        ],
    )
    return text, blocks
