"""Render a document outline as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.report.outline import Bullets, Element, Heading, Image, Paragraph, Table


def _inline(text: str) -> str:
    """One line of user text: Markdown that could restructure the document is defused."""
    flat = " ".join(text.split())
    for char in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        flat = flat.replace(char, "\\" + char)
    return flat


def render_markdown(elements: Sequence[Element]) -> str:
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
            out.append(
                "\n".join(
                    [
                        "| " + " | ".join(_inline(column) for column in element.columns) + " |",
                        "|" + "---|" * len(element.columns),
                        *(
                            "| " + " | ".join(_inline(cell) for cell in row) + " |"
                            for row in element.rows
                        ),
                    ]
                )
            )
        else:
            assert isinstance(element, Image)
            out.append(f"_{_inline(element.caption)} (the chart is in the Word version)._")
    return "\n\n".join(out) + "\n"
