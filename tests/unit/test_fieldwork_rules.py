"""Pure rules and builders of fieldwork, findings, papers and the report."""

from __future__ import annotations

from datetime import date

from bot.core.fieldwork import AfiLabel, SessionFields, SessionItem, SessionKind, SessionMode
from bot.core.report import FieldworkFacts
from bot.core.stages import Stage
from bot.fieldwork.rules import SessionForm, validate_session
from bot.fieldwork.views import build_my_sessions, build_plan, build_schedule
from bot.findings.rules import finding_text_problem, mentions_a_person, parse_note
from bot.papers.rules import split_link
from bot.report.markdown import render_markdown
from bot.report.outline import Bullets, Heading, Table
from bot.report.rules import fieldwork_gaps

from fake_slack import validate_blocks

WINDOW = (date(2027, 3, 3), date(2027, 3, 5))


def form(**overrides: object) -> SessionForm:
    values: dict[str, object] = {
        "kind": "interview",
        "day": date(2027, 3, 4),
        "start": "570",
        "length": "60",
        "afi_ids": [7],
        "runners": ["UPEER"],
        "participants": "Depot supervisors",
        "participant_count": "4",
        "mode": "remote",
    }
    values.update(overrides)
    return SessionForm(**values)  # type: ignore[arg-type]


def item(number: int, day: date, **overrides: object) -> SessionItem:
    values: dict[str, object] = {
        "id": number,
        "number": number,
        "kind": SessionKind.FOCUS_GROUP,
        "day": day,
        "start_minute": 540 + 15 * (number % 30),
        "minutes": 60,
        "participants": "Frontline staff from the depots <!channel> " * 3,
        "participant_count": 8,
        "mode": SessionMode.IN_PERSON,
        "afis": (AfiLabel(7, 2, "Complaints are not analysed"),),
        "runners": ("UPEER", "UIS"),
    }
    values.update(overrides)
    return SessionItem(**values)  # type: ignore[arg-type]


def test_a_valid_session_form_gives_the_fields_to_store() -> None:
    checked = validate_session(
        form(), fieldwork=WINDOW, team=frozenset({"UPEER"}), afi_ids=frozenset({7})
    )
    assert checked == SessionFields(
        SessionKind.INTERVIEW,
        date(2027, 3, 4),
        570,
        60,
        (7,),
        ("UPEER",),
        "Depot supervisors",
        4,
        SessionMode.REMOTE,
    )


def test_every_problem_with_a_session_form_is_reported_on_its_field() -> None:
    errors = validate_session(
        form(
            kind=None,
            day=date(2027, 3, 6),
            start="571",
            length="7",
            afi_ids=[9],
            runners=["UX"],
            participants="<@U1|amy>",
            participant_count="0",
            mode="x",
        ),
        fieldwork=WINDOW,
        team=frozenset({"UPEER"}),
        afi_ids=frozenset({7}),
    )
    assert isinstance(errors, dict)
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
    assert "6 March 2027 is outside fieldwork (3 March 2027 to 5 March 2027)" in errors["fw_day"]


def test_mentions_of_people_are_found_but_emails_and_plain_text_are_not() -> None:
    assert mentions_a_person("as <@U12AB> said")
    assert mentions_a_person("as <@W12AB|jane> said")
    assert mentions_a_person("@jane thinks so")
    assert mentions_a_person("ask <!subteam^S123|roads-team>")
    assert not mentions_a_person("write to roads@fife.example about it")
    assert not mentions_a_person("a depot supervisor said budgets are late")
    assert finding_text_problem("  ") is not None
    assert finding_text_problem("x" * 1501) is not None


def test_afi_note_needs_a_number_first() -> None:
    assert parse_note("3 Budgets are late") == (3, "Budgets are late")
    assert parse_note("#12") == (12, "")
    assert isinstance(parse_note("Budgets are late"), str)


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


def test_links_are_split_from_their_titles() -> None:
    assert split_link("Roads KPIs <https://x.example/kpi|x.example>") == (
        "Roads KPIs",
        "https://x.example/kpi",
    )
    assert split_link("Plan https://x.example/plan 2026") == ("Plan 2026", "https://x.example/plan")
    assert isinstance(split_link("No link here"), str)
    assert isinstance(split_link("Odd https://x.example/a|b"), str)


def test_stage_checks_name_missing_sessions_findings_and_reports() -> None:
    nothing = FieldworkFacts(0, (2, 5), 0, False)
    assert (
        "No interviews or focus groups are planned"
        in fieldwork_gaps(Stage.FIELDWORK_CONTEXT, nothing)[0]
    )
    assert fieldwork_gaps(Stage.FIELDWORK_INTERVIEWS, nothing)[1] == (
        "No findings recorded yet for prioritised AFI 2 and AFI 5 (`/afi note`)."
    )
    assert "No draft report yet" in fieldwork_gaps(Stage.REPORTING, nothing)[0]
    assert "marked final" in fieldwork_gaps(Stage.SHARING, nothing)[0]
    assert fieldwork_gaps(Stage.SHARING, FieldworkFacts(3, (), 2, True)) == []


def test_markdown_defuses_what_users_typed() -> None:
    rendered = render_markdown(
        [
            Heading("# Roads | *all*", 1),
            Bullets(("[click](http://x)",)),
            Table(("A|B",), (("x\ny",),)),
        ]
    )
    assert rendered.startswith("# \\# Roads \\| \\*all\\*")
    assert "- \\[click\\](http://x)" in rendered
    assert "| A\\|B |" in rendered and "| x y |" in rendered
