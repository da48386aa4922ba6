"""Render a document outline as a Word document (python-docx): councils edit it in Word."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Cm

from bot.report.outline import Bullets, Element, Heading, Image, Paragraph, Table

# Word refuses characters XML 1.0 forbids (control characters other than tab and newline).
_FORBIDDEN = {code: None for code in range(32) if code not in (9, 10, 13)}


def _clean(text: str) -> str:
    return text.translate(_FORBIDDEN)


def render_word(elements: Sequence[Element], *, title: str) -> bytes:
    document = Document()
    document.core_properties.title = _clean(title)
    # No author: the document should not carry anyone's name it wasn't written to show.
    document.core_properties.author = ""
    # python-docx looks a style up by name on every paragraph, scanning all styles; with
    # hundreds of bullets that costs a second, so the bullets get the style id directly.
    bullet = document.styles["List Bullet"].style_id
    for element in elements:
        if isinstance(element, Heading):
            document.add_heading(_clean(element.text), level=element.level)
        elif isinstance(element, Paragraph):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(_clean(element.text))
            run.italic = element.italic
        elif isinstance(element, Bullets):
            for item in element.items:
                document.add_paragraph(_clean(item))._p.style = bullet
        elif isinstance(element, Table):
            _table(document, element)
        else:
            assert isinstance(element, Image)
            document.add_picture(io.BytesIO(element.png), width=Cm(16))
            document.add_paragraph(_clean(element.caption), style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: WordDocument, element: Table) -> None:
    # All rows at once, filling each cell's empty paragraph: add_row and cell.text are
    # several times slower, which a 200-action plan feels.
    table = document.add_table(rows=len(element.rows) + 1, cols=len(element.columns))
    table.style = document.styles["Table Grid"]
    rows = table.rows
    for cell, column in zip(rows[0].cells, element.columns, strict=True):
        cell.paragraphs[0].add_run(_clean(column)).bold = True
    for values, row in zip(element.rows, rows[1:], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].add_run(_clean(value))
