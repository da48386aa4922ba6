"""Pure rules and builders of fieldwork: the session form's checks, and the schedule, the
plan and a person's sessions within Slack's limits."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import FormErrors
from bot.core.fieldwork import (
    AfiLabel,
    FieldworkKind,
    FieldworkMode,
    FieldworkSessionFields,
    FieldworkSessionItem,
)
from bot.fieldwork.service import SessionForm
from bot.fieldwork.views import build_my_sessions, build_plan, build_schedule

from fake_slack import validate_blocks

WINDOW = (date(2027, 3, 3), date(2027, 3, 5))


def form(**overrides: object) -> SessionForm:
    values: dict[str, object] = {
        "kind": "interview",
        "day": date(2027, 3, 4),
        "start": "570",
        "length": "60",
        "afi_ids": (7,),
        "runners": ("UPEER",),
        "participants": "Depot supervisors",
        "participant_count": "4",
        "mode": "remote",
    }
    values.update(overrides)
    return SessionForm(**values)  # type: ignore[arg-type]


def item(number: int, day: date, **overrides: object) -> FieldworkSessionItem:
    values: dict[str, object] = {
        "id": number,
        "number": number,
        "kind": FieldworkKind.FOCUS_GROUP,
        "day": day,
        "start_minute": 540 + 15 * (number % 30),
        "minutes": 60,
        "participants": "Frontline staff from the depots <!channel> " * 3,
        "participant_count": 8,
        "mode": FieldworkMode.IN_PERSON,
        "afis": (AfiLabel(7, 2, "Complaints are not analysed"),),
        "runners": ("UPEER", "UIS"),
    }
    values.update(overrides)
    return FieldworkSessionItem(**values)  # type: ignore[arg-type]


def test_a_valid_session_form_gives_the_fields_to_store() -> None:
    checked = form().checked(fieldwork=WINDOW, team=frozenset({"UPEER"}), afi_ids=frozenset({7}))
    assert checked == FieldworkSessionFields(
        FieldworkKind.INTERVIEW,
        date(2027, 3, 4),
        570,
        60,
        (7,),
        ("UPEER",),
        "Depot supervisors",
        4,
        FieldworkMode.REMOTE,
    )


def test_every_problem_with_a_session_form_is_reported_on_its_field() -> None:
    with pytest.raises(FormErrors) as raised:
        form(
            kind=None,
            day=date(2027, 3, 6),
            start="571",
            length="7",
            afi_ids=(9,),
            runners=("UX",),
            participants="<@U1|amy>",
            participant_count="0",
            mode="x",
        ).checked(fieldwork=WINDOW, team=frozenset({"UPEER"}), afi_ids=frozenset({7}))
    errors = raised.value.errors
    assert set(errors) == {
        "fw_kind",
        "fw_day",
        "fw_start",
        "fw_length",
        "fw_afis",
        "fw_runners",
        "fw_participants",
        "fw_count",
        "fw_mode",
    }
    assert "6 March 2027 is outside fieldwork (3 to 5 March 2027)" in errors["fw_day"]


def test_a_schedule_of_many_sessions_stays_one_message_slack_accepts() -> None:
    items = [item(n, date(2027, 3, 3 + n % 3)) for n in range(1, 81)]
    text, blocks = build_schedule(items, host_council="Fife", focus="Roads", window=WINDOW)
    assert validate_blocks(blocks, "message") == []
    assert "more sessions" in str(blocks[-2]) and "&lt;!channel&gt;" in str(blocks)
    assert "80 sessions planned" in text


def test_the_plan_and_a_persons_sessions_name_each_day_once() -> None:
    thursday, friday = date(2027, 3, 4), date(2027, 3, 5)
    items = [item(1, thursday), item(2, thursday), item(3, friday)]
    _, plan = build_plan(items, review_id=1, window=WINDOW, can_plan=True)
    _, mine = build_my_sessions(items, host_council="Fife", channel_id="C1", change="Planned.")
    for blocks in (plan, mine):
        shown = str(blocks)
        assert shown.count("Thursday 4 March 2027") == 1
        assert shown.count("Friday 5 March 2027") == 1
        assert validate_blocks(blocks, "message") == []


def test_a_session_dm_gives_an_imported_areas_figures_in_a_line_under_its_wording() -> None:
    figures = "Self-assessment, statement 6.01: 0 of 4 agree (0%) · 3 disagree (75%)"
    imported = AfiLabel(8, 3, "The service doesn't measure customer satisfaction", figures)
    written = AfiLabel(7, 2, "Complaints are not analysed")
    session = item(1, date(2027, 3, 4), afis=(imported, written))
    _, blocks = build_my_sessions([session], host_council="Fife", channel_id="C1", change="Hi.")
    text = "\n".join(str(block.get("text", {}).get("text", "")) for block in blocks)
    lines = text.splitlines()
    wording = lines.index("   ↳ AFI 3: The service doesn't measure customer satisfaction")
    assert lines[wording + 1] == f"      _{figures}_"
    assert lines[lines.index("   ↳ AFI 2: Complaints are not analysed") + 1] != f"      _{figures}_"
    # The figures never change which area a session probes.
    assert imported == AfiLabel(8, 3, "The service doesn't measure customer satisfaction")
