"""`/action export`: the improvement plan as a CSV file for council performance systems."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.improvement_actions.export import plan_csv
from bot.improvement_actions.rules import group_by_afi
from bot.reviews.permissions import Operation
from bot.slack.calls import CHANNEL_UNREACHABLE, slack_error
from bot.slack.text import format_date
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.improvement_actions import item_of, review_actions
from storage.repositories.reviews import snapshot


def display_names(client: WebClient, user_ids: list[str]) -> dict[str, str]:
    """Real names for the owners, so the spreadsheet reads without Slack; ids if unknown."""
    names: dict[str, str] = {}
    for user_id in dict.fromkeys(user_ids):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError:
            continue
        names[user_id] = str(user.get("real_name") or user.get("name") or user_id)
    return names


def run(ctx: CommandContext) -> None:
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.SEE_PLAN):
            return
        picture = snapshot(review)
        items = [item_of(action) for action in review_actions(session=session, review_id=review.id)]
    if not items:
        ctx.reply("No actions have been logged yet, so there's nothing to export.")
        return
    names = display_names(ctx.client, [item.owner_id for item in items])
    content = plan_csv(group_by_afi(items), names=names, zone=ctx.deps.settings.timezone)
    slug = "".join(c if c.isalnum() else "-" for c in picture.host_council.lower())
    filename = f"improvement-plan-{slug}-{today.isoformat()}.csv"

    def upload(channel: str) -> None:
        ctx.client.files_upload_v2(
            channel=channel,
            content=content,
            filename=filename,
            title=f"Improvement plan: {picture.host_council}, {format_date(today)}",
            initial_comment=f"The improvement plan as a spreadsheet, as at {format_date(today)}.",
        )

    try:
        upload(picture.channel_id)
        return
    except SlackApiError as error:
        if slack_error(error) not in CHANNEL_UNREACHABLE:
            raise
    # The channel is out of reach: send the file to the person who asked instead.
    upload(ctx.client.conversations_open(users=ctx.user_id)["channel"]["id"])
    ctx.reply("I couldn't post in this channel, so I've sent you the plan in a direct message.")


SUBCOMMAND = Subcommand(
    name="export",
    usage="/action export",
    summary="the improvement plan as a CSV spreadsheet for performance systems",
    run=run,
    aliases=("csv",),
    order=50,
)
