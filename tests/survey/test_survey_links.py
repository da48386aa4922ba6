"""Survey links end to end: `/psif links` through signed requests, then the page through
HTTP as a browser without scripts sees it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from survey_helpers import (
    WebClient,
    answer_through_link,
    make_links,
    reply_to,
    section_form,
)

from bot.app import create_app
from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.web import create_asgi_app
from scheduler.runner import retention_pass
from storage.db import make_engine, make_session_factory, transaction
from storage.models.survey import SurveyLink, SurveyTries

from checklist_helpers import CHECKLIST, close_early, invite, seed_checklist_review
from conftest import RunningBot, SettableClock


def agree(_statement_id: str) -> Answer:
    return Answer.AGREE


def test_a_lead_gets_one_time_links_kept_only_as_keyed_hashes(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    tokens = make_links(slack, fake_slack, 3)
    assert len(set(tokens)) == 3
    assert all(len(token) >= 22 for token in tokens)  # at least 128 bits
    upload = fake_slack.last("files.completeUploadExternal")
    assert upload.args["channel_id"].startswith("D")
    with transaction(bot.deps.sessions) as session:
        stored = list(session.scalars(select(SurveyLink)))
    assert len(stored) == 3
    assert not {link.link_hash for link in stored} & set(tokens)
    assert "0 of 3 invited have finished" in reply_to(slack, fake_slack, "status")
    assert "More links" not in reply_to(slack, fake_slack, "links 2")
    assert "0 of 5 invited" in reply_to(slack, fake_slack, "status")


def test_only_the_host_and_is_teams_make_links(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    assert "Only the review's" in reply_to(slack, fake_slack, "links 3", user="UPEER")
    assert "from 1 to 500" in reply_to(slack, fake_slack, "links lots")
    assert "from 1 to 500" in reply_to(slack, fake_slack, "links 501")
    with transaction(bot.deps.sessions) as session:
        assert not list(session.scalars(select(SurveyLink)))


def test_a_link_answers_the_whole_checklist_resumes_and_counts(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    token, _other = make_links(slack, fake_slack, 2)
    web = WebClient(bot.url)
    path = f"/survey/{token}"
    first = web.get(path)
    assert first.status == 200
    assert "Section 1 of 6" in first.body and "Don&#39;t know" in first.body
    assert "confidential" in first.body
    assert "set-cookie" not in {name.lower() for name in first.headers}
    assert first.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in first.headers["content-security-policy"]
    saved = web.post(path, section_form(first.csrf, 1, agree))
    assert saved.status == 303 and saved.headers["location"] == path + "?section=2"
    # Coming back with the same link carries on at the first section not saved.
    assert "Section 2 of 6" in web.get(path).body
    assert 'value="agree" checked' in web.get(path + "?section=1").body
    answer_through_link(web, token, agree)
    thanks = web.get(path + "?page=done")
    assert "Thank you" in thanks.body
    status = reply_to(slack, fake_slack, "status")
    assert "1 of 3 invited have finished" in status
    assert "Of the 1 who finished, 0 answered in Slack and 1 on the web." in status


def test_a_form_without_the_links_csrf_token_saves_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    path = f"/survey/{token}"
    form = section_form("0" * 64, 1, agree)
    refused = web.post(path, form)
    assert refused.status == 403 and "not saved" in refused.body
    del form["csrf"]
    assert web.post(path, form).status == 403
    # Another link's token doesn't do either.
    (other,) = make_links(slack, fake_slack, 1)
    assert web.post(path, section_form(web.get(f"/survey/{other}").csrf, 1, agree)).status == 403
    assert "Section 1 of 6" in web.get(path).body  # nothing was saved


def test_bad_input_is_shown_back_with_what_is_wrong(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    path = f"/survey/{token}"
    csrf = web.get(path).csrf
    form = section_form(csrf, 1, agree)
    form["s1_01"] = "totally"
    form["strengths"] = "x" * 3001
    shown = web.post(path, form)
    assert shown.status == 400
    assert "There is a problem" in shown.body
    assert 'href="#s1_01-strongly_agree"' in shown.body and 'href="#strengths"' in shown.body
    assert "x" * 3001 in shown.body  # what was typed is not lost
    assert web.post(path, {**form, "section": "99"}).status == 400
    assert (
        web.post(path, {**form, "section": "1", "s1_01": "agree", "strengths": "y" * 70_000}).status
        == 413
    )
    # Nothing above saved anything.
    assert "Section 1 of 6" in web.get(path).body
    assert "checked" not in web.get(path).body
    # The finish button with sections unsaved says which.
    unfinished = web.post(path, {"csrf": csrf, "go": "finish"})
    assert unfinished.status == 400 and 'href="#section-1"' in unfinished.body


def test_unknown_withdrawn_and_closed_links_get_plain_pages(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    used, unused = make_links(slack, fake_slack, 2)
    web = WebClient(bot.url)
    for junk in ("nothing-like-a-link", "a" * 43, "%00", "a/b/c", "..%2F..%2Fetc", "a" * 5000):
        page = web.get(f"/survey/{junk}")
        assert page.status in (404, 429), junk
        assert "<h1>" in page.body and "Traceback" not in page.body
    web.post(f"/survey/{used}", section_form(web.get(f"/survey/{used}").csrf, 1, agree))
    assert "Withdrew 1 unused survey link" in reply_to(slack, fake_slack, "links withdraw")
    withdrawn = web.get(f"/survey/{unused}")
    assert withdrawn.status == 410 and "withdrawn" in withdrawn.body
    assert web.get(f"/survey/{used}").status == 200
    close_early(slack, fake_slack)
    closed = web.get(f"/survey/{used}")
    assert closed.status == 410 and "has closed" in closed.body


def test_an_address_trying_unknown_links_is_held_back_for_an_hour(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    for attempt in range(10):
        assert web.get(f"/survey/guessed-link-number-{attempt:04d}").status == 404
    held = web.get(f"/survey/{token}")
    assert held.status == 429 and "Too many tries" in held.body
    clock.advance(minutes=61)
    assert web.get(f"/survey/{token}").status == 200
    # The daily pass forgets the tries a day on.
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count()).select_from(SurveyTries)) == 1
    clock.advance(hours=24)
    retention_pass(bot.deps)
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count()).select_from(SurveyTries)) == 0


def test_the_checklist_page_shows_every_statement_with_a_labelled_choice(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    for section in CHECKLIST.sections:
        body = web.get(f"/survey/{token}?section={section.number}").body
        assert body.count("<fieldset") == section.statement_count
        assert body.count("<legend>") == section.statement_count
        assert body.count('type="radio"') == 5 * section.statement_count
        assert body.count("<label for=") == 5 * section.statement_count + 2


def test_whatever_a_form_sends_gets_a_page_never_an_error(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    csrf = web.get(f"/survey/{token}").csrf

    @settings(max_examples=40, deadline=None)
    @given(
        fields=st.lists(
            st.tuples(
                st.sampled_from(["csrf", "section", "go", "s1_01", "s1_02", "strengths", "x"]),
                st.text(max_size=40),
            ),
            max_size=8,
        ),
        keep_csrf=st.booleans(),
    )
    def send(fields: list[tuple[str, str]], keep_csrf: bool) -> None:
        answer = web.post(f"/survey/{token}", ([("csrf", csrf)] if keep_csrf else []) + fields)
        assert answer.status in (303, 400, 403), answer.body[:300]
        assert "Traceback" not in answer.body

    send()


def test_links_stop_working_when_the_closing_date_has_passed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    web = WebClient(bot.url)
    csrf = web.get(f"/survey/{token}").csrf
    clock.advance(days=60)
    assert "has closed" in web.get(f"/survey/{token}").body
    late = web.post(f"/survey/{token}", section_form(csrf, 1, agree))
    assert late.status == 410 and "has closed" in late.body


def test_web_respondents_count_towards_the_minimum_like_invited_stakeholders(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")  # who never answers: the round stays open
    tokens = make_links(slack, fake_slack, 5)
    web = WebClient(bot.url)
    for token in tokens[:4]:
        answer_through_link(web, token, agree)
    close_early(slack, fake_slack)
    assert "Only 4 people outside the review team" in reply_to(slack, fake_slack, "results export")


def test_five_web_respondents_are_enough_for_results(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    web = WebClient(bot.url)
    for token in make_links(slack, fake_slack, 5):
        answer_through_link(web, token, agree)
    close_early(slack, fake_slack)
    assert "direct message" in reply_to(slack, fake_slack, "results export")


def test_two_web_processes_share_one_limit_on_unknown_links(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, settings: Settings
) -> None:
    """Another process (its own app, engine and threads) counts in the same database."""
    seed_checklist_review(bot.deps)
    (token,) = make_links(slack, fake_slack, 1)
    engine = make_engine(settings.database_url)
    other = Deps(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        clock=bot.deps.clock,
    )
    try:
        with serve_in_background(create_asgi_app(create_app(settings, other), other)) as url:
            first, second = WebClient(bot.url), WebClient(url)
            for attempt in range(10):
                web = first if attempt % 2 else second
                assert web.get(f"/survey/guess-number-{attempt:04d}-xxxxxxxx").status == 404
            assert first.get(f"/survey/{token}").status == 429
            assert second.get(f"/survey/{token}").status == 429
    finally:
        other.close()
        engine.dispose()
