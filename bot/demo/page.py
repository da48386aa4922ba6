"""The demo's output folder: `transcript.txt`, every file the bot shared, and `transcript.html`,
the whole demo on one page that looks like Slack; nothing on it points outside it (external
images are shown as their alt text), so it opens with no network."""

from __future__ import annotations

import base64
import html
from datetime import date
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import Any

from bot.core.calendar import format_day
from bot.demo.transcript import BOT_KINDS, Event, Transcript, to_html

TITLE = "PSIF bot demo"
SUBTITLE = "A peer collaborative improvement review: Fife, roads maintenance"
STYLE = resources.files("bot.demo").joinpath("transcript.css").read_text(encoding="utf-8")


def write_outputs(out: Path, transcript: Transcript) -> list[Path]:
    """Write everything into `out` (created if need be); the page first in the list."""
    out.mkdir(parents=True, exist_ok=True)
    taken = {"transcript.html", "transcript.txt"}
    files: dict[str, str] = {}  # a shared file's name → its name in `out`, unique there
    for shared in (f for event in transcript.events for f in event.files):
        if shared.name not in files:
            stem, dot, suffix = shared.name.rpartition(".")
            name, counter = shared.name, 2
            while name in taken:
                name = f"{stem}-{counter}{dot}{suffix}" if dot else f"{shared.name}-{counter}"
                counter += 1
            taken.add(name)
            files[shared.name] = name
            (out / name).write_bytes(shared.content)
    page = out / "transcript.html"
    page.write_text(_Page(transcript, files).render(), encoding="utf-8")
    text = out / "transcript.txt"
    text.write_text("\n".join(transcript.lines) + "\n", encoding="utf-8")
    return [page, text, *(out / name for name in files.values())]


class _Page:
    def __init__(self, transcript: Transcript, files: dict[str, str]) -> None:
        self.transcript = transcript
        self.names = transcript.names
        self.files = files  # a shared file's name → where it was written beside the page

    def render(self) -> str:
        stages = [e for e in self.transcript.events if e.kind == "stage"]
        nav = "".join(
            f'<a href="#stage-{number}">{html.escape(event.text)}</a>'
            for number, event in enumerate(stages, start=1)
        )
        body: list[str] = []
        stage_number = 0
        day: date | None = None
        for brief, run in groupby(self.transcript.events, key=lambda event: event.brief):
            events = list(run)
            if events[0].when.date() != day:
                day = events[0].when.date()
                body.append(f'<div class="day"><span>{format_day(day)}</span></div>')
            if brief:
                body.append(self._folded(events))
                continue
            for event in events:
                if event.kind == "stage":
                    stage_number += 1
                elif event.when.date() != day:
                    day = event.when.date()
                    body.append(f'<div class="day"><span>{format_day(day)}</span></div>')
                body.append(self.event(event, stage_number))
        return (
            f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{TITLE}</title><style>{STYLE}</style></head><body>"
            f"<nav><h1>{TITLE}</h1><div class=sub>{SUBTITLE}</div>"
            f"{nav}</nav><main>{''.join(body)}</main></body></html>\n"
        )

    def _folded(self, events: list[Event]) -> str:
        who = list(dict.fromkeys(e.actor for e in events if e.actor))
        summary = f"{len(events)} more like the above" + (f" ({', '.join(who)})" if who else "")
        inner = "".join(self.event(event, 0) for event in events)
        return f'<details class="brief"><summary>{html.escape(summary)}</summary>{inner}</details>'

    def event(self, event: Event, stage_number: int) -> str:
        time = f'<span class="time">{event.when:%H:%M}</span>'
        if event.kind == "stage":
            return f'<h2 class="stage" id="stage-{stage_number}">{html.escape(event.text)}</h2>'
        if event.kind == "note":
            return f'<p class="note">· {html.escape(event.text)}</p>'
        if event.kind == "action":
            fields = "".join(
                f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
                for label, value in event.fields
            )
            what = html.escape(event.text)
            if event.text.startswith("types "):  # show a typed command as code
                what = f"types <code>{html.escape(event.text.removeprefix('types '))}</code>"
            return (
                f'<div class="action">{time}<span class="who">{html.escape(event.actor)}</span> '
                f"{what}{f'<dl>{fields}</dl>' if fields else ''}</div>"
            )
        assert event.kind in BOT_KINDS
        return self._bot(event, time)

    def _bot(self, event: Event, time: str) -> str:
        if event.view is not None:
            content = self._view(event.view)
        elif event.page is not None:  # the bot's web page as the person saw it, inert
            content = (
                f'<iframe class="webpage" sandbox title="{html.escape(event.text)}" '
                f'srcdoc="{html.escape(event.page)}"></iframe>'
            )
        elif event.files:
            content = self._files(event)
        elif event.blocks:
            content = self._blocks(event.blocks)
        else:
            content = f'<div class="text">{to_html(event.text, self.names)}</div>'
        ephemeral = event.kind == "ephemeral" and event.where.startswith("only")
        only = '<div class="only">👁 Only visible to you</div>' if ephemeral else ""
        return (
            f'<div class="msg{" eph" if ephemeral else ""}"><div class="avatar">P</div>'
            f'<div class="content"><div class="meta"><b>PSIF</b> <span class="app">APP</span> '
            f'{time}<span class="where">{html.escape(event.where)}</span></div>'
            f"{only}{content}</div></div>"
        )

    def _files(self, event: Event) -> str:
        shown: list[str] = []
        for shared in event.files:
            if shared.name.endswith(".png"):
                data = base64.b64encode(shared.content).decode()
                alt = html.escape(shared.title)
                shown.append(f'<img alt="{alt}" src="data:image/png;base64,{data}">')
            else:
                size = f"{len(shared.content) / 1024:.1f} kB"
                link = html.escape(self.files.get(shared.name, shared.name))
                name = html.escape(shared.name)
                shown.append(f'<a class="filecard" href="{link}">📎 {name} · {size}</a> ')
        comment = to_html(event.text, self.names) if event.text else ""
        return f'<div class="text">{comment}</div><div class="file">{"".join(shown)}</div>'

    # ---- Block Kit as HTML that looks like Slack's client ------------------------------------

    def _text(self, obj: Any) -> str:
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            return ""
        if obj.get("type") == "plain_text":
            return html.escape(obj["text"])
        return to_html(obj["text"], self.names)

    def _element(self, element: dict[str, Any]) -> str:
        kind = element.get("type", "")
        if kind == "button":
            style = html.escape(element.get("style", ""))
            return f'<span class="button {style}">{self._text(element.get("text"))}</span>'
        if kind == "overflow":
            return '<span class="button">⋯</span>'
        if kind in ("radio_buttons", "checkboxes"):
            chosen = element.get("initial_options") or [element.get("initial_option")]
            marks = ("◉", "○") if kind == "radio_buttons" else ("☑", "☐")
            return "".join(
                f'<div class="choice">{marks[o not in chosen]} {self._text(o.get("text"))}</div>'
                for o in element.get("options", [])
            )
        placeholder = self._text(element.get("placeholder"))
        if kind == "datepicker":
            shown = html.escape(element.get("initial_date") or "") or placeholder
            return f'<span class="field">📅 {shown}</span>'
        if kind == "plain_text_input":
            value = html.escape(element.get("initial_value") or "")
            tall = " tall" if element.get("multiline") else ""
            return f'<span class="field{tall}">{value or f"<i>{placeholder}</i>"}</span>'
        if kind.endswith("users_select"):
            chosen_users = element.get("initial_users") or [element.get("initial_user")]
            shown = ", ".join(f"@{html.escape(self.names(u))}" for u in chosen_users if u)
            return f'<span class="field">{shown or f"<i>{placeholder}</i>"} ▾</span>'
        if "select" in kind:
            chosen_options = element.get("initial_options") or [element.get("initial_option")]
            shown = ", ".join(self._text(o.get("text")) for o in chosen_options if o)
            return f'<span class="field">{shown or f"<i>{placeholder}</i>"} ▾</span>'
        return f'<span class="field">{html.escape(kind)}</span>'

    def _block(self, block: dict[str, Any]) -> str:
        kind = block.get("type")
        if kind == "divider":
            return "<hr>"
        if kind == "header":
            return f'<div class="header">{self._text(block.get("text"))}</div>'
        if kind == "context":
            parts = [self._text(e) or html.escape(e.get("alt_text", "")) for e in block["elements"]]
            return f'<div class="context">{"  ".join(parts)}</div>'
        if kind == "actions":
            elements = "".join(self._element(e) for e in block.get("elements", []))
            return f'<div class="actions">{elements}</div>'
        if kind == "input":
            label = self._text(block.get("label"))
            hint = self._text(block.get("hint"))
            element = self._element(block.get("element", {}))
            hint_html = f'<div class="hint">{hint}</div>' if hint else ""
            return f'<div class="input"><label>{label}</label>{element}{hint_html}</div>'
        if kind == "image":
            return f'<div class="context">[image: {html.escape(block.get("alt_text", ""))}]</div>'
        if kind != "section":
            return f'<div class="context">[{html.escape(str(kind))} block]</div>'
        text = f'<div class="text">{self._text(block["text"])}</div>' if block.get("text") else ""
        fields = "".join(f"<div>{self._text(field)}</div>" for field in block.get("fields", []))
        if fields:
            text += f'<div class="fields">{fields}</div>'
        accessory = block.get("accessory")
        side = f'<div class="accessory">{self._element(accessory)}</div>' if accessory else ""
        return f'<div class="section">{text}{side}</div>'

    def _blocks(self, blocks: list[dict[str, Any]]) -> str:
        return "".join(self._block(block) for block in blocks)

    def _view(self, view: dict[str, Any]) -> str:
        title = self._text(view.get("title")) or "Home"
        foot = ""
        if view.get("submit") or view.get("close"):
            close = self._text(view.get("close")) or "Cancel"
            submit = self._text(view.get("submit"))
            submit_button = f'<span class="button primary">{submit}</span>' if submit else ""
            foot = f'<div class="foot"><span class="button">{close}</span>{submit_button}</div>'
        return (
            f'<div class="modal"><div class="title">{title}</div>'
            f'<div class="body">{self._blocks(view.get("blocks", []))}</div>{foot}</div>'
        )
