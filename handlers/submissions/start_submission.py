"""The Appendix 1 modal's submission: validate inline, store the review, post the summary."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.deps import Deps
from bot.reviews.form import StartForm, StartMetadata
from bot.reviews.roles import Role
from bot.reviews.setup import complete_timeline, validate_start_form
from bot.reviews.start_form import current_block_ids, read_start_state
from bot.reviews.views import build_review_opened
from bot.slack import ids
from bot.slack.calls import (
    CHANNEL_UNREACHABLE,
    direct_message,
    post_to_channel,
    slack_error,
    unreachable_channel_advice,
)
from bot.slack.payloads import UnreadablePayload, team_id_of
from storage.db import transaction
from storage.repositories.reviews import (
    NewReview,
    ReviewAlreadyOpen,
    create_review,
    open_review_in_channel,
    snapshot,
)


def team_of(form: StartForm) -> tuple[tuple[str, Role], ...]:
    members: list[tuple[str, Role]] = []
    if form.host_lead:
        members.append((form.host_lead, Role.HOST_LEAD))
    if form.is_lead:
        members.append((form.is_lead, Role.IS_LEAD))
    members += [(user, Role.HOST_TEAM) for user in form.host_team if user != form.host_lead]
    members += [(user, Role.IS_TEAM) for user in form.is_team if user != form.is_lead]
    return tuple(members)


def register(app: App, deps: Deps) -> None:
    @app.view(ids.START_MODAL)
    def handle_start_submission(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        user_id = body["user"]["id"]
        block_ids = current_block_ids(view)
        first_input = block_ids.get("focus") or next(iter(block_ids.values()), "focus")
        metadata = StartMetadata.load(view.get("private_metadata"))
        form = read_start_state(view)
        if form.checklist_id and form.checklist_id not in deps.checklist_names:
            raise UnreadablePayload("not a checklist we offered")
        errors = validate_start_form(form, today=deps.today(), opener=user_id)
        if errors:
            ack(
                response_action="errors",
                errors={block_ids.get(field, field): message for field, message in errors.items()},
            )
            return
        assert form.host_council is not None  # validated above
        new = NewReview(
            team_id=metadata.team_id or team_id_of(body),
            channel_id=metadata.channel_id,
            host_council=form.host_council,
            focus=form.focus.strip(),
            rationale=form.rationale.strip(),
            peer_councils=tuple(form.peer_councils),
            peer_rationale=form.peer_rationale.strip(),
            timeline=complete_timeline(form),
            members=team_of(form),
            checklist_id=form.checklist_id or next(iter(deps.checklist_names)),
        )
        try:
            with transaction(deps.sessions) as session:
                review = create_review(session=session, new=new, actor_id=user_id, now=deps.now())
                summary = snapshot(review)
        except ReviewAlreadyOpen:
            with transaction(deps.sessions) as session:
                existing = open_review_in_channel(session=session, channel_id=new.channel_id)
                same = existing is not None and (
                    existing.created_by == user_id and existing.focus == new.focus
                )
            if same:
                ack()  # the same form submitted twice: the first submission already counts
                return
            ack(
                response_action="errors",
                errors={
                    first_input: "Someone opened a review in this channel while you were "
                    "filling this in. Close this form and type /psif status to see it."
                },
            )
            return
        ack()
        text, blocks = build_review_opened(summary, opened_by=user_id, today=deps.today())
        try:
            _, error = post_to_channel(
                client, channel=metadata.channel_id, text=text, blocks=blocks
            )
        except SlackApiError as failure:
            logger.error("review %s saved but summary not posted", summary.id, exc_info=failure)
            error = slack_error(failure)
        if error:
            advice = "Your review is saved. " + (
                unreachable_channel_advice(metadata.channel_id, error)
                if error in CHANNEL_UNREACHABLE
                else f"I couldn't post its summary in the channel ({error}); "
                "type /psif status there to see it."
            )
            tell_user(
                client,
                user_id=user_id,
                response_url=metadata.response_url,
                text=advice,
                logger=logger,
            )


def tell_user(
    client: WebClient,
    *,
    user_id: str,
    response_url: str | None,
    text: str,
    logger: logging.Logger,
) -> None:
    """Reach the user where they typed the command; fall back to a direct message."""
    if response_url:
        response = WebhookClient(response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
        if response.status_code == 200:
            return
        logger.info("response_url no longer usable (%s); sending a DM", response.status_code)
    direct_message(client, user=user_id, text=text)
