"""Self-assessment rules and builders, without Slack or a database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.core.checklist import Answer, CommentKind
from bot.core.checklist_loader import (
    ChecklistError,
    installed_checklists,
    load_default_checklist,
)
from bot.core.responses import (
    Comment,
    Completion,
    OwnProgress,
    RespondentAnswers,
    RoundStatus,
    SectionAnswers,
    is_closed,
    respondent_key,
)
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.self_assessment._analysis import AnalysisSettings, analyse
from bot.self_assessment.service import default_closing_date, mentioned_users
from bot.self_assessment.views import (
    build_comment_messages,
    build_invitation,
    build_results,
    build_section_modal,
    build_self_assessment_status,
    build_summary_modal,
    parse_section_state,
    section_title,
)
from bot.slack import ids

CHECKLIST = load_default_checklist()


def test_closing_date_is_two_weeks_after_issue() -> None:
    assert default_closing_date(date(2026, 11, 25), None, 14) == date(2026, 12, 9)


def test_closing_date_is_no_later_than_the_pre_meeting() -> None:
    assert default_closing_date(date(2026, 11, 25), date(2026, 12, 4), 14) == date(2026, 12, 4)


def test_a_pre_meeting_already_past_does_not_close_it_early() -> None:
    assert default_closing_date(date(2026, 11, 25), date(2026, 11, 1), 14) == date(2026, 12, 9)


def test_answers_are_accepted_on_the_closing_date_itself() -> None:
    assert not is_closed(date(2026, 12, 9), date(2026, 12, 9))
    assert is_closed(date(2026, 12, 9), date(2026, 12, 10))


def test_respondent_keys_are_stable_per_review_and_differ_between_reviews() -> None:
    key = respondent_key(b"secret", "salt-1", "UA")
    assert key == respondent_key(b"secret", "salt-1", "UA")
    assert key != respondent_key(b"secret", "salt-2", "UA")
    assert key != respondent_key(b"other", "salt-1", "UA")
    assert "UA" not in key and len(key) == 64


def test_mentions_are_read_from_slacks_escaped_command_text() -> None:
    text = "<@U111|alice> <@W222> and <@U111|alice> plus @bob"
    assert mentioned_users(text) == ["U111", "W222"]


def test_progress_resumes_at_the_first_unsaved_section_and_lists_blanks() -> None:
    saved = {
        1: SectionAnswers(1, {"1.01": Answer.AGREE}),
        2: SectionAnswers(2, {s.id: Answer.AGREE for s in CHECKLIST.sections[1].statements}),
    }
    progress = OwnProgress(CHECKLIST, saved)
    assert progress.first_incomplete() == 3
    assert not progress.done
    assert progress.unanswered(1) == [s.id for s in CHECKLIST.sections[0].statements][1:]
    assert progress.unanswered(2) == []


def test_every_section_title_fits_slacks_24_characters_and_its_name_is_whole() -> None:
    for section in CHECKLIST.sections:
        title = section_title(section, CHECKLIST.section_count)
        assert len(title) <= 24
        assert title == f"Section {section.number} of 6"  # one pattern, nothing cut
        view = build_section_modal(
            checklist=CHECKLIST,
            section_number=section.number,
            review_id=7,
            host_council="Fife",
            closes_on=date(2027, 3, 1),
            saved=None,
        )
        headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
        assert headers == [f"{section.number}. {section.title}"]
        assert "…" not in json.dumps(view, ensure_ascii=False)


def test_each_statement_is_an_input_with_its_choices_under_it() -> None:
    for section in CHECKLIST.sections:
        view = build_section_modal(
            checklist=CHECKLIST,
            section_number=section.number,
            review_id=7,
            host_council="Fife",
            closes_on=date(2027, 3, 1),
            saved=None,
        )
        assert validate_view(view, "modal") == []
        assert len(view["blocks"]) <= 100
        statements = [b for b in view["blocks"] if b.get("block_id", "").startswith("stmt_")]
        assert [b["block_id"] for b in statements] == [
            f"stmt_{statement.id}" for statement in section.statements
        ]
        for block, statement in zip(statements, section.statements, strict=True):
            assert block["type"] == "input" and "accessory" not in block
            assert block["label"]["text"] == f"{statement.id}  {statement.text}"
            assert block["element"]["type"] == "radio_buttons"
            assert block["optional"] is True  # every statement may be left blank


def test_section_modal_prefills_saved_answers_and_comments() -> None:
    saved = SectionAnswers(2, {"2.03": Answer.DONT_KNOW}, "Team spirit", "Rotas")
    view = build_section_modal(
        checklist=CHECKLIST,
        section_number=2,
        review_id=7,
        host_council="Fife",
        closes_on=date(2027, 3, 1),
        saved=saved,
    )
    assert validate_view(view, "modal") == []
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id["stmt_2.03"]["element"]["initial_option"]["value"] == "dont_know"
    assert "initial_option" not in by_id["stmt_2.01"]["element"]
    assert by_id["strengths_2"]["element"]["initial_value"] == "Team spirit"
    assert ids.CHECKLIST_BACK_BLOCK in by_id
    assert view["submit"]["text"] == "Next"


def test_first_section_has_no_back_button_and_last_section_leads_to_review() -> None:
    first, last = (
        build_section_modal(
            checklist=CHECKLIST,
            section_number=number,
            review_id=1,
            host_council="Fife",
            closes_on=date(2027, 3, 1),
            saved=None,
        )
        for number in (1, 6)
    )
    assert ids.CHECKLIST_BACK_BLOCK not in {b.get("block_id") for b in first["blocks"]}
    assert last["submit"]["text"] == "Save and review"


def test_parsing_a_section_ignores_statements_from_other_sections() -> None:
    values = {
        "stmt_2.01": {ids.CHECKLIST_ANSWER: {"selected_option": {"value": "agree"}}},
        "stmt_3.01": {ids.CHECKLIST_ANSWER: {"selected_option": {"value": "agree"}}},
        "stmt_2.02": {ids.CHECKLIST_ANSWER: {"selected_option": None}},
        "strengths_2": {ids.CHECKLIST_COMMENT: {"value": "  Good  "}},
        "improvements_2": {ids.CHECKLIST_COMMENT: {"value": None}},
    }
    parsed = parse_section_state(values, CHECKLIST.sections[1])
    assert parsed.answers == {"2.01": Answer.AGREE}
    assert (parsed.strengths, parsed.improvements) == ("Good", "")


def test_summary_offers_finish_only_when_every_section_is_saved() -> None:
    partial = OwnProgress(CHECKLIST, {1: SectionAnswers(1, {})})
    view = build_summary_modal(
        progress=partial, review_id=1, host_council="Fife", closes_on=date(2027, 3, 1)
    )
    assert validate_view(view, "modal") == []
    assert "submit" not in view
    everything = OwnProgress(
        CHECKLIST, {s.number: SectionAnswers(s.number, {}) for s in CHECKLIST.sections}
    )
    view = build_summary_modal(
        progress=everything, review_id=1, host_council="Fife", closes_on=date(2027, 3, 1)
    )
    assert view["submit"]["text"] == "Finish"


def test_invitation_and_status_fit_slacks_limits() -> None:
    _, blocks = build_invitation(
        review_id=1,
        host_council="Fife",
        focus="x" * 3000,
        invited_by="UHOST",
        checklist=CHECKLIST,
        closes_on=date(2027, 3, 1),
        min_respondents=3,
    )
    assert validate_blocks(blocks, "message") == []
    status = build_self_assessment_status(
        RoundStatus(closes_on=date(2027, 3, 1), today=date(2027, 3, 2), completion=Completion(2, 1))
    )
    assert "closed on 1 March 2027" in status[0]["text"]["text"]
    assert "1 of 2 invited have finished" in status[0]["text"]["text"]
    assert validate_blocks(status, "message") == []


def test_results_message_fits_slacks_limits_with_long_statements() -> None:
    responses = [
        RespondentAnswers({s.id: answer for s in CHECKLIST.statements})
        for answer in (
            Answer.AGREE,
            Answer.DISAGREE,
            Answer.DONT_KNOW,
            Answer.STRONGLY_AGREE,
            Answer.STRONGLY_DISAGREE,
            Answer.AGREE,
        )
    ]
    analysis = analyse(CHECKLIST, responses)
    _, blocks = build_results(
        host_council="Fife", analysis=analysis, completion=Completion(7, 6), posted_by="UHOST"
    )
    assert validate_blocks(blocks, "message") == []


def test_results_with_every_statement_withheld_say_so_and_fit_slacks_limits() -> None:
    # Five people outside the team answered, all "don't know": too few took a side everywhere.
    every_id = [statement.id for statement in CHECKLIST.statements]
    responses = [RespondentAnswers(dict.fromkeys(every_id, Answer.DONT_KNOW))] * 5
    analysis = analyse(CHECKLIST, responses)

    _, blocks = build_results(
        host_council="Fife", analysis=analysis, completion=Completion(5, 5), posted_by="UHOST"
    )

    assert validate_blocks(blocks, "message") == []
    text = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "% agree" not in text and "don't know" not in text
    assert "Too few took a side (fewer than 5 people outside the review team agreed or " in text
    assert all(statement_id in text for statement_id in every_id)


def test_results_message_fits_slacks_limits_with_the_most_strengths_and_afis_allowed() -> None:
    longest_first = sorted(CHECKLIST.statements, key=lambda s: -len(s.text))
    agreed = {s.id for s in longest_first[::2]}
    # Every other statement agreed by all; the rest disagreed with or not known about.
    responses = [
        RespondentAnswers(
            {s.id: Answer.AGREE if s.id in agreed else answer for s in CHECKLIST.statements}
        )
        for answer in (Answer.DISAGREE, Answer.STRONGLY_DISAGREE, Answer.DONT_KNOW)
    ]
    settings = AnalysisSettings(min_respondents=2, strengths_count=20, afi_count=20)
    analysis = analyse(CHECKLIST, responses, settings)
    assert len(analysis.strengths) == len(analysis.afi_candidates) == 20

    _, blocks = build_results(
        host_council="Fife", analysis=analysis, completion=Completion(5, 3), posted_by="UHOST"
    )

    assert validate_blocks(blocks, "message") == []
    text = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert text.count("• ") == 40


def test_many_long_comments_are_split_into_valid_messages() -> None:
    comments = [
        Comment(section, kind, f"{n} " + "word " * 300)
        for section in range(1, 7)
        for kind in CommentKind
        for n in range(30)
    ]
    messages = build_comment_messages(CHECKLIST, comments)
    assert len(messages) > 1
    for _, blocks in messages:
        assert validate_blocks(blocks, "message") == []
    text = "".join(b["text"]["text"] for _, blocks in messages for b in blocks)
    assert text.count("• ") == len(comments)


def test_a_broken_checklist_file_fails_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "ours.yaml"
    broken.write_text("id: ours\nname: Ours\nversion: '1'\ndescription: x\nsections: []\n")
    with pytest.raises(ChecklistError, match=r"ours\.yaml, line 5"):
        installed_checklists([broken])


def test_a_host_checklist_cannot_reuse_the_bundled_id(tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    source = Path("bot/data/checklists/psif-default.yaml").read_text(encoding="utf-8")
    clash.write_text(source, encoding="utf-8")
    with pytest.raises(ChecklistError, match="bundled"):
        installed_checklists([clash])
