"""What the demo leaves behind in its output folder: the transcript as text and as a page,
and every file the bot shared (the chart, the CSV and Excel exports)."""

from __future__ import annotations

from pathlib import Path

from bot.demo.html_page import PageWriter
from bot.demo.transcript import Transcript

TITLE = "PSIF bot demo"
SUBTITLE = "A peer collaborative improvement review: Fife, roads maintenance"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, counter = name, 2
    while candidate in taken:
        candidate = f"{stem}-{counter}{dot}{suffix}" if dot else f"{name}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def write_outputs(out: Path, transcript: Transcript) -> list[Path]:
    """Write everything into `out` (created if need be); the page first in the list."""
    out.mkdir(parents=True, exist_ok=True)
    taken = {"transcript.html", "transcript.txt"}
    files: dict[str, str] = {}
    shared: list[Path] = []
    for shared_file in (f for event in transcript.events for f in event.files):
        if shared_file.name not in files:
            files[shared_file.name] = _unique(shared_file.name, taken)
            path = out / files[shared_file.name]
            path.write_bytes(shared_file.content)
            shared.append(path)
    page = out / "transcript.html"
    page.write_text(PageWriter(transcript, files).page(TITLE, SUBTITLE), encoding="utf-8")
    text = out / "transcript.txt"
    text.write_text("\n".join(transcript.lines) + "\n", encoding="utf-8")
    return [page, text, *shared]
