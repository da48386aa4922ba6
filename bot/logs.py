"""How every process logs: a line per record, as text or JSON, without libraries' chatter."""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class Without(logging.Filter):
    def __init__(self, starts: list[str]) -> None:
        super().__init__()
        self.starts = tuple(starts)

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.starts)


def logging_config(
    json_lines: bool = False, level: int = logging.INFO, access_log: bool = False
) -> dict[str, Any]:
    """For dictConfig, in the starting process and each `serve` worker process."""
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"text": {"format": TEXT_FORMAT}, "json": {"()": JsonLines}},
        "filters": {
            # Bolt warns that our client wins over SLACK_BOT_TOKEN: tokens come per request.
            "bolt_token": {
                "()": Without,
                "starts": [warning_client_prioritized_and_token_skipped()],
            },
            "alembic_context": {"()": Without, "starts": ["Context impl", "Will assume"]},
            # Access lines never carry a survey link (a key to someone's answers).
            "survey_links": {"()": "handlers.web.survey.HideSurveyLinks"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn.access": {
                "level": logging.INFO if access_log else logging.WARNING,
                "filters": ["survey_links"],
            },
            "alembic.runtime.plugins": {"level": logging.WARNING},
            "alembic.runtime.migration": {"filters": ["alembic_context"]},
            "slack_bolt.App": {"filters": ["bolt_token"]},
        },
    }


def configure(json_lines: bool = False, level: int = logging.INFO) -> None:
    logging.config.dictConfig(logging_config(json_lines, level))
