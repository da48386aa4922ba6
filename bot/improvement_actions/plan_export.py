"""`/action export`: the plan as spreadsheets, built and uploaded by the outbox rather than
in the request.

Building the workbook means loading openpyxl and asking Slack for every owner's name, too
slow for the three seconds a slash command has, so the command only owes the export and
whichever process delivers the outbox builds and uploads it.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.improvement_actions.rules import group_by_afi
from bot.slack.calls import CHANNEL_UNREACHABLE, answer_user, slack_error
from bot.slack.outbox import Delivery, Kind
from bot.slack.text import escape_mrkdwn
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.action_progress import review_progress_notes
from storage.repositories.improvement_actions import item_of, review_actions

PLAN_EXPORT = "plan_export"


def owe_plan_export(
    session: Session, *, review: Review, user_id: str, response_url: str | None
) -> None:
    """Post the plan's spreadsheets to the review's channel shortly, or to `user_id` if the
    channel is out of reach."""
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
    from bot.improvement_actions.export import note_rows, plan_csv, plan_rows, plan_xlsx

    deps, payload = delivery.deps, delivery.payload
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = session.get(Review, int(payload["review_id"]))
        if review is None:
            return  # the review is gone: nothing to export
        host = review.host_council
        items = [item_of(action) for action in review_actions(session=session, review_id=review.id)]
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
    files = [
        {
            "file": plan_xlsx(plan, note_rows(groups, names=names, zone=zone, notes=notes)),
            "filename": f"{name}.xlsx",
            "title": f"{title} (Excel)",
        },
        {"file": plan_csv(plan), "filename": f"{name}.csv", "title": f"{title} (CSV)"},
    ]
    comment = (
        f"The {escape_mrkdwn(host)} improvement plan as at {format_date(today)}: an Excel "
        "workbook with every column and the progress notes, and a CSV for performance systems."
    )
    try:
        delivery.client.files_upload_v2(
            channel=str(payload["channel"]),
            file_uploads=files,
            initial_comment=comment,
            request_file_info=False,
        )
        return
    except SlackApiError as error:
        if slack_error(error) not in CHANNEL_UNREACHABLE:
            raise
    # The channel is out of reach: send the files to the person who asked instead.
    user_id = str(payload["user_id"])
    dm = delivery.client.conversations_open(users=user_id)["channel"]["id"]
    delivery.client.files_upload_v2(
        channel=dm, file_uploads=files, initial_comment=comment, request_file_info=False
    )
    answer_user(
        delivery.client,
        user_id=user_id,
        response_url=payload.get("response_url"),
        text="I couldn't post in the review's channel, so I've sent you the plan in a "
        "direct message.",
    )


PLAN_EXPORT_KIND = Kind(PLAN_EXPORT, deliver_plan_export)
