"""The self-assessment for people outside Slack: one-time survey links (`/psif links`), the
page a link opens, and answers imported from a survey tool's CSV (`/psif import-answers`).
A link answers under a pseudonymous key made from its keyed hash, exactly as a Slack
respondent's (bot.core.responses); nothing stores, logs or cookies who holds which link.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.checklist import Answer, Checklist, CommentKind, Section
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.core.responses import OwnProgress, SectionAnswers, survey_respondent_key
from bot.deps import Deps
from bot.review_access import channel_review, get_review, require_permission
from bot.self_assessment.service import round_status, round_taking_newcomers
from bot.slack.blocks import Block
from bot.slack.calls import slack_error
from bot.slack.outbox import Delivery, Kind
from bot.slack.payloads import whole_number
from bot.slack.text import escape_mrkdwn, plural
from bot.survey import _import, _links, _pages, views
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.reviews import record_audit, review_by_id
from storage.repositories.self_assessment import get_checklist_round
from storage.repositories.self_assessment_answers import (
    is_completed,
    own_sections,
    record_completion,
    save_section,
)
from storage.repositories.survey import (
    IMPORTED,
    WEB,
    add_links,
    count_try,
    find_link,
    forget_tries_before,
    links_of,
    tries_since,
    withdraw_links,
)

SURVEY_LINKS = "survey_links"
SURVEY_PATH = "/survey/"
MAX_LINKS = 500
LINKS_USAGE = "/psif links N | withdraw"
# Unknown links one address may try in TRIES_PERIOD, counted in windows of TRIES_WINDOW.
MAX_UNKNOWN_TRIES = 10
TRIES_WINDOW = timedelta(minutes=10)
TRIES_PERIOD = timedelta(hours=1)
TRIES_KEPT = timedelta(days=1)
COMMENT_MAX_LENGTH = 3000


def _audit(
    session: Session, deps: Deps, review: Review, user_id: str, action: str, **details: int
) -> None:
    record_audit(
        session=session,
        review=review,
        actor_id=user_id,
        action=action,
        details=details,
        now=deps.now(),
    )


def _lead_review(session: Session, channel_id: str, user_id: str) -> Review:
    review = channel_review(session, channel_id=channel_id)
    require_permission(review, user_id, Operation.SURVEY_LINKS)
    return review


def make_links(deps: Deps, *, channel_id: str, user_id: str, typed: str) -> str:
    """`/psif links 20`: that many one-time links (issuing the self-assessment if need be),
    owed to the person as a CSV by direct message; only their keyed hashes are kept."""
    with transaction(deps.sessions) as session:
        review = _lead_review(session, channel_id, user_id)
        count = typed.strip()
        if not (count.isascii() and count.isdigit() and 1 <= int(count) <= MAX_LINKS):
            raise Refusal(
                f"Say how many links to make, from 1 to {MAX_LINKS}: for example "
                f"`/psif links 20`. You can make more later, and withdraw unused ones with "
                "`/psif links withdraw`."
            )
        # Where the bot is served, which links start with.
        base = deps.settings.public_url or deps.settings.slack_install_url
        if base is None:
            raise Refusal(
                "I can't make survey links yet: I don't know the public address I'm served on. "
                "Ask whoever looks after the PSIF bot to set PSIF_PUBLIC_URL (for example "
                "https://psif.example.org)."
            )
        round_ = round_taking_newcomers(session, deps, review, user_id)
        secret = deps.respondent_secret
        tokens = [_links.new_token() for _ in range(int(count))]
        hashes = [_links.link_hash(secret, token) for token in tokens]
        add_links(
            session=session,
            review_id=review.id,
            hashes=[found for found in hashes if found],
            source=WEB,
        )
        _audit(session, deps, review, user_id, "survey.links_made", count=len(tokens))
        SURVEY_LINKS_KIND.owe(
            session,
            team_id=review.team_id,
            lane=user_id,
            payload={
                "user_id": user_id,
                "host_council": review.host_council,
                "closes_on": round_.closes_on.isoformat(),
                "base": base,
                "links": _links.seal_tokens(secret, tokens),
            },
        )
        closes_on = round_.closes_on
    return (
        f"I've made {plural(len(tokens), 'survey link')} and will send you them as a CSV file "
        "by direct message, one link a row, to mail-merge. Each link is for one person and "
        f"works until the self-assessment closes on {format_date(closes_on)}. I don't know "
        "who gets which, and I send no emails myself."
    )


def _deliver_links(delivery: Delivery) -> None:
    payload = delivery.payload
    tokens = _links.unseal_tokens(delivery.deps.respondent_secret, str(payload["links"]))
    base = str(payload["base"])
    written = io.StringIO()
    writer = csv.writer(written)
    writer.writerow(["link"])
    writer.writerows([f"{base}{SURVEY_PATH}{token}"] for token in tokens)
    host = str(payload["host_council"])
    closes_on = date.fromisoformat(str(payload["closes_on"]))
    slug = "".join(ch if ch.isalnum() else "-" for ch in host.lower()).strip("-")
    dm = delivery.client.conversations_open(users=str(payload["user_id"]))["channel"]["id"]
    delivery.client.files_upload_v2(
        channel=dm,
        file=written.getvalue().encode("utf-8"),
        filename=f"{slug}-self-assessment-links.csv",
        title=f"{host} self-assessment links",
        initial_comment=(
            f"{plural(len(tokens), 'link')} to the *{escape_mrkdwn(host)}* self-assessment "
            "for people without Slack: give each person one (for example by mail merge). "
            f"They work until {format_date(closes_on)}. Anyone holding a link can answer "
            "with it, so keep this file safe and delete it once the links are sent."
        ),
        request_file_info=False,
    )


SURVEY_LINKS_KIND = Kind(SURVEY_LINKS, _deliver_links)


def withdraw_unused_links(deps: Deps, *, channel_id: str, user_id: str) -> str:
    """`/psif links withdraw`: unused links stop working and count as invited no more."""
    with transaction(deps.sessions) as session:
        review = _lead_review(session, channel_id, user_id)
        round_ = get_checklist_round(session=session, review_id=review.id)
        live = [
            link
            for link in links_of(session=session, review_id=review.id)
            if link.source == WEB and not link.withdrawn
        ]
        if round_ is None or not live:
            raise Refusal("There are no survey links to withdraw.")
        unused = [
            link.link_hash
            for link in live
            if not own_sections(
                session=session,
                review_id=review.id,
                respondent_key=survey_respondent_key(
                    deps.respondent_secret, round_.key_salt, link.link_hash
                ),
            )
        ]
        withdraw_links(session=session, hashes=unused)
        _audit(session, deps, review, user_id, "survey.links_withdrawn", count=len(unused))
    in_use = len(live) - len(unused)
    kept = f" {plural(in_use, 'link')} already in use still work." if in_use else ""
    return f"Withdrew {plural(len(unused), 'unused survey link')}: they no longer open.{kept}"


def import_form(deps: Deps, *, channel_id: str, user_id: str) -> Block:
    """`/psif import-answers`: the form to choose a survey tool's CSV export."""
    with transaction(deps.sessions) as session:
        review = _lead_review(session, channel_id, user_id)
        round_taking_newcomers(session, deps, review, user_id)
        return views.build_import_form(review_id=review.id, host_council=review.host_council)


def _importing_review(session: Session, deps: Deps, review_id: int, user_id: str) -> Review:
    """The review answers are imported into, checked again at each step."""
    review = get_review(session=session, review_id=review_id)
    if review is None or review.closed_at is not None:
        raise Refusal("That review is closed, so nothing can be added to it.")
    require_permission(review, user_id, Operation.SURVEY_LINKS)
    round_taking_newcomers(session, deps, review, user_id)
    return review


def _download(deps: Deps, client: WebClient, file_id: str) -> bytes:
    """The chosen file's bytes, fetched from Slack with the bot's token; held in memory only."""
    try:
        found = client.files_info(file=file_id)["file"]
    except SlackApiError as error:
        raise Refusal(
            f"I couldn't open the file ({slack_error(error)}). Choose it again, or ask whoever "
            "looks after the PSIF bot to check the app may read files (files:read)."
        ) from None
    url = str(found.get("url_private_download") or found.get("url_private") or "")
    if not _from_slack(url, deps.settings.slack_api_url):
        raise Refusal("I couldn't open the file: Slack didn't say where it is.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            content: bytes = response.read(_import.MAX_FILE_BYTES + 1)
    except OSError as error:
        raise Refusal(f"I couldn't download the file from Slack ({error}). Try again.") from None
    return content


def _from_slack(url: str, api_url: str) -> bool:
    """Only Slack's own file hosts (or the API's, for a Slack stand-in) get the bot's token."""
    found, api = urllib.parse.urlsplit(url), urllib.parse.urlsplit(api_url)
    if found.scheme not in ("https", "http") or not found.hostname:
        return False
    return found.hostname == "files.slack.com" or found.netloc == api.netloc


def _read(deps: Deps, client: WebClient, review: Review, file_id: str) -> _import.ReadAnswers:
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise Refusal(f"This review's checklist `{review.checklist_id}` isn't installed.")
    try:
        return _import.read_answers(_download(deps, client, file_id), checklist)
    except _import.UnreadableFile as unreadable:
        raise Refusal(str(unreadable)) from None


def preview_import(
    deps: Deps, client: WebClient, *, review_id: int, user_id: str, file_id: str
) -> Block:
    """The file chosen: what was understood, to confirm (or why it can't be used)."""
    with transaction(deps.sessions) as session:
        review = _importing_review(session, deps, review_id, user_id)
    try:
        read = _read(deps, client, review, file_id)
    except Refusal as refusal:
        return views.build_import_notice("Import answers", refusal.message)
    checklist = deps.checklists[review.checklist_id]
    return views.build_import_preview(
        review_id=review_id,
        file_id=file_id,
        read=read,
        statement_count=len(checklist.statements),
    )


def confirm_import(
    deps: Deps, client: WebClient, *, review_id: int, user_id: str, file_id: str
) -> str:
    """Add the confirmed file's answers, a respondent per row under a key from a random
    stand-in nobody holds. The file is read again from Slack, so none of it waited stored."""
    with transaction(deps.sessions) as session:
        review = _importing_review(session, deps, review_id, user_id)
    read = _read(deps, client, review, file_id)
    if not read.respondents:
        raise Refusal("There is nothing to add: no row has an answer I understood.")
    checklist = deps.checklists[review.checklist_id]
    section_of = {
        s.id: section.number for section in checklist.sections for s in section.statements
    }
    with transaction(deps.sessions) as session:
        review = _importing_review(session, deps, review_id, user_id)
        round_ = get_checklist_round(session=session, review_id=review.id)
        assert round_ is not None  # _importing_review issued it
        stand_ins = [_links.imported_hash() for _ in read.respondents]
        add_links(session=session, review_id=review.id, hashes=stand_ins, source=IMPORTED)
        for stand_in, answers in zip(stand_ins, read.respondents, strict=True):
            key = survey_respondent_key(deps.respondent_secret, round_.key_salt, stand_in)
            by_section: dict[int, dict[str, Answer]] = {}
            for statement_id, answer in answers.items():
                by_section.setdefault(section_of[statement_id], {})[statement_id] = answer
            for number, given in sorted(by_section.items()):
                save_section(
                    session=session,
                    review_id=review.id,
                    respondent_key=key,
                    saved=SectionAnswers(number, given),
                )
            record_completion(session=session, review_id=review.id, respondent_key=key)
        _audit(session, deps, review, user_id, "survey.answers_imported", people=len(stand_ins))
        host = review.host_council
    return (
        f"Added the answers of {plural(len(read.respondents), 'person', 'people')} to the "
        f"{escape_mrkdwn(host)} self-assessment. The file itself isn't kept: you can delete "
        "it from Slack."
    )


STYLESHEET_PATH = _pages.STYLESHEET_PATH
stylesheet = _pages.stylesheet


@dataclass(frozen=True)
class Page:
    """What the web page answers: a page with its status, or a place to go (303)."""

    status: int = 200
    html: str = ""
    go_to: str | None = None


Where = int | Literal["check", "done"] | None


@dataclass(frozen=True)
class _Respondent:
    """Someone holding a working link, under their pseudonym."""

    review_id: int
    checklist: Checklist
    key: str
    link_hash: str
    finished: bool
    page: _pages.Context  # what each of its pages shows

    @property
    def path(self) -> str:
        return self.page.path


def error_page(status: int) -> Page:
    """The plain page for a request that went wrong before or outside the service."""
    return Page(status, _pages.notice(*_pages.ERROR))


def forget_old_tries(deps: Deps) -> None:
    """Forget the tries from each address once they are past any limit (the daily pass)."""
    with transaction(deps.sessions) as session:
        forget_tries_before(session=session, before=deps.now() - TRIES_KEPT)


def _window(now: datetime) -> datetime:
    step = int(TRIES_WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)


def _open(deps: Deps, session: Session, token: str, address: str) -> _Respondent | Page:
    """The respondent behind the link, or the page saying why there is none. Unknown links
    count against the address; past the limit nothing is looked up."""
    secret, now = deps.respondent_secret, deps.now()
    address = _links.address_hash(secret, address)
    if (
        tries_since(session=session, address_hash=address, since=now - TRIES_PERIOD)
        >= MAX_UNKNOWN_TRIES
    ):
        return Page(429, _pages.notice(*_pages.TOO_MANY))
    hashed = _links.link_hash(secret, token)
    link = find_link(session=session, link_hash=hashed) if hashed else None
    if link is None or link.source != WEB:
        count_try(session=session, address_hash=address, window_start=_window(now))
        return Page(404, _pages.notice(*_pages.UNKNOWN))
    if link.withdrawn:
        return Page(410, _pages.notice(*_pages.WITHDRAWN))
    review = review_by_id(session=session, review_id=link.review_id)
    round_ = get_checklist_round(session=session, review_id=link.review_id)
    checklist = deps.checklists.get(review.checklist_id) if review else None
    if review is None or round_ is None or checklist is None or review.closed_at is not None:
        return Page(410, _pages.render_closed(None, None))
    key = survey_respondent_key(secret, round_.key_salt, link.link_hash)
    finished = is_completed(session=session, review_id=review.id, respondent_key=key)
    status = round_status(session=session, deps=deps, round_=round_, counted=False)
    if not status.is_open:  # whoever sent their answers is thanked when they come back
        return Page(200 if finished else 410, _pages.render_closed(review.host_council, finished))
    return _Respondent(
        review.id,
        checklist,
        key,
        link.link_hash,
        finished,
        _pages.Context(
            review.host_council,
            round_.closes_on,
            _links.csrf_token(secret, link.link_hash),
            SURVEY_PATH + token,
        ),
    )


def _progress(session: Session, respondent: _Respondent) -> OwnProgress:
    sections = own_sections(
        session=session, review_id=respondent.review_id, respondent_key=respondent.key
    )
    return OwnProgress(respondent.checklist, sections)


def _section_page(
    respondent: _Respondent,
    progress: OwnProgress,
    number: int,
    *,
    shown: SectionAnswers | None = None,
    errors: list[_pages.FieldError] | None = None,
) -> Page:
    section = respondent.checklist.sections[number - 1]
    html = _pages.render_section(
        respondent.page,
        checklist=respondent.checklist,
        section=section,
        shown=shown or progress.sections.get(number),
        errors=errors or [],
    )
    return Page(400 if errors else 200, html)


def _check_page(
    respondent: _Respondent, progress: OwnProgress, errors: list[_pages.FieldError] | None = None
) -> Page:
    html = _pages.render_check(
        respondent.page, progress=progress, finished=respondent.finished, errors=errors or []
    )
    return Page(400 if errors else 200, html)


def show_survey(deps: Deps, *, token: str, address: str, where: Where) -> Page:
    """GET a link's page: section `where`, the check page, the thank-you, or (no `where`)
    the first section not yet saved, so the same link resumes where its holder left off."""
    with transaction(deps.sessions) as session:
        respondent = _open(deps, session, token, address)
        if isinstance(respondent, Page):
            return respondent
        progress = _progress(session, respondent)
        if isinstance(where, int) and 1 <= where <= len(respondent.checklist.sections):
            return _section_page(respondent, progress, where)
        if where == "done" and respondent.finished:
            return Page(200, _pages.render_thanks(respondent.page))
        if where is None and not respondent.finished:
            first = progress.first_incomplete()
            if first is not None:
                return _section_page(respondent, progress, first)
        return _check_page(respondent, progress)


def submit_survey(deps: Deps, *, token: str, address: str, form: Mapping[str, str]) -> Page:
    """POST from a link's page: save a section (then go on, back, or to the check page), or
    send the answers. Without the link's CSRF token nothing changes; a bad form is shown
    again with what was typed and what is wrong."""
    with transaction(deps.sessions) as session:
        respondent = _open(deps, session, token, address)
        if isinstance(respondent, Page):
            return respondent
        if not _links.csrf_matches(
            deps.respondent_secret, respondent.link_hash, form.get("csrf", "")
        ):
            return Page(403, _pages.render_expired_form(respondent.path))
        progress = _progress(session, respondent)
        if form.get("go") == "finish":
            return _finish(session, respondent, progress)
        number = whole_number(form.get("section", ""), digits=3) or 0
        total = len(respondent.checklist.sections)
        if not 1 <= number <= total:
            return Page(400, _pages.render_expired_form(respondent.path))
        section = respondent.checklist.sections[number - 1]
        given, errors = read_section_form(form, section)
        if errors:
            return _section_page(respondent, progress, number, shown=given, errors=errors)
        save_section(
            session=session,
            review_id=respondent.review_id,
            respondent_key=respondent.key,
            saved=given,
        )
        go = form.get("go")
        if go == "back" and number > 1:
            target: str = f"?section={number - 1}"
        elif go == "next" and number < total:
            target = f"?section={number + 1}"
        else:
            target = "?page=check"
        return Page(303, go_to=respondent.path + target)


def _finish(session: Session, respondent: _Respondent, progress: OwnProgress) -> Page:
    """Send the answers: once every section is saved the holder counts as finished."""
    missing = [s for s in respondent.checklist.sections if s.number not in progress.sections]
    if missing:
        errors = [
            _pages.FieldError(
                f"section-{s.number}",
                f"Save section {s.number}, {s.title}, before sending: open it and press its "
                "save button (you may leave any statement blank)",
            )
            for s in missing
        ]
        return _check_page(respondent, progress, errors)
    record_completion(
        session=session, review_id=respondent.review_id, respondent_key=respondent.key
    )
    return Page(303, go_to=respondent.path + "?page=done")


def read_section_form(
    form: Mapping[str, str], section: Section
) -> tuple[SectionAnswers, list[_pages.FieldError]]:
    """A section's answers and comments as the form sent them, and what is wrong with them."""
    answers: dict[str, Answer] = {}
    errors: list[_pages.FieldError] = []
    for statement in section.statements:
        chosen = form.get(_pages.statement_field(statement.id), "")
        if not chosen:
            continue
        try:
            answers[statement.id] = Answer(chosen)
        except ValueError:
            errors.append(
                _pages.FieldError(
                    _pages.statement_field(statement.id) + "-" + Answer.STRONGLY_AGREE.value,
                    f"Choose one of the answers for statement {statement.id}",
                )
            )
    comments = {kind: form.get(kind.value, "").strip() for kind in CommentKind}
    for kind, text in comments.items():
        if len(text) > COMMENT_MAX_LENGTH:
            errors.append(
                _pages.FieldError(
                    kind.value,
                    f"Your answer to “{kind.question}” must be {COMMENT_MAX_LENGTH:,} "
                    f"characters or fewer: it has {len(text):,}",
                )
            )
    given = SectionAnswers(
        section.number,
        answers,
        comments[CommentKind.STRENGTHS],
        comments[CommentKind.IMPROVEMENTS],
    )
    return given, errors
