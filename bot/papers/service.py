"""Papers: the pack sent to the team 2 weeks before fieldwork (guidance §5.2): the host's
paper, the self-assessment report and other evidence, as titled links. Sending owes the
channel the pack (the report in its thread) and a DM to each team member and host participant."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.errors import Refusal
from bot.core.papers import PaperItem, PaperKind
from bot.core.permissions import REVIEW_TEAM, Operation, permits, refusal
from bot.deps import Deps
from bot.fieldwork.service import fieldwork_schedule
from bot.papers.views import build_pack, build_pack_dm, build_pack_post
from bot.report.service import self_assessment_counts, self_assessment_word
from bot.review_access import review_in_channel, roles
from bot.slack.blocks import Block
from bot.slack.channels import require_private_channel
from bot.slack.outbox import Delivery, Kind, Undelivered, owe_direct_message, post_once
from bot.slack.text import plural
from bot.team.service import (
    host_participants,
    host_participants_awaiting_papers,
    record_papers_sent_to,
)
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories import papers as store
from storage.repositories.reminders import done_milestones, record_done
from storage.repositories.reviews import record_audit, timeline_of

TITLE_MAX = 200
URL_MAX = 2000
PAPERS_MILESTONE = "papers_due"
PAPERS_PACK = "papers_pack"
EXAMPLE = "`/psif papers add Roads KPIs 2025-26 https://…`"

# Slack sends a link typed in a command as <https://…> or <https://…|label>.
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"(?<![<\w])(https?://\S+)")


def split_link(text: str) -> tuple[str, str]:
    """'KPI dashboard <https://x>' → ('KPI dashboard', 'https://x'), or a Refusal."""
    found = _SLACK_LINK.search(text) or _BARE_LINK.search(text)
    if found is None:
        raise Refusal(f"Add a web link (starting https://) to the paper, for example {EXAMPLE}.")
    url = found.group(1)
    title = " ".join((text[: found.start()] + text[found.end() :]).split())
    if any(char in url for char in '<>|"'):
        raise Refusal(
            "That link has characters a Slack message can't hold; copy it from the address bar."
        )
    if len(url) > URL_MAX:
        raise Refusal(f"That link is longer than {URL_MAX} characters.")
    if len(title) > TITLE_MAX:
        raise Refusal(f"Keep the title to {TITLE_MAX} characters.")
    return title, url


def _require(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles(review, user_id)):
        raise Refusal(refusal(operation))


def _report_note(session: Session, deps: Deps, review: Review) -> tuple[str, bool]:
    """How the pack describes the self-assessment report, and whether it can be made yet."""
    sa = self_assessment_counts(session, deps, review)
    if sa.note:
        return "_not available yet_ (" + sa.note.rstrip(".") + ")", False
    return (
        f"made from the results ({sa.finished} of {sa.invited} responded), as a Word document",
        True,
    )


def show_pack(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.SEE_PAPERS)
        return build_pack(
            store.papers(session=session, review_id=review.id),
            report_note=_report_note(session, deps, review)[0],
            papers_due=timeline_of(review).papers_due,
            sent=PAPERS_MILESTONE in done_milestones(session=session, review_id=review.id),
        )


def add_link(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, text: str, kind: PaperKind
) -> str:
    """`/psif papers add <title> <link>`, `/psif papers paper <link> [title]`; who may add
    is checked before what was typed."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.ADD_PAPERS)
        title, url = split_link(text)
        if kind is PaperKind.HOST_PAPER:
            title = title or "What we want from fieldwork"
        elif not title:
            raise Refusal(f"Give the paper a title before the link, for example {EXAMPLE}.")
        store.add_paper(
            session=session,
            review_id=review.id,
            kind=kind,
            title=title,
            url=url,
            actor_id=user_id,
            now=deps.now(),
        )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="papers.added",
            details={"kind": kind.value, "title": title},
            now=deps.now(),
        )
    what = "The host's paper is" if kind is PaperKind.HOST_PAPER else "The paper is"
    return f"{what} in the pack. `/psif papers` shows it all."


def remove_link(deps: Deps, *, team_id: str, channel_id: str, user_id: str, number: int) -> str:
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.ADD_PAPERS)
        evidence = [
            item
            for item in store.papers(session=session, review_id=review.id)
            if item.kind is PaperKind.EVIDENCE
        ]
        if not 1 <= number <= len(evidence):
            raise Refusal(f"There's no evidence {number} in the pack. `/psif papers` lists them.")
        store.remove_paper(session=session, review_id=review.id, paper_id=evidence[number - 1].id)
    return f"Removed “{evidence[number - 1].title}” from the pack."


def send_pack(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    response_url: str | None,
) -> str:
    """`/psif papers send`, in a private channel only: the documents are confidential to
    the review team (guidance §2)."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.SEND_PAPERS)
    require_private_channel(slack(), channel_id, "the papers for fieldwork")
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.SEND_PAPERS)
        items = store.papers(session=session, review_id=review.id)
        if not items:
            raise Refusal(
                "The pack is empty: add the host's paper and evidence first (`/psif papers`)."
            )
        on_team = {role.value for role in REVIEW_TEAM}
        # The sender has just seen the pack posted: a copy by DM would only repeat it.
        team = list(
            dict.fromkeys(
                m.user_id for m in review.members if m.role in on_team and m.user_id != user_id
            )
        )
        note, with_report = _report_note(session, deps, review)
        now = deps.now()
        record_done(
            session=session,
            review_id=review.id,
            milestone=PAPERS_MILESTONE,
            actor_id=user_id,
            now=now,
        )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="papers.sent",
            details={"links": len(items)},
            now=now,
        )
        text, blocks = build_pack_post(
            items, host_council=review.host_council, report_note=note, sent_by=user_id
        )
        PAPERS_PACK_KIND.owe(
            session,
            team_id=review.team_id,
            lane=review.channel_id,
            payload={
                "review_id": review.id,
                "channel": review.channel_id,
                "text": text,
                "blocks": blocks,
                "with_report": with_report,
                "if_undelivered": Undelivered(
                    user_id=user_id,
                    response_url=response_url,
                    text="The papers are recorded as sent, but I couldn't post them.",
                ),
            },
        )
        dm_text, dm_blocks = build_pack_dm(
            items, host_council=review.host_council, channel_id=review.channel_id, report_note=note
        )
        for member in team:
            owe_direct_message(
                session,
                team_id=review.team_id,
                user_id=member,
                text=dm_text,
                blocks=dm_blocks,
                if_undelivered=_couldnt(user_id, response_url, f"the papers to <@{member}>"),
            )
        participants = host_participants_awaiting_papers(session=session, review_id=review.id)
        _owe_participants_pack(
            session, review, items, (note, with_report), participants, user_id, response_url, now
        )
    return "✅ Papers sent."


def _couldnt(user_id: str, response_url: str | None, what: str) -> Undelivered:
    return Undelivered(user_id=user_id, response_url=response_url, text=f"I couldn't send {what}.")


def _owe_participants_pack(
    session: Session,
    review: Review,
    items: Sequence[PaperItem],
    report: tuple[str, bool],
    participants: Sequence[str],
    user_id: str,
    response_url: str | None,
    now: datetime,
) -> None:
    """The pack by DM to these host participants (not in the channel), the report in its
    thread; each gets it once."""
    record_papers_sent_to(session=session, review_id=review.id, user_ids=participants, now=now)
    note, with_report = report
    text, blocks = build_pack_dm(
        items, host_council=review.host_council, channel_id=None, report_note=note
    )
    for participant in participants:
        PAPERS_PACK_KIND.owe(
            session,
            team_id=review.team_id,
            lane=f"{PAPERS_PACK}:{participant}",
            payload={
                "review_id": review.id,
                "channel": participant,
                "direct": True,
                "text": text,
                "blocks": blocks,
                "with_report": with_report,
                "if_undelivered": _couldnt(
                    user_id, response_url, f"the papers to <@{participant}>"
                ),
            },
        )


def send_to_host_participants(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """`/psif participants send`: the fieldwork schedule by DM to each host participant,
    and the papers to those added since the team had them."""
    today, now = deps.today(), deps.now()
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.CHANGE_HOST_PARTICIPANTS)
        participants = host_participants(session=session, review_id=review.id)
        if not participants:
            raise Refusal(
                "There are no host participants yet: add the host's officers taking part in "
                "fieldwork with `/psif participants add @a @b`."
            )
        sent = PAPERS_MILESTONE in done_milestones(session=session, review_id=review.id)
        items = store.papers(session=session, review_id=review.id)
        awaiting = (
            host_participants_awaiting_papers(session=session, review_id=review.id)
            if sent and items
            else []
        )
        if awaiting:
            report = _report_note(session, deps, review)
            _owe_participants_pack(
                session, review, items, report, awaiting, user_id, response_url, now
            )
        text, blocks = fieldwork_schedule(session=session, review=review, today=today)
        for participant in participants:
            owe_direct_message(
                session,
                team_id=review.team_id,
                user_id=participant,
                text=text,
                blocks=blocks,
                if_undelivered=_couldnt(
                    user_id, response_url, f"the fieldwork schedule to <@{participant}>"
                ),
            )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="participants.sent",
            details={"papers": len(awaiting), "schedule": len(participants)},
            now=now,
        )
    papers = (
        f", and the papers to {plural(len(awaiting), 'host participant')} added since they went out"
        if awaiting
        else ""
    )
    later = "" if sent else " The papers go to them when a lead sends them (`/psif papers send`)."
    return (
        f"Done: the fieldwork schedule is on its way to "
        f"{plural(len(participants), 'host participant')} by direct message{papers}.{later}"
    )


def deliver_pack(delivery: Delivery) -> None:
    payload = delivery.payload
    channel = str(payload["channel"])
    if payload.get("direct"):  # a person: the report needs their DM's channel id
        channel = str(delivery.client.conversations_open(users=channel)["channel"]["id"])
    ts, _ = post_once(
        delivery, channel=channel, text=str(payload["text"]), blocks=payload.get("blocks")
    )
    if payload.get("with_report"):
        word, filename, title = self_assessment_word(delivery.deps, int(payload["review_id"]))
        delivery.client.files_upload_v2(
            channel=channel,
            thread_ts=ts,
            file=word,
            filename=filename,
            title=title,
            request_file_info=False,
        )


PAPERS_PACK_KIND = Kind(PAPERS_PACK, deliver_pack)
