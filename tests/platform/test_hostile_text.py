"""Every Block Kit builder, fed hostile user text, renders no live Slack markup.

Whatever a person typed (a focus, an AFI, an action, a comment, a reason) is shown, never
acted on: no `<!channel>`, `<!here>`, `<!everyone>`, `<@…>`, `<#…>` or disguised link
reaches a mrkdwn field or a fallback `text`, except the mentions the bot itself writes for
people and channels that came from Slack's pickers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.afis.views import (
    AfiFormMetadata,
    afi_added_text,
    build_afi_card,
    build_afi_list,
    build_afi_modal,
    build_merge_modal,
    build_vote_pages,
    build_vote_result,
    build_withdraw_modal,
)
from bot.core.actions import ActionItem, ActionStatus, AfiRef, OwnedActions, StatusChange
from bot.core.afis import AfiItem, BallotInfo
from bot.core.checklist import CommentKind
from bot.core.checklist_loader import load_default_checklist
from bot.core.councils import COUNCILS
from bot.core.responses import Comment
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.core.votes import RankedAfi
from bot.home.views import HomePicture, build_home
from bot.improvement_actions._rules import ListFilter, group_by_afi
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
from bot.reminders.views import DigestFacts, build_channel_unreachable, build_weekly_digest
from bot.reminders.views import build_milestone_reminder as milestone_reminder
from bot.reviews.views import (
    build_advance_confirmation,
    build_review_opened,
    build_stage_changed,
    build_stage_view,
    build_status,
)
from bot.self_assessment.views import (
    build_afis_imported,
    build_comment_messages,
    build_invitation,
    build_self_assessment_reminder,
    build_thanks,
)
from bot.slack.text import escape_mrkdwn

from hostile_text import PICKED_CHANNEL, hostile, live_markup, user_ids

TODAY = date(2027, 1, 11)
ZONE = ZoneInfo("Europe/London")
councils = st.sampled_from(sorted(COUNCILS))


@st.composite
def reviews(draw: st.DrawFn) -> ReviewSnapshot:
    return ReviewSnapshot(
        id=1,
        channel_id=PICKED_CHANNEL,
        host_council=draw(councils),  # chosen from a list, checked on the server
        focus=draw(hostile),
        rationale=draw(hostile),
        stage=draw(st.sampled_from(list(Stage))),
        timeline=Timeline(fieldwork_start=date(2027, 3, 3), fieldwork_end=date(2027, 3, 5)),
        members=(("UHOST", Role.HOST_LEAD), ("UIS", Role.IS_LEAD), ("UPEER", Role.PEER_REVIEWER)),
        peer_councils=(draw(councils),),
        peer_rationale=draw(hostile),
        created_by="UHOST",
        opened_on=TODAY,
    )


@st.composite
def afis(draw: st.DrawFn, number: int = 1) -> AfiItem:
    return AfiItem(
        id=number,
        number=number,
        text=draw(hostile),
        section_number=draw(st.sampled_from([None, 1, 2])),
        evidence=draw(hostile),
        source="manual",
        author_id=draw(user_ids),
        votes=draw(st.integers(0, 5)),
        rank=number,
        prioritised=draw(st.booleans()),
    )


@st.composite
def actions(draw: st.DrawFn, number: int = 1) -> ActionItem:
    afi = AfiRef(id=1, number=1, text=draw(hostile), prioritised=draw(st.booleans()), rank=1)
    status = draw(st.sampled_from(list(ActionStatus)))
    return ActionItem(
        id=number,
        review_id=1,
        number=number,
        key_action=draw(hostile),
        owner_id=draw(user_ids),
        due=date(2027, 1, draw(st.integers(1, 28))),
        status=status,
        afi=draw(st.sampled_from([None, afi])),
        risks=draw(hostile),
        measure=draw(hostile),
        outcome=draw(hostile),
        drop_reason=draw(hostile) if status is ActionStatus.DROPPED else "",
        created_by=draw(user_ids),
        created_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
        status_changed_by=draw(user_ids),
        status_changed_at=datetime(2027, 1, 5, 9, tzinfo=UTC),
        channel_id=PICKED_CHANNEL,
        message_ts="1700000000.000100",
    )


SECTIONS = {1: "Leadership", 2: "Staff"}
RUN = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RUN
@given(reviews())
def test_review_builders(review: ReviewSnapshot) -> None:
    gaps = ["The self-assessment hasn't been issued"]  # the bot's words, not typed text
    outputs = [
        build_review_opened(review, opened_by="UHOST", today=TODAY),
        build_status(review, today=TODAY, gaps=gaps),
        build_stage_view(review, gaps=gaps, can_advance=True),
        build_advance_confirmation(review, Stage.PRE_WORK, gaps),
        build_stage_changed(
            review, previous=Stage.GETTING_READY, changed_by="UHOST", gaps_left=gaps, today=TODAY
        ),
    ]
    assert live_markup(outputs) == []


@RUN
@given(st.lists(afis(), min_size=2, max_size=4))
def test_afi_builders(items: list[AfiItem]) -> None:
    items = [AfiItem(**{**vars(item), "id": n, "number": n}) for n, item in enumerate(items, 1)]
    metadata = AfiFormMetadata(channel_id=PICKED_CHANNEL, afi_id=1)
    ballot = BallotInfo(1, 3, 1, False, True, 2, 4)
    ranked = [RankedAfi(item.number, item.votes, item.number, False, True) for item in items]
    outputs = [
        build_afi_list(items, ballot=ballot),
        build_afi_card(
            items[0],
            SECTIONS,
            ballot=ballot,
            figures=items[1].text,
            manageable=True,
            reads_findings=True,
        ),
        build_afi_modal(SECTIONS, metadata, editing=items[0]),
        build_merge_modal(items[0], items[1:], metadata),
        build_withdraw_modal(items[0], metadata),
        afi_added_text(items[0]),
        build_vote_pages(ballot, items),
        build_vote_result(
            ranked,
            {item.number: item for item in items},
            top_n=2,
            closed_by="UIS",
            round_id=1,
            tie=None,
        ),
    ]
    assert live_markup(outputs) == []


@RUN
@given(reviews(), st.lists(actions(), min_size=1, max_size=3), hostile)
def test_action_builders(review: ReviewSnapshot, items: list[ActionItem], reason: str) -> None:
    item = items[0]
    metadata = ActionMetadata(review_id=1, action_id=item.id)
    history = [
        StatusChange("UOWNER", ActionStatus.OPEN, ActionStatus.DROPPED, item.created_at, reason)  # type: ignore[arg-type]
    ]
    groups = group_by_afi(items)
    outputs = [
        build_action_card(item, zone=ZONE),
        build_assignment_dm(
            item, assigned_by="UHOST", channel_id=PICKED_CHANNEL, host=review.host_council
        ),
        build_action_list(groups, which=ListFilter.ALL, today=TODAY, total=len(items)),
        build_history_modal(item, history, zone=ZONE),
        build_action_modal(metadata=metadata, prioritised=[], others=[], existing=item),
        build_drop_modal(item=item, metadata=metadata),
        build_plan_messages(review, groups, today=TODAY, posted_by="UHOST"),
        build_action_due_reminder(
            item,
            host_council=review.host_council,
            channel_id=PICKED_CHANNEL,
            today=TODAY,
            overdue=True,
        ),
        build_overdue_digest(items, host_council=review.host_council, today=TODAY),
        build_home(
            HomePicture(reviews=(review,), owned=OwnedActions.of(items, today=TODAY)),
            user_id="UOWNER",
            today=TODAY,
        ),
    ]
    assert live_markup(outputs) == []


@RUN
@given(reviews(), st.lists(hostile, min_size=1, max_size=3))
def test_reminder_and_self_assessment_builders(review: ReviewSnapshot, texts: list[str]) -> None:
    checklist = load_default_checklist()
    comments = [Comment(1, CommentKind.STRENGTHS, text) for text in texts]
    outputs = [
        milestone_reminder(
            host_council=review.host_council,
            milestone="pre_meeting",
            day=TODAY,
            today=TODAY,
            prioritised_afis=texts,
        ),
        build_weekly_digest(
            DigestFacts(
                review.host_council,
                review.focus,
                review.stage,
                TODAY,
                TODAY,
                ["2 actions logged"],
                (),
                (),
            )
        ),
        build_channel_unreachable(
            channel_id=PICKED_CHANNEL, host_council=review.host_council, error="not_in_channel"
        ),
        build_invitation(
            review_id=1,
            host_council=review.host_council,
            focus=review.focus,
            invited_by="UHOST",
            checklist=checklist,
            closes_on=TODAY,
            min_respondents=3,
        ),
        build_thanks(review.host_council, TODAY),
        build_comment_messages(checklist, comments),
        build_afis_imported(
            imported_by="UHOST", afis=[(n, "1.1", text) for n, text in enumerate(texts)], earlier=0
        ),
        build_self_assessment_reminder(
            review_id=1,
            host_council=review.host_council,
            focus=review.focus,
            closes_on=TODAY,
            today=TODAY,
            others_finished=2,
        ),
    ]
    assert live_markup(outputs) == []


@given(hostile)
def test_escaping_is_one_rule_that_keeps_every_character_visible(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
