"""A document as a list of plain elements, rendered to Word (`word.py`) and Markdown
(`markdown.py`) alike, so both versions of a report always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0: the title


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str


Element = Heading | Paragraph | Bullets | Table | Image
