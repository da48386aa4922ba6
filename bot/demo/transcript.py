"""What happened in the demo, in order: stages, what people did, and what the bot showed.

Each event is printed as it is added (brief events only reach the HTML page, folded away),
and kept for `transcript.txt` and `transcript.html`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

from bot.core.calendar import format_day
from bot.demo.markup import Names, to_text
from bot.demo.render_text import blocks_lines, view_lines

Kind = Literal["stage", "note", "action", "message", "update", "ephemeral", "modal", "home", "file"]
BOT_KINDS = frozenset({"message", "update", "ephemeral", "modal", "home", "file"})


@dataclass(frozen=True)
class SharedFile:
    name: str
    title: str
    content: bytes


@dataclass(frozen=True)
class Event:
    when: datetime  # on the bot's clock, in the review's time zone
    kind: Kind
    text: str  # the heading, the action, or the bot's fallback text
    actor: str = ""  # who acted; "" for the bot and for stages
    where: str = ""  # "#channel", "DM to …", "only … sees", "modal for …", "Home tab of …"
    blocks: list[dict[str, Any]] | None = None
    view: dict[str, Any] | None = None
    files: tuple[SharedFile, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()  # what a person typed or chose in a modal
    brief: bool = False  # one of many alike (the eighth stakeholder's fourth section)


@dataclass
class Transcript:
    names: Names
    echo: Callable[[str], None] = print
    events: list[Event] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    brief: bool = False
    _day: date | None = None
    _seen: set[str] = field(default_factory=set)

    @contextmanager
    def briefly(self) -> Iterator[None]:
        """Events added inside are kept for the page, folded, and not printed."""
        before, self.brief = self.brief, True
        try:
            yield
        finally:
            self.brief = before

    def add(self, event: Event) -> None:
        if self.brief and event.kind not in ("stage", "note"):
            event = replace(event, brief=True)
        repeated = event.kind in BOT_KINDS and not self._first_time(event)
        if repeated:  # the same words again (an invitation to each person): shown folded
            event = replace(event, brief=True)
        self.events.append(event)
        if event.brief and not repeated:
            return
        lines = self.render(event) if not repeated else [self._head(event) + ": the same again"]
        if event.when.date() != self._day and event.kind != "stage":
            self._day = event.when.date()
            lines.insert(0, f"── {format_day(self._day)} ──")
        for line in lines:
            self.lines.append(line)
            self.echo(line)

    def _first_time(self, event: Event) -> bool:
        shared = [shared_file.name for shared_file in event.files]
        content = json.dumps(
            [event.kind, event.text, event.blocks, event.view, shared], sort_keys=True
        )
        if content in self._seen:
            return False
        self._seen.add(content)
        return True

    @staticmethod
    def _head(event: Event) -> str:
        return f"{event.when:%H:%M} PSIF bot → {event.where}"

    def stage(self, when: datetime, text: str) -> None:
        self.add(Event(when, "stage", text))

    def note(self, when: datetime, text: str) -> None:
        self.add(Event(when, "note", text))

    def render(self, event: Event) -> list[str]:
        if event.kind == "stage":
            return ["", f"━━ {event.text} ━━"]
        if event.kind == "note":
            return [f"   · {event.text}"]
        if event.kind == "action":
            lines = [f"{event.when:%H:%M} {event.actor}: {event.text}"]
            lines.extend(f"        {label}: {value}" for label, value in event.fields)
            return lines
        head = self._head(event)
        if event.view is not None:
            body = view_lines(event.view, self.names)
        elif event.files:
            body = [to_text(event.text, self.names)] if event.text else []
            body += [f"📎 {f.title} ({f.name}, {len(f.content):,} bytes)" for f in event.files]
        elif event.blocks:
            body = blocks_lines(event.blocks, self.names)
        else:
            body = to_text(event.text, self.names).split("\n")
        return [head, *(f"        {line}" for line in body if line.strip())]
