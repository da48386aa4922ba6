"""Progress updates in the builders: parsing `/action progress`, and the card, history, plan
and progress form within Slack's limits at their longest."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.actions import ActionItem, ActionStatus, ProgressUpdate, RagStatus
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.improvement_actions._rules import DETAIL_MAX, KEY_ACTION_MAX, NOTE_MAX, group_by_afi
from bot.improvement_actions.service import ProgressWords, parse_progress_words
from bot.improvement_actions.views import (
    ActionMetadata,
    LatestNotes,
    build_action_card,
    build_history_modal,
    build_plan_messages,
    build_progress_modal,
)

LONDON = ZoneInfo("Europe/London")
AT = datetime(2026, 12, 2, 9, tzinfo=UTC)
LONGEST = ActionItem(
    id=1,
    review_id=1,
    number=1,
    key_action="<!channel> " * (KEY_ACTION_MAX // 11),
    owner_id="U1",
    due=date(2027, 1, 15),
    status=ActionStatus.IN_PROGRESS,
    risks="&" * DETAIL_MAX,
    measure="*" * DETAIL_MAX,
    outcome="_" * DETAIL_MAX,
    created_by="U9",
    created_at=AT,
    rag=RagStatus.AMBER,
)
LONGEST_NOTE = ProgressUpdate("U2", AT, "<@U7> & " * (NOTE_MAX // 8), RagStatus.RED)


def test_progress_words_take_the_number_an_optional_rag_status_and_the_note() -> None:
    assert parse_progress_words("3 Amber quote late") == ProgressWords(
        3, RagStatus.AMBER, "quote late"
    )
    assert parse_progress_words("#4 green") == ProgressWords(4, RagStatus.GREEN, "")
    assert parse_progress_words("5 redraft the brief") == ProgressWords(
        5, None, "redraft the brief"
    )
    assert parse_progress_words("5") == ProgressWords(5, None, "")
    assert parse_progress_words("amber 3") is None
    assert parse_progress_words("") is None


def test_card_with_the_longest_texts_and_note_stays_within_slack_limits() -> None:
    text, blocks = build_action_card(LONGEST, zone=LONDON, latest_note=LONGEST_NOTE)
    assert validate_blocks(blocks, "message") == []
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U7>" not in shown  # escaped, never a ping
    assert "🟠 Amber" in shown and "2 December 2026" in shown
    assert text.endswith("in progress, amber")


def test_history_with_many_long_notes_stays_within_modal_limits() -> None:
    notes = [replace(LONGEST_NOTE, at=AT.replace(day=day)) for day in range(1, 29)]
    view = build_history_modal(LONGEST, [], zone=LONDON, progress=notes)
    assert validate_view(view, "modal") == []


def test_progress_form_shows_the_current_rag_status() -> None:
    view = build_progress_modal(item=LONGEST, metadata=ActionMetadata(review_id=1, action_id=1))
    assert validate_view(view, "modal") == []
    rag = next(block for block in view["blocks"] if block.get("block_id") == "action_progress_rag")
    assert rag["element"]["initial_option"]["value"] == "amber"
    assert [option["value"] for option in rag["element"]["options"]] == ["green", "amber", "red"]


def test_plan_with_the_longest_rows_and_notes_fits_each_message() -> None:
    items = [replace(LONGEST, id=n, number=n) for n in range(1, 31)]
    review = ReviewSnapshot(
        id=1,
        channel_id="C1",
        host_council="Fife",
        focus="Roads",
        rationale="",
        stage=Stage.FIELDWORK_PLANNING,
        timeline=Timeline(),
        members=(("U1", Role.HOST_LEAD),),
    )
    messages = build_plan_messages(
        review,
        group_by_afi(items),
        today=date(2026, 12, 2),
        posted_by="U1",
        notes=LatestNotes({n: LONGEST_NOTE for n in range(1, 31)}, zone=LONDON),
    )
    assert messages
    for _, blocks in messages:
        assert validate_blocks(blocks, "message") == []
        assert len(json.dumps(blocks, ensure_ascii=False)) < 12_000
