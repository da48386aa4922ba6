"""The papers sent to the team before fieldwork: the host's paper or evidence, as links."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PaperKind(StrEnum):
    HOST_PAPER = "host_paper"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class PaperItem:
    id: int
    kind: PaperKind
    title: str
    url: str
