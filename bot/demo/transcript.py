"""What happened in the demo, in order: each event printed as it is added, as the plain text a
person reads in Slack (brief ones only reach the HTML page, folded), and kept for the outputs;
and Slack's mrkdwn read back as plain text or HTML."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any, Literal

from bot.core.calendar import format_day

Names = Callable[[str], str]  # a user's or channel's id → the person's or channel's name
Kind = Literal[
    "stage", "note", "action", "message", "update", "ephemeral", "modal", "home", "file", "web"
]
BOT_KINDS = frozenset({"message", "update", "ephemeral", "modal", "home", "file", "web"})
# What a person reads on one of the bot's web pages, for the plain-text transcript.
_PAGE_TEXT = ("h1", "h2", "legend", "p", "li", "dt", "dd", "button")

_CONTROL = re.compile(r"<([^<>]*)>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
# Slack's formatting marks; a mark must hug its words, as in Slack's client.
_HTML_FORMATS = (
    (re.compile(r"```(.+?)```", re.S), r"<pre>\1</pre>"),
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"<i>\1</i>"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"), r"<s>\1</s>"),
)


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
    page: str | None = None  # a web page the bot served (its HTML, its style sheet inline)
    brief: bool = False  # one of many alike (the eighth stakeholder's fourth section)


@dataclass
class Transcript:
    names: Names
    echo: Callable[[str], None] = print
    events: list[Event] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    brief: bool = False
    _day: date | None = None
    _first: dict[str, Event] = field(default_factory=dict)  # content → where it was first shown

    @contextmanager
    def briefly(self) -> Iterator[None]:
        before, self.brief = self.brief, True
        try:
            yield
        finally:
            self.brief = before

    def add(self, event: Event) -> None:
        if self.brief and event.kind not in ("stage", "note"):
            event = replace(event, brief=True)
        first = self._first_shown(event) if event.kind in BOT_KINDS else None
        if first is not None:  # the same words again (an invitation to each person): folded
            event = replace(event, brief=True)
        self.events.append(event)
        if event.brief and first is None:
            return
        if first is None:
            lines = self.render(event)
        else:
            lines = [f"{self._head(event)}: the same as {_named(first.where)} above"]
        if event.when.date() != self._day and event.kind != "stage":
            self._day = event.when.date()
            lines.insert(0, f"── {format_day(self._day)} ──")
        for line in lines:
            self.lines.append(line)
            self.echo(line)

    def _first_shown(self, event: Event) -> Event | None:
        shared = [shared_file.name for shared_file in event.files]
        content = json.dumps(
            [event.kind, event.text, event.blocks, event.view, event.page, shared], sort_keys=True
        )
        first = self._first.setdefault(content, event)
        return None if first is event else first

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
        if event.view is not None:
            body = self._view_lines(event.view)
        elif event.page is not None:
            body = page_text(event.page)
        elif event.files:
            body = [to_text(event.text, self.names)] if event.text else []
            body += [f"📎 {f.title} ({f.name}, {len(f.content):,} bytes)" for f in event.files]
        elif event.blocks:
            body = self._blocks_lines(event.blocks)
        else:
            body = to_text(event.text, self.names).split("\n")
        return [self._head(event), *(f"        {line}" for line in body if line.strip())]

    # ---- Block Kit as plain text: what a person would see in Slack --------------------------

    def _words(self, obj: Any) -> str:
        if isinstance(obj, dict) and isinstance(obj.get("text"), str):
            return to_text(obj["text"], self.names)
        return ""

    def _element(self, element: dict[str, Any]) -> str:
        kind = element.get("type", "")
        chosen = element.get("initial_options") or [element.get("initial_option")]
        if kind == "button":
            return f"[{self._words(element.get('text'))}]"
        if kind == "overflow":
            return "[⋯]"
        if kind in ("radio_buttons", "checkboxes"):
            mark = "○" if kind == "radio_buttons" else "☐"
            return f"{mark} " + " / ".join(
                self._words(option.get("text")) + (" ✓" if option in chosen else "")
                for option in element.get("options", [])
            )
        if kind == "datepicker":
            return f"[📅 {element.get('initial_date') or 'choose a date'}]"
        if kind == "plain_text_input":
            return f"[{element.get('initial_value') or self._words(element.get('placeholder'))}]"
        if kind.endswith("users_select"):
            users = element.get("initial_users") or [element.get("initial_user")]
            people = ", ".join(self.names(user) for user in users if user)
            return f"[{people or 'choose people'} ▾]"
        if "select" in kind:
            shown = ", ".join(self._words(option.get("text")) for option in chosen if option)
            return f"[{shown or self._words(element.get('placeholder')) or 'choose'} ▾]"
        return f"[{kind}]"

    def _block_lines(self, block: dict[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind == "divider":
            return ["─" * 40]
        if kind == "header":
            return [self._words(block.get("text")).upper()]
        if kind == "context":
            return [
                "  ".join(
                    self._words(e) or f"[{e.get('alt_text', 'image')}]" for e in block["elements"]
                )
            ]
        if kind == "actions":
            return ["  ".join(self._element(e) for e in block.get("elements", []))]
        if kind == "input":
            element = self._element(block.get("element", {}))
            return [f"{self._words(block.get('label'))}: {element}"]
        if kind == "image":
            return [f"[image: {block.get('alt_text', '')}]"]
        if kind != "section":
            return [f"[{kind} block]"]
        lines = self._words(block.get("text")).split("\n") if block.get("text") else []
        for each in block.get("fields", []):
            lines.extend(self._words(each).split("\n"))
        if block.get("accessory"):
            lines.append(self._element(block["accessory"]))
        return lines

    def _blocks_lines(self, blocks: list[dict[str, Any]]) -> list[str]:
        return [line for block in blocks for line in self._block_lines(block)]

    def _view_lines(self, view: dict[str, Any]) -> list[str]:
        title = self._words(view.get("title")) or "Home"
        lines = [f"┌─ {title} " + "─" * max(3, 36 - len(title))]
        lines.extend(f"│ {line}" for line in self._blocks_lines(view.get("blocks", [])))
        buttons = [self._words(view.get(key)) for key in ("close", "submit") if view.get(key)]
        if buttons:
            lines.append("│ " + "  ".join(f"[{button}]" for button in buttons))
        lines.append("└" + "─" * 40)
        return lines


# ---- Slack's mrkdwn, read back ---------------------------------------------------------------


class _PageText(HTMLParser):
    """The lines a person reads on a page (the choices under each statement are left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _PAGE_TEXT:
            self._open.append(tag)
            self.lines.append("[" if tag == "button" else "")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()
            if tag == "button":
                self.lines[-1] += "]"

    def handle_data(self, data: str) -> None:
        if self._open and self.lines:
            self.lines[-1] += data


def page_text(page: str) -> list[str]:
    parser = _PageText()
    parser.feed(page)
    return [" ".join(line.split()) for line in parser.lines if line.strip()]


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _control(inner: str, names: Names) -> tuple[str, str | None]:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + names(target[1:]), None
    if target.startswith("#"):
        return "#" + (label or names(target[1:])), None
    if target.startswith("!date^"):
        return label or target, None
    if target.startswith("!"):
        name = target[1:].split("^")[0]
        return _SPECIAL.get(name, label or "@" + name), None
    return label or target, target


def _render(
    text: str,
    names: Names,
    between: Callable[[str], str],
    control: Callable[[str, str | None], str],
) -> str:
    """`text` with the runs between its <…> controls put through `between`, and each control
    (as shown, and its link if any) through `control`."""
    out: list[str] = []
    position = 0
    for match in _CONTROL.finditer(text):
        out.append(between(text[position : match.start()]))
        out.append(control(*_control(match.group(1), names)))
        position = match.end()
    out.append(between(text[position:]))
    return "".join(out)


def _control_text(shown: str, link: str | None) -> str:
    return _unescape(shown) if link is None or shown == link else f"{shown} ({link})"


def to_text(text: str, names: Names) -> str:
    """mrkdwn (or what a person typed) as a person reads it, formatting marks left in place."""
    return _render(text, names, _unescape, _control_text)


def _format_html(plain: str) -> str:
    escaped = html.escape(_unescape(plain), quote=False)
    for pattern, replacement in _HTML_FORMATS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def _control_html(shown: str, link: str | None) -> str:
    label = html.escape(_unescape(shown))
    if link is None:
        return f'<span class="mention">{label}</span>'
    return f'<a href="{html.escape(link)}">{label}</a>'


def to_html(text: str, names: Names) -> str:
    """mrkdwn as HTML: bold, italic, strike, code, quotes, mentions and links."""
    lines = _render(text, names, _format_html, _control_html).split("\n")
    return "<br>".join(
        f'<span class="quote">{line[5:]}</span>' if line.startswith("&gt; ") else line
        for line in lines
    )


_WHERE = (  # how an event's place reads when a later one refers back to it
    (re.compile(r"^DM to (.+) \(message updated\)$"), r"the update to \1's DM"),
    (re.compile(r"^DM to (.+?)(?: \(in a thread\))?$"), r"\1's DM"),
    (re.compile(r"^(#\S+) \(message updated\)$"), r"the update in \1"),
    (re.compile(r"^(#\S+)(?: \(in a thread\))?$"), r"the message in \1"),
    (re.compile(r"^only (.+) sees.*$"), r"what \1 saw"),
    (re.compile(r"^modal for (.+?)(?: \(updated\))?$"), r"\1's modal"),
    (re.compile(r"^Home tab of (.+)$"), r"\1's Home tab"),
)


def _named(where: str) -> str:
    """ "DM to Eilidh Grant" → "Eilidh Grant's DM", as a later line names an earlier place."""
    for pattern, named in _WHERE:
        if pattern.match(where):
            return pattern.sub(named, where)
    return where
