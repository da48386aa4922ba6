"""`/psif results export`: the totals as CSV and Excel, built and sent by the outbox rather
than in the request.

openpyxl takes most of a second to import and a workbook tens of milliseconds to build, so
the command only owes the export; whichever process delivers the outbox loads the results
again (the round closed for good when the command first loaded them, so they are the same),
builds the files and sends them to the person who asked, by direct message.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.core.permissions import Operation
from bot.core.stages import closed_note
from bot.deps import Deps
from bot.review_access import readable_channel_review, require_permission
from bot.self_assessment.results import NoResults, Results, load_results
from bot.slack.outbox import Delivery, owe
from bot.slack.text import escape_mrkdwn
from storage.db import transaction
from storage.models.reviews import Review

RESULTS_EXPORT = "results_export"


def export_results(
    slack: Callable[[], WebClient], deps: Deps, *, channel_id: str, user_id: str
) -> list[str]:
    """Owe the person who asked the channel review's results as files (a closed review's
    stay readable); what to tell them, in order. `slack` is not called: the outbox's client
    uploads (the parameter stays so listeners written for the in-request export still fit)."""
    del slack
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_RESULTS)
        notes = [closed_note(review)] if review.closed_at is not None else []
        try:
            load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            return [*notes, str(no_results)]
        owe(
            session,
            team_id=review.team_id,
            kind=RESULTS_EXPORT,
            lane=user_id,
            payload={"review_id": review.id, "user_id": user_id},
        )
    return [*notes, "I'll send you the export in a direct message in a moment."]


def export_files(host: str, results: Results) -> list[tuple[str, bytes]]:
    """The export's files, named after the host council."""
    # openpyxl is slow to import too: only the process delivering an export loads it.
    from bot.self_assessment.checklist.export import aggregates_csv, analysis_xlsx, comments_csv

    slug = "".join(ch if ch.isalnum() else "-" for ch in host.lower()).strip("-")
    prefix = f"{slug}-self-assessment"
    return [
        (f"{prefix}-figures.csv", aggregates_csv(results.analysis)),
        (f"{prefix}-comments.csv", comments_csv(results.checklist, results.comments)),
        (f"{prefix}.xlsx", analysis_xlsx(results.checklist, results.analysis, results.comments)),
    ]


def deliver_results_export(delivery: Delivery) -> None:
    deps, payload = delivery.deps, delivery.payload
    with transaction(deps.sessions) as session:
        review = session.get(Review, int(payload["review_id"]))
        if review is None:
            return  # the review is gone: nothing to export
        try:
            results = load_results(session=session, deps=deps, review=review)
        except NoResults:
            return  # the command already told the person why there is nothing
        host = review.host_council
    dm = delivery.client.conversations_open(users=str(payload["user_id"]))["channel"]["id"]
    delivery.client.files_upload_v2(
        channel=dm,
        file_uploads=[
            {"file": content, "filename": name, "title": name}
            for name, content in export_files(host, results)
        ],
        initial_comment=(
            f"The {escape_mrkdwn(host)} self-assessment export: totals for each statement "
            "and section (how many chose each answer; statements with too few answers or "
            "views from people outside the review team are withheld) and the comments without "
            "names, as CSV and as one Excel workbook. Nobody's individual answers are in it. "
            "Please store it securely."
        ),
        request_file_info=False,
    )
