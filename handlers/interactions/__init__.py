"""Buttons and menus, by feature: what each reads, the service it calls and how it answers.
Where reading takes more than an expression, the route's function is here too."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.afis import service as afis
from bot.core.actions import RagStatus
from bot.fieldwork.service import cancel_fieldwork_session, fieldwork_session_form
from bot.findings.service import button_form, change_form, learning_to_share
from bot.home.service import press_lead_button
from bot.home.views import LEAD_BUTTONS
from bot.improvement_actions.service import Press, choose_rag, press
from bot.privacy.service import forget_me
from bot.report.service import build_draft_anyway, comment_form, confirm_final, resolve_comment
from bot.reviews import service as reviews
from bot.reviews import views as review_views
from bot.self_assessment import service as assessment
from bot.self_assessment.views import SectionMetadata
from bot.slack import ids
from bot.slack.payloads import reading, record_ids, verb_and_id, whole_number
from bot.team.service import peers_form
from handlers.routes import Request, Route, open_modal, replace, said, tell

AFI_MANAGE_VERBS = frozenset({"edit", "merge", "withdraw"})
FINDING_VERBS = frozenset({"edit", "remove", "share", "unshare"})
ACTION_MENU = frozenset({ids.ACTION_MORE_REOPEN, ids.ACTION_MORE_DROP, ids.ACTION_MORE_HISTORY})
RAGS = frozenset(rag.value for rag in RagStatus)


# Areas for improvement and the dot vote. A vote press is stored before it is acknowledged,
# so an acknowledged vote survives a restart; the ballot and the tally follow by the outbox.
def add_afi_anyway(r: Request) -> str:
    container = r.body.get("container") or {}
    channel_id = str(container.get("channel_id") or (r.body.get("channel") or {}).get("id"))
    request = afis.NewAfiRequest(
        channel_id=channel_id,
        user_id=r.user_id,
        text=str(r.value or "").strip(),
        duplicate_ok=True,
        # A second press of the same question's button adds nothing more.
        request_key=f"anyway:{channel_id}:{container.get('message_ts')}",
    )
    return afis.add_area(r.deps, request)[0]


def manage_afi(r: Request) -> dict[str, Any]:
    verb, afi_id = verb_and_id(r.value, AFI_MANAGE_VERBS)
    url = r.body.get("response_url", "")
    return afis.manage_form(r.deps, user_id=r.user_id, verb=verb, afi_id=afi_id, response_url=url)


def cast_vote(r: Request) -> None:
    round_id, afi_id = record_ids(r.value, 2)
    clicked = r.action["action_id"]
    afis.cast_vote(
        r.deps,
        round_id=round_id,
        afi_id=afi_id,
        action_ts=str(r.action.get("action_ts") or ""),
        trigger_id=str(r.body.get("trigger_id", "")),
        take_back=clicked == ids.AFI_VOTE_REMOVE,
        in_ballot=clicked == ids.AFI_BALLOT_TOGGLE,
        **r.who,
    )


# Fieldwork sessions and findings
def session_form(r: Request) -> dict[str, Any]:
    editing = r.action["action_id"] == ids.FIELDWORK_EDIT  # else a review's id, to plan one
    review_id, session_id = (None, r.record) if editing else (r.record, None)
    return fieldwork_session_form(
        r.deps, review_id=review_id, fieldwork_session_id=session_id, **r.who
    )


def add_finding(r: Request) -> dict[str, Any]:
    on, record = verb_and_id(r.value, frozenset({"afi", "session"}))
    afi_id, session_id = (record, None) if on == "afi" else (None, record)
    return button_form(r.deps, afi_id=afi_id, fieldwork_session_id=session_id, **r.who)


def change_finding(r: Request) -> str | dict[str, Any]:
    """Learning to share is answered; Edit and Remove open their form."""
    verb, finding_id = verb_and_id(r.value, FINDING_VERBS)
    if verb in ("share", "unshare"):
        share = verb == "share"
        return learning_to_share(r.deps, user_id=r.user_id, finding_id=finding_id, share=share)
    return change_form(r.deps, finding_id=finding_id, remove=verb == "remove", **r.who)


# Improvement actions: a move is saved before the acknowledgement, so an acknowledged click
# is never lost.
def press_action(r: Request) -> None:
    if r.action.get("action_id") == ids.ACTION_MORE:
        verb, action_id = verb_and_id(r.value, ACTION_MENU)
    else:
        verb, action_id = str(r.action.get("action_id")), r.record
    with reading("an action's button"):
        pressed = Press(verb)
    in_home = (r.body.get("view") or {}).get("type") == "home"
    press(r.deps, r.asker, pressed=pressed, action_id=action_id, in_home=in_home)


def choose_action_rag(r: Request) -> tuple[str, Any]:
    rag, action_id = verb_and_id(r.value, RAGS)
    reminder = choose_rag(
        r.deps,
        action_id=action_id,
        user_id=r.user_id,
        rag=RagStatus(rag),
        # Slack stamps each press; a redelivered press repeats it and saves nothing more.
        request_key=f"rag:{action_id}:{r.action.get('action_ts') or r.asker.trigger_id}",
    )
    return reminder.text, reminder.blocks


# The review. The Appendix 1 form is updated right after the ack, not through the outbox:
# it matters only while the form is open.
def confirm_review_move(r: Request) -> str:
    confirm = (
        reviews.confirm_close
        if r.action["action_id"] == ids.CLOSE_CONFIRM
        else reviews.confirm_stage_move
    )
    return confirm(r.deps, value=str(r.action.get("value", "")), **r.who)


def refreshed_start_form(r: Request) -> dict[str, Any]:
    """The form again, with the suggestions made stale by the fieldwork dates picked."""
    metadata = review_views.StartMetadata.load(r.view.get("private_metadata"))
    form = review_views.without_stale_suggestions(review_views.read_start_state(r.view), metadata)
    return review_views.build_start_modal(
        metadata=metadata.model_copy(update={"revision": metadata.revision + 1}),
        checklists=r.deps.checklist_names,
        form=form,
    )


def update_start_form(r: Request, refreshed: dict[str, Any]) -> None:
    view = r.view

    def update() -> None:
        try:
            r.client.views_update(view_id=view["id"], hash=view.get("hash"), view=refreshed)
        except SlackApiError as error:
            if error.response.get("error") != "hash_conflict":
                raise
            # An earlier pick's update landed since; this action's state is the newest.
            r.client.views_update(view_id=view["id"], view=refreshed)

    r.asker.later(update)


# The self-assessment. Its pages are updated directly, not by the outbox, and its answers
# owed no record: nothing written may record when someone answers.
def other_section(r: Request) -> dict[str, Any]:
    """Keep the page, then show another section."""
    view = r.view
    metadata = r.metadata(SectionMetadata)
    section = metadata.section if view["callback_id"] == ids.CHECKLIST_SECTION_MODAL else 0
    page = assessment.OnPage(metadata.review_id, section, view["state"]["values"])
    return assessment.answer_page(r.deps, page=page, user_id=r.user_id, target=r.record)


def show_section(r: Request, next_view: dict[str, Any]) -> None:
    update = partial(r.client.views_update, view_id=r.view["id"], view=next_view)
    r.asker.later(update, unrecorded=True)


def post_results(r: Request) -> Any:
    """The same checks as `/psif results`, made once the click is acknowledged."""
    review_id, asker = whole_number(r.value), r.asker
    return partial(
        assessment.post_channel_results,
        lambda: asker.client,
        r.deps,
        review_id=review_id,
        user_id=asker.user_id,
        team_id=asker.team_id,
    )


def tell_any(r: Request, answers: list[str]) -> None:
    if answers:
        tell(r, "\n".join(answers))


def tell_unrecorded(r: Request, reply: str) -> None:
    # Straight from Slack: an outbox row would name them again right after forgetting.
    r.asker.later(lambda: r.asker.tell_unrecorded(reply), unrecorded=True)


CLICKS = (
    Route(ids.AFI_ADD_ANYWAY, add_afi_anyway, replace),
    Route(ids.AFI_ADD_CANCEL, said("OK, nothing was added."), replace),
    Route(ids.AFI_MANAGE, manage_afi, open_modal),
    Route(ids.AFI_SHOW, lambda r: afis.show_area(r.deps, afi_id=r.record, user_id=r.user_id), tell),
    Route(
        ids.AFI_LIST_PAGE,
        lambda r: afis.afi_list(r.deps, channel_id=r.channel_id, user_id=r.user_id, page=r.record),
        replace,
    ),
    Route((ids.AFI_VOTE_ADD, ids.AFI_VOTE_REMOVE, ids.AFI_BALLOT_TOGGLE), cast_vote),
    Route(ids.AFI_MY_VOTES, lambda r: afis.show_my_votes(r.deps, round_id=r.record, **r.who)),
    Route(
        ids.AFI_TIE_BREAK,
        lambda r: afis.start_tie_break(
            r.deps, round_id=r.record, user_id=r.user_id, response_url=r.asker.response_url
        ),
        tell,
    ),
    Route((ids.FIELDWORK_PLAN, ids.FIELDWORK_EDIT), session_form, open_modal),
    Route(
        ids.FIELDWORK_CANCEL,
        lambda r: cancel_fieldwork_session(
            r.deps, fieldwork_session_id=r.record, user_id=r.user_id
        ),
        tell,
    ),
    Route(ids.FINDING_ADD, add_finding, open_modal),
    Route(
        ids.FINDING_MANAGE,
        change_finding,
        lambda r, answer: tell(r, answer) if isinstance(answer, str) else open_modal(r, answer),
    ),
    Route(
        tuple(LEAD_BUTTONS),  # a lead's buttons on the Home tab
        lambda r: press_lead_button(
            r.deps, r.asker, button=str(r.action.get("action_id")), review_id=r.record
        ),
    ),
    Route(
        (ids.ACTION_START, ids.ACTION_DONE, ids.ACTION_EDIT, ids.ACTION_PROGRESS, ids.ACTION_MORE),
        press_action,
    ),
    Route(ids.ACTION_SET_RAG, choose_action_rag, replace),
    Route(ids.FORGET_ME_CANCEL, said("OK, nothing was removed."), replace),
    Route(ids.FORGET_ME_CONFIRM, lambda r: forget_me(r.deps, user_id=r.user_id), tell_unrecorded),
    Route(
        ids.REPORT_COMMENT, lambda r: comment_form(r.deps, version_id=r.record, **r.who), open_modal
    ),
    Route(
        ids.REPORT_RESOLVE,
        lambda r: resolve_comment(r.deps, comment_id=r.record, user_id=r.user_id),
        tell,
    ),
    Route(
        ids.REPORT_DRAFT_ANYWAY,
        lambda r: partial(
            build_draft_anyway, r.deps, lambda: r.client, review_id=r.record, **r.who
        ),
        replace,
        later=True,  # it asks Slack whether the channel is private
    ),
    Route(
        ids.REPORT_FINAL_CONFIRM,
        lambda r: partial(confirm_final, r.deps, lambda: r.client, version_id=r.record, **r.who),
        replace,
        later=True,  # it asks Slack whether the channel is private
    ),
    Route(ids.REPORT_CANCEL, said("OK, nothing has changed."), replace),
    Route(
        (ids.STAGE_ADVANCE_CANCEL, ids.CLOSE_CANCEL),
        said("OK, the review stays as it is."),
        replace,
    ),
    Route((ids.STAGE_ADVANCE_CONFIRM, ids.CLOSE_CONFIRM), confirm_review_move, replace),
    Route(
        ids.STATUS_MORE,
        lambda r: reviews.review_status_details(r.deps, channel_id=r.channel_id),
        tell,
    ),
    Route(ids.START_FIELDWORK_DATE, refreshed_start_form, update_start_form),
    Route(
        ids.MILESTONE_DONE_ANYWAY,
        lambda r: reviews.milestone_done(
            r.deps,
            channel_id=r.body["channel"]["id"],
            user_id=r.user_id,
            word=str(r.action.get("value", "")),
            anyway=True,
        ),
        replace,
    ),
    Route(ids.MILESTONE_DONE_CANCEL, said("OK, nothing was recorded."), replace),
    Route(
        ids.CHECKLIST_START,
        lambda r: assessment.open_self_assessment(r.deps, review_id=r.record, user_id=r.user_id),
        lambda r, view: r.asker.open_modal(view, unrecorded=True),
    ),
    Route(ids.CHECKLIST_GOTO_SECTION, other_section, show_section),
    Route(ids.CHECKLIST_CLOSE_CANCEL, said("OK, the self-assessment stays open."), replace),
    Route(
        ids.CHECKLIST_CLOSE_CONFIRM,
        lambda r: partial(
            assessment.close_early_confirmed,
            r.deps,
            review_id=whole_number(r.value),
            user_id=r.user_id,
            response_url=r.asker.response_url,
        ),
        replace,
        later=True,
    ),
    Route(ids.CHECKLIST_POST_RESULTS, post_results, tell_any, later=True),
    Route(
        ids.PEERS_EDIT,  # "Record answers" under `/psif peers`
        lambda r: peers_form(r.deps, channel_id=r.channel_id, **r.who, review_id=r.record),
        open_modal,
    ),
)
