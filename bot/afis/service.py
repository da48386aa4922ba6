"""AFI use cases: adding one (typed, from the form, or imported from the self-assessment), the
list, an AFI in full and changing it (edit, merge, withdraw), and the dot vote: its form,
opening it, Vote presses, My votes, closing, re-opening and tie-breaks. Each owns its
transaction, audit record and outbox effects; who may act is checked before what was typed.

An ephemeral ballot can only be replaced through the response_url of a click in it (a click
on the shared channel message would rewrite everyone's), so a press in the voter's own ballot
replaces it, while a press on the channel message (or My votes) brings a fresh one.

Each vote's channel message is kept in step through the outbox: a round's refreshes coalesce
and go out at most once per `PSIF_AFI_TALLY_INTERVAL` (Slack rate-limits chat.update), each
re-reading the round, so the message ends with exact totals.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.afis import _rules as rules
from bot.afis import views
from bot.afis.views import AfiFormMetadata
from bot.core.afis import afi_figures_line, sections_of
from bot.core.errors import FormErrors, Refusal
from bot.core.permissions import Operation, permits, refusal, who_can
from bot.core.votes import DEFAULT_TOP_N, RankedAfi, VoteOutcome, VoteSettings
from bot.deps import Deps
from bot.review_access import channel_review, get_review, require_permission
from bot.self_assessment.service import AfiCandidate, NoResults, load_results
from bot.self_assessment.views import build_afis_imported
from bot.slack import ids
from bot.slack.blocks import Block, HomeSection, section
from bot.slack.calls import CHANNEL_UNREACHABLE, slack_error
from bot.slack.failures import TRANSIENT_ERRORS
from bot.slack.outbox import Delivery, Kind, Undelivered, owe_answer, owe_message
from bot.slack.text import escape_mrkdwn, mention, plural, truncate
from storage.db import transaction
from storage.models.afis import Afi, AfiSource, AfiStatus, AfiVoteRound
from storage.models.reviews import Review
from storage.repositories import afi_votes, afis
from storage.repositories.requests import mark_applied, was_applied
from storage.repositories.reviews import audit, open_review_in_channel, roles_of

NO_REVIEW = (
    "There's no PSIF review open in this channel, so nothing was added. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)
ALREADY_ADDED = "That area for improvement was added already."
GONE = "This area was merged or withdrawn by someone else meanwhile; nothing was changed."
LISTED_GONE = (
    "That area has been merged or withdrawn already. Type `/afi list` to see the current list."
)
NOT_ALLOWED = (
    f"Only its author or the review's {who_can(Operation.MANAGE_ANY_AFI)} can change this area."
)
MERGED_MEANWHILE = "One of the two areas was merged or withdrawn meanwhile; nothing was changed."
NONE_FLAGGED = "The self-assessment didn't flag any candidate areas for improvement."
STALE_FORM = "These areas were imported already, so nothing new was added."
NOT_A_VOTER = (
    "This vote is for the review team (host team, Improvement Service and peer reviewers). "
    "If you should be, ask the host lead or Improvement Service lead to add you with "
    "`/psif team add`."
)
VOTE_GONE = "This vote no longer exists."
MIN_AFIS_TO_VOTE = 2
VOTE_TALLY = "vote_tally"


logger = logging.getLogger(__name__)


def owe_tally(
    session: Session,
    deps: Deps,
    *,
    team_id: str,
    round_id: int,
    channel_id: str = "",
    if_undelivered: Undelivered | None = None,
) -> None:
    """The round's votes or AFIs changed (`channel_id`: its message is first posted there)."""
    VOTE_TALLY_KIND.owe(
        session,
        team_id=team_id,
        lane=f"{VOTE_TALLY}:{round_id}",
        payload={"round_id": round_id, "channel": channel_id, "if_undelivered": if_undelivered},
        key=f"{VOTE_TALLY}:{round_id}",
        at_most_every=deps.settings.afi_tally_interval_seconds,
    )


def deliver_tally(delivery: Delivery) -> None:
    round_id = int(delivery.payload["round_id"])
    client = delivery.client
    with transaction(delivery.deps.sessions) as session:
        vote_round = afi_votes.get_vote_round(session=session, round_id=round_id)
        if vote_round is None:
            return
        info, items, _ = afi_votes.ballot(session=session, vote_round=vote_round)
        messages = [
            (message.channel_id, message.ts)
            for message in afi_votes.vote_messages(session=session, round_id=round_id)
        ]
        channel_id = vote_round.channel_id
    pages = views.build_vote_pages(info, items)
    for page, (text, blocks) in enumerate(pages, start=1):
        if page <= len(messages):
            _update(delivery, messages[page - 1], text, blocks)
            continue
        try:
            response = client.chat_postMessage(
                channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as error:
            if not messages and slack_error(error) in CHANNEL_UNREACHABLE:
                # Nobody can see a vote with no message: it never started.
                with transaction(delivery.deps.sessions) as session:
                    afi_votes.discard_round(session=session, round_id=round_id)
            raise
        with transaction(delivery.deps.sessions) as session:
            afi_votes.record_vote_message(
                session=session,
                round_id=round_id,
                page=page,
                channel_id=channel_id,
                ts=str(response["ts"]),
            )
    for extra in messages[len(pages) :]:
        # Fewer AFIs than pages now (some merged or withdrawn): empty the spare pages.
        _update(delivery, extra, "Nothing more to vote on here.", [section(views.EMPTY_PAGE)])


VOTE_TALLY_KIND = Kind(VOTE_TALLY, deliver_tally)


def _update(
    delivery: Delivery, message: tuple[str, str], text: str, blocks: list[dict[str, object]]
) -> None:
    channel, ts = message
    try:
        delivery.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429 or status >= 500 or slack_error(error) in TRANSIENT_ERRORS:
            raise
        # The message was deleted or the channel archived: nothing more to keep up to date.
        logger.warning("cannot update vote message %s/%s: %s", channel, ts, slack_error(error))


def _tell_channel(session: Session, review: Review, text: str, **extra: Any) -> None:
    owe_message(session, team_id=review.team_id, channel=review.channel_id, text=text, **extra)


def _allow(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles_of(review, user_id)):
        raise Refusal(refusal(operation))


def _refresh_open_vote(session: Session, deps: Deps, review: Review) -> None:
    vote_round = afi_votes.open_vote_round(session=session, review_id=review.id)
    if vote_round is not None:
        owe_tally(session, deps, team_id=review.team_id, round_id=vote_round.id)


@dataclass(frozen=True)
class NewAfiRequest:
    """Adding an AFI: `/afi add <text>`, its "add anyway" button or the add form."""

    channel_id: str
    user_id: str
    text: str
    section_number: int | None = None
    evidence: str = ""
    # Slack's id for the request: the same request delivered twice adds one AFI.
    request_key: str | None = None
    response_url: str | None = None  # where to confirm when the ack can't (a form)
    duplicate_ok: bool = False  # answered "add anyway" to "this looks like AFI n"
    # The form's view id: asked once whether it repeats an AFI, the same text is then added.
    asked_in: str | None = None


@dataclass(frozen=True)
class AfiForm:
    text: str
    section_number: int | None
    evidence: str


def _form_problems(form: AfiForm) -> None:
    problems = {
        ids.AFI_TEXT: rules.afi_text_problem(form.text),
        ids.AFI_EVIDENCE: rules.evidence_problem(form.evidence),
    }
    if errors := {block_id: problem for block_id, problem in problems.items() if problem}:
        raise FormErrors(errors)


def add_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.ADD_AFI)
        checklist_id = review.checklist_id
    metadata = AfiFormMetadata(
        channel_id=channel_id, response_url=response_url, checklist_id=checklist_id
    )
    return views.build_afi_modal(sections_of(deps.checklists, checklist_id), metadata)


def add_area(deps: Deps, request: NewAfiRequest) -> tuple[str, list[Block] | None]:
    """The answer: a confirmation, or the AFI it looks like (asked once before a near repeat
    is added; from the form, as its error)."""
    now = deps.now()
    from_form = request.asked_in is not None
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=request.channel_id)
        if review is None:
            raise Refusal(NO_REVIEW)
        _allow(review, request.user_id, Operation.ADD_AFI)
        if from_form:
            _form_problems(AfiForm(request.text, request.section_number, request.evidence))
        elif problem := rules.afi_text_problem(request.text):
            typed = escape_mrkdwn(request.text)
            raise Refusal(f"{problem}\nNothing was added. What you typed:\n```{typed}```")
        applied_key = f"afi.add:{request.request_key}" if request.request_key else None
        # Before comparing: a redelivered request would look like the AFI it added.
        if applied_key and was_applied(session=session, key=applied_key):
            return ALREADY_ADDED, None
        repeated: tuple[int, str] | None = None
        if not request.duplicate_ok:
            numbers = rules.numbers_in(request.text)
            existing = afis.active_afi_texts(session=session, review_id=review.id, numbers=numbers)
            number = rules.looks_like(request.text, existing.items())
            if number is not None and _first_time_asked(session, request, now):
                repeated = (number, existing[number])
                if not from_form:
                    return views.build_looks_like(*repeated, request.text)
        if repeated is None:
            if applied_key and not mark_applied(session=session, key=applied_key, now=now):
                return ALREADY_ADDED, None
            return _store(session, deps, review, request, now), None
    # Shown as the form's error once: the question asked is committed, so the same text sent
    # again from that form is added.
    raise FormErrors({ids.AFI_TEXT: views.looks_like_error(*repeated)})


def _store(
    session: Session, deps: Deps, review: Review, request: NewAfiRequest, now: datetime
) -> str:
    new = afis.NewAfi(request.text, request.user_id, request.section_number, request.evidence)
    afi = afis.add_afi(session=session, review_id=review.id, new=new, now=now)
    audit(session, review, request.user_id, "afi.added", {"number": afi.number}, now)
    text = views.afi_added_text(afis.afi_item(afi))
    _refresh_open_vote(session, deps, review)
    if request.response_url is not None:
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=request.user_id,
            response_url=request.response_url,
            text=text,
        )
    return text


def _first_time_asked(session: Session, request: NewAfiRequest, now: datetime) -> bool:
    """Always for a typed command (its answer has buttons); from a form, only the first time
    that form sends this text."""
    if request.asked_in is None:
        return True
    digest = hashlib.sha256(rules.normalised_afi_text(request.text).encode()).hexdigest()[:40]
    return mark_applied(session=session, key=f"afi.add.asked:{request.asked_in}:{digest}", now=now)


def afi_list(
    deps: Deps, *, channel_id: str, user_id: str, page: int = 0
) -> tuple[str, list[Block]]:
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        listing = afi_votes.listing(session=session, review_id=review.id)
        latest, size = listing.ballot, views.LIST_PAGE_SIZE
        # Only the page shown is read when every page is full; else where each page starts
        # needs every line.
        whole = not views.list_pages_hold_a_full_page(
            latest, highest_number=listing.highest_number, most_escaped=listing.most_escaped
        )
        pages = max(1, -(-listing.count // size))
        shown = min(max(page, 1), pages)
        items = afis.afi_items_with_votes(
            session=session,
            review_id=review.id,
            round_id=listing.round_id,
            offset=0 if whole else (shown - 1) * size,
            limit=listing.count if whole else size,
        )
    if whole:
        return views.build_afi_list(items, ballot=latest, page=page)
    return views.build_afi_list_page(
        items, ballot=latest, page=shown, pages=pages, total=listing.count
    )


def _afi_and_review(session: Session, afi_id: int, gone: str) -> tuple[Afi, Review]:
    afi = afis.get_afi(session=session, afi_id=afi_id)
    review = get_review(session=session, review_id=afi.review_id) if afi else None
    if afi is None or review is None:
        raise Refusal(gone)
    return afi, review


def show_area(deps: Deps, *, afi_id: int, user_id: str) -> tuple[str, list[Block]]:
    """An AFI in full, from the list's Show, with the menu to change it if the user may."""
    with transaction(deps.sessions) as session:
        afi, review = _afi_and_review(session, afi_id, LISTED_GONE)
        if afi.status != AfiStatus.ACTIVE.value:
            raise Refusal(LISTED_GONE)
        latest, item = afi_votes.afi_with_latest_votes(session=session, afi=afi)
        roles = roles_of(review, user_id)
        return views.build_afi_card(
            item,
            sections_of(deps.checklists, review.checklist_id),
            ballot=latest,
            figures=afi_figures_line(afi.statement_id, afi.figures),
            manageable=review.closed_at is None
            and rules.can_manage_afi(author_id=item.author_id, user_id=user_id, roles=roles),
            reads_findings=permits(Operation.RECORD_FINDING, roles),
        )


def _managed(
    session: Session, afi_id: int, user_id: str, gone: str = GONE, *, closed_ok: bool = False
) -> tuple[Afi, Review]:
    """The AFI and its review (open unless `closed_ok`), if the user may change it."""
    afi, review = _afi_and_review(session, afi_id, gone)
    if review.closed_at is not None and not closed_ok:
        raise Refusal(gone)
    if not rules.can_manage_afi(
        author_id=afi.author_id, user_id=user_id, roles=roles_of(review, user_id)
    ):
        raise Refusal(NOT_ALLOWED)
    return afi, review


def manage_form(deps: Deps, *, user_id: str, verb: str, afi_id: int, response_url: str) -> Block:
    """The edit, merge or withdraw form for an AFI the user may change."""
    with transaction(deps.sessions) as session:
        afi, review = _managed(session, afi_id, user_id, LISTED_GONE, closed_ok=True)
        if afi.status != "active":
            raise Refusal(LISTED_GONE)
        item = afis.afi_item(afi)
        listed = afis.list_afis(session=session, review_id=review.id)
        others = [afis.afi_item(other) for other in listed if other.id != afi.id]
        metadata = AfiFormMetadata(
            channel_id=review.channel_id,
            response_url=response_url,
            afi_id=item.id,
            checklist_id=review.checklist_id,
        )
    if verb == "edit":
        sections = sections_of(deps.checklists, metadata.checklist_id)
        return views.build_afi_modal(sections, metadata, editing=item)
    if verb == "merge":
        if not others:
            raise Refusal("There is no other area to merge this one into.")
        return views.build_merge_modal(item, others, metadata)
    return views.build_withdraw_modal(item, metadata)


def edit_area(deps: Deps, *, afi_id: int, user_id: str, form: AfiForm) -> None:
    now = deps.now()
    with transaction(deps.sessions) as session:
        _, review = _managed(session, afi_id, user_id)
        _form_problems(form)
        afi = afis.locked_active_afi(session=session, review_id=review.id, afi_id=afi_id)
        if afi is None:
            raise Refusal(GONE)
        before = afi.text
        afi.text, afi.section_number, afi.evidence = form.text, form.section_number, form.evidence
        afi.updated_at = now
        changed = {"number": afi.number, "before": before, "after": form.text}
        audit(session, review, user_id, "afi.edited", changed, now)
        _refresh_open_vote(session, deps, review)


def merge_area(deps: Deps, *, afi_id: int, target_id: int | None, user_id: str) -> None:
    """Merge the AFI into `target_id` and tell the channel where its votes went."""
    if target_id is None:
        raise FormErrors({ids.AFI_MERGE_TARGET: "Choose an area."})
    now = deps.now()
    with transaction(deps.sessions) as session:
        _, review = _managed(session, afi_id, user_id)
        merged = afis.merge_afis(
            session=session, review_id=review.id, source_id=afi_id, target_id=target_id, now=now
        )
        if merged is None:
            raise Refusal(MERGED_MEANWHILE)
        moved, returned = merged.votes_moved, merged.votes_returned
        source, target = merged.source.number, merged.target.number
        details = {"from": source, "into": target, "votes_moved": moved, "votes_returned": returned}
        audit(session, review, user_id, "afi.merged", details, now)
        _refresh_open_vote(session, deps, review)
        note = ""
        if moved or returned:
            note = f" {plural(moved, 'vote')} moved across"
            if returned:
                note += (
                    f"; {plural(returned, 'vote')} went back to voters who "
                    "already had the most allowed on it"
                )
            note += "."
        text = (
            f"{mention(user_id)} merged AFI {source} into AFI {target}: "
            f"{escape_mrkdwn(truncate(merged.target.text, 300))}.{note}"
        )
        _tell_channel(session, review, text, blocks=[section(text)])


def withdraw_area(deps: Deps, *, afi_id: int, user_id: str) -> None:
    """Withdraw the AFI (its votes go back to the voters) and tell the channel."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        _, review = _managed(session, afi_id, user_id)
        withdrawn = afis.withdraw_afi(session=session, review_id=review.id, afi_id=afi_id, now=now)
        if withdrawn is None:
            raise Refusal(GONE)
        audit(session, review, user_id, "afi.withdrawn", {"number": withdrawn.number}, now)
        _refresh_open_vote(session, deps, review)
        text = (
            f"{mention(user_id)} withdrew AFI {withdrawn.number}; any votes on it went back to "
            "the voters."
        )
        _tell_channel(session, review, text, blocks=[section(text)])


def _candidates(session: Session, deps: Deps, review: Review) -> tuple[int, list[AfiCandidate]]:
    """How many candidates the self-assessment flagged, and those not imported yet."""
    try:
        results = load_results(session=session, deps=deps, review=review)
    except NoResults as no_results:
        raise Refusal(f"{no_results} Nothing was imported.") from no_results
    candidates = list(results.analysis.afi_candidates)
    done = afis.imported_statement_ids(session=session, review_id=review.id)
    return len(candidates), [c for c in candidates if c.result.statement.id not in done]


def _to_import(
    session: Session, deps: Deps, review: Review, user_id: str
) -> tuple[int, list[AfiCandidate]]:
    require_permission(review, user_id, Operation.IMPORT_AFIS)
    flagged, pending = _candidates(session, deps, review)
    if not flagged:
        raise Refusal(NONE_FLAGGED)
    if not pending:
        raise Refusal(
            f"All {plural(flagged, 'candidate')} from the self-assessment were "
            "imported already; nothing new to add."
        )
    return flagged, pending


def import_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    """`/afi import`: the candidates not imported yet, each worded as its gap."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        flagged, pending = _to_import(session, deps, review, user_id)
    offered = [
        views.Offered(
            c.result.statement.id, c.result.statement.text, rules.why_flagged(c), rules.gap_text(c)
        )
        for c in pending[: views.IMPORT_FORM_MAX]
    ]
    return views.build_import_modal(
        offered,
        AfiFormMetadata(channel_id=channel_id, response_url=response_url),
        more=len(pending) - len(offered),
        earlier=flagged - len(pending),
    )


def import_candidates(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> str:
    """`/afi import all`: add every candidate not imported yet, as worded."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        flagged, pending = _to_import(session, deps, review, user_id)
        chosen = [(candidate, rules.gap_text(candidate)) for candidate in pending]
        return _import(session, deps, review, user_id, chosen, flagged - len(pending), response_url)


def import_chosen(
    deps: Deps, *, metadata: AfiFormMetadata, user_id: str, chosen: Mapping[str, str | None]
) -> str | None:
    """The import form (statement id → its wording if ticked, None if not): add the ticked
    ones. What to show in place of the form if nothing on it can be added any more."""
    errors = {}
    for statement_id, wording in chosen.items():
        if wording is None:
            continue  # unticked: left out, whatever its wording
        if problem := rules.afi_text_problem(wording) if wording else views.UNTICK_OR_WRITE:
            errors[views.text_block_id(statement_id)] = problem
    if chosen and all(wording is None for wording in chosen.values()):
        errors[views.keep_block_id(next(iter(chosen)))] = views.NOTHING_TICKED
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=metadata.channel_id)
        require_permission(review, user_id, Operation.IMPORT_AFIS)
        if errors:
            raise FormErrors(errors)
        flagged, pending = _candidates(session, deps, review)
        by_id = {candidate.result.statement.id: candidate for candidate in pending}
        kept = [
            (by_id[statement_id], wording)
            for statement_id, wording in chosen.items()
            if wording is not None and statement_id in by_id
        ]
        if not kept:
            return STALE_FORM
        earlier = flagged - len(pending)
        _import(session, deps, review, user_id, kept, earlier, metadata.response_url)
    return None


def _import(
    session: Session,
    deps: Deps,
    review: Review,
    user_id: str,
    chosen: Sequence[tuple[AfiCandidate, str]],
    earlier: int,
    response_url: str,
) -> str:
    """Add each candidate with its wording; its figures and why it was flagged are its
    evidence (`figures`), leaving the evidence field for the team's own."""
    now = deps.now()
    imported = [
        afis.add_afi(
            session=session,
            review_id=review.id,
            new=afis.NewAfi(
                text=wording,
                author_id=user_id,
                section_number=candidate.result.section_number,
                source=AfiSource.CHECKLIST,
                statement_id=candidate.result.statement.id,
                figures=rules.figures_of(candidate),
            ),
            now=now,
        )
        for candidate, wording in chosen
    ]
    statements = [afi.statement_id for afi in imported]
    audit(session, review, user_id, "afi.imported", {"statements": statements}, now)
    _refresh_open_vote(session, deps, review)
    text, blocks = build_afis_imported(
        imported_by=user_id,
        afis=[(afi.number, afi.statement_id or "", afi.text) for afi in imported],
        earlier=earlier,
    )
    undelivered = "The areas are imported, but I couldn't post the list in the channel."
    unposted = Undelivered(user_id=user_id, response_url=response_url or None, text=undelivered)
    _tell_channel(session, review, text, blocks=blocks, if_undelivered=unposted)
    return text


def vote_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    """`/afi vote`: the form choosing the vote's settings, once there is something to vote on."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        if afi_votes.open_vote_round(session=session, review_id=review.id) is not None:
            raise Refusal(
                "A vote is already open in this channel: use its message to vote, and "
                "`/afi close` to close it."
            )
        afi_count = afis.afi_facts(session=session, review_id=review.id).afi_count
    if afi_count < MIN_AFIS_TO_VOTE:
        raise Refusal(
            f"There {'is' if afi_count == 1 else 'are'} only "
            f"{plural(afi_count, 'area', 'areas')} for improvement so far: a vote needs at "
            "least two. Add them with `/afi add`."
        )
    metadata = AfiFormMetadata(channel_id=channel_id, response_url=response_url)
    return views.build_vote_modal(afi_count, metadata)


def start_vote(
    deps: Deps, *, channel_id: str, user_id: str, settings: VoteSettings, response_url: str
) -> None:
    """Open a vote in the channel's review and owe it its voting message."""
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            raise Refusal("The review in this channel has been closed.")
        _allow(review, user_id, Operation.RUN_VOTE)
        if problem := rules.vote_settings_problem(settings):
            raise FormErrors({ids.AFI_VOTE_CAP: problem})
        if settings.closes_at is not None and settings.closes_at <= deps.now():
            late = f"Choose a day whose {views.AUTO_CLOSE_TIME:%H:%M} is still to come"
            raise FormErrors({ids.AFI_VOTE_CLOSES: f"{late}, or leave it empty."})
        try:
            vote_round = afi_votes.open_vote(
                session=session,
                review_id=review.id,
                channel_id=channel_id,
                settings=settings,
                actor_id=user_id,
                now=deps.now(),
            )
        except afi_votes.VoteAlreadyOpen:
            raise Refusal("Someone started a vote meanwhile; use theirs.") from None
        _opened(session, deps, review, vote_round, user_id, response_url)


def _opened(
    session: Session,
    deps: Deps,
    review: Review,
    vote_round: AfiVoteRound,
    user_id: str,
    response_url: str | None,
) -> None:
    """Record the round opened and owe its first voting message."""
    names = ("budget", "per_afi_cap", "everyone_can_vote", "tally_hidden", "tie_break_of")
    settings = {"round": vote_round.id} | {name: getattr(vote_round, name) for name in names}
    audit(session, review, user_id, "afi.vote.opened", settings, vote_round.opened_at)
    not_started = Undelivered(
        user_id=user_id, response_url=response_url, text="The vote was not started."
    )
    owe_tally(
        session,
        deps,
        team_id=review.team_id,
        round_id=vote_round.id,
        channel_id=vote_round.channel_id,
        if_undelivered=not_started,
    )


def _voting_round(
    session: Session, round_id: int, user_id: str, afi_id: int | None = None
) -> afi_votes.VoterRound:
    """The round and its review (and the AFI `afi_id`, if given), under shared locks, if the
    person may vote in it."""
    found = afi_votes.round_for_voter(
        session=session, round_id=round_id, voter_id=user_id, afi_id=afi_id
    )
    if found is None or found.review.closed_at is not None:
        raise Refusal(VOTE_GONE)
    if not (found.vote_round.everyone_can_vote or permits(Operation.VOTE, found.roles)):
        raise Refusal(NOT_A_VOTER)
    return found


def _owe_ballot(
    session: Session,
    review: Review,
    vote_round: AfiVoteRound,
    user_id: str,
    response_url: str | None,
    *,
    in_ballot: bool = False,
    pressed: tuple[afi_votes.VoteResult, int] | None = None,
) -> None:
    """Owe the voter their ballot, headed by what their press on an AFI (`pressed`: the
    result and the AFI's id) did; `in_ballot`: it replaces the ballot they pressed in."""
    info, items, total, mine = afi_votes.voter_ballot(
        session=session,
        vote_round=vote_round,
        voter_id=user_id,
        mine=None if pressed is None else pressed[0].mine,
        limit=views.BALLOT_AFIS,
    )
    headline = ""
    if pressed is not None:
        result, afi_id = pressed
        headline = views.describe_vote_answer(
            result.outcome,
            afi_number=result.afi_number,
            on_afi=mine.get(afi_id, 0),
            budget=vote_round.budget,
            cap=vote_round.per_afi_cap,
        )
    text, blocks = views.build_my_ballot(info, items, mine, headline, total=total)
    owe_answer(
        session,
        team_id=review.team_id,
        user_id=user_id,
        response_url=response_url,
        text=text,
        blocks=blocks,
        replace_original=in_ballot,
    )


def cast_vote(
    deps: Deps,
    *,
    round_id: int,
    afi_id: int,
    user_id: str,
    action_ts: str,
    trigger_id: str,
    take_back: bool,
    in_ballot: bool,
    response_url: str | None,
) -> None:
    """Apply one press of a Vote button (`take_back`: a Remove button of an old voting
    message) and owe the voter their ballot and the message its tally, in one transaction:
    once this returns the press is stored (it is acknowledged after)."""
    with transaction(deps.sessions) as session:
        locked = _voting_round(session, round_id, user_id, afi_id)
        vote_round, review = locked.vote_round, locked.review
        try:
            clicked_at: float | None = float(action_ts)
        except ValueError:
            clicked_at = None
        click = afi_votes.VoteClick(
            round_id=round_id,
            afi_id=afi_id,
            voter_id=user_id,
            # Slack stamps each press with its own action_ts; a redelivered press repeats it.
            key=(action_ts or trigger_id)[:64],
            adding=not take_back,
            clicked_at=clicked_at,
            toggle=not take_back,
        )
        result = afi_votes.change_vote(session=session, click=click, now=deps.now(), locked=locked)
        assert result is not None  # the round exists
        if result.outcome in (VoteOutcome.ADDED, VoteOutcome.REMOVED):
            owe_tally(session, deps, team_id=review.team_id, round_id=vote_round.id)
        pressed = (result, afi_id)
        _owe_ballot(
            session, review, vote_round, user_id, response_url, in_ballot=in_ballot, pressed=pressed
        )


def show_my_votes(deps: Deps, *, round_id: int, user_id: str, response_url: str | None) -> None:
    with transaction(deps.sessions) as session:
        found = _voting_round(session, round_id, user_id)
        _owe_ballot(session, found.review, found.vote_round, user_id, response_url)


def votes_taken_back(session: Session, deps: Deps, *, round_ids: list[int]) -> None:
    """Votes left these rounds without a click (`/psif forget-me`): their messages catch up."""
    for round_id in round_ids:
        vote_round = afi_votes.get_vote_round(session=session, round_id=round_id)
        review = session.get(Review, vote_round.review_id) if vote_round else None
        if review is not None:
            owe_tally(session, deps, team_id=review.team_id, round_id=round_id)


def close_vote(
    *, session: Session, review: Review, top_n: int, actor_id: str, now: datetime
) -> tuple[AfiVoteRound, list[RankedAfi]] | None:
    """Close the open round (None if none) in the caller's transaction, rank the active AFIs
    and mark the prioritised ones; a tie-break round settles its tie instead. Closing locks
    the round, so votes in flight finish first and later ones see it closed."""
    vote_round = afi_votes.close_round(
        session=session, review_id=review.id, top_n=top_n, actor_id=actor_id, now=now
    )
    if vote_round is None:
        return None
    first_round = vote_round.tie_break_of is None
    if first_round:
        totals = afi_votes.locked_afi_votes(session=session, vote_round=vote_round)
        ranked = rules.rank_afis([(afi.number, votes) for afi, votes in totals], top_n=top_n)
    else:
        tied = afi_votes.locked_afi_votes(
            session=session, vote_round=vote_round, only=vote_round.tie_candidates
        )
        ranked = rules.settle_tie(
            [(afi.number, votes) for afi, votes in tied],
            places=vote_round.tie_places or 1,
            from_rank=min((afi.rank or 1 for afi, _ in tied), default=1),
        )
    afi_votes.store_ranks(
        session=session, review_id=review.id, ranked=ranked, others_unranked=first_round
    )
    prioritised = [item.number for item in ranked if item.prioritised]
    details = {"round": vote_round.id, "top_n": top_n, "prioritised": prioritised}
    audit(session, review, actor_id, "afi.vote.closed", details, now)
    session.flush()
    return vote_round, ranked


def _close_open_vote(
    session: Session,
    deps: Deps,
    review: Review,
    *,
    top_n: int | None,
    closer: str | None,
    response_url: str | None = None,
    only_round: int | None = None,
) -> bool:
    """Close the review's open vote (`only_round`, if given) and owe the channel its result,
    once; False if no such vote is open. `closer` None: closed at its set time."""
    vote_round = afi_votes.open_vote_round(session=session, review_id=review.id)
    if vote_round is None or only_round not in (None, vote_round.id):
        return False
    chosen = top_n or vote_round.top_n or DEFAULT_TOP_N
    closed = close_vote(
        session=session, review=review, top_n=chosen, actor_id=closer or "scheduler", now=deps.now()
    )
    if closed is None:
        return False
    vote_round, ranked = closed
    owe_tally(session, deps, team_id=review.team_id, round_id=vote_round.id)
    if vote_round.tie_break_of is not None:
        prioritised = afis.prioritised_afis(session=session, review_id=review.id)
        messages = views.build_tie_break_result(
            ranked, prioritised=sorted(afi.number for afi in prioritised), closed_by=closer
        )
    else:
        listed = afis.list_afis(session=session, review_id=review.id)
        messages = views.build_vote_result(
            ranked,
            {afi.number: afis.afi_item(afi) for afi in listed},
            top_n=chosen,
            closed_by=closer,
            round_id=vote_round.id,
            tie=rules.cut_off_tie(ranked, top_n=chosen),
        )
    unposted = "The vote is closed and the ranking saved, but I couldn't post it."
    undelivered = (
        Undelivered(user_id=closer, response_url=response_url, text=unposted) if closer else None
    )
    for text, blocks in messages:
        owe_message(
            session,
            team_id=review.team_id,
            channel=vote_round.channel_id,
            text=text,
            blocks=blocks,
            if_undelivered=undelivered,
        )
    return True


def close_vote_now(
    deps: Deps, *, channel_id: str, user_id: str, typed_top_n: str, response_url: str
) -> None:
    """`/afi close [N]`; the result in the channel names the closer, so nothing else is said."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        top_n = rules.parse_top_n(typed_top_n) if typed_top_n.strip() else None
        if _close_open_vote(
            session, deps, review, top_n=top_n, closer=user_id, response_url=response_url
        ):
            return
        held_before = afi_votes.latest_vote_round(session=session, review_id=review.id) is not None
    raise Refusal(
        "No vote is open. "
        + (
            "Re-open the last one with `/afi reopen`, or start a new one with `/afi vote`."
            if held_before
            else "Start one with `/afi vote`."
        )
    )


def close_due_votes(deps: Deps) -> int:
    """The scheduler's job: close every vote whose closing time has passed. Safe to run
    twice or in two processes at once: closing locks the round and a closed one is left."""
    with transaction(deps.sessions) as session:
        due = afi_votes.rounds_due_to_close(session=session, now=deps.now())
        due_ids = [(r.id, r.review_id) for r in due]
    closed = 0
    for round_id, review_id in due_ids:
        with transaction(deps.sessions) as session:
            review = get_review(session=session, review_id=review_id)
            if (
                review is not None
                and review.closed_at is None
                and _close_open_vote(
                    session, deps, review, top_n=None, closer=None, only_round=round_id
                )
            ):
                closed += 1
    return closed


def reopen_last_vote(deps: Deps, *, channel_id: str, user_id: str) -> str:
    """`/afi reopen`: the last closed vote opens again with its votes."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.RUN_VOTE)
        if afi_votes.open_vote_round(session=session, review_id=review.id) is not None:
            raise Refusal("The vote is already open.")
        vote_round = afi_votes.reopen_vote(session=session, review_id=review.id)
        if vote_round is None:
            raise Refusal("There is no earlier vote to re-open. Start one with `/afi vote`.")
        audit(session, review, user_id, "afi.vote.reopened", {"round": vote_round.id}, now)
        owe_tally(session, deps, team_id=review.team_id, round_id=vote_round.id)
        text = (
            f"{mention(user_id)} re-opened the vote on the areas for improvement: the votes "
            "cast so far still count, and the voting message above works again. "
            "The prioritised list is updated when the vote is closed again."
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=vote_round.channel_id,
            text=text,
            blocks=[section(text)],
        )
    return "The vote is open again."


def start_tie_break(deps: Deps, *, round_id: int, user_id: str, response_url: str | None) -> str:
    """A round on the AFIs tied across the closed round's cut-off, one vote per place each,
    keeping the settled round's voters and hidden tally."""
    with transaction(deps.sessions) as session:
        settled = afi_votes.get_vote_round(session=session, round_id=round_id)
        review = get_review(session=session, review_id=settled.review_id) if settled else None
        if settled is None or review is None or review.closed_at is not None:
            raise Refusal(VOTE_GONE)
        _allow(review, user_id, Operation.RUN_VOTE)
        if afi_votes.latest_vote_round(session=session, review_id=review.id) is not settled:
            raise Refusal("A later vote has been held since; this tie-break is no longer needed.")
        listed = afis.list_afis(session=session, review_id=review.id)
        ranked = [
            RankedAfi(afi.number, 0, afi.rank, False, afi.prioritised)
            for afi in listed
            if afi.rank is not None
        ]
        ranked.sort(key=lambda entry: (entry.rank, entry.number))
        tie = rules.cut_off_tie(ranked, top_n=settled.top_n or DEFAULT_TOP_N)
        if tie is None:
            raise Refusal("There's no tie at the cut-off any more, so there's nothing to break.")
        settings = VoteSettings(
            budget=tie.places,
            per_afi_cap=1,
            everyone_can_vote=settled.everyone_can_vote,
            hide_tally=settled.tally_hidden,
            top_n=settled.top_n or tie.places,
        )
        try:
            vote_round = afi_votes.open_vote(
                session=session,
                review_id=review.id,
                channel_id=settled.channel_id,
                settings=settings,
                actor_id=user_id,
                now=deps.now(),
                tie_break_of=settled.id,
                tie_places=tie.places,
                tie_candidates=[afi.id for afi in listed if afi.number in tie.numbers],
            )
        except afi_votes.VoteAlreadyOpen:
            raise Refusal("A vote is already open in this channel.") from None
        _opened(session, deps, review, vote_round, user_id, response_url)
    return "The tie-break is open: its voting message is being posted in the channel."


def vote_home_sections(
    session: Session, reviews: list[Review], *, user_id: str
) -> list[HomeSection]:
    """Home tab: open votes in the user's reviews where they may vote and have votes left."""
    found: list[HomeSection] = []
    for review in reviews:
        vote_round = afi_votes.open_vote_round(session=session, review_id=review.id)
        if vote_round is None or not (
            vote_round.everyone_can_vote or permits(Operation.VOTE, roles_of(review, user_id))
        ):
            continue
        mine = afi_votes.round_tally(session=session, round_id=vote_round.id, voter_id=user_id)
        line = views.build_vote_home(
            channel_id=vote_round.channel_id, budget=vote_round.budget, used=sum(mine.mine.values())
        )
        if line is not None:
            found.append(HomeSection("Prioritisation vote", (line,), review_id=review.id))
    return found


def vote_counts(
    *, session: Session, review_id: int
) -> tuple[afis.AfiFacts, afi_votes.Tally | None, bool]:
    """A lead's Home tab: AFI counts, the latest vote's tally (None before one), whether open."""
    vote_round = afi_votes.latest_vote_round(session=session, review_id=review_id)
    tally = afi_votes.round_tally(session=session, round_id=vote_round.id) if vote_round else None
    is_open = vote_round is not None and vote_round.closed_at is None
    return afis.afi_facts(session=session, review_id=review_id), tally, is_open
