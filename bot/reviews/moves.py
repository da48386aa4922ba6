"""Stage moves and closing as values a button carries, read back strictly.

A confirmation button carries where the review is and where it goes; the listener reads it
with these parsers, so a forged or stale value is refused with a clear answer instead of
moving the review anywhere it names (a stage move only ever goes to the next stage).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.stages import Stage, next_stage


@dataclass(frozen=True)
class StageMove:
    review_id: int
    expected: Stage
    target: Stage

    @property
    def value(self) -> str:
        return f"{self.review_id}:{self.expected.value}:{self.target.value}"


@dataclass(frozen=True)
class Closing:
    review_id: int
    expected: Stage

    @property
    def value(self) -> str:
        return f"{self.review_id}:{self.expected.value}"


def _parts(value: str, count: int) -> list[str] | None:
    parts = value.split(":")
    if len(parts) != count or not parts[0].isdigit() or len(parts[0]) > 12:
        return None
    return parts


def parse_stage_move(value: str) -> StageMove | None:
    """The move a confirm button asks for, or None unless it is to the very next stage."""
    parts = _parts(value, 3)
    if parts is None:
        return None
    try:
        expected, target = Stage(parts[1]), Stage(parts[2])
    except ValueError:
        return None
    if next_stage(expected) is not target:
        return None
    return StageMove(int(parts[0]), expected, target)


def parse_closing(value: str) -> Closing | None:
    parts = _parts(value, 2)
    if parts is None:
        return None
    try:
        expected = Stage(parts[1])
    except ValueError:
        return None
    if expected is Stage.CLOSED:
        return None
    return Closing(int(parts[0]), expected)
