"""Action rules and builders, without Slack or a database."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.actions import ActionItem, ActionStatus, AfiRef, OwnedActions, overdue_first
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.home.views import HomePicture, build_home
from bot.improvement_actions._export import plan_csv, plan_rows
from bot.improvement_actions._rules import (
    ListFilter,
    can_move,
    group_by_afi,
    may_manage,
    select_actions,
)
from bot.improvement_actions.service import ActionForm, parse_list_filter, validate_action_form
from bot.improvement_actions.views import (
    ActionMetadata,
    build_action_card,
    build_action_list,
    build_action_modal,
    build_plan_messages,
)
from bot.slack import ids
from bot.slack.blocks import HomeSection, section
from bot.slack.pages import Pager, block_size

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 25)
PRIORITY_2 = AfiRef(10, 2, "Complaints", prioritised=True, rank=2)
PRIORITY_1 = AfiRef(11, 5, "Budgets", prioritised=True, rank=1)
OTHER = AfiRef(12, 1, "Assets")


def item(number: int, **changes: object) -> ActionItem:
    base = ActionItem(
        id=number,
        review_id=1,
        number=number,
        key_action=f"Action {number}",
        owner_id="U1",
        due=date(2027, 1, number % 28 + 1),
        status=ActionStatus.OPEN,
        created_by="U9",
        created_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


REVIEW = ReviewSnapshot(
    id=1,
    channel_id="C1",
    host_council="Fife",
    focus="Roads",
    rationale="",
    stage=Stage.FIELDWORK_PLANNING,
    timeline=Timeline(),
    members=(("U1", Role.HOST_LEAD),),
)


def test_groups_run_prioritised_by_rank_then_others_then_unlinked() -> None:
    groups = group_by_afi(
        [
            item(4),
            item(3, afi=OTHER),
            item(2, afi=PRIORITY_2),
            item(1, afi=PRIORITY_1),
            item(5, afi=PRIORITY_1),
        ]
    )
    assert [group.afi for group in groups] == [PRIORITY_1, PRIORITY_2, OTHER, None]
    assert [a.number for a in groups[0].actions] == [1, 5]


def test_status_moves_and_who_may_make_them() -> None:
    assert can_move(ActionStatus.OPEN, ActionStatus.DONE)
    assert can_move(ActionStatus.DONE, ActionStatus.OPEN)
    assert not can_move(ActionStatus.DONE, ActionStatus.DROPPED)
    assert may_manage("U1", owner_id="U1", roles=[])
    assert may_manage("U2", owner_id="U1", roles=[Role.HOST_LEAD])
    assert may_manage("U2", owner_id="U1", roles=[Role.IS_TEAM])
    assert not may_manage("U2", owner_id="U1", roles=[Role.HOST_TEAM, Role.PEER_REVIEWER])


def test_list_filters() -> None:
    actions = [
        item(1, due=date(2026, 11, 1)),
        item(2, owner_id="U2"),
        item(3, status=ActionStatus.DONE, due=date(2026, 11, 1)),
    ]
    assert parse_list_filter("") is ListFilter.OPEN
    assert parse_list_filter(" Mine ") is ListFilter.MINE
    assert parse_list_filter("everything") is None
    pick = {
        which: [a.number for a in select_actions(actions, which, user_id="U2", today=TODAY)]
        for which in ListFilter
    }
    assert pick == {
        ListFilter.OPEN: [1, 2],
        ListFilter.MINE: [2],
        ListFilter.OVERDUE: [1],
        ListFilter.ALL: [1, 2, 3],
    }
    assert [a.number for a in overdue_first(actions, today=TODAY)] == [1, 2, 3]


def test_form_validation() -> None:
    good = ActionForm(afi="none", key_action="Do", owner="U1", due=TODAY)
    assert validate_action_form(good, today=TODAY) == {}
    past = good.model_copy(update={"due": date(2026, 11, 1)})
    assert ids.ACTION_DUE in validate_action_form(past, today=TODAY)
    assert validate_action_form(past, today=TODAY, current_due=date(2026, 11, 1)) == {}
    empty = ActionForm()
    assert set(validate_action_form(empty, today=TODAY)) == {
        ids.ACTION_AFI,
        ids.ACTION_KEY,
        ids.ACTION_OWNER,
        ids.ACTION_DUE,
    }


def test_modal_keeps_to_100_afi_options_and_is_valid() -> None:
    many = [AfiRef(i, i, "An area " * 20) for i in range(1, 151)]
    view = build_action_modal(
        metadata=ActionMetadata(review_id=1),
        prioritised=many[:3],
        others=many[3:],
        key_action="x" * 5000,
    )
    assert validate_view(view, "modal") == []
    select = view["blocks"][0]["element"]
    assert sum(len(group["options"]) for group in select["option_groups"]) == 100
    assert select["option_groups"][-1]["options"][0]["value"] == "none"


def test_card_is_valid_with_the_longest_texts_and_escapes_them() -> None:
    long = "<!channel> " + "x" * 3000
    text, blocks = build_action_card(
        item(1, key_action=long, risks=long, measure=long, outcome=long, afi=PRIORITY_1),
        zone=LONDON,
    )
    assert validate_blocks(blocks, "message") == []
    assert "<!channel>" not in json.dumps(blocks) and "<!channel>" not in text
    dropped = item(2, status=ActionStatus.DROPPED, drop_reason="No budget")
    _, blocks = build_action_card(dropped, zone=LONDON)
    assert "No budget" in str(blocks) and ids.ACTION_DONE not in str(blocks)


def test_pager_never_splits_a_unit_and_keeps_within_limits() -> None:
    pager = Pager(max_blocks=10, max_chars=3000, heading_blocks=1, heading_chars=0)
    for index in range(30):
        pager.add([section(f"{index} " + "y" * 200), section("z")], continuation=[section("c")])
    pages = pager.result()
    assert all(len(page) <= 9 for page in pages)
    assert all(sum(block_size(b) for b in page) <= 3000 for page in pages)
    assert all(page[0]["text"]["text"] == "c" for page in pages[1:])


def test_list_and_plan_pages_stay_within_slack_limits() -> None:
    actions = [
        item(n, key_action="k" * 1000, measure="m" * 1500, afi=[PRIORITY_1, OTHER, None][n % 3])
        for n in range(1, 121)
    ]
    groups = group_by_afi(actions)
    pages = build_action_list(groups, which=ListFilter.ALL, today=TODAY, total=120)
    plans = build_plan_messages(REVIEW, groups, today=TODAY, posted_by="U1")
    for _, blocks in [*pages, *plans]:
        assert validate_blocks(blocks, "message") == []
        assert len(json.dumps(blocks)) < 11_000
    assert len(plans) > 1


def test_list_parts_are_counted_from_how_many_are_listed_and_hold_the_worst_case() -> None:
    hostile = '&<"\x01' * 250  # every character lengthened by escaping
    actions = [
        item(n, key_action=hostile, owner_id="U" + "9" * 20, afi=[PRIORITY_1, OTHER, None][n % 3])
        for n in range(1, 61)
    ]
    groups = group_by_afi(actions)
    shown = build_action_list(groups, which=ListFilter.ALL, today=TODAY, total=500)
    # Every part is built here, so the count is theirs; each keeps within Slack's limits.
    assert f"(part 1 of {len(shown)})" in shown[0][0] and len(shown) > 1
    for _, blocks in shown:
        assert validate_blocks(blocks, "message") == []
        assert len(json.dumps(blocks, ensure_ascii=False)) <= 10_000
        assert len(blocks) <= 50
    # Given only the first actions, the parts are numbered as parts of all that are listed.
    first = build_action_list(
        groups[:1], which=ListFilter.ALL, today=TODAY, total=500, listed=400, per_part=10
    )
    assert first[0][0].startswith("All actions (part 1 of 40)")


def test_home_fits_100_blocks_and_places_feature_sections() -> None:
    picture = HomePicture(
        reviews=(REVIEW,),
        owned=OwnedActions.of((item(n) for n in range(1, 61)), today=TODAY),
        sections=(
            HomeSection("Checklist to answer", (section("Section 2: 3 statements left"),), 1),
            HomeSection("Open votes", (section("Vote on AFIs: 3 votes left"),)),
        ),
    )
    view = build_home(picture, user_id="U1", today=TODAY)
    assert validate_view(view, "home") == []
    shown = str(view["blocks"])
    assert shown.index("Checklist to answer") < shown.index("Your actions")
    assert shown.index("Your actions") < shown.index("Open votes")
    assert "more open actions" in shown


def test_plan_csv_has_one_row_per_action_in_plan_order() -> None:
    groups = group_by_afi([item(2, afi=OTHER), item(1, afi=PRIORITY_1, key_action="@cmd")])
    rows = list(
        csv.reader(
            io.StringIO(
                plan_csv(plan_rows(groups, names={"U1": "Ann"}, zone=LONDON, notes={})).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][0] == "Action number"
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[1][5] == "'@cmd" and rows[1][6] == "Ann"
