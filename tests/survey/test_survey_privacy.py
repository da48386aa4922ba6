"""What survey links leave behind: no link anywhere in the database or the logs."""

from __future__ import annotations

import logging

from survey_helpers import WebClient, answer_through_link, make_links

from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.logs import logging_config
from handlers.web.survey import HideSurveyLinks

from checklist_helpers import seed_checklist_review
from conftest import RunningBot
from table_scan import places_naming


def test_no_link_is_stored_anywhere_once_made_and_used(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    tokens = make_links(slack, fake_slack, 2)
    answer_through_link(WebClient(bot.url), tokens[0], lambda _id: Answer.AGREE)
    for token in tokens:
        assert places_naming(bot.deps.engine, token) == []
    # Nor the address that opened it.
    assert places_naming(bot.deps.engine, "127.0.0.1") == []


def test_access_log_lines_never_carry_a_link() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/survey/secret-token-value?section=2", "1.1", 200),
        None,
    )
    assert HideSurveyLinks().filter(record)
    assert "secret-token-value" not in record.getMessage()
    assert "/survey/…" in record.getMessage()
    config = logging_config(access_log=True)
    assert config["loggers"]["uvicorn.access"]["filters"] == ["survey_links"]
