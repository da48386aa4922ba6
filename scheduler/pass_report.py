"""What one scheduler pass did: nudges recorded, handed to the outbox, skipped (and why)
or failed to render."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PassReport:
    recorded: int = 0
    sent: int = 0  # nudges handed to the outbox
    posts: int = 0  # messages owed to Slack for them (a morning post carries several)
    skipped: int = 0
    failed: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)

    def count_skip(self, reason: str, count: int = 1) -> None:
        self.skipped += count
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count
