"""When a self-assessment takes answers (issue 17: results only once it has closed)."""

from __future__ import annotations

from datetime import date

from bot.core.responses import Completion, RoundState, RoundStatus

CLOSES = date(2026, 12, 9)


def status(today: date = date(2026, 12, 1), **changes: object) -> RoundStatus:
    values: dict[str, object] = {
        "closes_on": CLOSES,
        "today": today,
        "completion": Completion(4, 2),
    }
    values.update(changes)
    return RoundStatus(**values)  # type: ignore[arg-type]


def test_open_until_the_end_of_its_closing_day() -> None:
    assert status(today=CLOSES).state is RoundState.OPEN
    closed = status(today=date(2026, 12, 10))
    assert closed.state is RoundState.CLOSED
    assert closed.why_closed() == "closed on 9 December 2026"


def test_stays_open_to_its_date_when_everyone_invited_has_finished() -> None:
    """Everyone was told they can change their answers until the closing date."""
    assert status(completion=Completion(4, 4)).state is RoundState.OPEN
    assert status(completion=Completion(0, 0)).is_open  # nobody invited yet


def test_a_lead_can_close_it_early() -> None:
    early = status(closed_early=True)
    assert early.state is RoundState.CLOSED
    assert early.why_closed() == "was closed early by a lead"


def test_once_results_are_shown_it_is_closed_for_good() -> None:
    assert status(released=True).state is RoundState.FINAL
    assert status(released=True, today=date(2026, 11, 1)).state is RoundState.FINAL


def test_the_completion_line_gives_counts_only() -> None:
    assert Completion(4, 3).line() == "3 of 4 invited have finished (75%)"
    assert Completion(0, 0).line() == "0 of 0 invited have finished"
