"""`/psif results export`: the self-assessment's totals and comments as spreadsheet files,
sent to the person who asked by direct message."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.deps import Deps
from bot.review_access import readable_channel_review, require_permission
from bot.reviews.answers import closed_note
from bot.reviews.permissions import Operation
from bot.self_assessment.results import NoResults, load_results
from bot.slack.text import escape_mrkdwn
from storage.db import transaction


def export_results(
    slack: Callable[[], WebClient], deps: Deps, *, channel_id: str, user_id: str
) -> list[str]:
    """Send the channel review's results as files (a closed review's stay readable); what
    to tell the person who asked, in order. `slack` gives the Web API client only for the
    upload."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_RESULTS)
        notes = [closed_note(review)] if review.closed_at is not None else []
        try:
            results = load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            return [*notes, str(no_results)]
        host = review.host_council
    # openpyxl is slow to import too: load it when someone exports.
    from bot.self_assessment.checklist.export import aggregates_csv, analysis_xlsx, comments_csv

    slug = "".join(ch if ch.isalnum() else "-" for ch in host.lower()).strip("-")
    prefix = f"{slug}-self-assessment"
    files = [
        (f"{prefix}-figures.csv", aggregates_csv(results.analysis)),
        (f"{prefix}-comments.csv", comments_csv(results.checklist, results.comments)),
        (f"{prefix}.xlsx", analysis_xlsx(results.checklist, results.analysis, results.comments)),
    ]
    client = slack()
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        file_uploads=[
            {"file": content, "filename": name, "title": name} for name, content in files
        ],
        initial_comment=(
            f"The {escape_mrkdwn(host)} self-assessment export: totals for each statement "
            "and section (how many chose each answer; statements too few people answered "
            "are withheld) and the comments without names, as CSV and as one Excel "
            "workbook. Nobody's individual answers are in it. Please store it securely."
        ),
        request_file_info=False,
    )
    return [*notes, "I've sent you the export in a direct message."]
