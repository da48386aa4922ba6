"""Messages for closing the self-assessment early and for `/psif forget-me`."""

from __future__ import annotations

from bot.self_assessment.privacy import Forgotten
from bot.self_assessment.rules import RoundStatus
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, section
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural


def build_close_confirmation(
    *, review_id: int, host_council: str, status: RoundStatus
) -> tuple[str, list[Block]]:
    """The confirmation before a lead closes the self-assessment early."""
    text = f"Close the {host_council} self-assessment now?"
    value = str(review_id)
    blocks: list[Block] = [
        section(
            f"Close the *{escape_mrkdwn(host_council)}* self-assessment now? "
            f"{status.completion.line()}.\n\nNobody will be able to add or change answers "
            "after this. The review team can then see the results; once they have been "
            "shown, the self-assessment can't be reopened."
        ),
        actions(
            button("Close it now", ids.CHECKLIST_CLOSE_CONFIRM, value, style="danger"),
            button("Cancel", ids.CHECKLIST_CLOSE_CANCEL, value),
        ),
    ]
    return text, blocks


def build_closed(
    *, review_id: int, status: RoundStatus, closed_by: str | None = None
) -> tuple[str, list[Block]]:
    """The channel's one note that the self-assessment has closed (a lead closed it, or its
    date passed), with the button that posts the results."""
    text = f"The self-assessment is closed: {status.completion.line()}."
    how = (
        f"{mention(closed_by)} closed the self-assessment"
        if closed_by
        else f"The self-assessment {status.why_closed()}"
    )
    blocks: list[Block] = [
        section(f"🔒 {how}: {status.completion.line()}."),
        actions(
            button("Post the results", ids.CHECKLIST_POST_RESULTS, str(review_id), style="primary")
        ),
        context(
            "The review team can post the results here (or type `/psif results`). They show "
            "totals only, and once shown the self-assessment can't be reopened."
        ),
    ]
    return text, blocks


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


def forgotten_reply(forgotten: Forgotten) -> str:
    """What `/psif forget-me` did, and what stays (which only a lead can change)."""
    reviews = forgotten.self_assessments
    done = "Done: I've removed you from my records"
    if reviews:
        where = "one review" if reviews == 1 else f"{reviews} reviews"
        done += (
            f", including the self-assessment records of {where} (any answers you gave stay "
            "only as anonymous data)"
        )
    kept = forgotten.kept
    still = [
        *(
            [f"your place on the review team in {join_words(channels)}"]
            if (channels := [channel_link(c) for c in kept.team_channels])
            else []
        ),
        *([plural(kept.actions, "action") + " you own"] if kept.actions else []),
        *([plural(kept.sessions, "fieldwork session") + " you run"] if kept.sessions else []),
    ]
    if not still:
        return f"{done}."
    return (
        f"{done}. Still kept, because a review needs them: {join_words(still)}. Ask the "
        "review's lead to change those, then type `/psif forget-me` again."
    )
