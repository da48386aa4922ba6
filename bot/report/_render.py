"""A document as plain elements, rendered to Word and Markdown alike so both say the same.
python-docx is imported only when rendering, to keep it out of the web process's start-up.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
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

# Word refuses characters XML 1.0 forbids (control characters other than tab and newline).
_FORBIDDEN = {code: None for code in range(32) if code not in (9, 10, 13)}


def slug(text: str) -> str:
    """A file name's stem: 'Perth & Kinross' → 'perth-kinross'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "review"


def _inline(text: str) -> str:
    """One line of user text: Markdown that could restructure the document is defused."""
    flat = " ".join(text.split())
    for char in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        flat = flat.replace(char, "\\" + char)
    return flat


def render_markdown(elements: Sequence[Element]) -> str:
    """GitHub-flavoured Markdown (tables included)."""
    out: list[str] = []
    for element in elements:
        if isinstance(element, Heading):
            out.append("#" * max(element.level, 1) + " " + _inline(element.text))
        elif isinstance(element, Paragraph):
            text = _inline(element.text)
            out.append(f"_{text}_" if element.italic else text)
        elif isinstance(element, Bullets):
            out.append("\n".join(f"- {_inline(item)}" for item in element.items))
        elif isinstance(element, Table):
            rows = [element.columns, *element.rows]
            lines = ["| " + " | ".join(_inline(cell) for cell in row) + " |" for row in rows]
            out.append("\n".join([lines[0], "|" + "---|" * len(element.columns), *lines[1:]]))
        else:
            out.append(f"_{_inline(element.caption)} (the chart is in the Word version)._")
    return "\n\n".join(out) + "\n"


def render_word(elements: Sequence[Element], *, title: str) -> bytes:
    from docx import Document
    from docx.shared import Cm

    def clean(text: str) -> str:
        return text.translate(_FORBIDDEN)

    document = Document()
    document.core_properties.title = clean(title)
    # No author: the document should not carry anyone's name it wasn't written to show.
    document.core_properties.author = ""
    # python-docx looks a style up by name on every paragraph, scanning all styles; with
    # hundreds of bullets that costs a second, so the bullets get the style id directly.
    bullet = document.styles["List Bullet"].style_id
    for element in elements:
        if isinstance(element, Heading):
            document.add_heading(clean(element.text), level=element.level)
        elif isinstance(element, Paragraph):
            document.add_paragraph().add_run(clean(element.text)).italic = element.italic
        elif isinstance(element, Bullets):
            for item in element.items:
                document.add_paragraph(clean(item))._p.style = bullet
        elif isinstance(element, Table):
            # All rows at once, filling each cell's empty paragraph: add_row and cell.text
            # are several times slower, which a 200-action plan feels.
            table = document.add_table(rows=len(element.rows) + 1, cols=len(element.columns))
            table.style = document.styles["Table Grid"]
            for values, row in zip([element.columns, *element.rows], table.rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    run = cell.paragraphs[0].add_run(clean(value))
                    if values is element.columns:
                        run.bold = True
        else:
            document.add_picture(io.BytesIO(element.png), width=Cm(16))
            document.add_paragraph(clean(element.caption), style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
