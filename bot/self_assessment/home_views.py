"""The self-assessment's part of a user's Home tab: their own progress, never anyone else's."""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.home.views import HomeSection
from bot.self_assessment.rules import RoundStatus
from bot.slack import ids
from bot.slack.blocks import actions, button, section


def build_self_assessment_home(
    *,
    review_id: int,
    status: RoundStatus,
    sections_saved: int,
    sections_total: int,
    finished: bool,
) -> HomeSection:
    """Where the user is in a review's self-assessment, with a button to carry on."""
    closes_on = status.closes_on
    if not status.is_open:
        line = f"The self-assessment {status.why_closed()}."
        return HomeSection("Self-assessment", (section(line),), review_id=review_id)
    if finished:
        line = (
            f"✅ You've finished – thank you. You can change your answers until "
            f"{format_date(closes_on)}."
        )
        label, style = "Review my answers", None
    else:
        to_go = sections_total - sections_saved
        line = (
            f"📝 {sections_saved} of {sections_total} sections saved; {to_go} to go. "
            f"Closes {format_date(closes_on)}."
        )
        label = "Continue self-assessment" if sections_saved else "Start self-assessment"
        style = "primary"
    return HomeSection(
        "Self-assessment",
        (
            section(line),
            actions(button(label, ids.CHECKLIST_START, str(review_id), style=style)),
        ),
        review_id=review_id,
    )
