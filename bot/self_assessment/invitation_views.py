"""The invitation DM (and what it becomes once its person has finished), and the channel's
note after invitations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.calendar import format_date
from bot.core.checklist import Checklist
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, header, section
from bot.slack.text import escape_mrkdwn, mention, plural


def _start_button(review_id: int) -> Block:
    return actions(
        button("Start self-assessment", ids.CHECKLIST_START, str(review_id), style="primary")
    )


def build_invitation(
    *,
    review_id: int,
    host_council: str,
    focus: str,
    invited_by: str,
    checklist: Checklist,
    closes_on: date,
    min_respondents: int,
) -> tuple[str, list[Block]]:
    """The direct message each invited stakeholder receives."""
    host, what = escape_mrkdwn(host_council), escape_mrkdwn(focus)
    text = (
        f"You're invited to the {host_council} PSIF self-assessment; "
        f"it closes on {format_date(closes_on)}."
    )
    blocks: list[Block] = [
        header("You're invited to a PSIF self-assessment"),
        section(
            f"{mention(invited_by)} has asked you to take part in the self-assessment for "
            f"*{host}*'s peer collaborative improvement review.\n*Focus:* {what}"
        ),
        section(
            "*Why your view matters*\nThe review starts from how the people closest to the "
            "service see it. Your answers help the team see what works well and where to "
            "improve, and shape what the peer reviewers look at."
        ),
        section(
            "*Confidential*\nNobody, the host lead included, will see your individual answers "
            "or be told whether you have answered. Results are reported only as totals, only "
            f"after the self-assessment closes and only if at least {min_respondents} people "
            "outside the review team have responded (each statement too). Comments are shown "
            "without names."
        ),
        section(
            f"*What it involves*\n{checklist.statement_count} short statements in "
            f"{checklist.section_count} sections: say how far you agree with each, or "
            '"Don\'t know". You can skip any, stop and come back.\n'
            f"*Closes:* {format_date(closes_on)}"
        ),
        _start_button(review_id),
        context("You can also type `/psif checklist` here at any time to start or carry on."),
    ]
    return text, blocks


def build_issued_in_channel(
    *, review_id: int, invited_by: str, invited: Sequence[str], closes_on: date
) -> tuple[str, list[Block]]:
    """The channel note after an invitation, with a button for those invited."""
    text = f"Self-assessment issued to {plural(len(invited), 'stakeholder')}."
    blocks: list[Block] = [
        section(
            # Each invitee has just had a direct message: naming them here would ping them
            # a second time, so the channel sees how many.
            f"📋 {mention(invited_by)} invited {plural(len(invited), 'person', 'people')} to "
            "the PSIF self-assessment; each has a direct message with a link. It is open "
            f"until *{format_date(closes_on)}*."
        ),
        _start_button(review_id),
        context(
            "Invited people can also start here. Answers are confidential and reported only "
            "in aggregate."
        ),
    ]
    return text, blocks


def build_invitation_done(
    *, review_id: int, host_council: str, closes_on: date
) -> tuple[str, list[Block]]:
    """The invitation DM once its person has finished: no Start button still asking."""
    text = "✅ Done — review your answers"
    blocks: list[Block] = [
        section(
            f"✅ *Done* — thank you for taking part in the *{escape_mrkdwn(host_council)}* "
            f"self-assessment. You can review or change your answers until "
            f"{format_date(closes_on)}."
        ),
        actions(button("Review your answers", ids.CHECKLIST_START, str(review_id))),
        context(
            "Your answers are confidential: nobody, the host lead included, sees what you said "
            "or is told that you have finished."
        ),
    ]
    return text, blocks


def build_which_self_assessment(choices: Sequence[tuple[int, str]]) -> tuple[str, list[Block]]:
    """`/psif checklist` outside a review's channel, for someone invited to several: a
    button for each (review id, host council)."""
    text = "You're invited to more than one self-assessment. Which one?"
    buttons = [button(host, ids.CHECKLIST_START, str(review_id)) for review_id, host in choices]
    return text, [section(text), actions(*buttons[:25])]
