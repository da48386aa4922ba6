"""Finding the review a request is about, and refusing clearly when the user may not act:
what every feature's service asks first.

Services raise `Refusal` (bot.core.errors) with a message for the person. `NoReviewHere` is
the refusal of a channel without an open review: typed in the bot's DM, the router shows the
person their reviews instead. (Whether a channel is private is Slack's to say:
bot.slack.channels.require_private_channel.)
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.errors import NoReviewHere, Refusal
from bot.core.permissions import Operation, permits, refusal, roles_for
from bot.core.roles import Role
from bot.core.stages import Stage
from bot.slack.tenancy import may_reach
from bot.slack.text import join_words, mention
from storage.models.reviews import Review
from storage.repositories.reviews import latest_review_in_channel, review_by_id, roles_of

REVIEW_GONE = "This review has been closed, so nothing was changed."
NO_REVIEW = (
    "There's no PSIF review open in this channel yet. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)


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


def get_review(*, session: Session, review_id: int) -> Review | None:
    """The review, if the request being handled may reach it (see bot.slack.tenancy)."""
    review = review_by_id(session=session, review_id=review_id)
    if review is None or not may_reach(
        team_id=review.team_id, member_ids=lambda: {m.user_id for m in review.members}
    ):
        return None
    return review


def channel_review(session: Session, *, channel_id: str) -> Review:
    """The channel's open review, found by channel whoever's workspace the user is in."""
    review = latest_review_in_channel(session=session, channel_id=channel_id)
    if review is None or review.closed_at is not None:
        raise NoReviewHere(no_open_review(review))
    return review


def readable_channel_review(session: Session, *, channel_id: str) -> Review:
    """The channel's open review, else its latest closed one: commands that only read show
    what a closed review holds."""
    review = latest_review_in_channel(session=session, channel_id=channel_id)
    if review is None:
        raise NoReviewHere(no_open_review(None))
    return review


def review_in_channel(session: Session, *, team_id: str, channel_id: str) -> Review:
    del team_id  # reviews are found by channel, whoever's workspace the user is in
    return channel_review(session, channel_id=channel_id)


def require_permission(review: Review, user_id: str, operation: Operation) -> None:
    """Refuse, naming who can, unless the permission table lets the user do `operation`."""
    if not permits(operation, roles_of(review, user_id)):
        raise Refusal(refusal_naming(review, operation))


def open_review_by_id(session: Session, review_id: int) -> Review:
    review = get_review(session=session, review_id=review_id)
    if review is None or review.closed_at is not None:
        raise Refusal(REVIEW_GONE)
    return review


def roles(review: Review, user_id: str) -> set[Role]:
    return roles_of(review, user_id)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Refusal(message)
