"""Correcting and removing findings: from the Edit / Remove menu on `/afi show`, by whoever
recorded the finding or by those the permission table lets change anyone's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.errors import FormErrors, Refusal
from bot.core.findings import KIND_LABELS
from bot.core.permissions import Operation, who_can
from bot.deps import Deps
from bot.findings.modal import (
    FindingForm,
    FindingMetadata,
    build_finding_modal,
    build_remove_modal,
    validate_finding,
)
from bot.findings.rules import may_change_finding
from bot.findings.service import choices
from bot.review_access import open_review_by_id, require, roles
from bot.slack.blocks import Block
from bot.slack.outbox import owe_answer
from bot.slack.payloads import whole_number
from storage.db import transaction
from storage.models.findings import Finding
from storage.models.reviews import Review
from storage.repositories import fieldwork as sessions_store
from storage.repositories import findings as store
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import record_audit

FINDING_GONE = "That finding has since been removed."
NOT_YOURS = (
    "Only whoever recorded a finding can change it, or the review's "
    f"{who_can(Operation.MANAGE_ANY_FINDING)}."
)
OUT_OF_DATE = "That menu is out of date. Type `/afi show &lt;number&gt;` to see the findings now."


def _changeable(session: Session, finding_id: int, user_id: str) -> tuple[Review, Finding]:
    """The finding and its open review, if `user_id` may change it; Refusal otherwise."""
    row = store.get_finding(session=session, finding_id=finding_id)
    if row is None:
        raise Refusal(FINDING_GONE)
    review = open_review_by_id(session, row.review_id)
    require(
        may_change_finding(roles(review, user_id), recorded_it=row.recorded_by == user_id),
        NOT_YOURS,
    )
    return review, row


def change_form(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> Block:
    """The Edit form ("edit:<id>") or the Remove question ("remove:<id>") for a finding."""
    choice, _, raw_id = value.partition(":")
    finding_id = whole_number(raw_id)
    if choice not in ("edit", "remove") or finding_id is None:
        raise Refusal(OUT_OF_DATE)
    with transaction(deps.sessions) as session:
        review, row = _changeable(session, finding_id, user_id)
        item = store.finding_item(session=session, row=row)
        metadata = FindingMetadata(
            review_id=review.id,
            session_id=row.session_id,
            finding_id=row.id,
            response_url=response_url,
        )
        if choice == "remove":
            return build_remove_modal(item, metadata)
        afis = choices(session, review.id)
        return build_finding_modal(
            metadata=metadata,
            afis=afis,
            fixed_afi=None,
            sessions=sessions_store.session_items(
                session=session, review_id=review.id, include_cancelled=False
            ),
            text=row.text,
            preselect=next((afi for afi in afis if afi.id == item.afi_id), None),
            editing=item,
        )


def edit_finding(
    deps: Deps,
    *,
    metadata: FindingMetadata,
    form: FindingForm,
    user_id: str,
    request_key: str | None,
) -> None:
    """Save a corrected finding and tell its editor; FormErrors for what was typed."""
    assert metadata.finding_id is not None
    now = deps.now()
    with transaction(deps.sessions) as session:
        review, row = _changeable(session, metadata.finding_id, user_id)
        afi_ids = frozenset(afi.id for afi in choices(session, review.id))
        planned = sessions_store.session_items(
            session=session, review_id=review.id, include_cancelled=False
        )
        checked = validate_finding(
            form,
            fixed_afi_id=None,
            afi_ids=afi_ids,
            session_ids=frozenset(item.id for item in planned),
        )
        if isinstance(checked, dict):
            raise FormErrors(checked)
        if request_key and not mark_applied(
            session=session, key=f"finding.edit:{request_key}", now=now
        ):
            return
        store.change_finding(
            session=session,
            row=row,
            new=store.NewFinding(
                afi_id=checked.afi_id,
                kind=checked.kind,
                source=checked.source,
                text=checked.text,
                session_id=checked.session_id,
            ),
        )
        item = store.finding_item(session=session, row=row)
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="finding.edited",
            details={"number": row.number, "afi": item.afi_number, "kind": checked.kind.value},
            now=now,
        )
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Saved finding {row.number} ({KIND_LABELS[checked.kind].lower()}) against "
            f"AFI {item.afi_number}. `/afi show {item.afi_number}` lists its findings.",
        )


def remove_finding(
    deps: Deps, *, metadata: FindingMetadata, user_id: str, request_key: str | None
) -> None:
    """Remove a finding (after the question) and tell whoever removed it."""
    if metadata.finding_id is None:
        raise Refusal(OUT_OF_DATE)
    now = deps.now()
    with transaction(deps.sessions) as session:
        if request_key and not mark_applied(
            session=session, key=f"finding.remove:{request_key}", now=now
        ):
            return
        review, row = _changeable(session, metadata.finding_id, user_id)
        item = store.finding_item(session=session, row=row)
        carried = store.remove_finding(session=session, row=row)
        # The audit says which finding went, not what it said: the text is gone for good.
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="finding.removed",
            details={"number": item.number, "afi": item.afi_number},
            now=now,
        )
        text = f"Removed finding {item.number} from AFI {item.afi_number}."
        if carried:
            if len(carried) == 1:
                text += f" Action {carried[0]} no longer names it as the option it carries out."
            else:
                numbers = ", ".join(str(number) for number in carried)
                text += f" Actions {numbers} no longer name it as the option they carry out."
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=text,
        )
