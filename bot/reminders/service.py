"""The reminders' use cases: `/psif reminders off|on [kind]`, `/psif snooze`, the
`/psif reminders` listing, and for the scheduler: planning every rule's nudges, owing the
claimed ones to the outbox (in the transaction that marks them sent, so exactly once) and
delivering their posts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date, working_day_on_or_before
from bot.core.errors import Refusal
from bot.core.nudges import CHANNEL, OpenReview, PlannedNudge, SkipReason, rule_name
from bot.core.permissions import Operation
from bot.core.roles import Role
from bot.core.typed_dates import parse_typed_date
from bot.deps import Deps
from bot.reminders import (
    _actions,
    _digest,
    _fieldwork,
    _self_assessment,
    _stage_offers,
    _timeline,
    _votes,
)
from bot.reminders._rule import Batch, Planning, Rendering
from bot.reminders._rule import NudgeRule as NudgeRule
from bot.reminders.views import (
    build_channel_unreachable,
    build_morning_post,
    build_reminders_list,
    scheduled_entries,
)
from bot.review_access import channel_review, require_permission
from bot.slack.blocks import Message
from bot.slack.calls import CHANNEL_UNREACHABLE
from bot.slack.outbox import Delivery, Kind, owe_direct_message, post_once, wall_clock
from bot.slack.text import escape_mrkdwn, join_words, unescape_slack
from storage.db import transaction
from storage.models.reminders import Nudge, NudgeStatus
from storage.repositories import reminders as records
from storage.repositories.afi_votes import members_of
from storage.repositories.reviews import open_review_facts, record_audit

logger = logging.getLogger(__name__)

# Every rule, in listing order (and the order of a morning post's parts).
RULES: tuple[NudgeRule, ...] = (
    _timeline.RULE,
    _self_assessment.RULE,
    _stage_offers.RULE,
    _votes.RULE,
    _actions.RULE,
    _fieldwork.RULE,
    _digest.RULE,
)
LISTED_DAYS = 14
NUDGE = "nudge"  # the outbox kind that posts nudges
MAX_SNOOZE_DAYS = 365
SNOOZE_USAGE = (
    "Type `/psif snooze 7d`, `/psif snooze next week`, `/psif snooze until Monday`, "
    "`/psif snooze until 10/03/2027` or `/psif snooze off`."
)
_SNOOZE_LENGTH = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|week|weeks)$")


def switch_reminders(deps: Deps, *, channel_id: str, user_id: str, on: bool, kind: str) -> str:
    """Turn one kind of reminder (all of them, `kind` empty) off or on for the channel's
    review. Who may comes before whether the kind exists."""
    kind = kind or records.ALL_RULES
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SWITCH_REMINDERS)
        if kind != records.ALL_RULES and kind not in {rule.name for rule in RULES}:
            kinds = join_words([f"`{rule.name}`" for rule in RULES])
            raise Refusal(
                f"There's no kind of reminder called `{escape_mrkdwn(unescape_slack(kind))}`. "
                f"The kinds are {kinds}."
            )
        still_all_off = False
        if on:
            changed = records.unmute(session=session, review_id=review.id, rule=kind)
            # Turning reminders on is how people say "I've fixed the channel".
            changed = (
                records.clear_channel_unreachable(session=session, review_id=review.id) or changed
            )
            muted = records.muted_rules(session=session, review_id=review.id)
            still_all_off = records.ALL_RULES in muted.get(review.id, ())
        else:
            changed = records.mute(
                session=session, review_id=review.id, rule=kind, actor_id=user_id, now=deps.now()
            )
        if changed:
            record_audit(
                session=session,
                review=review,
                actor_id=user_id,
                action=f"reminders.{'on' if on else 'off'}",
                details={"kind": kind},
                now=deps.now(),
            )
    what = "All reminders" if kind == records.ALL_RULES else f"`{kind}` reminders"
    if on:
        answer = f"🔔 {what} are on for this review." if changed else f"{what} were already on."
        if still_all_off:
            answer += " All reminders are still off, though: `/psif reminders on` turns them on."
        return answer
    if not changed:
        return f"{what} were already off."
    return f"🔕 {what} are off for this review. `/psif reminders on` turns them back on."


@dataclass(frozen=True)
class SnoozeRequest:
    """`paused_through` is the last paused day; None means "show my snooze" or, with
    `off`, "stop snoozing"."""

    paused_through: date | None = None
    off: bool = False


def parse_snooze(args: str, *, today: date) -> SnoozeRequest:
    """`7d | 2w | next week | until Monday | until 10/03/2027 | off`, or refused saying what
    to type."""
    text = " ".join(args.lower().split())
    if not text:
        return SnoozeRequest()
    if text in ("off", "stop", "cancel", "end"):
        return SnoozeRequest(off=True)
    if text in ("next week", "a week"):
        text = "1w"
    if text.startswith("until "):
        day = parse_typed_date(text.removeprefix("until ").strip(), today=today)
        if day is None:
            raise Refusal(f"I couldn't read that date. {SNOOZE_USAGE}")
        if day < today:
            raise Refusal("That date has already passed. Pick today or a later date.")
    else:
        match = _SNOOZE_LENGTH.match(text)
        if match is None:
            shown = escape_mrkdwn(unescape_slack(args.strip()))
            raise Refusal(f"I didn't understand `{shown}`. {SNOOZE_USAGE}")
        count = int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)
        if count < 1:
            raise Refusal(f"Snooze for at least 1 day. {SNOOZE_USAGE}")
        day = today + timedelta(days=count - 1)
    if (day - today).days >= MAX_SNOOZE_DAYS:
        raise Refusal("You can snooze for up to a year at a time.")
    return SnoozeRequest(paused_through=day)


def snooze_reminders(deps: Deps, *, user_id: str, typed: str) -> str:
    """Pause the person's own reminders through a day, end the pause, or say how it stands."""
    today = deps.today()
    request = parse_snooze(typed, today=today)
    with transaction(deps.sessions) as session:
        if request.off:
            stopped = records.clear_snooze(session=session, user_id=user_id)
            return "🔔 Your reminders are back on." if stopped else "Your reminders weren't paused."
        current = request.paused_through
        if current is not None:
            records.set_snooze(
                session=session, user_id=user_id, paused_through=current, now=deps.now()
            )
        else:
            current = records.snoozes_running(session=session, today=today).get(user_id)
    if current is None:
        return f"Your reminders aren't paused. {SNOOZE_USAGE}"
    return (
        f"😴 Your own reminders are paused until the end of {format_date(current)}. "
        "Channel reminders carry on for everyone else. `/psif snooze off` ends it early."
    )


def upcoming_reminders(deps: Deps, *, channel_id: str, user_id: str) -> Message:
    """The next `LISTED_DAYS` of the channel review's reminders, each with its state. It asks
    the scheduler's own planning what it would send, so it can't drift from what is sent."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        facts = open_review_facts(review, default_zone=deps.settings.timezone)
        today = now.astimezone(facts.zone).date()
        planned = plan_nudges(
            session=session,
            reviews=[facts],
            window=lambda _: (today, today + timedelta(days=LISTED_DAYS - 1)),
            now=now,
            rules=RULES,
            respondent_secret=deps.respondent_secret,
        )
        statuses = records.nudge_statuses(session=session, since=today, review_id=review.id)
        muted = records.muted_rules(session=session, review_id=review.id).get(
            review.id, frozenset()
        )
        problem = records.unreachable_channels(session=session).get(review.id)
        snoozed_through = records.snoozes_running(session=session, today=today).get(user_id)
    listed: list[tuple[PlannedNudge, str]] = []
    for nudge in planned:
        state = statuses.get(nudge.key, "scheduled")
        if state == "scheduled" and ({records.ALL_RULES, rule_name(nudge.rule)} & muted):
            state = "off"
        elif state == "scheduled" and problem and nudge.recipient == CHANNEL:
            state = "channel unreachable"
        listed.append((nudge, state))
    return build_reminders_list(
        entries=scheduled_entries(listed, viewer=user_id),
        rule_labels=[(rule.name, rule.label) for rule in RULES],
        muted=muted,
        channel_problem=problem,
        snoozed_through=snoozed_through,
        today=today,
        days=LISTED_DAYS,
    )


def plan_nudges(
    *,
    session: Session,
    reviews: Sequence[OpenReview],
    window: Callable[[OpenReview], tuple[date, date]],
    now: datetime,
    rules: Sequence[NudgeRule],
    respondent_secret: bytes,
) -> list[PlannedNudge]:
    """Every rule's nudges for each review's window (inclusive), each moved to a working day
    on or before it. A rule that fails is logged and skipped this pass, never the others."""
    if not reviews:
        return []
    windows = {review.id: window(review) for review in reviews}
    planning = Planning(
        session=session,
        reviews=reviews,
        first_day=min(first for first, _ in windows.values()),
        last_day=max(last for _, last in windows.values()),
        now=now,
        respondent_secret=respondent_secret,
    )
    planned: list[PlannedNudge] = []
    for rule in rules:
        try:
            with session.begin_nested():
                nudges = list(rule.plan(planning))
        except Exception:  # any bug in a rule; the traceback goes to the log
            logger.exception("nudge rule %r failed to plan; skipping it this pass", rule.name)
            continue
        for nudge in nudges:
            bounds = windows.get(nudge.review_id)
            nudge = replace(nudge, day=working_day_on_or_before(nudge.day))
            if bounds is not None and bounds[0] <= nudge.day <= bounds[1]:
                planned.append(nudge)
    return planned


@dataclass(frozen=True)
class DueNudge:
    """A claimed nudge that still stands (not muted, stale or snoozed), to render and owe."""

    review: OpenReview
    nudge: Nudge
    today: date


@dataclass
class HandedOver:
    """What became of due nudges: owed (in `posts` messages), no longer apply, or failed."""

    owed: list[int] = field(default_factory=list)
    no_longer_apply: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    posts: int = 0


def owe_nudges(
    session: Session,
    due: Sequence[DueNudge],
    *,
    rules: Sequence[NudgeRule],
    respondent_secret: bytes,
) -> HandedOver:
    """Render the due nudges and owe their posts to the outbox together, in the caller's
    transaction: a direct message per nudge, and each review's channel nudges as one morning
    post with a part per topic (three posts at 09:05 read as noise, one as a briefing)."""
    handed = HandedOver()
    by_review: dict[int, list[tuple[DueNudge, Message]]] = {}
    for item, message in zip(due, _render_all(session, due, rules, respondent_secret), strict=True):
        if message is _RENDER_FAILED:
            handed.failed.append(item.nudge.id)
        elif message is None:
            handed.no_longer_apply.append(item.nudge.id)
        else:
            by_review.setdefault(item.review.id, []).append((item, message))
    position = {rule.name: number for number, rule in enumerate(rules)}
    posts: list[tuple[OpenReview, str, Message, list[int]]] = []
    for rendered in by_review.values():
        review = rendered[0][0].review
        posts += [
            (review, item.nudge.recipient, message, [item.nudge.id])
            for item, message in rendered
            if item.nudge.recipient != CHANNEL
        ]
        for_channel = sorted(
            (pair for pair in rendered if pair[0].nudge.recipient == CHANNEL),
            key=lambda pair: (position[rule_name(pair[0].nudge.rule)], pair[0].nudge.id),
        )
        if for_channel:
            nudge_ids = [item.nudge.id for item, _message in for_channel]
            topics = [message for _item, message in for_channel]
            pages = build_morning_post(host_council=review.host_council, topics=topics)
            # Only in the rare post too big for one message are there more pages: the nudges'
            # ts is the first page's, where the post begins.
            posts += [
                (review, CHANNEL, page, nudge_ids if number == 0 else [])
                for number, page in enumerate(pages)
            ]
        handed.owed += [item.nudge.id for item, _message in rendered]
    owed = []
    for review, recipient, message, nudge_ids in posts:
        target = review.channel_id if recipient == CHANNEL else recipient
        payload = {
            "channel": target,
            "to_channel": recipient == CHANNEL,
            "review_id": review.id,
            "host_council": review.host_council,
            "nudge_ids": nudge_ids,
            "text": message.text,
            "blocks": message.blocks,
        }
        owed.append((review.team_id, target, payload))
    # Delivery times are wall-clock, like every outbox item's: they are about Slack.
    records.owe_posts(session=session, kind=NUDGE_KIND.name, posts=owed, now=wall_clock())
    handed.posts = len(posts)
    return handed


_RENDER_FAILED = Message("", [])  # stands for a render that raised: recorded failed


def _render_all(
    session: Session, due: Sequence[DueNudge], rules: Sequence[NudgeRule], respondent_secret: bytes
) -> list[Message | None]:
    """Each nudge's message (None: it no longer applies; _RENDER_FAILED: its rule raised),
    every one under one savepoint, and only if a render fails, each alone (so one rule's bug
    costs one nudge, not the batch)."""
    by_name = {rule.name: rule for rule in rules}
    batch = Batch(frozenset(item.review.id for item in due))

    def render(item: DueNudge) -> Message | None:
        rule = by_name[rule_name(item.nudge.rule)]
        return rule.render(
            Rendering(session, item.review, item.nudge, item.today, respondent_secret, batch)
        )

    try:
        with session.begin_nested():
            return [render(item) for item in due]
    except Exception:
        rendered: list[Message | None] = []
        for item in due:
            try:
                with session.begin_nested():
                    rendered.append(render(item))
            except Exception:  # a bug in one rule must not block every nudge queued behind it
                name = rule_name(item.nudge.rule)
                logger.exception("nudge rule %r failed to render nudge %s", name, item.nudge.id)
                rendered.append(_RENDER_FAILED)
        return rendered


def deliver_nudge(delivery: Delivery) -> None:
    """Post one message carrying nudges, once, and record its ts on them."""
    payload = delivery.payload
    nudge_ids = [int(nudge_id) for nudge_id in payload["nudge_ids"]]
    try:
        ts, _ = post_once(
            delivery,
            channel=str(payload["channel"]),
            text=str(payload["text"]),
            blocks=payload.get("blocks"),
        )
    except SlackApiError as error:
        status = error.response.status_code
        code = str(error.response.get("error", f"http_{status}"))
        if status != 429 and status < 500 and code != "ratelimited":
            _refused(delivery, nudge_ids, code)
        raise  # the outbox retries what may still go through, and records the rest
    with transaction(delivery.deps.sessions) as session:
        records.mark(session=session, nudge_ids=nudge_ids, ts=ts)


NUDGE_KIND = Kind(NUDGE, deliver_nudge)


def _refused(delivery: Delivery, nudge_ids: list[int], code: str) -> None:
    """Slack will never take this post: record why, and if the channel itself is out of
    reach, stop its other channel nudges and tell the leads once."""
    payload = delivery.payload
    review_id = int(payload["review_id"])
    with transaction(delivery.deps.sessions) as session:
        records.mark(
            session=session, nudge_ids=nudge_ids, status=NudgeStatus.FAILED.value, error=code[:64]
        )
        if not payload.get("to_channel") or code not in CHANNEL_UNREACHABLE:
            return
        records.skip_pending_channel_nudges(
            session=session, review_id=review_id, reason=SkipReason.CHANNEL_UNREACHABLE
        )
        if not records.mark_channel_unreachable(
            session=session, review_id=review_id, error=code, now=delivery.deps.now()
        ):
            return
        notice = build_channel_unreachable(
            channel_id=str(payload["channel"]),
            host_council=str(payload["host_council"]),
            error=code,
        )
        for lead in _leads_to_tell(session, review_id):
            owe_direct_message(
                session,
                team_id=delivery.team_id,
                user_id=lead,
                text=notice.text,
                blocks=notice.blocks,
            )


def _leads_to_tell(session: Session, review_id: int) -> list[str]:
    """The host leads, or the Improvement Service leads if no host lead is named."""
    team = members_of(session=session, review_ids=[review_id]).get(review_id, {})
    host = sorted(user for user, roles in team.items() if Role.HOST_LEAD.value in roles)
    return host or sorted(user for user, roles in team.items() if Role.IS_LEAD.value in roles)
