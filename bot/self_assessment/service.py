"""The self-assessment's use cases: inviting, answering under a pseudonym, closing, results
and their exports. Nothing written while someone answers names them or records when they
answered (README, "Security and privacy"); once results are shown it never reopens, as a
second set could be compared with the first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import aware, format_date
from bot.core.checklist import Checklist, Section
from bot.core.errors import Refusal
from bot.core.permissions import Operation, permits, refusal
from bot.core.responses import (
    AnsweredBy,
    Comment,
    Completion,
    OwnProgress,
    RoundState,
    RoundStatus,
    respondent_key,
    survey_respondent_key,
)
from bot.core.roles import TEAM_ROLES, Role
from bot.core.stages import closed_note
from bot.core.timeline import close_date_refusal
from bot.core.typed_dates import TYPED_DATE_EXAMPLES, parse_typed_date
from bot.deps import Deps
from bot.review_access import (
    channel_review,
    get_review,
    readable_channel_review,
    require_permission,
)
from bot.self_assessment import views

# `X as X`: re-exported for the features that show the figures.
from bot.self_assessment._analysis import AfiCandidate as AfiCandidate
from bot.self_assessment._analysis import Analysis as Analysis
from bot.self_assessment._analysis import AnalysisSettings, ChartData, analyse, chart_data
from bot.self_assessment._analysis import Tally as Tally
from bot.self_assessment._analysis import minimum_rule as minimum_rule
from bot.self_assessment._analysis import round_pct as round_pct
from bot.self_assessment._analysis import withheld_summary as withheld_summary
from bot.settings import Settings
from bot.slack.after_ack import Answer
from bot.slack.blocks import Block, HomeSection, section
from bot.slack.calls import direct_message
from bot.slack.channels import require_private_channel
from bot.slack.outbox import (
    MESSAGE,
    OUTBOX_EVENT,
    Delivery,
    Kind,
    deliver_answer,
    find_posted,
    owe_message,
    post_once,
)
from bot.slack.payloads import UnreadablePayload
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural
from bot.slack.usergroups import GroupMention, mentioned_groups
from storage.db import transaction
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistRound
from storage.repositories.outbox import is_owed, last_sent_at
from storage.repositories.reviews import (
    add_members,
    open_review_in_channel,
    record_audit,
    roles_of,
    timeline_of,
)
from storage.repositories.self_assessment import (
    add_participants,
    close_early,
    completion,
    ensure_round,
    get_checklist_round,
    invitation_message,
    invitation_messages,
    invited_users,
    mark_results_posting,
    release_results,
    remember_invitation_message,
    remember_results_post,
    reviews_answering,
    round_and_invitation,
    rounds_with_participants,
    set_closing_date,
)
from storage.repositories.self_assessment_answers import (
    all_responses,
    completed_keys,
    is_completed,
    own_sections,
    record_completion,
    rekey,
    respondent_counts,
    rounds_to_seal,
    save_section,
    seal_answers,
)
from storage.repositories.survey import IMPORTED, WEB, links_of
from storage.repositories.team import ever_on_team, team_of

logger = logging.getLogger(__name__)

INVITATIONS_REFRESH = "checklist_invitations_refresh"
RESULTS_POST = "results_post"
RESULTS_REQUEST = "results_request"
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
INVITE_USAGE = "/psif invite @person @person … (or @user-group)"
NOT_INVITED = (
    "You haven't been invited to a self-assessment yet: only invited people can answer one. "
    "If you should be, ask the review's host lead or host team to invite you with "
    "`/psif invite @your-name` in the review's channel; I'll then send you a direct message "
    "with a button to start."
)
RESULTS_SHOWN = (
    "Results have already been shown, so the self-assessment stays closed: a second set of "
    "results could be compared with the first and show what the last people answered."
)


# -- rounds ---------------------------------------------------------------------------------


def round_status(
    *, session: Session, deps: Deps, round_: ChecklistRound, counted: bool = True
) -> RoundStatus:
    """Whether the round takes answers now, with its counts (never who); when only that
    matters (`counted` False) its completion is left at 0 of 0 and costs no query."""
    return RoundStatus(
        closes_on=round_.closes_on,
        today=deps.today(),
        completion=(
            completion(session=session, review_id=round_.review_id) if counted else Completion(0, 0)
        ),
        closed_early=round_.closed_at is not None,
        released=round_.results_released_at is not None,
    )


def answered_by(*, session: Session, deps: Deps, round_: ChecklistRound) -> AnsweredBy:
    """How many finished in Slack, by survey link and by import, worked out from the keys."""
    secret, salt = deps.respondent_secret, round_.key_salt
    finished = {
        key for _review, key in completed_keys(session=session, review_ids=[round_.review_id])
    }
    invited = invited_users(session=session, review_id=round_.review_id)
    in_slack = {key_of(deps, round_, user) for user in invited}
    by_source: dict[str, set[str]] = {WEB: set(), IMPORTED: set()}
    for link in links_of(session=session, review_id=round_.review_id):
        by_source[link.source].add(survey_respondent_key(secret, salt, link.link_hash))
    return AnsweredBy(
        in_slack=len(finished & in_slack),
        on_web=len(finished & by_source[WEB]),
        imported=len(finished & by_source[IMPORTED]),
    )


def key_of(deps: Deps, round_: ChecklistRound, user_id: str) -> str:
    """The user's pseudonymous key in this round; computed, never stored next to them."""
    return respondent_key(deps.respondent_secret, round_.key_salt, user_id)


def default_closing_date(issued_on: date, pre_meeting: date | None, open_days: int) -> date:
    """`open_days` after issue, but no later than the team pre-meeting (if still ahead)."""
    closes = issued_on + timedelta(days=open_days)
    return pre_meeting if pre_meeting is not None and issued_on <= pre_meeting < closes else closes


def _issue_round(
    session: Session,
    deps: Deps,
    review: Review,
    user_id: str,
    closes_on: date | None = None,
    *,
    missing: str = ", so I can't issue it. Ask whoever looks after the PSIF bot.",
) -> ChecklistRound:
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise Refusal(f"This review's checklist `{review.checklist_id}` isn't installed{missing}")
    return ensure_round(
        session=session,
        review=review,
        checklist=checklist,
        closes_on=closes_on
        or default_closing_date(
            deps.today(), review.pre_meeting, deps.settings.self_assessment_days
        ),
        actor_id=user_id,
        now=deps.now(),
    )


def _tell_channel(
    session: Session,
    review: Review,
    message: tuple[str, list[Block]],
    *,
    by: str,
    response_url: str | None,
    failed: str,
) -> None:
    """Owe the review's channel a message; if it can't go, `by` is told `failed`."""
    text, blocks = message
    owe_message(
        session,
        team_id=review.team_id,
        channel=review.channel_id,
        text=text,
        blocks=blocks,
        if_undelivered={"user_id": by, "response_url": response_url, "text": failed},
    )


def _audit(
    session: Session, deps: Deps, review: Review, user_id: str, action: str, **details: Any
) -> None:
    now = deps.now()
    record_audit(
        session=session, review=review, actor_id=user_id, action=action, details=details, now=now
    )


def self_assessment_status(*, session: Session, deps: Deps, review: Review) -> list[Block]:
    """The self-assessment part of `/psif status`: counts, never who has finished."""
    round_ = get_checklist_round(session=session, review_id=review.id)
    if round_ is None:
        return []
    return views.build_self_assessment_status(
        round_status(session=session, deps=deps, round_=round_),
        answered_by(session=session, deps=deps, round_=round_),
    )


# -- inviting -------------------------------------------------------------------------------


def invite_mentioned(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    typed: str,
    members_of: Callable[[GroupMention], list[str] | str],
    response_url: str,
) -> str:
    """`/psif invite @a @b @group …`; permission is checked before Slack is asked who is in a
    group (`members_of`: their ids, or what to tell the person)."""
    with transaction(deps.sessions) as session:
        require_permission(
            channel_review(session, channel_id=channel_id), user_id, Operation.INVITE_STAKEHOLDERS
        )
    users = mentioned_users(typed)
    groups = mentioned_groups(typed)
    if not users and not groups:
        raise Refusal(
            f"Name the people to invite, for example `{INVITE_USAGE}`. Type `@` and pick each "
            "person (or a user group) from the list so that Slack sends me who they are."
        )
    problems: list[str] = []
    for group in groups:
        members = members_of(group)
        if isinstance(members, str):
            problems.append(members)
        else:
            users += [user for user in members if user not in users]
    if not users:
        raise Refusal("\n".join(problems))
    return invite_people(
        deps,
        channel_id=channel_id,
        user_id=user_id,
        users=users,
        response_url=response_url,
        notes=problems,
    )


def round_taking_newcomers(
    session: Session, deps: Deps, review: Review, user_id: str
) -> ChecklistRound:
    """The review's round (issued now if need be) for more people to answer, in Slack or by
    survey link; a Refusal if it can't take any."""
    round_ = _issue_round(session, deps, review, user_id)
    status = round_status(session=session, deps=deps, round_=round_, counted=False)
    if status.state is RoundState.FINAL:
        raise Refusal(RESULTS_SHOWN)
    if status.closed_early or status.today > status.closes_on:
        raise Refusal(
            f"The self-assessment {status.why_closed()}. To let more people answer, the "
            "host lead can set a new closing date with "
            "`/psif checklist close-date YYYY-MM-DD` first."
        )
    return round_


def mentioned_users(text: str) -> list[str]:
    """User ids of the `<@U…>` mentions in a command's text, in order, once each."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


def invite_people(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    users: list[str],
    response_url: str = "",
    notes: Sequence[str] = (),
) -> str:
    """Invite these people to the channel's review (issuing the self-assessment if need be):
    a DM each, one note in the channel; the answer names them, then `notes`."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.INVITE_STAKEHOLDERS)
        round_ = round_taking_newcomers(session, deps, review, user_id)
        now = deps.now()
        added = add_participants(
            session=session, review_id=review.id, user_ids=users, actor_id=user_id, now=now
        )
        if added:
            add_members(
                session=session,
                review=review,
                user_ids=added,
                role=Role.STAKEHOLDER,
                actor_id=user_id,
                now=now,
            )
            _audit(session, deps, review, user_id, "checklist.invited", users=added)
            text, blocks = _invitation(deps, review, round_, invited_by=user_id)
            undelivered = {"user_id": user_id, "response_url": response_url}
            for user in added:
                failed = (
                    f"I couldn't send {mention(user)} their invitation. They can still type "
                    "`/psif checklist` to start."
                )
                INVITATION_KIND.owe(
                    session,
                    team_id=review.team_id,
                    lane=user,
                    payload={
                        "channel": user,
                        "review_id": review.id,
                        "text": text,
                        "blocks": blocks,
                        "if_undelivered": {**undelivered, "text": failed},
                    },
                )
            _tell_channel(
                session,
                review,
                views.build_issued_in_channel(
                    invited_by=user_id, invited=added, closes_on=round_.closes_on
                ),
                by=user_id,
                response_url=response_url,
                failed="The invitations are saved, but I couldn't tell the channel.",
            )
        closes_on = round_.closes_on
        on_team = [user for user in added if user in team_of(review)]
    already = [user for user in users if user not in added]
    lines = []
    if added:
        lines.append(
            f"Invited {join_words([mention(u) for u in added])}: each gets a direct message "
            f"with a button to start. The self-assessment is open "
            f"{views.open_until(closes_on)}."
        )
    if on_team:
        lines.append(
            f"{join_words([mention(u) for u in on_team])} "
            f"{'is' if len(on_team) == 1 else 'are'} on the review team: their answers will be "
            "in the figures but won't count towards the "
            f"{deps.settings.min_respondents} people outside the team needed before any "
            "figure is shown."
        )
    if already:
        lines.append(f"Already invited: {join_words([mention(u) for u in already])}.")
    return "\n".join([*lines, *notes])


def _invitation(
    deps: Deps, review: Review, round_: ChecklistRound, *, invited_by: str
) -> tuple[str, list[Block]]:
    return views.build_invitation(
        review_id=review.id,
        host_council=review.host_council,
        focus=review.focus,
        invited_by=invited_by,
        checklist=deps.checklists[round_.checklist_id],
        closes_on=round_.closes_on,
        min_respondents=deps.settings.min_respondents,
    )


def _owe_invitations_refresh(session: Session, review: Review) -> None:
    """Owe changing every invitation DM to what is true now (a newer change replaces one
    still pending)."""
    key = f"{INVITATIONS_REFRESH}:{review.id}"
    INVITATIONS_REFRESH_KIND.owe(
        session, team_id=review.team_id, lane=key, key=key, payload={"review_id": review.id}
    )


def _deliver_invitations_refresh(delivery: Delivery) -> None:
    """Each invitation DM says what holds now: closed, done (only its person sees it) or the
    invitation with its date. Only a lead's act owes this, never anyone's answering."""
    deps = delivery.deps
    with transaction(deps.sessions) as session:
        review_id = int(delivery.payload["review_id"])
        review = get_review(session=session, review_id=review_id)
        round_ = get_checklist_round(session=session, review_id=review_id)
        if review is None or round_ is None:
            return  # the review or its self-assessment is gone: nothing to change
        status = round_status(session=session, deps=deps, round_=round_)
        updates: list[tuple[str, str, tuple[str, list[Block]]]] = []
        for user_id, invited_by, channel, ts in invitation_messages(
            session=session, review_id=review.id
        ):
            if not status.is_open:
                dm = views.build_invitation_closed(host_council=review.host_council, status=status)
            elif is_completed(
                session=session, review_id=review.id, respondent_key=key_of(deps, round_, user_id)
            ):
                dm = views.build_invitation_done(
                    review_id=review.id,
                    host_council=review.host_council,
                    closes_on=round_.closes_on,
                )
            else:
                dm = _invitation(deps, review, round_, invited_by=invited_by)
            updates.append((channel, ts, dm))
    for channel, ts, (text, blocks) in updates:
        try:
            delivery.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as error:
            # One DM gone must not hold back the others; its button opens what is true now.
            logger.warning("could not change an invitation: %s", error.response.get("error"))


def _deliver_invitation(delivery: Delivery) -> None:
    payload, client = delivery.payload, delivery.client
    user_id = str(payload["channel"])
    sent = None
    if delivery.may_have_reached_slack:  # look for the earlier attempt's DM
        try:
            channel = str(client.conversations_open(users=user_id)["channel"]["id"])
        except SlackApiError:
            channel = None
        ts = channel and find_posted(
            client, channel=channel, event_type=OUTBOX_EVENT, key="item", value=delivery.item_id
        )
        sent = (channel, ts) if channel and ts else None
    if sent is None:
        response = client.chat_postMessage(
            channel=user_id,
            text=str(payload["text"]),
            blocks=payload.get("blocks"),
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
            unfurl_links=False,
            unfurl_media=False,
        )
        sent = (str(response["channel"]), str(response["ts"]))
    with transaction(delivery.deps.sessions) as session:
        remember_invitation_message(
            session=session,
            review_id=int(payload["review_id"]),
            user_id=user_id,
            channel_id=sent[0],
            ts=sent[1],
        )


# -- answering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnPage:
    """A section modal as submitted or left (section 0: the review screen)."""

    review_id: int
    section: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Respondent:
    review_id: int
    host_council: str
    checklist: Checklist
    closes_on: date
    key: str

    def section(self, number: int) -> Section:
        if not 1 <= number <= len(self.checklist.sections):
            raise UnreadablePayload(f"no section {number}")
        return self.checklist.sections[number - 1]


@dataclass(frozen=True)
class Finished:
    """Finish gives thanks by direct message, or a view to show instead."""

    thanks: str | None = None
    view: Block | None = None


def _answering(
    deps: Deps, review_id: int, user_id: str, show: Callable[[Session, Respondent], Block]
) -> Block:
    """What `show` gives for the user as a respondent of the review, or why they can't
    answer. Only the invited answer: nobody may add themselves to the minimum's count."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None or review.closed_at is not None:
            return views.build_notice_modal(
                "Review closed", "This review is closed, so there is nothing to answer."
            )
        host = escape_mrkdwn(review.host_council)
        round_, invited = round_and_invitation(
            session=session, review_id=review.id, user_id=user_id
        )
        if round_ is None:
            return views.build_notice_modal(
                "Not issued yet",
                f"The *{host}* self-assessment hasn't been issued yet. The host team issues it "
                "with `/psif invite`.",
            )
        if not invited:
            return views.build_notice_modal("Not invited", _not_invited(review, user_id))
        status = round_status(session=session, deps=deps, round_=round_, counted=False)
        if not status.is_open:
            return views.closed_notice(review.host_council, status.why_closed())
        checklist = deps.checklists.get(review.checklist_id)
        if checklist is None:
            return views.build_notice_modal(
                "Checklist missing",
                f"This review uses the checklist `{review.checklist_id}`, which is not installed "
                "any more. Ask whoever looks after the PSIF bot to add it back to "
                "PSIF_CHECKLIST_FILES.",
            )
        respondent = Respondent(
            review.id,
            review.host_council,
            checklist,
            round_.closes_on,
            key_of(deps, round_, user_id),
        )
        return show(session, respondent)


def _not_invited(review: Review, user_id: str) -> str:
    text = (
        f"You're not on the list for the *{escape_mrkdwn(review.host_council)}* "
        "self-assessment: "
        "only people who have been invited can answer it. If you should be, ask the host "
        "lead or the host team to invite you by typing `/psif invite @your-name` in the "
        "review's channel; you'll get a direct message with a button to start."
    )
    if roles_of(review, user_id) & set(TEAM_ROLES):
        text += (
            " As you're on the review team, your answers would be in the figures but would "
            "not count towards the minimum number of people needed before any are shown."
        )
    return text


def _progress(session: Session, respondent: Respondent) -> OwnProgress:
    sections = own_sections(
        session=session, review_id=respondent.review_id, respondent_key=respondent.key
    )
    return OwnProgress(respondent.checklist, sections)


def _page(
    respondent: Respondent, progress: OwnProgress, *, after: int = 0, target: int | None = None
) -> Block:
    """Section `target`, else the first unsaved after `after` (else any), else the review
    screen."""
    unsaved = [s.number for s in respondent.checklist.sections if s.number not in progress.sections]
    target = target or next((n for n in unsaved if n > after), progress.first_incomplete())
    if target is None:
        return views.build_summary_modal(
            progress=progress,
            review_id=respondent.review_id,
            host_council=respondent.host_council,
            closes_on=respondent.closes_on,
        )
    return views.build_section_modal(
        checklist=respondent.checklist,
        section_number=target,
        review_id=respondent.review_id,
        host_council=respondent.host_council,
        closes_on=respondent.closes_on,
        saved=progress.sections.get(target),
    )


def open_self_assessment(deps: Deps, *, review_id: int, user_id: str) -> Block:
    """A Start (or Review your answers) button: the view to open, or why there is none."""
    return _answering(deps, review_id, user_id, lambda session, r: _page(r, _progress(session, r)))


def own_self_assessment(deps: Deps, *, channel_id: str, user_id: str) -> Block | Answer:
    """`/psif checklist`: this channel's self-assessment, or the person's only one; else
    buttons to choose."""
    with transaction(deps.sessions) as session:
        here = open_review_in_channel(session=session, channel_id=channel_id)
        choices = [
            (review.id, review.host_council)
            for review in reviews_answering(session=session, user_id=user_id)
        ]
        chosen = here.id if here else (choices[0][0] if len(choices) == 1 else None)
    if chosen is not None:
        return open_self_assessment(deps, review_id=chosen, user_id=user_id)
    if not choices:
        raise Refusal(NOT_INVITED)
    return views.build_which_self_assessment(choices)


def answer_page(deps: Deps, *, page: OnPage, user_id: str, target: int | None = None) -> Block:
    """Next or Save and review (no `target`): save the section, then show the next unsaved
    one or the review screen; Back or Change: keep the page, then show section `target`.
    Written under the respondent's key only, with no time; all saved counts as finished."""

    def save_then_show(session: Session, respondent: Respondent) -> Block:
        saving = bool(page.section) or target is None
        if saving:
            saved = views.parse_section_state(page.values, respondent.section(page.section))
            save_section(
                session=session,
                review_id=respondent.review_id,
                respondent_key=respondent.key,
                saved=saved,
            )
        progress = _progress(session, respondent)
        if saving and progress.done:
            record_completion(
                session=session, review_id=respondent.review_id, respondent_key=respondent.key
            )
        to = None if target is None else respondent.section(target).number
        return _page(respondent, progress, after=page.section, target=to)

    return _answering(deps, page.review_id, user_id, save_then_show)


def finish_answering(deps: Deps, *, review_id: int, user_id: str) -> Finished:
    """Finish on the review screen; it never closes the round (it's open to its date)."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        round_, invited = round_and_invitation(
            session=session, review_id=review_id, user_id=user_id
        )
        if (
            review is not None
            and round_ is not None
            and invited
            and is_completed(
                session=session, review_id=review_id, respondent_key=key_of(deps, round_, user_id)
            )
        ):
            status = round_status(session=session, deps=deps, round_=round_, counted=False)
            if status.is_open:
                return Finished(thanks=views.build_thanks(review.host_council, status.closes_on))
    return Finished(view=open_self_assessment(deps, review_id=review_id, user_id=user_id))


def thank_finisher(
    client: WebClient, deps: Deps, *, review_id: int, user_id: str, thanks: str
) -> None:
    """After Finish: thank the person and mark their invitation DM done. Direct calls, not
    the outbox: a row written now would record when they finished."""
    direct_message(client, user=user_id, text=thanks)
    with transaction(deps.sessions) as session:
        found = invitation_message(session=session, review_id=review_id, user_id=user_id)
        review = get_review(session=session, review_id=review_id)
        round_ = get_checklist_round(session=session, review_id=review_id)
        if found is None or review is None or round_ is None:
            return
        text, blocks = views.build_invitation_done(
            review_id=review_id, host_council=review.host_council, closes_on=round_.closes_on
        )
    try:
        client.chat_update(channel=found[0], ts=found[1], text=text, blocks=blocks)
    except SlackApiError as error:
        logger.warning("could not mark an invitation done: %s", error.response.get("error"))


# -- closing --------------------------------------------------------------------------------


def close_confirmation(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    """`/psif checklist close`: ask the lead to confirm closing the self-assessment now."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SET_SELF_ASSESSMENT_CLOSE)
        _, status = _round_to_close(session, deps, review, (", so there is nothing", "."))
        return views.build_close_confirmation(
            review_id=review.id, host_council=review.host_council, status=status
        )


def _round_to_close(
    session: Session, deps: Deps, review: Review, saying: tuple[str, str]
) -> tuple[ChecklistRound, RoundStatus]:
    """The round a lead may close now, or a Refusal `saying` why there is nothing to close."""
    round_ = get_checklist_round(session=session, review_id=review.id)
    if round_ is None:
        raise Refusal(f"The self-assessment hasn't been issued yet{saying[0]} to close.")
    status = round_status(session=session, deps=deps, round_=round_)
    if not status.is_open:
        raise Refusal(f"The self-assessment already {status.why_closed()}{saying[1]}")
    return round_, status


def close_early_confirmed(
    deps: Deps, *, review_id: int | None, user_id: str, response_url: str | None = None
) -> str:
    """The lead confirmed: close and seal now, and tell the channel; the answer for the lead."""
    if review_id is None:
        raise Refusal("That button is out of date; type `/psif checklist close` again.")
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None or review.closed_at is not None:
            raise Refusal("That review is closed.")
        if not permits(Operation.SET_SELF_ASSESSMENT_CLOSE, roles_of(review, user_id)):
            raise Refusal(refusal(Operation.SET_SELF_ASSESSMENT_CLOSE))
        round_, status = _round_to_close(session, deps, review, ("; nothing", "; nothing changed."))
        close_early(session=session, round_=round_, now=deps.now())
        seal_answers(session=session, round_=round_, now=deps.now())
        _audit(session, deps, review, user_id, "checklist.closed_early")
        _owe_invitations_refresh(session, review)
        _tell_channel(
            session,
            review,
            views.build_closed(
                review_id=review.id, status=replace(status, closed_early=True), closed_by=user_id
            ),
            by=user_id,
            response_url=response_url,
            failed="The self-assessment is closed, but I couldn't tell the channel.",
        )
    return (
        "Done: the self-assessment is closed. The review team can see the results with "
        "`/psif results` or the button in the channel."
    )


def change_closing_date(
    deps: Deps, *, channel_id: str, user_id: str, typed: str, response_url: str | None
) -> str:
    """`/psif checklist close-date 31/12/2026`: a lead moves the closing date (issuing or
    reopening the self-assessment if need be); permission is checked before the date."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SET_SELF_ASSESSMENT_CLOSE)
        closes_on = parse_typed_date(typed, today=today)
        if closes_on is None:
            raise Refusal(
                f"I couldn't read `{escape_mrkdwn(typed) or 'nothing'}` as a date. Give it as, "
                f"for example, {TYPED_DATE_EXAMPLES}."
            )
        if closes_on < today:
            raise Refusal(
                f"{format_date(closes_on)} has already passed. Choose today or a later date."
            )
        refused = close_date_refusal(timeline_of(review), closes_on, today)
        if refused:
            raise Refusal(refused)
        round_ = _issue_round(session, deps, review, user_id, closes_on, missing=".")
        status = round_status(session=session, deps=deps, round_=round_, counted=False)
        if status.state is RoundState.FINAL:
            raise Refusal(RESULTS_SHOWN)
        previous = round_.closes_on
        set_closing_date(session=session, round_=round_, closes_on=closes_on)
        message = f"The self-assessment now closes on {format_date(closes_on)}."
        if status.closed_early:
            message += " It was closed early; it is open again."
        if round_.closes_on != previous or status.closed_early:
            message += " Each invitation I sent now says so."
            _owe_invitations_refresh(session, review)
        dates = {"from": previous.isoformat(), "to": closes_on.isoformat()}
        _audit(session, deps, review, user_id, "checklist.closing_date", **dates)
        announcement = (
            f"{mention(user_id)} set the self-assessment to close on {format_date(closes_on)}."
        )
        _tell_channel(
            session,
            review,
            (announcement, [section(announcement)]),
            by=user_id,
            response_url=response_url,
            failed="The closing date is saved, but I couldn't tell the channel.",
        )
        if review.pre_meeting and closes_on > review.pre_meeting:
            message += (
                f" Note that this is after the team pre-meeting on "
                f"{format_date(review.pre_meeting)}, so the results won't be ready for it."
            )
    return message


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    checklist: Checklist
    analysis: Analysis
    comments: list[Comment]
    completion: Completion
    answered_by: AnsweredBy


class NoResults(Refusal):
    """Why there is nothing to report yet; the message is for the person who asked."""


def check_results(*, session: Session, deps: Deps, review: Review) -> None:
    """Raise NoResults as `load_results` would, counting in SQL and releasing nothing.
    The first few who count are tried first: when enough of them answered, nobody else's
    key need be worked out, so a large review costs no more than a small one."""
    round_, _checklist = _closed_round(session, deps, review)
    settings = analysis_settings(deps.settings)
    team = ever_on_team(session=session, review=review)
    first = invited_users(session=session, review_id=review.id, first=4 * settings.min_respondents)
    probe = {key_of(deps, round_, user) for user in first if user not in team}
    _, counted = respondent_counts(session=session, review_id=review.id, counted_keys=probe)
    if counted >= settings.min_respondents:
        return
    everyone = _counted_keys(session, deps, review, round_)
    respondents, counted = respondent_counts(
        session=session, review_id=review.id, counted_keys=everyone
    )
    _refuse_too_few(respondents, counted, settings)


def _closed_round(session: Session, deps: Deps, review: Review) -> tuple[ChecklistRound, Checklist]:
    round_ = get_checklist_round(session=session, review_id=review.id)
    if round_ is None:
        raise NoResults(
            "The self-assessment hasn't been issued yet. The host team issues it with "
            "`/psif invite @person …`."
        )
    checklist = deps.checklists.get(review.checklist_id)
    if checklist is None:
        raise NoResults(f"This review's checklist `{review.checklist_id}` isn't installed.")
    if round_status(session=session, deps=deps, round_=round_, counted=False).is_open:
        status = round_status(session=session, deps=deps, round_=round_)
        raise NoResults(
            f"The self-assessment is open until {format_date(status.closes_on)}: "
            f"{status.completion.line()}. Results are shown once it closes – on that date, "
            "even if everyone has finished (that is what they were told), or earlier if the "
            "host lead or IS lead closes it with `/psif checklist close`. Until then only the "
            "count is shared, so that nobody's answers can be worked out by comparing results."
        )
    return round_, checklist


def _counted_keys(session: Session, deps: Deps, review: Review, round_: ChecklistRound) -> set[str]:
    """Who counts towards the minimum: the invited who never held a team role, and those
    who answered by survey link or import."""
    team = ever_on_team(session=session, review=review)
    invited = invited_users(session=session, review_id=review.id)
    counted = {key_of(deps, round_, user) for user in invited if user not in team}
    return counted | {
        survey_respondent_key(deps.respondent_secret, round_.key_salt, link.link_hash)
        for link in links_of(session=session, review_id=review.id)
    }


def _refuse_too_few(respondents: int, counted_people: int, settings: AnalysisSettings) -> None:
    if respondents == 0:
        raise NoResults("Nobody answered the self-assessment, so there is nothing to show.")
    if counted_people < settings.min_respondents:
        who = f"Only {plural(counted_people, 'person', 'people')}" if counted_people else "Nobody"
        raise NoResults(
            f"{who} outside the review team answered. Results are shown only when at least "
            f"{settings.min_respondents} have, so that nobody's answers can be worked out; the "
            "review team's own answers don't count towards that, since the team knows them."
        )


def load_results(*, session: Session, deps: Deps, review: Review) -> Results:
    """The analysed self-assessment, or NoResults saying why not; a fixed number of queries.
    The first load closes the round for good and seals it. Only whom the bot can vouch for
    as never on the team counts, so figures can later be lost but never gained."""
    round_, checklist = _closed_round(session, deps, review)
    counted = _counted_keys(session, deps, review, round_)
    responses = all_responses(session=session, review_id=review.id, counted_keys=counted)
    settings = analysis_settings(deps.settings)
    analysis = analyse(checklist, responses.respondents, settings)
    _refuse_too_few(analysis.respondents, analysis.counted_respondents, settings)
    if release_results(session=session, round_=round_, now=deps.now()):
        seal_answers(session=session, round_=round_, now=deps.now())
    return Results(
        checklist=checklist,
        analysis=analysis,
        comments=[c for c in responses.comments if analysis.shows_section(c.section_number)],
        completion=completion(session=session, review_id=review.id),
        answered_by=answered_by(session=session, deps=deps, round_=round_),
    )


def analysis_settings(settings: Settings) -> AnalysisSettings:
    return AnalysisSettings(
        min_respondents=settings.min_respondents,
        strengths_count=settings.strengths_count,
        afi_count=settings.afi_candidates_count,
        strength_threshold_pct=settings.strength_threshold_pct,
        afi_agree_threshold_pct=settings.afi_agree_threshold_pct,
        dont_know_threshold_pct=settings.dont_know_threshold_pct,
    )


def render_agreement_chart(analysis: Analysis) -> bytes:
    # matplotlib takes ~0.4 s to import: loaded when a chart is drawn.
    from bot.self_assessment import _chart

    return _chart.render_agreement_chart(analysis)


def ask_channel_results(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    team_id: str,
    response_url: str | None,
    repost: bool = False,
) -> None:
    """`/psif results [repost]`: who may see them is checked at once (a refusal is the
    answer); the rest (`post_channel_results`: the channel's privacy on Slack, the results,
    the post or where it is) is `psif-bot worker`'s (`RESULTS_REQUEST_KIND`), which then
    answers them."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(
            review, user_id, Operation.REPOST_RESULTS if repost else Operation.SEE_RESULTS
        )
        RESULTS_REQUEST_KIND.owe(
            session,
            team_id=team_id,
            lane=f"{RESULTS_REQUEST}:{review.id}",
            payload={
                "channel_id": channel_id,
                "user_id": user_id,
                "response_url": response_url,
                "repost": repost,
                "if_undelivered": {
                    "user_id": user_id,
                    "response_url": response_url,
                    "text": "The self-assessment results were not posted.",
                },
            },
        )


def _deliver_results_request(delivery: Delivery) -> None:
    """What `ask_channel_results` owed, and the answers (a refusal among them)."""
    payload = delivery.payload
    user_id = str(payload["user_id"])
    try:
        answers = post_channel_results(
            lambda: delivery.client,
            delivery.deps,
            channel_id=str(payload["channel_id"]),
            user_id=user_id,
            team_id=delivery.team_id,
            repost=bool(payload.get("repost")),
        )
    except Refusal as refused:
        answers = [refused.message]
    with transaction(delivery.deps.sessions) as session:
        for answer in answers:
            RESULTS_ANSWER_KIND.owe(
                session,
                team_id=delivery.team_id,
                lane=user_id,
                payload={
                    "user_id": user_id,
                    "response_url": payload.get("response_url"),
                    "text": answer,
                },
            )


def post_channel_results(
    slack: Callable[[], WebClient],
    deps: Deps,
    *,
    user_id: str,
    team_id: str,
    channel_id: str | None = None,
    review_id: int | None = None,
    repost: bool = False,
) -> list[str]:
    """`/psif results` in `channel_id`, or the "Post the results" button of `review_id`:
    owe the post once (later asks point to it; a lead may `repost`); what to tell the person.
    Permission, then a private channel (`slack` is asked only then), then the results, as
    their first load closes the self-assessment for good."""
    with transaction(deps.sessions) as session:
        if channel_id is not None:
            found: Review | None = readable_channel_review(session, channel_id=channel_id)
        elif review_id is None:
            raise Refusal("That button is out of date; type `/psif results` instead.")
        else:
            found = get_review(session=session, review_id=review_id)
        if found is None:
            raise Refusal("That review no longer exists.")
        require_permission(
            found, user_id, Operation.REPOST_RESULTS if repost else Operation.SEE_RESULTS
        )
        review_id, channel = found.id, found.channel_id
    meanwhile = " Meanwhile `/psif results export` sends you the totals by direct message."
    require_private_channel(
        slack(),
        channel,
        "self-assessment results or comments",
        meanwhile=meanwhile if channel_id else "",
    )
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None  # reviews are closed, never deleted
        notes = [closed_note(review)] if review.closed_at is not None else []
        round_ = get_checklist_round(session=session, review_id=review.id)
        # Posted, or on its way; one that Slack refused for good is posted afresh.
        posted = (
            round_ is not None
            and round_.results_posted_at is not None
            and (
                round_.results_ts is not None
                or is_owed(session=session, key=_results_post_key(review.id))
            )
        )
        if posted and not repost:
            assert round_ is not None and round_.results_posted_at is not None
            where = (round_.results_posted_at, round_.results_channel_id, round_.results_ts)
        else:
            try:
                results = load_results(session=session, deps=deps, review=review)
            except NoResults as no_results:
                return [*notes, no_results.message]
            assert round_ is not None  # there are results, so there is a round
            _owe_results_post(session, review, results, team_id=team_id, user_id=user_id)
            mark_results_posting(session=session, round_=round_, now=deps.now())
            return [*notes, "Posting the results again, as you asked."] if posted else notes
    return [*notes, _already_posted(slack(), deps, *where)]


def _already_posted(
    client: WebClient, deps: Deps, posted_at: datetime, channel: str | None, ts: str | None
) -> str:
    day = format_date(aware(posted_at).astimezone(deps.settings.timezone).date())
    again = " A lead can post them again with `/psif results repost`."
    if channel is None or ts is None:
        return f"The results are being posted in this channel now (asked on {day}).{again}"
    try:
        link = str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:
        return f"The results were posted in {channel_link(channel)} on {day}.{again}"
    return f"The results were posted on {day}: <{link}|see the post>.{again}"


def _results_post_key(review_id: int) -> str:
    # One key per review: asks while one is on its way make one post (the newest wins).
    return f"{RESULTS_POST}:review:{review_id}"


def _owe_results_post(
    session: Session, review: Review, results: Results, *, team_id: str, user_id: str
) -> None:
    channel = review.channel_id
    text, blocks = views.build_results(
        host_council=review.host_council,
        analysis=results.analysis,
        completion=results.completion,
        answered_by=results.answered_by,
        posted_by=user_id,
    )
    replies = views.build_comment_messages(results.checklist, results.comments)
    thread = [{"text": reply, "blocks": reply_blocks} for reply, reply_blocks in replies]
    RESULTS_POST_KIND.owe(
        session,
        team_id=team_id,
        lane=channel,
        key=_results_post_key(review.id),
        payload={
            "review_id": review.id,
            "channel": channel,
            "text": text,
            "blocks": blocks,
            "thread": thread,
            # The chart's section percentages, never anyone's answers.
            "chart": {
                "channel": channel,
                "title": f"{review.host_council} self-assessment: agreement by section",
                "chart": chart_data(results.analysis).model_dump(mode="json"),
            },
            "if_undelivered": {
                "user_id": user_id,
                "response_url": None,
                "text": "The self-assessment results were not posted.",
            },
        },
    )


def _deliver_results_post(delivery: Delivery) -> None:
    """Post the results message, then owe its comments thread and chart; a retry finds the
    message and owes again only the follow-ups not yet sent."""
    payload = delivery.payload
    channel = str(payload["channel"])
    ts, posted_earlier = post_once(
        delivery, channel=channel, text=str(payload["text"]), blocks=payload.get("blocks")
    )
    follow_ups: list[tuple[str, Kind[Any], dict[str, Any]]] = [
        (
            f"{RESULTS_POST}:{delivery.item_id}:{place}",
            MESSAGE,
            {
                "channel": channel,
                "text": str(reply["text"]),
                "blocks": reply.get("blocks"),
                "if_undelivered": None,
                "thread_ts": ts,
            },
        )
        for place, reply in enumerate(payload.get("thread") or [])
    ]
    chart_key = f"{RESULTS_POST}:{delivery.item_id}:chart"
    follow_ups.append((chart_key, RESULTS_CHART_KIND, payload["chart"]))
    with transaction(delivery.deps.sessions) as session:
        if "review_id" in payload:  # items owed before this release don't name it
            remember_results_post(
                session=session, review_id=int(payload["review_id"]), channel_id=channel, ts=ts
            )
        for key, kind, follow_up in follow_ups:
            if posted_earlier and last_sent_at(session=session, key=key) is not None:
                continue
            kind.owe(session, team_id=delivery.team_id, lane=channel, key=key, payload=follow_up)


def _deliver_results_chart(delivery: Delivery) -> None:
    """Only the worker process delivers outbox kinds, so only it loads matplotlib."""
    from bot.self_assessment import _chart

    png = _chart.render_chart(ChartData.model_validate(delivery.payload["chart"]))
    delivery.client.files_upload_v2(
        channel=str(delivery.payload["channel"]),
        file=png,
        filename="self-assessment-by-section.png",
        title=str(delivery.payload["title"]),
        alt_txt="Bar chart of % agree, % disagree and % don't know for each checklist section",
        request_file_info=False,
    )


def export_results(deps: Deps, *, channel_id: str, user_id: str) -> list[str]:
    """`/psif results export`: owe the person the results as files by DM (openpyxl is slow,
    so whichever process delivers loads the results again); what to tell them."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_RESULTS)
        notes = [closed_note(review)] if review.closed_at is not None else []
        try:
            load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            return [*notes, no_results.message]
        RESULTS_EXPORT_KIND.owe(
            session,
            team_id=review.team_id,
            lane=user_id,
            payload={"review_id": review.id, "user_id": user_id},
        )
    return [*notes, "I'll send you the export in a direct message in a moment."]


def _deliver_results_export(delivery: Delivery) -> None:
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
    from bot.self_assessment._export import aggregates_csv, analysis_xlsx, comments_csv

    prefix = "".join(ch if ch.isalnum() else "-" for ch in host.lower()).strip("-")
    checklist, analysis, comments = results.checklist, results.analysis, results.comments
    files = [
        (f"{prefix}-self-assessment-figures.csv", aggregates_csv(analysis)),
        (f"{prefix}-self-assessment-comments.csv", comments_csv(checklist, comments)),
        (
            f"{prefix}-self-assessment.xlsx",
            analysis_xlsx(checklist, analysis, comments, results.answered_by),
        ),
    ]
    dm = delivery.client.conversations_open(users=str(payload["user_id"]))["channel"]["id"]
    delivery.client.files_upload_v2(
        channel=dm,
        file_uploads=[{"file": data, "filename": name, "title": name} for name, data in files],
        initial_comment=(
            f"The {escape_mrkdwn(host)} self-assessment export: totals for each statement "
            "and section (how many chose each answer; statements with too few answers or "
            "views from people outside the review team are withheld) and the comments without "
            "names, as CSV and as one Excel workbook. Nobody's individual answers are in it. "
            f"Please store it securely. {results.answered_by.line()}"
        ).strip(),
        request_file_info=False,
    )


INVITATION_KIND = Kind("checklist_invitation", _deliver_invitation)
INVITATIONS_REFRESH_KIND = Kind(INVITATIONS_REFRESH, _deliver_invitations_refresh)
RESULTS_POST_KIND = Kind(RESULTS_POST, _deliver_results_post)
RESULTS_CHART_KIND = Kind("results_chart", _deliver_results_chart)
RESULTS_EXPORT_KIND = Kind("results_export", _deliver_results_export)
RESULTS_REQUEST_KIND = Kind(RESULTS_REQUEST, _deliver_results_request)
RESULTS_ANSWER_KIND = Kind("results_answer", deliver_answer)  # the worker answers, in order


# -- privacy --------------------------------------------------------------------------------


def seal_closed_rounds(deps: Deps) -> int:
    """Seal the answers of rounds that closed and aren't sealed yet; how many."""
    with transaction(deps.sessions) as session:
        rounds = rounds_to_seal(session=session, today=deps.today())
        for round_ in rounds:
            seal_answers(session=session, round_=round_, now=deps.now())
    return len(rounds)


def move_keys_off_signing_secret(deps: Deps) -> int:
    """Move answers under keys from the Slack signing secret (anyone holding it could
    recompute them) to the respondent secret; how many people. Safe at every start."""
    signing = deps.settings.slack_signing_secret.get_secret_value().encode()
    if signing == deps.respondent_secret:
        return 0
    moved = 0
    with transaction(deps.sessions) as session:
        for review_id, salt, users in rounds_with_participants(session=session):
            for user_id in users:
                moved += rekey(
                    session=session,
                    review_id=review_id,
                    old_key=respondent_key(signing, salt, user_id),
                    new_key=respondent_key(deps.respondent_secret, salt, user_id),
                )
    if moved:
        logger.warning(
            "Moved the self-assessment answers of %s people off keys derived from the signing "
            "secret onto PSIF_RESPONDENT_SECRET.",
            moved,
        )
    return moved


# -- the Home tab ---------------------------------------------------------------------------


def home_sections(session: Session, deps: Deps, *, user_id: str) -> list[HomeSection]:
    """The user's own progress in each self-assessment they are invited to, for Home."""
    found: list[HomeSection] = []
    for review in reviews_answering(session=session, user_id=user_id):
        round_ = get_checklist_round(session=session, review_id=review.id)
        checklist = deps.checklists.get(review.checklist_id)
        if round_ is None or checklist is None:
            continue
        status = round_status(session=session, deps=deps, round_=round_, counted=False)
        key = key_of(deps, round_, user_id)
        saved = {}
        if status.is_open:  # a closed round's answers are sealed: not read again
            saved = own_sections(session=session, review_id=review.id, respondent_key=key)
        found.append(
            views.build_self_assessment_home(
                review_id=review.id,
                status=status,
                sections_saved=len(saved),
                sections_total=len(checklist.sections),
                finished=is_completed(session=session, review_id=review.id, respondent_key=key),
            )
        )
    return found


def checklist_status(*, session: Session, deps: Deps, review_id: int) -> RoundStatus | None:
    """How the self-assessment stands, in counts; None until people are invited."""
    round_ = get_checklist_round(session=session, review_id=review_id)
    return round_status(session=session, deps=deps, round_=round_) if round_ else None
