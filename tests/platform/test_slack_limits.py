"""Every Block Kit builder stays within Slack's limits at the largest inputs the bot accepts.

Each case renders one builder with the longest texts the forms allow (or, for text nobody
bounds, far longer), hostile characters to escape, and many items; every message and view
it produces must pass the fake Slack's validator, hold at most ~12,000 characters of block
text (`msg_blocks_too_long`), and every input's initial value must fit its `max_length`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest

from bot.afis._rules import AFI_TEXT_MAX, EVIDENCE_MAX, MAX_TOP_N, rank_afis
from bot.afis.views import (
    AfiFormMetadata,
    build_afi_card,
    build_afi_list,
    build_afi_modal,
    build_merge_modal,
    build_notice_modal,
    build_vote_home,
    build_vote_modal,
    build_vote_pages,
    build_vote_result,
    build_withdraw_modal,
)
from bot.core.actions import ActionItem, ActionStatus, AfiRef, OwnedActions, StatusChange
from bot.core.afis import AfiItem, BallotInfo, psif_sections
from bot.core.checklist import Answer, CommentKind
from bot.core.checklist_loader import load_default_checklist
from bot.core.councils import COUNCILS, MAX_PEER_COUNCILS
from bot.core.fieldwork import (
    MAX_PARTICIPANTS,
    PARTICIPANTS_MAX,
    AfiLabel,
    FieldworkKind,
    FieldworkMode,
    FieldworkSessionItem,
)
from bot.core.findings import FindingItem, FindingKind, FindingSource
from bot.core.papers import PaperItem, PaperKind
from bot.core.report import OpenComment
from bot.core.responses import (
    Comment,
    Completion,
    OwnProgress,
    RespondentAnswers,
    RoundStatus,
    SectionAnswers,
)
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.demo.fake_slack import validate_blocks, validate_view
from bot.fieldwork.service import SessionMetadata
from bot.fieldwork.views import (
    build_day_before_reminder,
    build_my_sessions,
    build_plan,
    build_schedule,
    build_session_modal,
)
from bot.findings.service import FindingMetadata
from bot.findings.views import FINDING_TEXT_MAX, AfiDetail, build_afi_detail, build_finding_modal
from bot.home.views import HomePicture, build_home
from bot.improvement_actions._rules import (
    DETAIL_MAX,
    DROP_REASON_MAX,
    KEY_ACTION_MAX,
    ListFilter,
    group_by_afi,
)
from bot.improvement_actions.views import (
    ActionMetadata,
    build_action_card,
    build_action_due_reminder,
    build_action_list,
    build_action_modal,
    build_assignment_dm,
    build_drop_modal,
    build_history_modal,
    build_overdue_digest,
    build_plan_messages,
)
from bot.papers.service import TITLE_MAX, URL_MAX
from bot.papers.views import build_pack, build_pack_dm, build_pack_post
from bot.privacy.views import build_forget_me_confirmation
from bot.reminders.views import (
    DigestFacts,
    ScheduledEntry,
    build_channel_unreachable,
    build_milestone_missed,
    build_milestone_reminder,
    build_reminders_list,
    build_weekly_digest,
)
from bot.report.service import CommentMetadata
from bot.report.views import (
    COMMENT_MAX,
    build_comment_in_thread,
    build_comment_modal,
    build_final_notice,
    build_open_comments,
    build_report_post,
)
from bot.reviews.views import (
    DATE_FIELDS,
    FOCUS_MAX,
    RATIONALE_MAX,
    StartForm,
    StartMetadata,
    build_advance_confirmation,
    build_close_confirmation,
    build_review_opened,
    build_stage_changed,
    build_stage_view,
    build_start_modal,
    build_status,
)
from bot.self_assessment._analysis import AnalysisSettings, analyse
from bot.self_assessment.views import (
    COMMENT_MAX_LENGTH,
    build_afis_imported,
    build_closed,
    build_comment_messages,
    build_invitation,
    build_issued_in_channel,
    build_results,
    build_section_modal,
    build_self_assessment_home,
    build_self_assessment_progress,
    build_self_assessment_reminder,
    build_self_assessment_status,
    build_summary_modal,
    closed_notice,
)
from bot.self_assessment.views import build_close_confirmation as build_close_round
from bot.self_assessment.views import build_notice_modal as build_checklist_notice
from bot.slack.blocks import HomeSection, Message
from bot.slack.help import HelpEntry, build_help
from bot.team._rules import ORGANISATION_MAX
from bot.team.views import build_team, build_welcome
from handlers.commands import ACTION_SUBCOMMANDS, AFI_SUBCOMMANDS, PSIF_SUBCOMMANDS

from afi_helpers import SLACK_BLOCKS_TEXT_LIMIT, text_length

TODAY = date(2027, 3, 3)
ZONE = ZoneInfo("Europe/London")
HOSTILE = "<!channel> & <@U1> *bold* "
USER = "U0123456789"


def text_of(length: int) -> str:
    """`length` characters of hostile text (escaping makes it longer still)."""
    return (HOSTILE * (length // len(HOSTILE) + 1))[:length]


def users(count: int, prefix: str = "UPEER") -> tuple[str, ...]:
    return tuple(f"{prefix}{index:05d}" for index in range(count))


Rendered = tuple[Literal["message", "modal", "home"], Any]


def messages(pairs: Any) -> Iterator[Rendered]:
    for text, blocks in pairs:
        yield "message", {"text": text, "blocks": blocks}


def message(pair: Any) -> Iterator[Rendered]:
    if isinstance(pair, Message):
        yield "message", {"text": pair.text, "blocks": pair.blocks}
    else:
        text, blocks = pair
        yield "message", {"text": text, "blocks": blocks}


def modal(view: Any) -> Iterator[Rendered]:
    yield "modal", view


# --- domain pictures at their largest -------------------------------------------------

TIMELINE = Timeline(
    initial_meeting=date(2027, 1, 11),
    fieldwork_start=date(2027, 3, 1),
    fieldwork_end=date(2027, 3, 5),
    pre_meeting=date(2027, 2, 15),
    draft_report=date(2027, 3, 19),
    leads_meeting=date(2027, 4, 2),
    final_report=date(2027, 4, 16),
)
PEERS = users(50)
REVIEW = ReviewSnapshot(
    id=7,
    channel_id="C0REVIEW",
    host_council=max(COUNCILS, key=len),
    focus=text_of(FOCUS_MAX),
    rationale=text_of(RATIONALE_MAX),
    stage=Stage.FIELDWORK_CONTEXT,
    timeline=TIMELINE,
    members=(
        (USER, Role.HOST_LEAD),
        *((user, Role.HOST_TEAM) for user in users(50, "UHOST")),
        (USER + "I", Role.IS_LEAD),
        *((user, Role.PEER_REVIEWER) for user in PEERS),
    ),
    peer_councils=tuple(sorted(COUNCILS, key=len)[-MAX_PEER_COUNCILS:]),
    partners=tuple(text_of(ORGANISATION_MAX) for _ in range(20)),
    peer_rationale=text_of(RATIONALE_MAX),
    created_by=USER,
    opened_on=date(2027, 1, 4),
    organisations={user: text_of(ORGANISATION_MAX) for user in PEERS},
)


def afi_items(count: int) -> list[AfiItem]:
    return [
        AfiItem(
            id=100 + n,
            number=n,
            text=text_of(AFI_TEXT_MAX),
            section_number=1 + n % 6,
            evidence=text_of(EVIDENCE_MAX),
            source="added",
            author_id=USER,
            votes=n % 7,
            rank=n,
            prioritised=n <= MAX_TOP_N,
        )
        for n in range(1, count + 1)
    ]


AFIS = afi_items(200)
BALLOT = BallotInfo(
    round_id=1, budget=10, per_afi_cap=10, everyone_can_vote=True, is_open=True, voters=99, votes=9
)
AFI_REFS = [AfiRef(id=a.id, number=a.number, text=a.text, prioritised=a.prioritised) for a in AFIS]
AFI_LABELS = [AfiLabel(id=a.id, number=a.number, text=a.text) for a in AFIS]


def action_items(count: int) -> list[ActionItem]:
    return [
        ActionItem(
            id=n,
            review_id=7,
            number=n,
            key_action=text_of(KEY_ACTION_MAX),
            owner_id=USER,
            due=date(2027, 1, 1),
            status=ActionStatus.IN_PROGRESS,
            afi=AFI_REFS[n % 60],
            risks=text_of(DETAIL_MAX),
            measure=text_of(DETAIL_MAX),
            outcome=text_of(DETAIL_MAX),
            drop_reason=text_of(DROP_REASON_MAX),
            created_by=USER,
            created_at=datetime(2027, 1, 1, tzinfo=UTC),
            status_changed_by=USER,
            status_changed_at=datetime(2027, 1, 2, tzinfo=UTC),
        )
        for n in range(1, count + 1)
    ]


ACTIONS = action_items(200)
SESSIONS = [
    FieldworkSessionItem(
        id=n,
        number=n,
        kind=FieldworkKind.FOCUS_GROUP,
        day=date(2027, 3, 1 + n % 5),
        start_minute=9 * 60,
        minutes=90,
        participants=text_of(PARTICIPANTS_MAX),
        participant_count=MAX_PARTICIPANTS,
        mode=FieldworkMode.IN_PERSON,
        afis=tuple(AFI_LABELS[:20]),
        runners=PEERS[:20],
    )
    for n in range(1, 101)
]
CHECKLIST = load_default_checklist()
STATUS = RoundStatus(closes_on=TODAY, today=TODAY, completion=Completion(999, 500))
PAPERS = [
    PaperItem(id=n, kind=PaperKind.HOST_PAPER, title=text_of(TITLE_MAX), url="https://x/" * 200)
    for n in range(1, 101)
]
assert len(PAPERS[0].url) == URL_MAX


def _analysis() -> Any:
    statements = [s.id for section in CHECKLIST.sections for s in section.statements]
    responses = [
        RespondentAnswers({sid: list(Answer)[n % len(Answer)] for sid in statements})
        for n in range(10)
    ]
    settings = AnalysisSettings(min_respondents=1, strengths_count=100, afi_count=100)
    return analyse(CHECKLIST, responses, settings)


def _comments() -> list[Comment]:
    return [
        Comment(section.number, kind, f"{n} " + text_of(COMMENT_MAX_LENGTH))
        for section in CHECKLIST.sections
        for kind in CommentKind
        for n in range(30)
    ]


# --- every builder -------------------------------------------------------------------

AFI_METADATA = AfiFormMetadata(channel_id="C0REVIEW", response_url="https://hooks/x" * 60)
SECTIONS = psif_sections()


def _afis() -> Iterator[Rendered]:
    yield from modal(build_afi_modal(SECTIONS, AFI_METADATA))
    long_afi = AfiItem(
        id=1,
        number=9999,
        text=text_of(5000),
        section_number=1,
        evidence=text_of(5000),
        source="checklist",
        author_id=USER,
    )
    yield from modal(build_afi_modal(SECTIONS, AFI_METADATA, editing=long_afi))
    yield from modal(build_merge_modal(AFIS[0], AFIS[1:], AFI_METADATA))
    yield from modal(build_withdraw_modal(long_afi, AFI_METADATA))
    yield from modal(build_notice_modal(text_of(5000)))
    for page in (1, 2, 5):
        yield from message(build_afi_list(AFIS, ballot=BALLOT, page=page))
    yield from message(
        build_afi_card(
            AFIS[0],
            SECTIONS,
            ballot=BALLOT,
            figures=text_of(300),
            manageable=True,
            reads_findings=True,
        )
    )
    yield from modal(build_vote_modal(len(AFIS), AfiFormMetadata(channel_id="C0REVIEW")))
    yield from messages(build_vote_pages(BALLOT, AFIS))
    ranked = rank_afis([(a.number, a.votes) for a in AFIS], top_n=MAX_TOP_N)
    yield from messages(
        build_vote_result(
            ranked,
            {a.number: a for a in AFIS},
            top_n=MAX_TOP_N,
            closed_by=USER,
            round_id=1,
            tie=None,
        )
    )
    home = build_vote_home(channel_id="C0REVIEW", budget=10, used=3)
    assert home is not None
    yield "home", {"type": "home", "blocks": [home]}


def _self_assessment() -> Iterator[Rendered]:
    yield from message(
        build_invitation(
            review_id=7,
            host_council=REVIEW.host_council,
            focus=REVIEW.focus,
            invited_by=USER,
            checklist=CHECKLIST,
            closes_on=TODAY,
            min_respondents=3,
        )
    )
    yield from message(
        build_issued_in_channel(invited_by=USER, invited=users(500), closes_on=TODAY)
    )
    yield from message(
        build_results(
            host_council=REVIEW.host_council,
            analysis=_analysis(),
            completion=Completion(999, 500),
            posted_by=USER,
        )
    )
    yield from messages(build_comment_messages(CHECKLIST, _comments()))
    yield from message(
        build_afis_imported(
            imported_by=USER,
            afis=[(n, "1.01", text_of(3000)) for n in range(1, 201)],
            earlier=5,
        )
    )
    long_comment = text_of(COMMENT_MAX_LENGTH)
    saved = {
        section.number: SectionAnswers(
            section.number,
            {s.id: Answer.AGREE for s in section.statements},
            strengths=long_comment,
            improvements=long_comment,
        )
        for section in CHECKLIST.sections
    }
    for section in CHECKLIST.sections:
        yield from modal(
            build_section_modal(
                checklist=CHECKLIST,
                section_number=section.number,
                review_id=7,
                host_council=REVIEW.host_council,
                closes_on=TODAY,
                saved=saved[section.number],
            )
        )
    yield from modal(
        build_summary_modal(
            progress=OwnProgress(CHECKLIST, saved),
            review_id=7,
            host_council=REVIEW.host_council,
            closes_on=TODAY,
        )
    )
    home = build_self_assessment_home(
        review_id=7, status=STATUS, sections_saved=3, sections_total=6, finished=False
    )
    yield "home", {"type": "home", "blocks": list(home.blocks)}
    yield from message(
        build_self_assessment_reminder(
            review_id=7,
            host_council=REVIEW.host_council,
            focus=REVIEW.focus,
            closes_on=TODAY,
            today=TODAY,
            others_finished=999,
        )
    )
    yield from message(
        build_self_assessment_progress(
            host_council=REVIEW.host_council, closes_on=TODAY, today=TODAY, invited=999, finished=1
        )
    )
    yield from message(
        build_close_round(review_id=7, host_council=REVIEW.host_council, status=STATUS)
    )
    yield from message(build_closed(review_id=7, status=STATUS, closed_by=USER))
    yield from message(build_closed(review_id=7, status=STATUS))


def _reviews_and_team() -> Iterator[Rendered]:
    gaps = [text_of(300) for _ in range(30)]
    yield from message(build_review_opened(REVIEW, opened_by=USER, today=TODAY))
    yield from message(build_status(REVIEW, today=TODAY, gaps=gaps))
    yield from message(build_stage_view(REVIEW, gaps=gaps, can_advance=True))
    yield from message(build_advance_confirmation(REVIEW, Stage.FIELDWORK_INTERVIEWS, gaps))
    yield from message(
        build_stage_changed(
            REVIEW, previous=Stage.PRE_WORK, changed_by=USER, gaps_left=gaps, today=TODAY
        )
    )
    yield from message(build_close_confirmation(REVIEW, [text_of(1000) for _ in range(200)]))
    yield from message(build_team(REVIEW, can_change=True))
    yield from message(
        build_welcome(REVIEW, user=PEERS[0], role=Role.PEER_REVIEWER, added_by=USER, today=TODAY)
    )


def _improvement_actions() -> Iterator[Rendered]:
    metadata = ActionMetadata(review_id=7, action_id=1, response_url="https://hooks/x" * 60)
    prioritised, others = AFI_REFS[:MAX_TOP_N], AFI_REFS[MAX_TOP_N:]
    yield from modal(build_action_modal(metadata=metadata, prioritised=prioritised, others=others))
    yield from modal(
        build_action_modal(
            metadata=metadata, prioritised=prioritised, others=others, existing=ACTIONS[0]
        )
    )
    yield from modal(build_drop_modal(item=ACTIONS[0], metadata=metadata))
    yield from message(build_action_card(ACTIONS[0], zone=ZONE))
    yield from message(
        build_assignment_dm(
            ACTIONS[0], assigned_by=USER, channel_id="C0REVIEW", host=REVIEW.host_council
        )
    )
    groups = group_by_afi(ACTIONS)
    for which in ListFilter:
        yield from messages(build_action_list(groups, which=which, today=TODAY, total=200))
    history = [
        StatusChange(
            USER,
            ActionStatus.OPEN,
            ActionStatus.DROPPED,
            datetime(2027, 1, 1, tzinfo=UTC),
            text_of(DROP_REASON_MAX),
        )
        for _ in range(200)
    ]
    yield from modal(build_history_modal(ACTIONS[0], history, zone=ZONE))
    yield from messages(build_plan_messages(REVIEW, groups, today=TODAY, posted_by=USER))
    yield from message(
        build_action_due_reminder(
            ACTIONS[0], host_council=REVIEW.host_council, channel_id="C0", today=TODAY, overdue=True
        )
    )
    yield from message(build_overdue_digest(ACTIONS, host_council=REVIEW.host_council, today=TODAY))


def _home() -> Iterator[Rendered]:
    reviews = tuple(REVIEW for _ in range(40))
    sections = tuple(
        HomeSection(
            text_of(300), (({"type": "section", "text": {"type": "mrkdwn", "text": "x"}}),), 7
        )
        for _ in range(40)
    )
    picture = HomePicture(
        reviews=reviews, owned=OwnedActions.of(ACTIONS, today=TODAY), sections=sections
    )
    yield "home", build_home(picture, user_id=USER, today=TODAY)


def _fieldwork_and_findings() -> Iterator[Rendered]:
    window = (date(2027, 3, 1), date(2027, 3, 5))
    metadata = SessionMetadata(
        review_id=7, fieldwork_session_id=1, response_url="https://hooks/x" * 60
    ).dump()
    for existing in (None, SESSIONS[0]):
        yield from modal(
            build_session_modal(
                private_metadata=metadata,
                afis=AFI_LABELS,
                prioritised=True,
                window=window,
                planner=USER,
                existing=existing,
            )
        )
    host = REVIEW.host_council
    yield from message(
        build_schedule(SESSIONS, host_council=host, focus=REVIEW.focus, window=window)
    )
    yield from message(build_plan(SESSIONS, review_id=7, window=window, can_plan=True))
    yield from message(
        build_my_sessions(SESSIONS, host_council=host, channel_id="C0", change=text_of(500))
    )
    yield from message(build_day_before_reminder(SESSIONS, host_council=host, day=TODAY))
    finding_metadata = FindingMetadata(review_id=7, afi_id=1, response_url="https://hooks/x" * 60)
    yield from modal(
        build_finding_modal(
            private_metadata=finding_metadata.dump(),
            afis=AFI_LABELS,
            fixed_afi=None,
            fieldwork_sessions=SESSIONS,
            text=text_of(FINDING_TEXT_MAX),
            preselect=AFI_LABELS[0],
        )
    )
    findings = [
        FindingItem(
            id=n,
            number=n,
            afi_id=AFIS[0].id,
            afi_number=1,
            kind=list(FindingKind)[n % 3],
            source=FindingSource.SESSION,
            text=text_of(FINDING_TEXT_MAX),
            fieldwork_session_id=1,
            fieldwork_session=(FieldworkKind.OTHER, date(2027, 9, 30)),  # the longest label
        )
        for n in range(1, 201)
    ]
    detail = AfiDetail(
        afi=AFIS[0],
        section_title=text_of(100),
        figures=text_of(200),
        vote_held=True,
        findings=findings,
        actions=ACTIONS,
        session_count=100,
        merged_numbers=tuple(range(1, 200)),
    )
    yield from message(build_afi_detail(detail))


def _papers_reminders_report() -> Iterator[Rendered]:
    note = text_of(3000)
    yield from message(build_pack(PAPERS, report_note=note, papers_due=TODAY, sent=True))
    yield from message(
        build_pack_post(PAPERS, host_council=REVIEW.host_council, report_note=note, sent_by=USER)
    )
    yield from message(
        build_pack_dm(PAPERS, host_council=REVIEW.host_council, channel_id="C0", report_note=note)
    )
    host = REVIEW.host_council
    yield from message(
        build_milestone_reminder(
            host_council=host,
            milestone="fieldwork_start",
            day=TODAY,
            today=TODAY,
            prioritised_afis=[a.text for a in AFIS],
        )
    )
    yield from message(
        build_milestone_missed(
            host_council=host,
            milestone="draft_report",
            day=TODAY,
            who="host or Improvement Service team members",
        )
    )
    facts = DigestFacts(
        host_council=host,
        focus=REVIEW.focus,
        stage=Stage.REPORTING,
        week_start=TODAY,
        week_end=TODAY,
        activity=[text_of(500) for _ in range(100)],
        coming=[(text_of(200), TODAY) for _ in range(50)],
        overdue=[("draft_report", TODAY) for _ in range(7)],
    )
    yield from message(build_weekly_digest(facts))
    yield from message(build_channel_unreachable(channel_id="C0", host_council=host, error="x"))
    entries = [
        ScheduledEntry(day=TODAY, summary=text_of(300), state="scheduled", direct_messages=n)
        for n in range(200)
    ]
    yield from message(
        build_reminders_list(
            entries=entries,
            rule_labels=[(text_of(40), text_of(300)) for _ in range(20)],
            muted=frozenset(text_of(40) for _ in range(20)),
            channel_problem=text_of(500),
            snoozed_through=TODAY,
            today=TODAY,
            days=365,
        )
    )
    yield from modal(
        build_comment_modal(
            private_metadata=CommentMetadata(
                version_id=1, response_url="https://hooks/x" * 60
            ).dump(),
            version_number=99,
        )
    )
    yield from message(
        build_comment_in_thread(author_id=USER, version_number=99, text=text_of(COMMENT_MAX))
    )
    comments = [
        OpenComment(n, 99, USER, text_of(COMMENT_MAX), datetime(2027, 1, 1, tzinfo=UTC))
        for n in range(200)
    ]
    yield from message(build_open_comments(comments, resolvable={c.id for c in comments}))
    yield from message(
        build_final_notice(version_number=99, by=USER, host_council=host, when=TODAY)
    )


def _start_help_and_notices() -> Iterator[Rendered]:
    checklists = {f"checklist-{n}": text_of(100) for n in range(100)}
    start = StartMetadata(channel_id="C0REVIEW", response_url="https://hooks/x" * 60)
    yield from modal(build_start_modal(metadata=start, checklists=checklists))
    form = StartForm(
        host_council=REVIEW.host_council,
        focus=text_of(FOCUS_MAX),
        rationale=text_of(RATIONALE_MAX),
        host_lead=USER,
        is_lead=USER,
        host_team=list(users(50, "UHOST")),
        is_team=list(users(50, "UIS")),
        peer_councils=list(REVIEW.peer_councils),
        peer_rationale=text_of(RATIONALE_MAX),
        checklist_id="checklist-1",
        **{name: getattr(TIMELINE, name) for name in DATE_FIELDS},
    )
    editing = start.model_copy(update={"review_id": 7, "revision": 99})
    yield from modal(build_start_modal(metadata=editing, checklists=checklists, form=form))
    entries = [
        HelpEntry(command, sub.usage, sub.summary)
        for command, subs in (
            ("/psif", PSIF_SUBCOMMANDS),
            ("/afi", AFI_SUBCOMMANDS),
            ("/action", ACTION_SUBCOMMANDS),
        )
        for sub in subs
    ]
    yield from message(build_help(entries, intro=text_of(500)))
    yield from message(
        build_report_post(
            version=99,
            version_id=1,
            host_council=REVIEW.host_council,
            built_by=USER,
            built_on=TODAY,
            facts=text_of(500),
        )
    )
    yield from message(build_forget_me_confirmation())
    yield "message", {"text": "status", "blocks": build_self_assessment_status(STATUS)}
    yield from modal(build_checklist_notice(text_of(24), text_of(5000)))
    yield from modal(closed_notice(REVIEW.host_council, text_of(500)))


FEATURES: dict[str, Callable[[], Iterator[Rendered]]] = {
    "start_help_and_notices": _start_help_and_notices,
    "afis": _afis,
    "self_assessment": _self_assessment,
    "reviews_and_team": _reviews_and_team,
    "improvement_actions": _improvement_actions,
    "home": _home,
    "fieldwork_and_findings": _fieldwork_and_findings,
    "papers_reminders_report": _papers_reminders_report,
}


# --- the checks ---------------------------------------------------------------------


def initial_values_too_long(node: object) -> list[str]:
    """Inputs whose initial value is longer than their own max_length (Slack refuses them)."""
    found: list[str] = []
    if isinstance(node, dict):
        value, limit = node.get("initial_value"), node.get("max_length")
        if isinstance(value, str) and isinstance(limit, int) and len(value) > limit:
            found.append(f"{node.get('action_id')}: {len(value)} > {limit}")
        for child in node.values():
            found.extend(initial_values_too_long(child))
    elif isinstance(node, list):
        for child in node:
            found.extend(initial_values_too_long(child))
    return found


def problems(surface: Literal["message", "modal", "home"], payload: Any) -> list[str]:
    if surface == "message":
        found = validate_blocks(payload["blocks"], "message")
        if not payload["text"]:
            found.append("no fallback text")
        if len(payload["text"]) > 40_000:
            found.append("msg_too_long")
        size = text_length(payload["blocks"])
        if size > SLACK_BLOCKS_TEXT_LIMIT:
            found.append(f"msg_blocks_too_long: {size} characters of block text")
    else:
        found = validate_view(payload, surface)
    return found + initial_values_too_long(payload)


@pytest.mark.parametrize("feature", FEATURES)
def test_every_builder_stays_within_slack_limits_at_maximal_sizes(feature: str) -> None:
    failures = []
    rendered = list(FEATURES[feature]())
    assert rendered
    for index, (surface, payload) in enumerate(rendered):
        found = problems(surface, payload)
        if found:
            failures.append(f"#{index} {surface}: {found[:3]}")
    assert failures == []


def test_comment_messages_page_by_block_text_and_keep_every_comment() -> None:
    comments = _comments()
    pages = build_comment_messages(CHECKLIST, comments)
    assert len(pages) > 1
    joined = "".join(str(blocks) for _, blocks in pages)
    for comment in comments:
        assert joined.count(f"• {comment.text.split(' ', 1)[0]} ") >= 1
