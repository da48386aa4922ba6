"""The results chart, drawn and uploaded by the outbox rather than in the request.

matplotlib costs a web worker ~50–90 MB and most of a second of CPU per chart, so
`/psif results` only owes the chart (its section percentages, never anyone's answers:
`chart_payload`, owed after the results message by results_delivery.py) and whichever
process delivers the outbox draws it in a short-lived child process and uploads it.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from bot.self_assessment.checklist import Analysis
from bot.self_assessment.checklist.chart_data import ChartData, chart_data
from bot.slack.outbox import Delivery, Kind

RESULTS_CHART = "results_chart"
RENDER_TIMEOUT_SECONDS = 120


def chart_payload(*, channel_id: str, host: str, analysis: Analysis) -> dict[str, Any]:
    """What delivering the agreement chart needs: section percentages, never answers."""
    return {
        "channel": channel_id,
        "title": f"{host} self-assessment: agreement by section",
        "chart": chart_data(analysis).model_dump(mode="json"),
    }


def draw_in_child(chart_json: str) -> bytes:
    """The PNG, drawn by a child Python so the chart's memory goes when it exits."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.self_assessment.checklist.chart"],
        input=chart_json.encode(),
        capture_output=True,
        timeout=RENDER_TIMEOUT_SECONDS,
        check=True,
    )
    return done.stdout


def deliver_results_chart(delivery: Delivery) -> None:
    chart = ChartData.model_validate(delivery.payload["chart"])
    delivery.client.files_upload_v2(
        channel=str(delivery.payload["channel"]),
        file=draw_in_child(chart.model_dump_json()),
        filename="self-assessment-by-section.png",
        title=str(delivery.payload["title"]),
        alt_txt="Bar chart of % agree, % disagree and % don't know for each checklist section",
        request_file_info=False,
    )


RESULTS_CHART_KIND = Kind(RESULTS_CHART, deliver_results_chart)
