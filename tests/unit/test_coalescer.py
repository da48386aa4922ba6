"""The coalescer: one send per key per interval, a final send after the last change,
and Retry-After honoured, driven by a settable clock and a manual scheduler."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.afis.coalescer import Coalescer


class ManualScheduler:
    """Collects scheduled callbacks; the test runs them when the clock reaches them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pending: list[tuple[float, Callable[[], None]]] = []

    def clock(self) -> float:
        return self.now

    def schedule(self, delay: float, callback: Callable[[], None]) -> None:
        self.pending.append((self.now + delay, callback))

    def run_due(self) -> None:
        due = [item for item in self.pending if item[0] <= self.now]
        self.pending = [item for item in self.pending if item[0] > self.now]
        for _, callback in due:
            callback()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.run_due()


def make(
    send_result: Callable[[], float | None] = lambda: None,
) -> tuple[Coalescer[str], ManualScheduler, list[float]]:
    scheduler = ManualScheduler()
    sends: list[float] = []

    def send(_key: str) -> float | None:
        sends.append(scheduler.now)
        return send_result()

    coalescer = Coalescer(send, interval=1.0, clock=scheduler.clock, schedule=scheduler.schedule)
    return coalescer, scheduler, sends


def test_a_burst_of_changes_gives_one_send_now_and_one_after_the_interval() -> None:
    coalescer, scheduler, sends = make()
    coalescer.request("m")
    scheduler.run_due()
    for _ in range(50):
        coalescer.request("m")
        scheduler.advance(0.01)
    assert sends == [0.0]
    scheduler.advance(0.5)
    assert sends == [0.0, pytest.approx(1.0)]
    assert scheduler.pending == []


def test_a_change_during_a_send_is_followed_by_another_send() -> None:
    scheduler = ManualScheduler()
    sends: list[float] = []
    holder: list[Coalescer[str]] = []

    def send(_key: str) -> float | None:
        sends.append(scheduler.now)
        if len(sends) == 1:
            holder[0].request("m")  # a vote commits while the update is in flight
        return None

    coalescer = Coalescer(send, interval=1.0, clock=scheduler.clock, schedule=scheduler.schedule)
    holder.append(coalescer)
    coalescer.request("m")
    scheduler.run_due()
    scheduler.advance(1.0)
    assert sends == [0.0, 1.0]


def test_retry_after_delays_the_next_send_and_keeps_the_change() -> None:
    answers = iter([5.0, None])
    coalescer, scheduler, sends = make(lambda: next(answers))
    coalescer.request("m")
    scheduler.run_due()
    scheduler.advance(1.0)
    assert sends == [0.0], "no retry before Retry-After"
    scheduler.advance(4.0)
    assert sends == [0.0, 5.0]


def test_keys_are_independent() -> None:
    coalescer, scheduler, sends = make()
    coalescer.request("a")
    coalescer.request("b")
    scheduler.run_due()
    assert sends == [0.0, 0.0]


def test_a_failing_send_does_not_stop_later_sends() -> None:
    def boom() -> float | None:
        raise RuntimeError("network down")

    coalescer, scheduler, sends = make(boom)
    coalescer.request("m")
    scheduler.run_due()
    scheduler.advance(2.0)
    coalescer.request("m")
    scheduler.run_due()
    assert sends == [0.0, 2.0]
