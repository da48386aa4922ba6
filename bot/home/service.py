"""The App Home tab, the same picture for a command typed in the bot's DM, and a lead's
Home buttons: rechecked when pressed (the tab may be stale), then the command's own service
runs for the review's channel; answers come by DM, naming the channel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.afis.service import vote_form, vote_home_sections
from bot.core.errors import Refusal
from bot.core.milestones_done import DONE_AT_STAGE, done_keys
from bot.core.permissions import Operation, permits
from bot.core.roles import LEAD_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.timeline import Timeline, milestones
from bot.deps import Deps
from bot.home import views
from bot.improvement_actions.service import HOME, owe_homes, post_plan
from bot.review_access import get_review
from bot.self_assessment.service import (
    home_sections,
    invite_people,
    post_channel_results,
)
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.blocks import Block
from bot.slack.outbox import Delivery, Kind
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.improvement_actions import owned_actions_first
from storage.repositories.reminders import done_milestones_of
from storage.repositories.reviews import (
    LeadCounts,
    latest_review_in_channel,
    lead_counts,
    reviews_for_home,
    roles_of,
    snapshot,
)

# A led review takes at least five of the tab's 100 blocks (divider, title, role, summary,
# buttons), so no more than this many ever show: the rest aren't worth gathering.
LED_REVIEWS_SHOWN = 20


def next_step(timeline: Timeline, *, today: date, done: frozenset[str]) -> views.NextStep | None:
    """The first milestone that can be recorded done and isn't (even if past), or that
    can't be recorded and is still ahead."""
    for milestone in milestones(timeline):
        if milestone.key in DONE_AT_STAGE:
            if milestone.key not in done:
                return views.NextStep(milestone, late=milestone.day < today)
        elif milestone.day >= today:
            return views.NextStep(milestone, late=False)
    return None


def _leads(review: Review, user_id: str) -> bool:
    return bool(roles_of(review, user_id) & LEAD_ROLES)


def _lead_facts(
    review: ReviewSnapshot, counts: LeadCounts, *, today: date, done: frozenset[str]
) -> views.LeadFacts:
    vote = None
    if counts.vote_open is not None:
        vote = views.VoteFacts(counts.vote_open, counts.votes, counts.voters)
    return views.LeadFacts(
        review_id=review.id,
        stage=review.stage,
        self_assessment=counts.self_assessment_status(today),
        afi_count=counts.afis,
        prioritised_count=counts.prioritised,
        vote=vote,
        open_actions=counts.unfinished_actions,
        overdue_actions=counts.overdue_actions,
        next_step=next_step(review.timeline, today=today, done=done),
    )


def home_picture(deps: Deps, *, user_id: str) -> views.HomePicture:
    """The user's Home tab, across every review they take part in; features add sections.
    What a lead's part counts, in every review they lead, is one statement."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        reviews = reviews_for_home(session=session, user_id=user_id)
        owned = owned_actions_first(
            session=session, user_id=user_id, today=today, limit=views.ACTIONS_SHOWN_LIMIT
        )
        recorded = done_milestones_of(session=session, review_ids=[review.id for review in reviews])
        pictures = tuple(snapshot(review) for review in reviews)
        done = {
            picture.id: done_keys(
                stage=picture.stage, recorded=recorded.get(picture.id, frozenset())
            )
            for picture in pictures
        }
        led = [
            picture
            for review, picture in zip(reviews, pictures, strict=True)
            if _leads(review, user_id)
        ][:LED_REVIEWS_SHOWN]
        counts = lead_counts(session=session, review_ids=[review.id for review in led], today=today)
        return views.HomePicture(
            reviews=pictures,
            done=done,
            owned=owned,
            sections=(
                *home_sections(session, deps, user_id=user_id),
                *vote_home_sections(session, reviews, user_id=user_id),
                *(
                    views.build_lead_home(
                        _lead_facts(review, counts[review.id], today=today, done=done[review.id])
                    )
                    for review in led
                ),
            ),
        )


def direct_message_overview(deps: Deps, *, user_id: str, command: str) -> tuple[str, list[Block]]:
    """A review command typed in the bot's DM: the person's picture instead of a dead end."""
    picture = home_picture(deps, user_id=user_id)
    return views.build_dm_overview(picture, user_id=user_id, today=deps.today(), command=command)


def publish_home(client: WebClient, deps: Deps, *, user_id: str) -> None:
    picture = home_picture(deps, user_id=user_id)
    client.views_publish(
        user_id=user_id, view=views.build_home(picture, user_id=user_id, today=deps.today())
    )


def refresh_home(deps: Deps, *, team_id: str, user_id: str) -> None:
    with transaction(deps.sessions) as session:
        owe_homes(session, team_id=team_id, users=[user_id])


def deliver_home(delivery: Delivery) -> None:
    publish_home(delivery.client, delivery.deps, user_id=str(delivery.payload["user_id"]))


HOME_KIND = Kind(HOME.name, deliver_home)


def _lead_target(asker: Asker, *, review_id: int, operation: Operation) -> Review | None:
    """The review, if still open and led by the presser; else they are told why and their
    tab is redrawn without the stale button."""
    with transaction(asker.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            why_not = "That review is no longer there, so the button does nothing now."
        else:
            why_not = _why_not(session, asker.user_id, review, operation)
            if not why_not:
                return review
    asker.tell(why_not)
    refresh_home(asker.deps, team_id=asker.team_id, user_id=asker.user_id)
    return None


def _why_not(session: Session, user_id: str, review: Review, operation: Operation) -> str:
    where = f"the {escape_mrkdwn(review.host_council)} review in {channel_link(review.channel_id)}"
    latest = latest_review_in_channel(session=session, channel_id=review.channel_id)
    if review.closed_at is not None or latest is None or latest.id != review.id:
        return f"{where[0].upper()}{where[1:]} has closed, so its buttons no longer work."
    if _leads(review, user_id) and permits(operation, roles_of(review, user_id)):
        return ""
    current = [
        member.user_id
        for role in (Role.HOST_LEAD, Role.IS_LEAD)
        for member in review.members
        if member.role == role.value
    ]
    ask = join_words([mention(user) for user in dict.fromkeys(current)])
    ask_line = f" Ask {ask.replace(' and ', ' or ')} if you should still lead it." if ask else ""
    return (
        f"You're no longer a lead of {where}, so its lead buttons no longer work for "
        f"you, and nothing was changed.{ask_line} Your Home tab now shows what you can do."
    )


@contextmanager
def _about(asker: Asker, target: Review, *, done: str = "") -> Iterator[list[str]]:
    """Tell the presser the answers collected (or a refusal), or `done` if none."""
    where = channel_link(target.channel_id)
    answers: list[str] = []
    try:
        yield answers
    except Refusal as refusal:
        answers = [refusal.message]
    told = [(f"In {where}: {answer}", None) for answer in answers]
    if done and not answers:
        told.append((done.format(channel=where), None))
    if told:
        asker.tell_each(told)


def press_lead_button(deps: Deps, asker: Asker, *, button: str, review_id: int) -> None:
    target = _lead_target(asker, review_id=review_id, operation=views.LEAD_BUTTONS[button][1])
    if target is None:
        return
    channel_id, user_id = target.channel_id, asker.user_id
    if button == ids.HOME_INVITE:
        asker.open_modal(
            views.build_invite_modal(
                review_id=target.id,
                host_council=target.host_council,
                channel_id=channel_id,
            )
        )
    elif button == ids.HOME_VOTE:
        with _about(asker, target):
            asker.open_modal(
                vote_form(deps, channel_id=channel_id, user_id=user_id, response_url="")
            )
    elif button == ids.HOME_PLAN:
        with _about(asker, target, done="The plan is on its way to {channel}.") as answers:
            answers += post_plan(deps, channel_id=channel_id, user_id=user_id)
    else:  # Slack is asked whether the channel is private first: once acknowledged

        def post_results() -> None:
            with _about(asker, target, done="The results are on their way to {channel}.") as told:
                told += post_channel_results(
                    lambda: asker.client,
                    deps,
                    channel_id=channel_id,
                    user_id=user_id,
                    team_id=asker.team_id,
                )

        asker.later(post_results)


def invite_from_home(deps: Deps, asker: Asker, *, review_id: int, users: list[str]) -> None:
    """The Home tab's invite form, as `/psif invite`, if the presser still leads."""
    target = _lead_target(asker, review_id=review_id, operation=Operation.INVITE_STAKEHOLDERS)
    if target is not None:
        with _about(asker, target) as answers:
            answers.append(
                invite_people(
                    deps, channel_id=target.channel_id, user_id=asker.user_id, users=users
                )
            )
