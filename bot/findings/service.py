"""Findings use cases: the "Add a finding" form (from `/afi note`, an AFI or a fieldwork
session), recording, correcting or removing one, and `/afi show`. Findings never record who
said what (guidance §2): a text that mentions a person is refused, and the audit never says
what a finding says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, Field
from sqlalchemy.orm import Session

from bot.core.afis import afi_figures_line, sections_of
from bot.core.errors import FormErrors, Refusal
from bot.core.fieldwork import AfiLabel, FieldworkSessionItem, FieldworkStatus
from bot.core.findings import (
    KIND_LABELS,
    FindingItem,
    FindingKind,
    FindingSource,
    mentions_a_person,
)
from bot.core.permissions import Operation, permits, refusal, who_can
from bot.core.report import session_not_held
from bot.deps import Deps
from bot.findings import views
from bot.review_access import open_review_by_id, review_in_channel, roles
from bot.slack import ids
from bot.slack.blocks import Block, input_values
from bot.slack.outbox import owe_answer
from bot.slack.payloads import PRIVATE_METADATA_LIMIT, Metadata, RecordId, ResponseUrl, whole_number
from storage.db import transaction
from storage.models.afis import Afi, AfiStatus
from storage.models.findings import Finding
from storage.models.reviews import Review
from storage.repositories import fieldwork as fieldwork_store
from storage.repositories import findings as store
from storage.repositories.afi_votes import afi_with_latest_votes
from storage.repositories.afis import current_afis, get_afi, list_afis, merged_sources
from storage.repositories.improvement_actions import afi_action_items
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import audit

NO_MENTIONS = (
    "Findings never say who said what, so they can't mention people. Take out the "
    "@mention and describe the group instead (for example “a depot supervisor” or "
    "“staff in the focus group”)."
)
NOT_YOURS = (
    "Only whoever recorded a finding can change it, or the review's "
    f"{who_can(Operation.MANAGE_ANY_FINDING)}."
)


class FindingMetadata(Metadata):
    review_id: RecordId
    afi_id: RecordId | None = None
    # Forms opened before fieldwork sessions were named so carry the id as "session_id".
    fieldwork_session_id: RecordId | None = Field(
        default=None, validation_alias=AliasChoices("fieldwork_session_id", "session_id")
    )
    finding_id: RecordId | None = None
    response_url: ResponseUrl | None = None


class EarlyFindingMetadata(FindingMetadata):
    """The question before a finding from a session still to come carries the form's values."""

    afi: str | None = None
    kind: str | None = None
    source: str | None = None
    text: str = ""

    @property
    def form(self) -> FindingForm:
        return FindingForm(afi=self.afi, kind=self.kind, source=self.source, text=self.text)


@dataclass(frozen=True)
class FindingForm:
    afi: str | None
    kind: str | None
    source: str | None
    text: str

    @classmethod
    def of(cls, values: dict[str, dict[str, Any]]) -> FindingForm:
        value = input_values(values)
        return cls(
            afi=value.get(ids.FINDING_AFI),
            kind=value.get(ids.FINDING_KIND),
            source=value.get(ids.FINDING_SOURCE),
            text=value.get(ids.FINDING_TEXT) or "",
        )

    def checked(
        self, *, fixed_afi_id: int | None, afi_ids: frozenset[int], session_ids: frozenset[int]
    ) -> store.NewFinding:
        """The finding to store; FormErrors keyed by input block id if it can't be."""
        errors: dict[str, str] = {}
        afi_id = fixed_afi_id
        if afi_id is None:
            afi_id = whole_number(self.afi)
            if afi_id not in afi_ids:
                errors[ids.FINDING_AFI] = "Choose the area for improvement it's about."
        elif afi_id not in afi_ids:
            errors[ids.FINDING_TEXT] = "This area has since been withdrawn or merged."
        kind = FindingKind(self.kind) if self.kind in set(FindingKind) else None
        if kind is None:
            errors[ids.FINDING_KIND] = "Say whether it's a strength, a concern or an option."
        source: FindingSource | None = None
        session_id = whole_number((self.source or "").removeprefix(views.SESSION_PREFIX))
        if (self.source or "").startswith(views.SESSION_PREFIX):
            source = FindingSource.SESSION if session_id in session_ids else None
        elif self.source in set(FindingSource) and self.source != FindingSource.SESSION:
            source, session_id = FindingSource(self.source), None
        if source is None:
            errors[ids.FINDING_SOURCE] = "Choose where it came from."
        text = self.text.strip()
        if not text:
            errors[ids.FINDING_TEXT] = "Write the key point you want to record."
        elif len(text) > views.FINDING_TEXT_MAX:
            errors[ids.FINDING_TEXT] = (
                f"Keep a finding to {views.FINDING_TEXT_MAX} characters (this is {len(text)})."
            )
        elif mentions_a_person(text):
            errors[ids.FINDING_TEXT] = NO_MENTIONS
        if errors:
            raise FormErrors(errors)
        assert afi_id is not None and kind is not None and source is not None
        return store.NewFinding(afi_id, kind, source, text, session_id)


def parse_note(text: str) -> tuple[int, str]:
    number_text, _, rest = text.strip().partition(" ")
    number = whole_number(number_text.removeprefix("#"), digits=6)
    if number is None:
        raise Refusal(
            "Say which area the finding is about, for example "
            "`/afi note 3 Depot staff don't see the repair backlog`."
        )
    return number, rest.strip()


def _require(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles(review, user_id)):
        raise Refusal(refusal(operation))


def _numbered_afi(session: Session, review: Review, number: int) -> Afi:
    found = store.numbered_afi(session=session, review_id=review.id, number=number)
    if found is None:
        raise Refusal(f"There's no area for improvement {number}. Type `/afi list` to see them.")
    afi, now = found
    if afi.status == AfiStatus.ACTIVE.value:
        return afi
    if now.status == AfiStatus.ACTIVE.value:
        raise Refusal(
            f"Area {number} was merged into area {now.number}; record it against {now.number}."
        )
    raise Refusal(f"Area {number} was withdrawn, so it can't take findings.")


def _choices(session: Session, review_id: int, first: tuple[AfiLabel, ...] = ()) -> list[AfiLabel]:
    """Active AFIs, `first` (a session's) then the prioritised by rank, then the rest."""
    active = list_afis(session=session, review_id=review_id)
    ordered = sorted(active, key=lambda afi: (not afi.prioritised, afi.rank or 0, afi.number))
    labels = [label for label in first if any(afi.id == label.id for afi in active)]
    return labels + [
        label for afi in ordered if (label := AfiLabel(afi.id, afi.number, afi.text)) not in labels
    ]


def _planned_sessions(session: Session, review_id: int) -> list[FieldworkSessionItem]:
    return fieldwork_store.fieldwork_session_items(
        session=session, review_id=review_id, include_cancelled=False
    )


def _form(
    session: Session,
    review: Review,
    *,
    response_url: str | None,
    fixed: Afi | None = None,
    from_session: FieldworkSessionItem | None = None,
    editing: FindingItem | None = None,
    text: str = "",
) -> Block:
    session_id = from_session.id if from_session else None
    if editing is not None:
        session_id = editing.fieldwork_session_id
    metadata = FindingMetadata(
        review_id=review.id,
        afi_id=fixed.id if fixed else None,
        fieldwork_session_id=session_id,
        finding_id=editing.id if editing else None,
        response_url=response_url,
    )
    # A form fixed on one AFI shows no choice of AFI, so it reads none (2,000 would cost ~40 ms).
    afis = [] if fixed else _choices(session, review.id, from_session.afis if from_session else ())
    preselect = next((afi for afi in afis if editing and afi.id == editing.afi_id), None)
    if from_session and len(from_session.afis) == 1:
        preselect = from_session.afis[0]  # a session probing one area is almost always about it
    return views.build_finding_modal(
        private_metadata=metadata.dump(),
        afis=afis,
        fixed_afi=AfiLabel(fixed.id, fixed.number, fixed.text) if fixed else None,
        fieldwork_sessions=_planned_sessions(session, review.id),
        text=editing.text if editing else text,
        preselect=preselect,
        from_session=session_id,
        editing=editing,
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
    """`/afi note <number> [text]`; who may record findings is checked before what was typed."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.RECORD_FINDING)
        number, text = parse_note(typed)
        if mentions_a_person(text):
            raise Refusal(NO_MENTIONS + " Nothing was recorded.")
        afi = _numbered_afi(session, review, number)
        return _form(session, review, response_url=response_url, fixed=afi, text=text)


def button_form(
    deps: Deps,
    *,
    user_id: str,
    afi_id: int | None = None,
    fieldwork_session_id: int | None = None,
    response_url: str | None,
) -> Block:
    with transaction(deps.sessions) as session:
        if fieldwork_session_id is None:
            afi = get_afi(session=session, afi_id=afi_id or 0)
            if afi is None or afi.status != AfiStatus.ACTIVE.value:
                raise Refusal("That area for improvement has since been withdrawn.")
            review = open_review_by_id(session, afi.review_id)
            _require(review, user_id, Operation.RECORD_FINDING)
            return _form(session, review, response_url=response_url, fixed=afi)
        row = fieldwork_store.get_fieldwork_session(
            session=session, fieldwork_session_id=fieldwork_session_id
        )
        if row is None or row.status != FieldworkStatus.PLANNED:
            raise Refusal("That session has been cancelled or no longer exists.")
        review = open_review_by_id(session, row.review_id)
        _require(review, user_id, Operation.RECORD_FINDING)
        linked = [link.afi_id for link in row.afi_links]
        item = fieldwork_store.fieldwork_session_item(
            row, current_afis(session=session, review_id=review.id, only=linked)
        )
        return _form(session, review, response_url=response_url, from_session=item)


def _finding(session: Session, finding_id: int) -> tuple[Review, Finding]:
    row = store.get_finding(session=session, finding_id=finding_id)
    if row is None:
        raise Refusal("That finding has since been removed.")
    return open_review_by_id(session, row.review_id), row


def _changeable(session: Session, finding_id: int, user_id: str) -> tuple[Review, Finding]:
    """Anyone's for those the table allows, else their own while they may record findings."""
    review, row = _finding(session, finding_id)
    held = roles(review, user_id)
    if not permits(Operation.MANAGE_ANY_FINDING, held) and not (
        row.recorded_by == user_id and permits(Operation.RECORD_FINDING, held)
    ):
        raise Refusal(NOT_YOURS)
    return review, row


def change_form(
    deps: Deps, *, user_id: str, finding_id: int, remove: bool, response_url: str | None
) -> Block:
    with transaction(deps.sessions) as session:
        review, row = _changeable(session, finding_id, user_id)
        item = store.finding_item(session=session, row=row)
        if not remove:
            return _form(session, review, response_url=response_url, editing=item)
        metadata = FindingMetadata(
            review_id=review.id, finding_id=row.id, response_url=response_url
        )
        return views.build_remove_modal(item, private_metadata=metadata.dump())


def save_finding(
    deps: Deps,
    *,
    metadata: FindingMetadata,
    form: FindingForm,
    user_id: str,
    request_key: str | None = None,
    anyway: bool = False,
) -> Block | None:
    """Record or correct a finding and tell whoever did; one from a session still to come is
    recorded only `anyway`, else the answer is the question to push over the form."""
    now = deps.now()
    editing = metadata.finding_id is not None
    with transaction(deps.sessions) as session:
        row: Finding | None = None
        if metadata.finding_id is not None:
            review, row = _changeable(session, metadata.finding_id, user_id)
        else:
            review = open_review_by_id(session, metadata.review_id)
            _require(review, user_id, Operation.RECORD_FINDING)
        afis = {afi.id: afi for afi in list_afis(session=session, review_id=review.id)}
        new = form.checked(
            fixed_afi_id=None if editing else metadata.afi_id,
            afi_ids=frozenset(afis),
            session_ids=frozenset(item.id for item in _planned_sessions(session, review.id)),
        )
        if new.fieldwork_session_id is not None and not anyway:
            question = _early_question(session, deps, review.id, new, form, metadata)
            if question is not None:
                return question
        key = f"finding.{'edit' if editing else 'add'}:{request_key}"
        if request_key and not mark_applied(session=session, key=key, now=now):
            return None
        if row is None:
            row = store.add_finding(
                session=session, review_id=review.id, new=new, actor_id=user_id, now=now
            )
        else:
            store.change_finding(session=session, row=row, new=new)
        number = afis[new.afi_id].number
        action = "finding.edited" if editing else "finding.recorded"
        facts = {"number": row.number, "afi": number, "kind": new.kind.value}
        audit(session, review, user_id, action, facts, now)
        done = "Saved" if editing else "Recorded"
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"{done} finding {row.number} ({KIND_LABELS[new.kind].lower()}) against "
            f"AFI {number}. `/afi show {number}` lists its findings.",
        )
    return None


def _early_question(
    session: Session,
    deps: Deps,
    review_id: int,
    new: store.NewFinding,
    form: FindingForm,
    metadata: FindingMetadata,
) -> Block | None:
    day = next(
        item.day
        for item in _planned_sessions(session, review_id)
        if item.id == new.fieldwork_session_id
    )
    problem = session_not_held(day, deps.today())
    if problem is None:
        return None
    carried = EarlyFindingMetadata(
        **metadata.model_dump(), afi=form.afi, kind=form.kind, source=form.source, text=form.text
    )
    raw = carried.model_dump_json(exclude_none=True, by_alias=True)
    if len(raw) > PRIVATE_METADATA_LIMIT:  # only a very long text full of quotes
        later = "Record it after the session, or choose another source."
        raise FormErrors({ids.FINDING_SOURCE: f"{problem} {later}"})
    return views.build_early_modal(problem=problem, private_metadata=carried.dump())


def learning_to_share(
    deps: Deps,
    *,
    user_id: str,
    share: bool,
    finding_id: int | None = None,
    team_id: str = "",
    channel_id: str = "",
    number: int | None = None,
) -> str:
    """A lead marks a finding as learning to share (or takes the mark off), by its id (from
    `/afi show`) or its number in the channel's review (`/afi share <number>`)."""
    with transaction(deps.sessions) as session:
        if finding_id is not None:
            review, row = _finding(session, finding_id)
            _require(review, user_id, Operation.MARK_LEARNING)
        else:
            review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
            _require(review, user_id, Operation.MARK_LEARNING)
            found = store.numbered_finding(session=session, review_id=review.id, number=number or 0)
            if found is None:
                raise Refusal(
                    f"There's no finding {number}. `/afi show <area>` lists an area's findings "
                    "with their numbers."
                )
            row = found
        changed = store.set_learning_to_share(session=session, row=row, share=share)
        if changed:
            action = "finding.shared" if share else "finding.unshared"
            audit(session, review, user_id, action, {"number": row.number}, deps.now())
    if share:
        return (
            f"Finding {row.number} is marked as learning to share: the LGBF summary "
            "(`/psif report summary`) and the members' briefing carry it."
            if changed
            else f"Finding {row.number} was already marked as learning to share."
        )
    return (
        f"Finding {row.number} is no longer marked as learning to share."
        if changed
        else f"Finding {row.number} wasn't marked as learning to share."
    )


def remove_finding(
    deps: Deps, *, metadata: FindingMetadata, user_id: str, request_key: str | None
) -> None:
    if metadata.finding_id is None:
        raise Refusal(
            "That menu is out of date. Type `/afi show &lt;number&gt;` to see the findings now."
        )
    now = deps.now()
    with transaction(deps.sessions) as session:
        if request_key and not mark_applied(
            session=session, key=f"finding.remove:{request_key}", now=now
        ):
            return
        review, row = _changeable(session, metadata.finding_id, user_id)
        item = store.finding_item(session=session, row=row)
        carried = store.remove_finding(session=session, row=row)
        facts = {"number": item.number, "afi": item.afi_number}
        audit(session, review, user_id, "finding.removed", facts, now)
        text = f"Removed finding {item.number} from AFI {item.afi_number}."
        if len(carried) == 1:
            text += f" Action {carried[0]} no longer names it as the option it carries out."
        elif carried:
            numbers = ", ".join(str(number) for number in carried)
            text += f" Actions {numbers} no longer name it as the option they carry out."
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=text,
        )


def show_afi(
    deps: Deps, *, user_id: str, team_id: str, channel_id: str, number: int
) -> tuple[str, list[Block]]:
    """`/afi show <number>`, to the review team only (guidance §2)."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        held = roles(review, user_id)
        _require(review, user_id, Operation.RECORD_FINDING)
        afi = _numbered_afi(session, review, number)
        # Only this AFI's rows: the same statements and work however big the review is.
        latest, item = afi_with_latest_votes(session=session, afi=afi)
        merged = merged_sources(session=session, afi_id=afi.id)
        findings = store.afi_findings(session=session, afi=afi, merged=merged)
        changeable = (
            {item.id for item in findings}
            if permits(Operation.MANAGE_ANY_FINDING, held)
            else store.findings_recorded_by(session=session, review_id=review.id, user_id=user_id)
        )
        sections = sections_of(deps.checklists, review.checklist_id)
        actions = afi_action_items(session=session, review_id=review.id, afi_ids=[afi.id, *merged])
        detail = views.AfiDetail(
            afi=item,
            section_title=sections.get(afi.section_number or 0),
            figures=afi_figures_line(afi.statement_id, afi.figures or {}),
            vote_held=latest is not None,
            findings=findings,
            actions=actions,
            session_count=fieldwork_store.planned_sessions_probing(
                session=session, afi_ids=[afi.id, *merged]
            ),
            merged_numbers=tuple(sorted(merged.values())),
            changeable=frozenset(changeable),
            can_share=permits(Operation.MARK_LEARNING, held),
        )
    return views.build_afi_detail(detail)
