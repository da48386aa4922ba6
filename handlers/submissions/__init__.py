"""Modal submissions, by feature: what each reads, the service it calls and what the
acknowledgement says (nothing: the modal closes). Where reading takes more than an
expression, the route's function is here too (the AFI forms' in `afis.py`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.fieldwork.service import SessionForm, SessionMetadata, save_fieldwork_session
from bot.findings import service as findings
from bot.home.service import invite_from_home, publish_home
from bot.home.views import InviteMetadata
from bot.improvement_actions import service as actions
from bot.improvement_actions.views import ActionMetadata
from bot.report.service import CommentMetadata, save_comment
from bot.reviews.service import open_review, save_edit
from bot.reviews.views import StartMetadata, read_start_state
from bot.self_assessment.service import OnPage, answer_page, finish_answering, thank_finisher
from bot.self_assessment.views import SectionMetadata
from bot.slack import ids
from bot.slack.blocks import input_value, input_values
from bot.slack.payloads import Metadata, UnreadablePayload, is_user_id, reading, team_id_of
from bot.survey.service import confirm_import, preview_import
from bot.survey.views import ImportMetadata, build_import_reading, chosen_file
from bot.team.service import save_peers
from bot.team.views import PeersMetadata, read_peers_state
from handlers.routes import Request, Route, tell, update
from handlers.submissions import afis


def open_review_form(r: Request) -> None:
    metadata = r.metadata(StartMetadata)
    team_id = metadata.team_id or team_id_of(r.body)
    open_review(
        r.deps, user_id=r.user_id, team_id=team_id, metadata=metadata, form=read_start_state(r.view)
    )


def save_review_edit(r: Request) -> None:
    metadata = r.metadata(StartMetadata)
    if metadata.review_id is None:
        raise UnreadablePayload("an edit form without its review")
    save_edit(r.deps, user_id=r.user_id, metadata=metadata, form=read_start_state(r.view))


def saving(
    save: Callable[..., Any], metadata: type[Metadata], form: Callable[[dict[str, Any]], Any]
) -> Callable[[Request], Any]:
    """The shape most forms share: `save` is given the form's metadata, its fields as `form`
    reads them, who sent it and the key that saves it once."""
    return lambda r: save(r.deps, metadata=r.metadata(metadata), form=form(r.values), **r.submitter)


def push_question(r: Request, question: dict[str, Any] | None) -> dict[str, Any] | None:
    """Recorded, or the question to push before a finding from a session still to come."""
    return None if question is None else {"response_action": "push", "view": question}


def save_early_finding(r: Request) -> None:
    """Do it anyway, on that question."""
    metadata = r.metadata(findings.EarlyFindingMetadata)
    findings.save_finding(r.deps, metadata=metadata, form=metadata.form, anyway=True, **r.submitter)


def invite(r: Request) -> None:
    """The Home tab's invite form: invites the people picked, as `/psif invite` does."""
    metadata = InviteMetadata.load(r.view.get("private_metadata", ""))
    with reading("invite form"):
        picked = input_value(r.values[ids.HOME_INVITE_PEOPLE][ids.HOME_INVITE_PEOPLE])
        users = [str(user) for user in picked if is_user_id(str(user))]
    invite_from_home(r.deps, r.asker, review_id=metadata.review_id, users=users)


def save_section(r: Request) -> dict[str, Any]:
    """Save a section of the self-assessment and move on."""
    metadata = r.metadata(SectionMetadata)
    page = OnPage(metadata.review_id, metadata.section, r.values)
    return answer_page(r.deps, page=page, user_id=r.user_id)


def finish(r: Request) -> Any:
    review_id = r.metadata(SectionMetadata).review_id
    return review_id, finish_answering(r.deps, review_id=review_id, user_id=r.user_id)


def thank(r: Request, finishing: Any) -> dict[str, Any] | None:
    """Unfinished: the summary says what's missing. Else thanked by direct calls, not outbox
    items (see thank_finisher), then their Home tab."""
    review_id, finished = finishing
    if finished.thanks is None:
        return update(r, finished.view)
    deps, client, user_id, thanks = r.deps, r.client, r.user_id, finished.thanks

    def thank() -> None:
        thank_finisher(client, deps, review_id=review_id, user_id=user_id, thanks=thanks)
        publish_home(client, deps, user_id=user_id)

    r.asker.later(thank, unrecorded=True)
    return None


def read_import_file(r: Request) -> dict[str, Any] | None:
    """Show "reading" at once; once acknowledged, fetch the file from Slack and show what was
    understood in the same modal."""
    metadata = r.metadata(ImportMetadata)
    file_id = chosen_file(r.values)
    if file_id is None:
        return {
            "response_action": "errors",
            "errors": {ids.SURVEY_IMPORT_FILE: "Choose a CSV file."},
        }
    user_id, view_id, client = r.user_id, str(r.view["id"]), r.client

    def show_what_was_read() -> None:
        preview = preview_import(
            r.deps, client, review_id=metadata.review_id, user_id=user_id, file_id=file_id
        )
        client.views_update(view_id=view_id, view=preview)

    r.asker.later(show_what_was_read)
    return update(r, build_import_reading())


def confirm_survey_import(r: Request) -> Any:
    metadata = r.metadata(ImportMetadata)
    file_id = metadata.file_id or ""
    return partial(
        confirm_import,
        r.deps,
        r.client,
        review_id=metadata.review_id,
        user_id=r.user_id,
        file_id=file_id,
    )


def save_peers_form(r: Request) -> None:
    """Inline errors, or saved and the channel told."""
    metadata = r.metadata(PeersMetadata)
    save_peers(
        r.deps, user_id=r.user_id, metadata=metadata, form=read_peers_state(r.view, metadata)
    )


FORMS = (
    Route(ids.START_MODAL, open_review_form),
    Route(ids.EDIT_MODAL, save_review_edit),
    Route(ids.PEERS_MODAL, save_peers_form),
    Route(ids.CHECKLIST_SECTION_MODAL, save_section, update),
    Route(ids.CHECKLIST_SUMMARY_MODAL, finish, thank),
    Route(ids.SURVEY_IMPORT_MODAL, read_import_file, lambda r, answer: answer),
    Route(ids.SURVEY_IMPORT_CONFIRM, confirm_survey_import, tell, later=True),
    *afis.ROUTES,
    Route(ids.ACTION_MODAL, saving(actions.save_action, ActionMetadata, actions.parse_action_form)),
    Route(
        ids.ACTION_DROP_MODAL,
        lambda r: actions.drop_action(
            r.deps,
            metadata=r.metadata(ActionMetadata),
            reason=actions.parse_drop_reason(r.values),
            user_id=r.user_id,
        ),
    ),
    Route(
        ids.ACTION_PROGRESS_MODAL,
        saving(actions.save_progress, ActionMetadata, actions.parse_progress_form),
    ),
    Route(
        ids.FIELDWORK_SESSION_MODAL,  # plan, edit or move a fieldwork session
        saving(save_fieldwork_session, SessionMetadata, SessionForm.of),
    ),
    Route(
        ids.FINDING_MODAL,
        saving(findings.save_finding, findings.FindingMetadata, findings.FindingForm.of),
        push_question,
    ),
    Route(ids.FINDING_EARLY_MODAL, save_early_finding, lambda r, _: {"response_action": "clear"}),
    Route(
        ids.FINDING_REMOVE_MODAL,
        lambda r: findings.remove_finding(
            r.deps, metadata=r.metadata(findings.FindingMetadata), **r.submitter
        ),
    ),
    Route(
        ids.REPORT_COMMENT_MODAL,
        lambda r: save_comment(
            r.deps,
            metadata=r.metadata(CommentMetadata),
            text=str(input_values(r.values).get(ids.REPORT_COMMENT_TEXT) or ""),
            **r.submitter,
        ),
    ),
    Route(ids.HOME_INVITE_MODAL, invite),
)
