"""What the outbox delivers for improvement actions: an action's card (posted once, then
updated in place) and the plan's spreadsheets (too slow to build within a command's 3s)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.improvement_actions._rules import group_by_afi
from bot.improvement_actions.views import build_action_card
from bot.slack.calls import CHANNEL_UNREACHABLE, answer_user, slack_error
from bot.slack.outbox import Delivery, Kind, Undelivered, post_once
from bot.slack.text import escape_mrkdwn
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.improvement_actions import (
    get_action,
    item_of,
    latest_progress_note,
    review_action_items,
    review_progress_notes,
    set_card,
)

ACTION_CARD = "action_card"
PLAN_EXPORT = "plan_export"
# The card couldn't be updated in place (deleted, say): post a fresh one instead.
CARD_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def owe_card(
    session: Session,
    *,
    review: Review,
    action_id: int,
    if_undelivered: Undelivered | None = None,
) -> None:
    """Pending refreshes of one card coalesce; each shows the state when sent."""
    action = get_action(session=session, action_id=action_id)
    ACTION_CARD_KIND.owe(
        session,
        team_id=review.team_id,
        lane=f"{ACTION_CARD}:{action_id}",
        payload={
            "action_id": action_id,
            "channel": (action.channel_id if action else None) or review.channel_id,
            "if_undelivered": if_undelivered,
        },
        key=f"{ACTION_CARD}:{action_id}",
    )


def deliver_card(delivery: Delivery) -> None:
    deps = delivery.deps
    action_id = int(delivery.payload["action_id"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        current = item_of(action) if action else None
        latest_note = latest_progress_note(session=session, action_id=action_id)
    if current is None:
        return  # the action is gone: nothing to show
    text, blocks = build_action_card(current, zone=deps.settings.timezone, latest_note=latest_note)
    if current.channel_id and current.message_ts:
        try:
            delivery.client.chat_update(
                channel=current.channel_id, ts=current.message_ts, text=text, blocks=blocks
            )
            return
        except SlackApiError as error:
            if slack_error(error) not in CARD_GONE:
                raise
    channel = current.channel_id or str(delivery.payload["channel"])
    ts, _ = post_once(delivery, channel=channel, text=text, blocks=blocks)
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        if action is not None:
            set_card(session=session, action=action, channel_id=channel, message_ts=ts)


ACTION_CARD_KIND = Kind(ACTION_CARD, deliver_card)


def owe_plan_export(
    session: Session, *, review: Review, user_id: str, response_url: str | None
) -> None:
    """To the review's channel, or to `user_id` if the channel is out of reach."""
    PLAN_EXPORT_KIND.owe(
        session,
        team_id=review.team_id,
        lane=review.channel_id,
        payload={
            "review_id": review.id,
            "channel": review.channel_id,
            "user_id": user_id,
            "response_url": response_url,
        },
    )


def display_names(client: WebClient, user_ids: list[str]) -> dict[str, str]:
    """Real names, so the spreadsheet reads without Slack; ids where Slack doesn't know."""
    names: dict[str, str] = {}
    for user_id in dict.fromkeys(user_ids):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError:
            continue
        names[user_id] = str(user.get("real_name") or user.get("name") or user_id)
    return names


def deliver_plan_export(delivery: Delivery) -> None:
    # openpyxl is slow to import: only the process delivering an export loads it.
    from bot.improvement_actions._export import note_rows, plan_csv, plan_rows, plan_xlsx

    deps, payload = delivery.deps, delivery.payload
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = session.get(Review, int(payload["review_id"]))
        if review is None:
            return  # the review is gone: nothing to export
        host = review.host_council
        items = review_action_items(session=session, review_id=review.id)
        notes = review_progress_notes(session=session, review_id=review.id)
    people = [item.owner_id for item in items]
    people += [note.author_id for updates in notes.values() for note in updates]
    names = display_names(delivery.client, people)
    groups = group_by_afi(items)
    zone = deps.settings.timezone
    plan = plan_rows(groups, names=names, zone=zone, notes=notes)
    slug = "".join(c if c.isalnum() else "-" for c in host.lower())
    name = f"improvement-plan-{slug}-{today.isoformat()}"
    title = f"Improvement plan: {host}, {format_date(today)}"
    xlsx = plan_xlsx(plan, note_rows(groups, names=names, zone=zone, notes=notes))
    files = [
        {"file": xlsx, "filename": f"{name}.xlsx", "title": f"{title} (Excel)"},
        {"file": plan_csv(plan), "filename": f"{name}.csv", "title": f"{title} (CSV)"},
    ]
    comment = (
        f"The {escape_mrkdwn(host)} improvement plan as at {format_date(today)}: an Excel "
        "workbook with every column and the progress notes, and a CSV for performance systems."
    )

    def upload(channel: str) -> None:
        delivery.client.files_upload_v2(
            channel=channel, file_uploads=files, initial_comment=comment, request_file_info=False
        )

    try:
        return upload(str(payload["channel"]))
    except SlackApiError as error:
        if slack_error(error) not in CHANNEL_UNREACHABLE:
            raise
    # The channel is out of reach: send the files to the person who asked instead.
    user_id = str(payload["user_id"])
    upload(delivery.client.conversations_open(users=user_id)["channel"]["id"])
    answer_user(
        delivery.client,
        user_id=user_id,
        response_url=payload.get("response_url"),
        text="I couldn't post in the review's channel, so I've sent you the plan in a "
        "direct message.",
    )


PLAN_EXPORT_KIND = Kind(PLAN_EXPORT, deliver_plan_export)
