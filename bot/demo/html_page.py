"""`transcript.html`: the whole demo on one page that looks like Slack — the channel, the
direct messages, the modals and the Home tab in the order they happened, the chart inline.
One file with its style inside; it needs no network."""

from __future__ import annotations

import base64
import html
from datetime import date
from itertools import groupby

from bot.core.calendar import format_day
from bot.demo.html_blocks import blocks_html, view_html
from bot.demo.markup import to_html
from bot.demo.transcript import BOT_KINDS, Event, Transcript

STYLE = """
body{margin:0;font:15px/1.46 -apple-system,"Segoe UI",Lato,Helvetica,Arial,sans-serif;
 color:#1d1c1d;background:#fff;display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:260px;flex:none;background:#3f0e40;
 color:#d1c2d1;padding:16px 12px;box-sizing:border-box;font-size:14px}
nav h1{color:#fff;font-size:17px;margin:0 0 4px}
nav a{color:#d1c2d1;text-decoration:none;  display:block;padding:3px 6px;border-radius:4px}
nav a:hover{background:#350d36;color:#fff}
nav .sub{font-size:12px;opacity:.8;margin-bottom:14px}
main{flex:1;max-width:900px;padding:8px 28px 60px}
h2.stage{font-size:15px;margin:28px 0 8px;padding:6px 10px;background:#f8f8f8;  border-left:4px
 solid #611f69;border-radius:4px}
h2 .date{float:right;font-weight:normal;color:#616061}
.note{color:#616061;font-size:13px;margin:2px 0 2px 48px}
.action{margin:10px 0 4px 48px;color:#1d1c1d}
.action .who{font-weight:700}
.action code,.text code{background:#f3f3f3;border:1px solid #ddd;border-radius:3px;padding:0 3px;
 color:#e01e5a;font-size:13px}
.action dl{margin:4px 0 0 16px;font-size:13px;color:#454245}
.action dt{float:left;clear:left;font-weight:600;margin-right:6px}
.action dd{margin:0}
.time{color:#616061;font-size:12px;margin-right:6px}
.msg{display:flex;gap:8px;margin:6px 0;padding:6px 8px;border-radius:6px}
.msg:hover{background:#f8f8f8}
.avatar{width:36px;height:36px;border-radius:6px;background:#611f69;
 color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;flex:none}
.meta .app{font-size:10px;background:#e8e8e8;color:#616061;padding:0 3px;border-radius:2px}
.where{color:#1264a3;font-size:12px;margin-left:6px}
.eph{background:#f4ede4}
.eph .only{font-size:12px;color:#616061}
.content{flex:1;min-width:0}
.section{display:flex;gap:12px;margin:4px 0}
.section .text{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;flex:1}
.header{font-weight:900;font-size:17px;margin:6px 0}
.context{color:#616061;font-size:12.5px;margin:4px 0}
.actions{margin:6px 0;display:flex;flex-wrap:wrap;gap:8px}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:2px 12px;
 font-weight:700;font-size:13px;background:#fff}
.button.primary{background:#007a5a;color:#fff;  border-color:#007a5a}
.button.danger{background:#e01e5a;color:#fff;border-color:#e01e5a}
hr{border:0;border-top:1px solid #ddd;margin:8px 0}
.mention{background:#e8f5fa;color:#1264a3;  border-radius:3px;padding:0 2px}
.quote{border-left:4px solid #ddd;padding-left:8px;display:inline-block}
.modal{border:1px solid #ccc;border-radius:8px;box-shadow:0 4px 14px rgba(0,0,0,.12);
 max-width:560px;margin:8px 0;background:#fff}
.modal .title{font-weight:900;font-size:18px;  padding:14px 18px;border-bottom:1px solid #ddd}
.modal .body{padding:10px 18px;max-height:520px;  overflow:auto}
.modal .foot{border-top:1px solid #ddd;padding:10px 18px;text-align:right}
.modal .foot .button{margin-left:8px}
.input{margin:10px 0}
.input label{display:block;font-weight:700}
.field{display:block;border:1px solid #bbb;border-radius:4px;padding:4px 8px;margin-top:4px;
 color:#1d1c1d;min-height:20px}
.field.tall{min-height:50px}
.hint{color:#616061;font-size:12.5px}
.choice{margin:2px 0 2px 6px}
.file img{max-width:100%;border:1px solid #ddd;border-radius:6px}
.filecard{display:inline-block;border:1px solid #ccc;border-radius:6px;padding:8px
 12px;margin-top:4px}
details.brief{margin:6px 0 6px 48px}
details.brief summary{cursor:pointer;color:#1264a3;font-size:13px}
.day{text-align:center;border-top:1px solid #ddd;margin:22px 0 6px;height:0}
.day span{position:relative;top:-11px;background:#fff;border:1px solid #ddd;border-radius:12px;
 padding:1px 12px;font-size:13px;font-weight:700}
pre{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:6px;white-space:pre-wrap}
"""


class PageWriter:
    def __init__(self, transcript: Transcript, files: dict[str, str]) -> None:
        self.transcript = transcript
        self.names = transcript.names
        self.files = files  # a shared file's name → where it was written beside the page

    def page(self, title: str, subtitle: str) -> str:
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
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<nav><h1>{html.escape(title)}</h1><div class=sub>{html.escape(subtitle)}</div>"
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
            content = view_html(event.view, self.names)
        elif event.files:
            content = self._files(event)
        elif event.blocks:
            content = blocks_html(event.blocks, self.names)
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
