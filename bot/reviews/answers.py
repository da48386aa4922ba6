"""What a review's use cases answer the person who asked, and the review they act on."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.calendar import format_date
from bot.core.permissions import Operation, refusal, roles_for
from bot.core.roles import Role
from bot.core.stages import Stage
from bot.slack.blocks import Block
from bot.slack.text import join_words, mention
from storage.models.reviews import Review

NO_REVIEW = (
    "There's no PSIF review open in this channel yet. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)


@dataclass(frozen=True)
class Answer:
    """An ephemeral answer for the person who asked."""

    text: str
    blocks: list[Block] | None = field(default=None)


def closed_note(review: Review) -> str:
    """Said whenever a command shows a closed review, so nobody mistakes it for a live one."""
    closed = review.closed_at.date() if review.closed_at else None
    on = f" on {format_date(closed)}" if closed else ""
    return (
        f"This channel's review ({review.host_council}) was closed{on}. What it holds stays "
        "readable here; a lead can `/psif reopen` it, or anyone can `/psif start` a new one."
    )


def no_open_review(latest: Review | None) -> str:
    """What to say when a command needs an open review and the channel has none."""
    if latest is None or Stage(latest.stage) is not Stage.CLOSED:
        return NO_REVIEW
    return closed_note(latest)


# Whom to name in a refusal: the leads first, as they change the team and run the review.
_ASK_ORDER = (Role.HOST_LEAD, Role.IS_LEAD, Role.HOST_TEAM, Role.IS_TEAM, Role.PEER_REVIEWER)


def refusal_naming(review: Review, operation: Operation) -> str:
    """The refusal, naming up to two people who can: "… Ask @Alice if you should."."""
    allowed = roles_for(operation)
    people = [
        member.user_id
        for role in _ASK_ORDER
        if role in allowed
        for member in review.members
        if member.role == role.value
    ]
    named = list(dict.fromkeys(people))[:2]
    if not named:
        return refusal(operation)
    ask = join_words([mention(user) for user in named]).replace(" and ", " or ")
    return f"{refusal(operation)} Ask {ask} if you should be able to."
