"""The survey page in a real browser: Playwright drives Debian's chromium (Playwright's
own browser download is out of reach), and axe-core (bundled in axe-playwright-python, so
nothing is fetched) checks each kind of page for accessibility.

Without chromium these tests skip, saying why; CI installs it and sets
PSIF_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright
from survey_helpers import make_links, reply_to

from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack

from checklist_helpers import CHECKLIST, invite, seed_checklist_review
from conftest import RunningBot

CHROMIUM = Path(os.environ.get("PSIF_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("PSIF_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"PSIF_REQUIRE_BROWSER=1 but there is no chromium at {CHROMIUM}")
        pytest.skip(f"no chromium at {CHROMIUM}: `apt-get install -y chromium` to run these")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


def no_accessibility_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def answer_section_on_page(page: Page, number: int, answer: Answer) -> None:
    for statement in CHECKLIST.sections[number - 1].statements:
        page.locator(f"#s{statement.id.replace('.', '_')}-{answer.value}").check()


def test_a_whole_checklist_through_a_link_resumes_finishes_and_counts(
    browser: Browser, slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    (token,) = make_links(slack, fake_slack, 1)
    assert "0 of 2 invited have finished" in reply_to(slack, fake_slack, "status")
    url = f"{bot.url}/survey/{token}"

    first = browser.new_context(viewport={"width": 375, "height": 740})  # a phone
    page = first.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Section 1 of 6")
    expect(page.get_by_text("Your answers are confidential").first).to_be_visible()
    no_accessibility_violations(page)
    # The keyboard reaches the first answer, and focus shows.
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the first statement's answers: one stop for the group
    assert page.evaluate("document.activeElement.id").startswith("s1_01-")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    answer_section_on_page(page, 1, Answer.AGREE)
    page.get_by_label("What works well in this area?").fill("Clear priorities")
    page.get_by_role("button", name="Save and go to the next section").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Section 2 of 6")
    first.close()

    # Later, on another device: the same link carries on where it was left.
    second = browser.new_context()
    page = second.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Section 2 of 6")
    assert second.cookies() == []
    for section in CHECKLIST.sections[1:]:
        answer_section_on_page(page, section.number, Answer.DONT_KNOW)
        last = section.number == CHECKLIST.section_count
        name = "Save and check your answers" if last else "Save and go to the next section"
        page.get_by_role("button", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_text("Clear priorities")).to_be_visible()
    no_accessibility_violations(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    no_accessibility_violations(page)
    second.close()
    assert "1 of 2 invited have finished" in reply_to(slack, fake_slack, "status")


def test_the_error_summary_and_plain_pages_are_accessible(
    browser: Browser, slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{bot.url}/survey/{token}")
    # Past the box's limit, as a browser that ignores maxlength would send it.
    page.evaluate("document.getElementById('improvements').removeAttribute('maxlength')")
    page.get_by_label("What could be improved?").fill("x" * 3001)
    page.get_by_role("button", name="Save and go to the next section").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    no_accessibility_violations(page)
    page.get_by_role("link", name="Your answer to").click()
    assert page.evaluate("document.activeElement.id") == "improvements"
    page.goto(f"{bot.url}/survey/not-a-link-that-anyone-was-given")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link doesn't work")
    no_accessibility_violations(page)
    context.close()
