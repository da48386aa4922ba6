"""Slack's mrkdwn, read back for the transcript: mentions, dates and links resolved, and the
`&amp;`/`&lt;`/`&gt;` escapes undone, as plain text or as HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

Names = Callable[[str], str]  # a user's or channel's id → the person's or channel's name

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


def unescape(text: str) -> str:
    """Undo Slack's three escapes (and only those)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _control(inner: str, names: Names) -> tuple[str, str | None]:
    """A control sequence `<...>` as (text shown, link target or None)."""
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


def to_text(text: str, names: Names) -> str:
    """mrkdwn as a person reads it, with formatting marks left in place."""
    out: list[str] = []
    position = 0
    for match in _CONTROL.finditer(text):
        out.append(unescape(text[position : match.start()]))
        shown, link = _control(match.group(1), names)
        out.append(unescape(shown) if link is None or shown == link else f"{shown} ({link})")
        position = match.end()
    out.append(unescape(text[position:]))
    return "".join(out)


def _format_html(plain: str) -> str:
    escaped = html.escape(unescape(plain), quote=False)
    for pattern, replacement in _HTML_FORMATS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def to_html(text: str, names: Names) -> str:
    """mrkdwn as HTML: bold, italic, strike, code, quotes, mentions and links."""
    out: list[str] = []
    position = 0
    for match in _CONTROL.finditer(text):
        out.append(_format_html(text[position : match.start()]))
        shown, link = _control(match.group(1), names)
        label = html.escape(unescape(shown))
        if link is None:
            out.append(f'<span class="mention">{label}</span>')
        else:
            out.append(f'<a href="{html.escape(link)}">{label}</a>')
        position = match.end()
    out.append(_format_html(text[position:]))
    lines = "".join(out).split("\n")
    return "<br>".join(
        f'<span class="quote">{line[5:]}</span>' if line.startswith("&gt; ") else line
        for line in lines
    )
