"""Papers use cases: see the pack, add or remove links, set the host's paper, send the pack.

Sending records the papers milestone done and, in the same transaction, owes the channel the
pack with the self-assessment report in its thread (a Word document made from the results:
aggregates only), and every team member, peers included, a direct message.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.core.papers import PaperKind
from bot.core.permissions import REVIEW_TEAM, Operation, refusal
from bot.deps import Deps
from bot.papers.pack_delivery import owe_pack_post
from bot.papers.rules import (
    PAPERS_MILESTONE,
    may_add_papers,
    may_see_papers,
    may_send_papers,
    split_link,
)
from bot.papers.views import build_pack, build_pack_dm, build_pack_post
from bot.report.content import SelfAssessment
from bot.report.gather import self_assessment_part
from bot.review_access import require, review_in_channel, roles
from bot.slack.blocks import Block
from bot.slack.channels import require_private_channel
from bot.slack.outbox import owe_direct_message
from bot.slack.text import plural
from storage.db import transaction
from storage.repositories import papers as store
from storage.repositories.reminders import done_milestones, record_done
from storage.repositories.reviews import record_audit, timeline_of

TEAM_ONLY = refusal(Operation.SEE_PAPERS)
HOST_AND_IS_ONLY = refusal(Operation.ADD_PAPERS)
LEADS_ONLY = refusal(Operation.SEND_PAPERS)


def _report_note(sa: SelfAssessment) -> str:
    if sa.note:
        return "_not available yet_ (" + sa.note.rstrip(".") + ")"
    return f"made from the results ({sa.finished} of {sa.invited} responded), as a Word document"


def show_pack(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_see_papers(roles(review, user_id)), TEAM_ONLY)
        items = store.papers(session=session, review_id=review.id)
        sa = self_assessment_part(session, deps, review, chart=False)
        sent = PAPERS_MILESTONE in done_milestones(session=session, review_id=review.id)
        due = timeline_of(review).papers_due
    return build_pack(items, report_note=_report_note(sa), papers_due=due, sent=sent)


def _titled_link(text: str, kind: PaperKind) -> tuple[str, str]:
    parsed = split_link(text)
    if isinstance(parsed, str):
        raise Refusal(parsed)
    title, url = parsed
    if kind is PaperKind.HOST_PAPER:
        return title or "What we want from fieldwork", url
    if not title:
        raise Refusal(
            "Give the paper a title before the link, for example "
            "`/psif papers add Roads KPIs 2025-26 https://…`."
        )
    return title, url


def add_link(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str, text: str, kind: PaperKind
) -> str:
    """`/psif papers add <title> <link>` and `/psif papers paper <link> [title]`; who may
    add papers is checked before what was typed."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_add_papers(roles(review, user_id)), HOST_AND_IS_ONLY)
        title, url = _titled_link(text, kind)
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
    """`/psif papers remove <n>`: the nth piece of other evidence."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_add_papers(roles(review, user_id)), HOST_AND_IS_ONLY)
        evidence = [
            i
            for i in store.papers(session=session, review_id=review.id)
            if i.kind is PaperKind.EVIDENCE
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
    """`/psif papers send` (leads), in a private channel only: the host's documents are
    confidential to the review team (guidance §2) and the pack carries the self-assessment
    report."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_send_papers(roles(review, user_id)), LEADS_ONLY)
    require_private_channel(slack(), channel_id, "the papers for fieldwork")
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_send_papers(roles(review, user_id)), LEADS_ONLY)
        items = store.papers(session=session, review_id=review.id)
        if not items:
            raise Refusal(
                "The pack is empty: add the host's paper and evidence first (`/psif papers`)."
            )
        team = list(
            dict.fromkeys(
                m.user_id for m in review.members if m.role in {r.value for r in REVIEW_TEAM}
            )
        )
        sa = self_assessment_part(session, deps, review, chart=False)
        record_done(
            session=session,
            review_id=review.id,
            milestone=PAPERS_MILESTONE,
            actor_id=user_id,
            now=deps.now(),
        )
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="papers.sent",
            details={"links": len(items)},
            now=deps.now(),
        )
        note = _report_note(sa)
        text, blocks = build_pack_post(
            items, host_council=review.host_council, report_note=note, sent_by=user_id
        )
        owe_pack_post(
            session,
            review,
            text=text,
            blocks=blocks,
            with_report=not sa.note,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": "The papers are recorded as sent, but I couldn't post them.",
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
                if_undelivered={
                    "user_id": user_id,
                    "response_url": response_url,
                    "text": f"I couldn't send the papers to <@{member}>.",
                },
            )
        return (
            f"The papers are recorded as sent: they're on their way to <#{review.channel_id}> "
            f"and, by direct message, to {plural(len(team), 'team member')}."
        )
