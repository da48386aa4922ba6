"""Messages for closing the self-assessment early and for `/psif forget-me`."""

from __future__ import annotations

from bot.self_assessment.rules import RoundStatus
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, section
from bot.slack.text import escape_mrkdwn, mention


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
    "*Forget me?* I'll remove you from every PSIF self-assessment you were invited to: "
    "the record that you were invited (and anyone you invited will be shown as invited by "
    "“someone forgotten”), your stakeholder role, and the reminders sent to you.\n\n"
    "Answers you gave stay as anonymous data, moved to a random key that nothing – not even "
    "the bot's own secret – links to you any more, so you won't be able to see or change "
    "them, or carry on a self-assessment you started. Your roles in review teams, areas for "
    "improvement, votes and actions are part of each review's record and stay; ask the "
    "review's lead if any should change."
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
    return "Forget me? This removes you from the self-assessments you were invited to.", blocks


def forgotten_reply(reviews: int) -> str:
    if not reviews:
        return "Done. No self-assessment had a record of you, so there was nothing to remove."
    where = "one review" if reviews == 1 else f"{reviews} reviews"
    return (
        f"Done: I've removed you from the self-assessment records of {where}. Any answers "
        "you gave stay only as anonymous data."
    )
