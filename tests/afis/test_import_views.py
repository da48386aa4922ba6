"""The `/afi import` form stays inside Slack's limits however many candidates there are."""

from __future__ import annotations

from bot.afis.views import IMPORT_FORM_MAX, AfiFormMetadata, Offered, build_import_modal
from bot.demo.driver import view_state
from bot.demo.fake_slack import validate_view
from handlers.submissions.afis import parse_import_form


def offered(count: int, length: int) -> list[Offered]:
    return [
        Offered(
            statement_id=f"{n // 10 + 1}.{n % 10:02d}",
            statement="S" * length,
            why="0% agree of 7; flagged for low agreement.",
            wording="W" * length,
        )
        for n in range(count)
    ]


def test_a_long_list_fills_one_form_within_slacks_limits() -> None:
    metadata = AfiFormMetadata(channel_id="C123", response_url="")
    view = build_import_modal(offered(IMPORT_FORM_MAX, 2900), metadata, more=16, earlier=2)
    assert validate_view(view, "modal") == []
    assert len(view["blocks"]) <= 100
    assert "16 more after these" in view["blocks"][-1]["elements"][0]["text"]


def test_the_form_reads_back_ticked_wording_and_unticked_as_none() -> None:
    metadata = AfiFormMetadata(channel_id="C123", response_url="")
    view = build_import_modal(offered(2, 40), metadata, more=0, earlier=0)
    values = view_state(
        view,
        {"afi_import_keep/1.01": [], "afi_import_text/1.00": "  Staff aren't asked  "},
    )
    assert parse_import_form(values) == {"1.00": "Staff aren't asked", "1.01": None}
