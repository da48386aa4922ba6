"""The self-assessment modals: one per section, the final review screen, and notices."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from bot.core.calendar import format_date
from bot.core.checklist import Answer, Checklist, CommentKind, Section
from bot.core.responses import SectionAnswers
from bot.self_assessment.rules import OwnProgress
from bot.slack import ids
from bot.slack.blocks import (
    VIEW_TITLE_LIMIT,
    Block,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    modal,
    option,
    section,
)
from bot.slack.payloads import Metadata, RecordId, UnreadablePayload, reading
from bot.slack.text import escape_mrkdwn, join_words

COMMENT_MAX_LENGTH = 3000

CONFIDENTIAL = (
    "Your answers are confidential: nobody, the host lead included, sees what you said. "
    "Results are reported only as totals, and comments without names."
)


ALL_OPTIONAL = (
    "Every statement and comment is optional: skip any you can't or would rather not answer."
)


class SectionMetadata(Metadata):
    """What a section or summary modal carries in private_metadata."""

    review_id: RecordId
    section: Annotated[int, Field(ge=0, le=1000)] = 0


def section_title(section: Section, total: int) -> str:
    """'Staff · 2 of 6': one pattern for every section; a name too long for Slack's
    24-character title is shortened at a word (the full name is the modal's header)."""
    suffix = f" · {section.number} of {total}"
    room = VIEW_TITLE_LIMIT - len(suffix)
    if len(section.title) <= room:
        return section.title + suffix
    kept: list[str] = []
    for word in section.title.split():
        if len(" ".join([*kept, word])) > room - 1:
            break
        kept.append(word)
    while kept and kept[-1].lower() in ("and", "&", "of"):
        kept.pop()
    name = " ".join(kept) if kept else section.title[: room - 1]
    return name + "…" + suffix


def _answer_options() -> list[Block]:
    return [option(answer.label, answer.value) for answer in Answer]


def _radio(chosen: Answer | None) -> Block:
    element: Block = {
        "type": "radio_buttons",
        "action_id": ids.CHECKLIST_ANSWER,
        "options": _answer_options(),
    }
    if chosen is not None:
        element["initial_option"] = option(chosen.label, chosen.value)
    return element


def _comment_input(block_id: str, label: str, initial: str) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": ids.CHECKLIST_COMMENT,
        "multiline": True,
        "max_length": COMMENT_MAX_LENGTH,
    }
    if initial:
        element["initial_value"] = initial
    return input_block(block_id=block_id, label=label, element=element, optional=True)


def build_section_modal(
    *,
    checklist: Checklist,
    section_number: int,
    review_id: int,
    host_council: str,
    closes_on: date,
    saved: SectionAnswers | None,
) -> Block:
    """One section: a radio question per statement, then the two comment boxes."""
    section_ = checklist.sections[section_number - 1]
    total = checklist.section_count
    answers = saved.answers if saved else {}
    blocks: list[Block] = [
        context(
            f"*{escape_mrkdwn(host_council)}* self-assessment · open until "
            f"{format_date(closes_on)}. {CONFIDENTIAL}"
        ),
        header(f"{section_.number}. {section_.title}"),
        section(escape_mrkdwn(section_.summary)),
        context(ALL_OPTIONAL),
    ]
    for sub_area in section_.sub_areas:
        blocks.append(section(f"*{escape_mrkdwn(sub_area.title)}*"))
        # A section with the choice beside it rather than an input block, which Slack would
        # mark "(optional)" sixty times over: that every statement is optional is said once.
        # Slack reports a section's choice in view.state.values like an input's (since its
        # changelog of September 2020), so saving reads both the same way.
        for statement in sub_area.statements:
            blocks.append(
                section(
                    f"*{statement.id}*  {escape_mrkdwn(statement.text)}",
                    block_id=ids.CHECKLIST_STATEMENT + statement.id,
                    accessory=_radio(answers.get(statement.id)),
                )
            )
    blocks += [
        divider(),
        _comment_input(
            f"{ids.CHECKLIST_STRENGTHS}{section_number}",
            CommentKind.STRENGTHS.question,
            saved.strengths if saved else "",
        ),
        _comment_input(
            f"{ids.CHECKLIST_IMPROVEMENTS}{section_number}",
            CommentKind.IMPROVEMENTS.question,
            saved.improvements if saved else "",
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
    blocks.append(
        context(
            _saving_hint(section_number, last)
            + " If you close this window, sections you have already saved are kept: type "
            "`/psif checklist` to carry on."
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


def _saving_hint(section_number: int, last: bool) -> str:
    back = " (as does *Back*)" if section_number > 1 else ""
    if last:
        return f"*Save and review* saves this section{back} and shows all your answers."
    return f"*Next* saves this section{back}."


def parse_section_state(values: dict[str, Any], section_: Section) -> SectionAnswers:
    """The answers and comments in a section modal's `view.state.values`.

    Only this section's statements are read, so a stale or forged payload cannot store
    answers the analysis would not recognise; UnreadablePayload for anything the modal
    can't send (an answer it doesn't offer, a comment over its length).
    """
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
    """The final review screen: each section's state, blanks listed, a way back to each."""
    checklist = progress.checklist
    blocks: list[Block] = [
        section(
            f"Here is where your *{escape_mrkdwn(host_council)}* self-assessment stands. "
            "Leaving a statement blank is fine; it is simply not counted."
        )
    ]
    for section_ in checklist.sections:
        saved = progress.sections.get(section_.number)
        name = f"*{section_.number}. {escape_mrkdwn(section_.title)}*"
        if saved is None:
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
            f"You can change your answers until {format_date(closes_on)}: type "
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
    """A modal with a message and only a close button, for when there is nothing to answer."""
    return modal(title=title, blocks=[section(text)], callback_id=ids.CHECKLIST_NOTICE, close="OK")


def closed_notice(host_council: str, why_closed: str) -> Block:
    """`why_closed`: 'closed on 9 December 2026', 'was closed early by a lead', …"""
    return build_notice_modal(
        "Self-assessment closed",
        f"The *{escape_mrkdwn(host_council)}* self-assessment {why_closed}, so answers can "
        "no longer be added or changed. Thank you to everyone who took part.",
    )
