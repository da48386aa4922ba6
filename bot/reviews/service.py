"""A review's use cases: opening and editing it (the Appendix 1 form), its status and stage,
milestones recorded done, closing and reopening. Each saves with its audit record and owes
the channel's announcement through the outbox in one transaction, so a change is never
reported failed because Slack was slow after it was saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.errors import Refusal
from bot.core.milestones_done import (
    DONE_WORDS,
    HAPPENED,
    done_keys,
    is_done,
    milestone_for_word,
)
from bot.core.peers import peer_facts
from bot.core.permissions import Operation, permits, refusal
from bot.core.report import missing_before_milestone
from bot.core.roles import Role
from bot.core.stages import STAGES, ReviewProgress, Stage, move_offer, next_stage
from bot.core.timeline import LABELS, self_assessment_close_bound, with_defaults
from bot.deps import Deps
from bot.report.service import fieldwork_gaps
from bot.review_access import (
    channel_review,
    get_review,
    readable_channel_review,
    require_permission,
)
from bot.reviews import _rules, views
from bot.self_assessment.service import answered_by
from bot.self_assessment.views import build_self_assessment_status
from bot.slack.after_ack import TOO_SLOW
from bot.slack.blocks import Block, section
from bot.slack.calls import open_view, slack_error
from bot.slack.channels import Privacy, channel_privacy, public_channel_warning
from bot.slack.outbox import Delivery, Kind, owe_message
from bot.slack.payloads import SlashCommand, UnreadablePayload
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import afi_facts
from storage.repositories.improvement_actions import action_counts, item_of, review_actions
from storage.repositories.reminders import (
    done_milestones,
    open_stage_offers,
    record_done,
    settle_stage_offers,
)
from storage.repositories.report import fieldwork_facts
from storage.repositories.reviews import (
    NewReview,
    ReviewAlreadyOpen,
    StatusFacts,
    create_review,
    members_with_role,
    open_review_in_channel,
    record_audit,
    roles_of,
    set_closed,
    set_stage,
    snapshot,
    status_facts,
    timeline_of,
    update_review,
)
from storage.repositories.self_assessment import (
    get_checklist_round,
    set_closing_date,
)
from storage.repositories.team import peer_councils_of


def _require(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles_of(review, user_id)):
        raise Refusal(refusal(operation))


def _owe_post(
    session: Session,
    review: Review,
    post: tuple[str, list[Block]],
    user_id: str,
    response_url: str | None,
    undelivered: str = "The change is saved, but I couldn't announce it in the channel.",
) -> None:
    """Owe the channel a change's announcement; if Slack refuses it, the person is told."""
    owe_message(
        session,
        team_id=review.team_id,
        channel=review.channel_id,
        text=post[0],
        blocks=post[1],
        if_undelivered={"user_id": user_id, "response_url": response_url, "text": undelivered},
    )


def start_form(deps: Deps, slack: Callable[[], WebClient], *, command: SlashCommand) -> str | None:
    """`/psif start`: open the Appendix 1 form in a channel without an open review; a warning
    if the channel is public. `slack` gives the client once the channel is found free."""
    if command.in_direct_message:
        raise Refusal(
            "Start a review in the channel where the review team will work: "
            "create or open that channel, add me, then type `/psif start` there."
        )
    with transaction(deps.sessions) as session:
        existing = open_review_in_channel(session=session, channel_id=command.channel_id)
        if existing is not None:
            raise Refusal(
                f"This channel already has an open review ({existing.host_council}). "
                "Type `/psif status` to see it. Each channel holds one review at a time."
            )
    metadata = views.StartMetadata(
        channel_id=command.channel_id,
        team_id=command.team_id,
        response_url=command.response_url or None,
    )
    view = views.build_start_modal(metadata=metadata, checklists=deps.checklist_names)
    client = slack()
    if open_view(client, trigger_id=command.trigger_id, view=view, on_expired=lambda: None):
        # Asked after opening the form (a trigger lasts 3 seconds), before it is submitted.
        if channel_privacy(client, command.channel_id)[0] is Privacy.PUBLIC:
            return public_channel_warning(command.channel_id)
        return None
    return TOO_SLOW


def open_review(
    deps: Deps, *, user_id: str, team_id: str, metadata: views.StartMetadata, form: views.StartForm
) -> None:
    """Store the review the form describes and owe the channel its summary; FormErrors for
    what the form must fix. The same form submitted twice opens one review."""
    if form.checklist_id and form.checklist_id not in deps.checklist_names:
        raise UnreadablePayload("not a checklist we offered")
    problems = _rules.validate_start_form(form, today=deps.today(), opener=user_id)
    if problems:
        raise form.errors(problems)
    assert form.host_council is not None  # validated
    new = NewReview(
        team_id=team_id,
        channel_id=metadata.channel_id,
        host_council=form.host_council,
        focus=form.focus.strip(),
        rationale=form.rationale.strip(),
        peer_councils=tuple(form.peer_councils),
        peer_rationale=form.peer_rationale.strip(),
        timeline=with_defaults(form.timeline),
        members=_rules.team_of(form),
        checklist_id=form.checklist_id or next(iter(deps.checklist_names)),
    )
    try:
        with transaction(deps.sessions) as session:
            review = create_review(session=session, new=new, actor_id=user_id, now=deps.now())
            opened = views.build_review_opened(
                snapshot(review), opened_by=user_id, today=deps.today()
            )
            undelivered = "Your review is saved, but I couldn't post its summary in the channel."
            _owe_post(session, review, opened, user_id, metadata.response_url, undelivered)
    except ReviewAlreadyOpen:
        with transaction(deps.sessions) as session:
            existing = open_review_in_channel(session=session, channel_id=new.channel_id)
            same = existing is not None and (
                existing.created_by == user_id and existing.focus == new.focus
            )
        if not same:
            raise form.errors(
                {
                    "focus": "Someone opened a review in this channel while you were filling "
                    "this in. Close this form and type /psif status to see it."
                }
            ) from None


def edit_form(deps: Deps, *, channel_id: str, user_id: str, response_url: str) -> Block:
    """`/psif edit`: the Appendix 1 form with the review's details, for a lead."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        _require(review, user_id, Operation.EDIT_REVIEW)
        picture = snapshot(review)
    return views.build_start_modal(
        metadata=views.StartMetadata(
            channel_id=channel_id, review_id=picture.id, response_url=response_url or None
        ),
        checklists=deps.checklist_names,
        form=_rules.form_of(picture),
    )


def save_edit(
    deps: Deps, *, user_id: str, metadata: views.StartMetadata, form: views.StartForm
) -> None:
    """Save a lead's changes (pulling the self-assessment's closing date in if the new dates
    need it) and owe the channel what changed; FormErrors otherwise."""
    today, now = deps.today(), deps.now()
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=metadata.review_id or 0)
        if review is None or review.closed_at is not None:
            raise form.errors({"focus": "This review has been closed, so nothing changed."})
        if not permits(Operation.EDIT_REVIEW, roles_of(review, user_id)):
            raise form.errors({"focus": refusal(Operation.EDIT_REVIEW)})
        before = snapshot(review)
        round_ = get_checklist_round(session=session, review_id=review.id)
        problems = _rules.validate_edit(
            form, review=before, today=today, council_locked=round_ is not None
        )
        if problems:
            raise form.errors(problems)
        changes = _rules.changed_fields(form, before)
        lines = _rules.describe_changes(changes, before, form.peer_councils)
        update_review(
            session=session,
            review=review,
            changes=changes,
            peer_councils=form.peer_councils,
            actor_id=user_id,
            now=now,
        )
        closes = self_assessment_close_bound(timeline_of(review), today)
        if round_ is not None and closes is not None and round_.closes_on > closes:
            set_closing_date(session=session, round_=round_, closes_on=closes)
            lines.append(
                f"The self-assessment now closes on {format_date(closes)}, so that its "
                "analysis can go out with the papers"
            )
        if lines:
            undelivered = "The review's details are saved, but I couldn't tell the channel."
            post = views.edit_announcement(user_id, lines)
            _owe_post(session, review, post, user_id, metadata.response_url, undelivered)


# The stages whose gaps `fieldwork_gaps` finds: in the others it reads nothing it shows.
FIELDWORK_GAP_STAGES = frozenset(
    {
        Stage.FIELDWORK_CONTEXT,
        Stage.FIELDWORK_INTERVIEWS,
        Stage.FIELDWORK_PLANNING,
        Stage.REPORTING,
        Stage.SHARING,
    }
)


def review_progress(
    *,
    session: Session,
    review: Review,
    today: date,
    stage: Stage | None = None,
    facts: StatusFacts | None = None,
) -> ReviewProgress:
    """What the gap checks of `stage` (the review's own unless given) know of the review,
    gathered from every feature's store (`facts` if already read); the counts no check of
    that stage reads are not gathered (None)."""
    stage = Stage(review.stage) if stage is None else stage
    peers = peer_facts(
        peer_councils_of(review),
        [m.organisation for m in review.members if m.role == Role.PEER_REVIEWER and m.organisation],
    )
    progress = ReviewProgress(
        timeline=timeline_of(review),
        today=today,
        peer_council_count=peers.councils,
        peer_reviewers_named=len(members_with_role(review, Role.PEER_REVIEWER)),
        peer_councils_agreed=peers.agreed,
        peer_councils_declined=peers.declined,
        agreed_without_reviewers=peers.agreed_without_reviewers,
        has_is_lead=bool(members_with_role(review, Role.IS_LEAD)),
        has_host_lead=bool(members_with_role(review, Role.HOST_LEAD)),
    )
    if stage is Stage.PRE_WORK:
        facts = facts or status_facts(session=session, review_id=review.id)
        progress = replace(
            progress,
            stakeholders_invited=facts.invited,
            stakeholders_finished=facts.finished if facts.self_assessment_closes else None,
            self_assessment_closes=facts.self_assessment_closes,
            self_assessment_closed=facts.self_assessment_closed_early,
        )
    if stage in (Stage.FIELDWORK_PLANNING, Stage.FOLLOW_UP):
        logged, still_open = action_counts(session=session, review_id=review.id)
        progress = replace(progress, action_count=logged, open_action_count=still_open)
    if stage is Stage.FIELDWORK_CONTEXT:
        afis = afi_facts(session=session, review_id=review.id)
        progress = replace(
            progress,
            afi_count=afis.afi_count,
            prioritised_afi_count=afis.prioritised_afi_count,
            vote_open=afis.vote_open,
        )
    if stage in FIELDWORK_GAP_STAGES:
        fieldwork = fieldwork_facts(session=session, review_id=review.id)
        progress = replace(progress, extra_gaps=tuple(fieldwork_gaps(stage, fieldwork)))
    return progress


def review_status(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    """`/psif status`: the stage, what's next, the self-assessment's progress, and the offer
    to move on when the work done and the dates show the next stage has begun."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        picture = snapshot(review)
        facts = status_facts(session=session, review_id=review.id)
        gaps: list[str] = []  # a closed review's status shows none, so none are looked for
        offer = None
        if review.closed_at is None:
            progress = review_progress(session=session, review=review, today=today, facts=facts)
            gaps = _rules.stage_gaps(picture.stage, progress)
            offer = move_offer(
                picture.stage,
                facts.moments,
                picture.timeline,
                today=today,
                zone=deps.settings.timezone,
            )
        may_move = permits(Operation.MOVE_STAGE, roles_of(review, user_id))
        self_assessment = _self_assessment_status(session, deps, review, facts)
    return views.build_status(
        picture,
        today=today,
        gaps=gaps,
        offer=offer,
        can_move=may_move,
        done=done_keys(stage=picture.stage, recorded=facts.done),
        self_assessment=self_assessment,
    )


def _self_assessment_status(
    session: Session, deps: Deps, review: Review, facts: StatusFacts
) -> list[Block]:
    """The self-assessment part of `/psif status` from the counts already read: only survey
    links and imported rows make it say how people answered, which costs a keyed hash for
    each invitee, so a review without them never computes one."""
    status = facts.self_assessment_status(deps.today())
    if status is None:
        return []
    how = None
    round_ = get_checklist_round(session=session, review_id=review.id) if facts.links else None
    if round_ is not None:
        how = answered_by(session=session, deps=deps, round_=round_)
    return build_self_assessment_status(status, how)


def review_status_details(deps: Deps, *, channel_id: str) -> tuple[str, list[Block]]:
    """The rest of `/psif status` (its button): the stage's purpose, timeline, team, peers."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        picture = snapshot(review)
        recorded = done_milestones(session=session, review_id=review.id)
    return views.build_status_details(
        picture, today=deps.today(), done=done_keys(stage=picture.stage, recorded=recorded)
    )


def stage_overview(
    deps: Deps, *, channel_id: str, user_id: str, wants_next: bool
) -> tuple[str, list[Block]]:
    """`/psif stage`: the stage and its gaps; with `next`, the confirmation to move on."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        find = channel_review if wants_next else readable_channel_review
        review = find(session, channel_id=channel_id)
        picture = snapshot(review)
        gaps = _rules.stage_gaps(
            picture.stage, review_progress(session=session, review=review, today=today)
        )
        may_move = permits(Operation.MOVE_STAGE, roles_of(review, user_id))
    if not wants_next:
        return views.build_stage_view(picture, gaps=gaps, can_advance=may_move)
    if not may_move:
        raise Refusal(refusal(Operation.MOVE_STAGE))
    target = next_stage(picture.stage)
    if target is None:
        raise Refusal(
            "The review is in Follow-up, the last stage: when the plan is carried out, a lead "
            "closes it with `/psif close`."
        )
    return views.build_advance_confirmation(picture, target, gaps)


def confirm_stage_move(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> str:
    """The confirmation's button: move on if nobody has meanwhile; what to show instead."""
    move = views.parse_stage_move(value)
    if move is None:
        return (
            "That button is out of date, so nothing changed. Type `/psif stage` to see where "
            "things are."
        )
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=move.review_id)
        if review is None or review.closed_at is not None:
            return "That review is closed."
        if not permits(Operation.MOVE_STAGE, roles_of(review, user_id)):
            return refusal(Operation.MOVE_STAGE)
        if review.stage != move.expected.value:
            return (
                "The review has already moved on to "
                f"{STAGES[Stage(review.stage)].label}; nothing changed."
            )
        gaps = _rules.stage_gaps(
            move.expected, review_progress(session=session, review=review, today=today)
        )
        moved = set_stage(
            session=session,
            review=review,
            expected=move.expected,
            stage=move.target,
            actor_id=user_id,
            now=deps.now(),
        )
        if not moved:
            return "Someone else moved the review on at the same moment; nothing changed."
        picture = snapshot(review)
        recorded = done_milestones(session=session, review_id=review.id)
        text, blocks = views.build_stage_changed(
            picture,
            previous=move.expected,
            changed_by=user_id,
            gaps_left=gaps,
            today=today,
            done=done_keys(stage=picture.stage, recorded=recorded),
        )
        _owe_post(session, review, (text, blocks), user_id, response_url)
        # The leads' offers of a move now say who made it, with no button left to press.
        offers = open_stage_offers(session=session, review_id=review.id)
        text, blocks = views.build_stage_offer_settled(picture, moved_by=user_id, on=today)
        for offer in offers:
            SETTLED_OFFER_KIND.owe(
                session,
                team_id=review.team_id,
                lane=offer.recipient,
                payload={
                    "user_id": offer.recipient,
                    "ts": offer.ts,
                    "text": text,
                    "blocks": blocks,
                },
            )
        settle_stage_offers(offers)
    return f"Done: the review is now in {STAGES[picture.stage].label}."


def deliver_settled_offer(delivery: Delivery) -> None:
    """Rewrite one lead's offer in place (chat.update needs their DM's channel id)."""
    payload, client = delivery.payload, delivery.client
    channel = str(client.conversations_open(users=str(payload["user_id"]))["channel"]["id"])
    try:
        client.chat_update(
            channel=channel,
            ts=str(payload["ts"]),
            text=str(payload["text"]),
            blocks=payload.get("blocks"),
        )
    except SlackApiError as error:
        if slack_error(error) not in ("message_not_found", "cant_update_message"):
            raise  # a deleted offer needs no rewriting; anything else is retried


SETTLED_OFFER_KIND = Kind("stage_offer_settled", deliver_settled_offer)


def propose_close(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    """`/psif close`: the confirmation, listing the actions still open."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        _require(review, user_id, Operation.CLOSE_REVIEW)
        open_actions = [
            f"{item.number}. {escape_mrkdwn(truncate(item.key_action, 120))} – "
            f"{mention(item.owner_id)}, due {format_date(item.due)}"
            for item in map(item_of, review_actions(session=session, review_id=review.id))
            if item.unfinished
        ]
        return views.build_close_confirmation(snapshot(review), open_actions)


def confirm_close(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> str:
    """The confirmation's button; what to show in place of the confirmation."""
    review_id = views.parse_closing(value)
    if review_id is None:
        return "That button is out of date, so nothing changed."
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None or review.closed_at is not None:
            return "That review is already closed."
        if not permits(Operation.CLOSE_REVIEW, roles_of(review, user_id)):
            return refusal(Operation.CLOSE_REVIEW)
        closed = set_closed(
            session=session, review=review, closed=True, actor_id=user_id, now=deps.now()
        )
        if not closed:
            return "That review is already closed."
        line = views.review_closed_line(snapshot(review), closed_by=user_id)
        _owe_post(session, review, (line, [section(line)]), user_id, response_url)
        council = escape_mrkdwn(review.host_council)
    return f"Done: the {council} review is closed; `/psif reopen` reopens it."


def reopen(deps: Deps, *, channel_id: str, user_id: str, response_url: str | None) -> str:
    """`/psif reopen`: the channel's latest closed review goes back to the stage it left."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        if review.closed_at is None:
            raise Refusal("This channel's review is open; there is nothing to reopen.")
        _require(review, user_id, Operation.CLOSE_REVIEW)
        try:
            reopened = set_closed(
                session=session, review=review, closed=False, actor_id=user_id, now=deps.now()
            )
        except ReviewAlreadyOpen:
            raise Refusal(
                "This channel has another open review, so this one can't be reopened."
            ) from None
        if not reopened:
            raise Refusal("Someone reopened it at the same moment.")
        line = views.review_reopened_line(snapshot(review), reopened_by=user_id)
        _owe_post(session, review, (line, [section(line)]), user_id, response_url)
    return "Done: reopened."


def milestone_done(
    deps: Deps, *, channel_id: str, user_id: str, word: str, anyway: bool = False
) -> tuple[str, list[Block] | None]:
    """`/psif done`: with no word, the milestones and which are done; with one, record it
    done (stopping its reminders), asking first if the guidance puts something before it
    that hasn't happened, unless `anyway`."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        if not word:
            done = done_milestones(session=session, review_id=review.id)
            stage, timeline = Stage(review.stage), timeline_of(review)
            lines = []
            for typed, key in DONE_WORDS.items():
                day = getattr(timeline, key, None)
                when = f" ({format_date(day)})" if day else ""
                finished = is_done(key, stage=stage, recorded=done)
                if finished and day and day > deps.today():  # never read as its day had come
                    when = f" (done ahead of plan, planned for {format_date(day)})"
                mark = "✅" if finished else "▫️"
                lines.append(f"{mark} `{typed}`: {LABELS[key]}{when}")
            return (
                "Record a milestone done with `/psif done &lt;milestone&gt;`, and I'll stop "
                "reminding the team about it:\n" + "\n".join(lines)
            ), None
        require_permission(review, user_id, Operation.RECORD_MILESTONE)
        stage = Stage(review.stage)
        recorded_before = done_milestones(session=session, review_id=review.id)
        started = is_done("fieldwork_start", stage=stage, recorded=recorded_before) or (
            review.fieldwork_start is not None and review.fieldwork_start <= deps.today()
        )
        milestone = milestone_for_word(word, fieldwork_started=started)
        if milestone is None:
            choices = ", ".join(f"`{typed}`" for typed in DONE_WORDS)
            raise Refusal(
                f"I don't know the milestone `{escape_mrkdwn(word)}`. Choose one of {choices}."
            )
        if is_done(milestone, stage=stage, recorded=frozenset()):
            # The stage move already said it happened; a date recorded now would be later
            # than the truth, so the report keeps the timeline's.
            return (
                f"Already done: {HAPPENED[milestone]} (the review has moved on to "
                f"{STAGES[stage].label})."
            ), None
        if not anyway and (
            missing := missing_before_milestone(
                milestone,
                fieldwork_end=review.fieldwork_end,
                today=deps.today(),
                drafted="draft_report" in recorded_before
                or fieldwork_facts(session=session, review_id=review.id).report_versions > 0,
                leads_meeting=review.leads_meeting,
                leads_meeting_done="leads_meeting" in recorded_before,
            )
        ):
            return views.build_milestone_anyway(LABELS[milestone], word=word, missing=missing)
        recorded = record_done(
            session=session,
            review_id=review.id,
            milestone=milestone,
            actor_id=user_id,
            now=deps.now(),
        )
        if recorded:
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action="milestone.done",
                details={"milestone": milestone},
                now=deps.now(),
            )
    happened = HAPPENED[milestone]
    if recorded:
        return f"✅ Recorded: {happened}. I won't send reminders about it again.", None
    return f"Already recorded: {happened}.", None
