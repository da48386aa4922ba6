"""`/psif done`: the milestones and which are done, or recording one done (which stops its
reminders)."""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.core.errors import Refusal
from bot.core.milestones_done import DONE_WORDS, is_done, milestone_for_word
from bot.core.permissions import Operation
from bot.core.stages import Stage
from bot.core.timeline import LABELS, Timeline
from bot.deps import Deps
from bot.review_access import channel_review, require_permission
from bot.slack.text import escape_mrkdwn
from storage.db import transaction
from storage.repositories.reminders import done_milestones, record_done
from storage.repositories.reviews import record_audit, timeline_of

CHOICES = ", ".join(f"`{word}`" for word in DONE_WORDS)


def milestone_done(deps: Deps, *, channel_id: str, user_id: str, word: str) -> str:
    """With no word, the list of milestones; with one, record it done. What to tell the user."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        if not word:
            done = done_milestones(session=session, review_id=review.id)
            return _listing(Stage(review.stage), done, review_timeline=timeline_of(review))
        require_permission(review, user_id, Operation.RECORD_MILESTONE)  # before the word
        milestone = milestone_for_word(word)
        if milestone is None:
            raise Refusal(
                f"I don't know the milestone `{escape_mrkdwn(word)}`. Choose one of {CHOICES}."
            )
        recorded = record_done(
            session=session,
            review_id=review.id,
            milestone=milestone,
            actor_id=user_id,
            now=deps.now(),
        )
        if recorded:
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action="milestone.done",
                details={"milestone": milestone},
                now=deps.now(),
            )
    label = LABELS[milestone]
    if recorded:
        return f"✅ Recorded: *{label}* is done. I won't send reminders about it again."
    return f"*{label}* was already recorded as done."


def _listing(stage: Stage, done: frozenset[str], *, review_timeline: Timeline) -> str:
    lines = []
    for word, key in DONE_WORDS.items():
        day = getattr(review_timeline, key, None)
        when = f" ({format_date(day)})" if day else ""
        mark = "✅" if is_done(key, stage=stage, recorded=done) else "▫️"
        lines.append(f"{mark} `{word}`: {LABELS[key]}{when}")
    return (
        "Record a milestone done with `/psif done &lt;milestone&gt;`, and I'll stop reminding "
        "the team about it:\n" + "\n".join(lines)
    )
