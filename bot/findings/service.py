"""Findings use cases: open the "Add a finding" form (from `/afi note`, an AFI or a session),
record a finding, and `/afi show` an AFI with everything learnt about it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.afis.sections import sections_of
from bot.core.errors import FormErrors, Refusal
from bot.core.fieldwork import AfiLabel, SessionItem
from bot.core.findings import KIND_LABELS
from bot.core.permissions import Operation, permits, refusal
from bot.deps import Deps
from bot.findings.modal import (
    FindingForm,
    FindingMetadata,
    build_finding_modal,
    validate_finding,
)
from bot.findings.rules import (
    NO_MENTIONS,
    may_record_finding,
    may_see_findings,
    mentions_a_person,
    parse_note,
)
from bot.findings.views import AfiDetail, build_afi_detail
from bot.review_access import open_review_by_id, require, review_in_channel, roles
from bot.slack.blocks import Block
from bot.slack.outbox import owe_answer
from bot.slack.payloads import whole_number
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.reviews import Review
from storage.repositories import fieldwork as sessions_store
from storage.repositories import findings as store
from storage.repositories.afi_lineage import current_afis, numbers_merged_into
from storage.repositories.afi_votes import afis_with_latest_votes
from storage.repositories.afis import get_afi, list_afis
from storage.repositories.improvement_actions import item_of, review_actions
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import record_audit

TEAM_ONLY = refusal(Operation.RECORD_FINDING)
NO_SUCH_AFI = "There's no area for improvement {number}. Type `/afi list` to see them."
AFI_GONE = "That area for improvement has since been withdrawn."
SESSION_GONE = "That session has been cancelled or no longer exists."


def _numbered_afi(session: Session, review: Review, number: int) -> Afi:
    found = store.active_afi(session=session, review_id=review.id, number=number)
    if found is None:
        raise Refusal(NO_SUCH_AFI.format(number=number))
    if isinstance(found, str):
        raise Refusal(found)
    return found


def _label(afi: Afi) -> AfiLabel:
    return AfiLabel(afi.id, afi.number, afi.text)


def choices(session: Session, review_id: int, first: tuple[AfiLabel, ...] = ()) -> list[AfiLabel]:
    """Active AFIs, `first` (a session's) then the prioritised by rank, then the rest."""
    active = list_afis(session=session, review_id=review_id)
    ordered = sorted(active, key=lambda afi: (not afi.prioritised, afi.rank or 0, afi.number))
    labels = [label for label in first if any(afi.id == label.id for afi in active)]
    return labels + [_label(afi) for afi in ordered if _label(afi) not in labels]


def _form(
    session: Session,
    review: Review,
    *,
    fixed: Afi | None,
    from_session: SessionItem | None,
    response_url: str | None,
    text: str = "",
) -> Block:
    sessions = sessions_store.session_items(
        session=session, review_id=review.id, include_cancelled=False
    )
    return build_finding_modal(
        metadata=FindingMetadata(
            review_id=review.id,
            afi_id=fixed.id if fixed else None,
            session_id=from_session.id if from_session else None,
            response_url=response_url,
        ),
        afis=choices(session, review.id, from_session.afis if from_session else ()),
        fixed_afi=_label(fixed) if fixed else None,
        sessions=sessions,
        text=text,
        # A session probing one area is almost always about that area.
        preselect=from_session.afis[0] if from_session and len(from_session.afis) == 1 else None,
    )


def note_form(
    deps: Deps,
    *,
    user_id: str,
    team_id: str,
    channel_id: str,
    typed: str,
    response_url: str | None,
) -> Block:
    """`/afi note <number> [text]`: the form for AFI `number`, with the text filled in.
    Who may record findings is checked before what was typed."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_record_finding(roles(review, user_id)), TEAM_ONLY)
        parsed = parse_note(typed)
        if isinstance(parsed, str):
            raise Refusal(parsed)
        number, text = parsed
        if mentions_a_person(text):
            raise Refusal(NO_MENTIONS + " Nothing was recorded.")
        afi = _numbered_afi(session, review, number)
        return _form(
            session, review, fixed=afi, from_session=None, response_url=response_url, text=text
        )


def button_form(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> Block:
    """ "Add a finding" on an AFI ("afi:<id>") or a session ("session:<id>")."""
    kind, _, raw_id = value.partition(":")
    record = whole_number(raw_id)
    if kind not in ("afi", "session") or record is None:
        raise Refusal("That button is out of date. Type `/afi note &lt;number&gt;` instead.")
    with transaction(deps.sessions) as session:
        if kind == "afi":
            afi = get_afi(session=session, afi_id=record)
            if afi is None or afi.status != "active":
                raise Refusal(AFI_GONE)
            review = open_review_by_id(session, afi.review_id)
            require(may_record_finding(roles(review, user_id)), TEAM_ONLY)
            return _form(session, review, fixed=afi, from_session=None, response_url=response_url)
        row = sessions_store.get_session(session=session, session_id=int(raw_id))
        if row is None or row.status != "planned":
            raise Refusal(SESSION_GONE)
        review = open_review_by_id(session, row.review_id)
        require(may_record_finding(roles(review, user_id)), TEAM_ONLY)
        item = sessions_store.item_of(row, current_afis(session=session, review_id=review.id))
        return _form(session, review, fixed=None, from_session=item, response_url=response_url)


def record_finding(
    deps: Deps,
    *,
    metadata: FindingMetadata,
    form: FindingForm,
    user_id: str,
    request_key: str | None = None,
) -> None:
    """Store a finding and tell whoever recorded it; FormErrors for what was typed, Refusal
    if the user may not. A second delivery of the same submission records nothing."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = open_review_by_id(session, metadata.review_id)
        require(may_record_finding(roles(review, user_id)), TEAM_ONLY)
        afis = {afi.id: afi for afi in list_afis(session=session, review_id=review.id)}
        planned = sessions_store.session_items(
            session=session, review_id=review.id, include_cancelled=False
        )
        checked = validate_finding(
            form,
            fixed_afi_id=metadata.afi_id,
            afi_ids=frozenset(afis),
            session_ids=frozenset(item.id for item in planned),
        )
        if isinstance(checked, dict):
            raise FormErrors(checked)
        if request_key and not mark_applied(
            session=session, key=f"finding.add:{request_key}", now=now
        ):
            return
        row = store.add_finding(
            session=session,
            review_id=review.id,
            new=store.NewFinding(
                afi_id=checked.afi_id,
                kind=checked.kind,
                source=checked.source,
                text=checked.text,
                session_id=checked.session_id,
            ),
            actor_id=user_id,
            now=now,
        )
        afi = afis[checked.afi_id]
        # The audit says a finding was noted, not what it says: the text lives in one place.
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="finding.recorded",
            details={"number": row.number, "afi": afi.number, "kind": checked.kind.value},
            now=now,
        )
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Recorded finding {row.number} ({KIND_LABELS[checked.kind].lower()}) against "
            f"AFI {afi.number}. `/afi show {afi.number}` lists its findings.",
        )


def changeable_findings(session: Session, review: Review, user_id: str) -> frozenset[int]:
    """The findings `user_id` may edit or remove: anyone's for those the table allows,
    otherwise their own while they are on the team."""
    held = roles(review, user_id)
    if permits(Operation.MANAGE_ANY_FINDING, held):
        return frozenset(
            item.id for item in store.review_findings(session=session, review_id=review.id)
        )
    if not may_record_finding(held):
        return frozenset()
    return store.findings_recorded_by(session=session, review_id=review.id, user_id=user_id)


def show_afi(
    deps: Deps, *, user_id: str, team_id: str, channel_id: str, number: int
) -> tuple[str, list[Block]]:
    """`/afi show <number>`."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        held = roles(review, user_id)
        require(may_see_findings(held), TEAM_ONLY)
        afi = _numbered_afi(session, review, number)
        ballot, items = afis_with_latest_votes(session=session, review_id=review.id)
        item = next(candidate for candidate in items if candidate.id == afi.id)
        sessions = sessions_store.session_items(
            session=session, review_id=review.id, include_cancelled=False
        )
        detail = AfiDetail(
            afi=item,
            section_title=sections_of(deps.checklists, review.checklist_id).get(
                afi.section_number or 0
            ),
            figures=afi.figures or {},
            vote_held=ballot is not None,
            findings=store.findings_for_afi(session=session, review_id=review.id, afi_id=afi.id),
            actions=[
                action
                for action in map(item_of, review_actions(session=session, review_id=review.id))
                if action.afi is not None and action.afi.id == afi.id
            ],
            session_count=sum(1 for s in sessions if any(a.id == afi.id for a in s.afis)),
            can_add=may_record_finding(held),
            merged_numbers=tuple(
                numbers_merged_into(session=session, review_id=review.id, afi_id=afi.id)
            ),
            changeable=changeable_findings(session, review, user_id),
        )
    return build_afi_detail(detail)
