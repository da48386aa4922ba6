"""GET /metrics (Prometheus): Slack requests and their time to acknowledge, and, from the
database, the outbox's backlog and the scheduler's last passes. Several `serve` processes
add up through PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from bot.core.calendar import aware
from bot.deps import Deps
from storage.db import transaction
from storage.repositories.outbox import backlog
from storage.repositories.passes import last_finished, record_finished

logger = logging.getLogger(__name__)

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# What Slack sends, as the `kind` label: a fixed set, so a hostile body adds no series.
KINDS = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "url_verification",
    }
)

REQUESTS = Counter(
    "psif_slack_requests", "Slack requests answered, by kind and HTTP status", ["kind", "status"]
)
ACK_SECONDS = Histogram(
    "psif_slack_ack_seconds",
    "Seconds from a Slack request's complete body to its acknowledgement, by kind "
    "(Slack gives up after 3)",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),
)


def request_kind(body: Mapping[str, Any]) -> str:
    if "command" in body:
        return "command"
    if body.get("type") == "event_callback":
        return "event"
    kind = body.get("type")
    return kind if isinstance(kind, str) and kind in KINDS else "other"


def observe_request(body: Mapping[str, Any], status: int, seconds: float) -> None:
    kind = request_kind(body)
    REQUESTS.labels(kind=kind, status=str(status)).inc()
    ACK_SECONDS.labels(kind=kind).observe(seconds)


def record_scheduler_pass(deps: Deps, name: str) -> None:
    with transaction(deps.sessions) as session:
        record_finished(session=session, name=name, at=deps.now())


class DatabaseFigures(Collector):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def collect(self) -> Iterator[Metric]:
        try:
            with transaction(self.deps.sessions) as session:
                waiting, oldest = backlog(session=session)
                passes = last_finished(session=session)
        except Exception:  # the database is down: /healthz says so; the rest still counts
            logger.warning("GET /metrics could not read the database", exc_info=True)
            return
        now = self.deps.now()
        yield GaugeMetricFamily(
            "psif_outbox_backlog", "Outbox items waiting to be delivered to Slack", value=waiting
        )
        age = (now - aware(oldest)).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "psif_outbox_oldest_age_seconds",
            "Seconds the oldest undelivered outbox item has waited (0 when none waits)",
            value=max(0.0, age),
        )
        last = GaugeMetricFamily(
            "psif_scheduler_last_pass_timestamp_seconds",
            "When the scheduler last finished each pass (Unix time)",
            labels=["pass"],
        )
        for name, finished in sorted(passes.items()):
            last.add_metric([name], aware(finished).timestamp())
        yield last


def metrics_page(deps: Deps) -> bytes:
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_DIR):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
        registry.register(ACK_SECONDS)
    registry.register(DatabaseFigures(deps))
    return generate_latest(registry)
