"""The Home tab shows each stakeholder their own self-assessment progress, and only theirs."""

from __future__ import annotations

from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.deps import Deps
from bot.slack import ids

from checklist_helpers import invite, seed_checklist_review, start_from_dm, submit_section


def home_of(slack: SlackDriver, fake: FakeSlack, user: str) -> str:
    before = len(fake.calls_to("views.publish"))
    slack.open_home(user)
    fake.wait_for("views.publish", before + 1)
    home = fake.home_tabs[user]
    assert validate_view(home, "home") == []
    return str(home["blocks"])


def test_home_shows_sections_saved_and_a_button_to_continue(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    invite(slack, fake_slack, "USTAKE", "UOTHER")
    home = home_of(slack, fake_slack, "USTAKE")
    assert "0 of 6 sections saved" in home and "Start self-assessment" in home
    assert ids.CHECKLIST_START in home

    view = start_from_dm(slack, fake_slack, "USTAKE")
    submit_section(slack, view, "USTAKE", lambda _: Answer.AGREE)
    home = home_of(slack, fake_slack, "USTAKE")
    assert "1 of 6 sections saved" in home and "Continue self-assessment" in home
    # Another stakeholder's Home says nothing of the first one's progress.
    assert "0 of 6 sections saved" in home_of(slack, fake_slack, "UOTHER")
