"""What `/psif forget-me` shows: the confirmation and what was done."""

from __future__ import annotations

from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, section
from bot.slack.text import channel_link, join_words, plural
from storage.repositories.forgetting import Kept

FORGET_ME_TEXT = (
    "*Forget me?* I'll remove you from everything I recorded about you, in every review: "
    "your self-assessment invitations, your stakeholder roles, your snooze, the reminders "
    "and messages I sent you, and your votes in any vote still open. Wherever else I named "
    "you (the audit trail, areas for improvement, findings, comments, closed votes, who did "
    "what) you'll be shown as “a removed person”.\n\n"
    "Answers you gave stay as anonymous data, moved to a random key that nothing – not even "
    "the bot's own secret – links to you any more, so you won't be able to see or change "
    "them, or carry on a self-assessment you started.\n\n"
    "What a review still needs stays: your place on review teams, the actions you own and "
    "the fieldwork sessions you run. Ask the review's lead to change those, then forget "
    "yourself again."
)


def build_forget_me_confirmation() -> tuple[str, list[Block]]:
    blocks: list[Block] = [
        section(FORGET_ME_TEXT),
        actions(
            button("Forget me", ids.FORGET_ME_CONFIRM, "forget", style="danger"),
            button("Cancel", ids.FORGET_ME_CANCEL, "cancel"),
        ),
        context("This can't be undone."),
    ]
    return "Forget me? This removes you from the bot's records.", blocks


def forgotten_reply(self_assessments: int, kept: Kept) -> str:
    """What `/psif forget-me` did: in how many reviews' self-assessment records they were,
    and what stays because a review still needs it (which only a lead can change)."""
    done = "Done: I've removed you from my records"
    if self_assessments:
        where = "one review" if self_assessments == 1 else f"{self_assessments} reviews"
        done += (
            f", including the self-assessment records of {where} (any answers you gave stay "
            "only as anonymous data)"
        )
    channels = [channel_link(c) for c in kept.team_channels]
    still = [
        *([f"your place on the review team in {join_words(channels)}"] if channels else []),
        *([plural(kept.actions, "action") + " you own"] if kept.actions else []),
        *([plural(kept.sessions, "fieldwork session") + " you run"] if kept.sessions else []),
    ]
    if not still:
        return f"{done}."
    return (
        f"{done}. Still kept, because a review needs them: {join_words(still)}. Ask the "
        "review's lead to change those, then type `/psif forget-me` again."
    )
