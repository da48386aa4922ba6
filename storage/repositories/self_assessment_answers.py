"""The self-assessment's pseudonymous side: answers and the "finished" state, by key, and
their privacy: sealing a closed round's answers, moving them to other keys.

Every function here takes a respondent key, never a Slack user id, and nothing here touches
a table that names people: saving an answer writes only these rows.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    String,
    Table,
    bindparam,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.core.checklist import Answer, CommentKind
from bot.core.responses import Comment, RespondentAnswers, SectionAnswers
from storage.models.self_assessment import ChecklistCompletion, ChecklistResponse, ChecklistRound
from storage.repositories._sql import added, all_of, set_where

# Keys looked up per query when unlinking one person's answers (one key per review).
KEYS_PER_QUERY = 500
# The statements a request runs most, built once: building one costs more than running it.
_REVIEW: BindParameter[int] = bindparam("review_id")
_OWN_SECTIONS = select(ChecklistResponse).where(
    ChecklistResponse.review_id == _REVIEW,
    ChecklistResponse.respondent_key == bindparam("respondent_key"),
)
_ANSWERED = (
    select(ChecklistResponse.respondent_key)
    .where(
        ChecklistResponse.review_id == _REVIEW,
        # An empty section's answers are stored as "{}".
        func.length(cast(ChecklistResponse.answers, String)) > 2,
    )
    .distinct()
    .subquery()
)
_KEY, _VALUES = (
    ("review_id", "respondent_key", "section_number"),
    ("answers", "strengths", "improvements"),
)
_SAVE_SECTION = (
    update(ChecklistResponse)
    .where(*(getattr(ChecklistResponse, column) == bindparam(f"at_{column}") for column in _KEY))
    .values({column: bindparam(f"new_{column}") for column in _VALUES})
    .execution_options(synchronize_session=False)
)
_RESPONDENT_COUNTS = select(
    func.count(),
    func.count().filter(_ANSWERED.c.respondent_key.in_(bindparam("counted", expanding=True))),
)


def save_section(
    *, session: Session, review_id: int, respondent_key: str, saved: SectionAnswers
) -> None:
    """Store a respondent's answers to a section, replacing any earlier ones (the loser of a
    race between two saves updates the winner's row)."""
    values = {
        "answers": {sid: answer.value for sid, answer in saved.answers.items()},
        "strengths": saved.strengths,
        "improvements": saved.improvements,
    }
    key = {
        "review_id": review_id,
        "respondent_key": respondent_key,
        "section_number": saved.section_number,
    }
    at = {f"at_{column}": value for column, value in key.items()}
    new = {f"new_{column}": value for column, value in values.items()}
    if _updated(session, at | new):
        return
    if not added(session, ChecklistResponse(**key, **values)):
        _updated(session, at | new)


def _updated(session: Session, params: dict[str, Any]) -> bool:
    return bool(getattr(session.execute(_SAVE_SECTION, params), "rowcount", 0))


def own_sections(
    *, session: Session, review_id: int, respondent_key: str
) -> dict[int, SectionAnswers]:
    """One respondent's saved sections, by section number."""
    rows = session.scalars(
        _OWN_SECTIONS, {"review_id": review_id, "respondent_key": respondent_key}
    )
    return {
        row.section_number: SectionAnswers(
            section_number=row.section_number,
            answers={sid: Answer(value) for sid, value in row.answers.items()},
            strengths=row.strengths,
            improvements=row.improvements,
        )
        for row in rows
    }


def record_completion(*, session: Session, review_id: int, respondent_key: str) -> None:
    """Mark a respondent (by key) as finished; again is harmless."""
    if not is_completed(session=session, review_id=review_id, respondent_key=respondent_key):
        # Finishing in two tabs at once adds one row.
        added(session, ChecklistCompletion(review_id=review_id, respondent_key=respondent_key))


def is_completed(*, session: Session, review_id: int, respondent_key: str) -> bool:
    return (
        session.get(ChecklistCompletion, {"review_id": review_id, "respondent_key": respondent_key})
        is not None
    )


def completed_keys(*, session: Session, review_ids: list[int]) -> set[tuple[int, str]]:
    """(review id, respondent key) of everyone finished in these reviews, in one query."""
    return {
        (review_id, key)
        for review_id, key in session.execute(
            select(ChecklistCompletion.review_id, ChecklistCompletion.respondent_key).where(
                ChecklistCompletion.review_id.in_(review_ids)
            )
        )
    }


@dataclass(frozen=True)
class AllResponses:
    """Everything answered in a review, anonymised: respondents in key order, comments apart."""

    respondents: list[RespondentAnswers]
    comments: list[Comment]


def all_responses(
    *, session: Session, review_id: int, counted_keys: Collection[str]
) -> AllResponses:
    """Every answer and comment in one query, whatever the number of respondents; only
    respondents under `counted_keys` count towards the minimum (see
    bot.self_assessment._analysis)."""
    rows = session.execute(
        select(
            ChecklistResponse.respondent_key,
            ChecklistResponse.section_number,
            ChecklistResponse.answers,
            ChecklistResponse.strengths,
            ChecklistResponse.improvements,
        )
        .where(ChecklistResponse.review_id == review_id)
        .order_by(ChecklistResponse.respondent_key, ChecklistResponse.section_number)
    ).all()
    answers: dict[str, dict[str, Answer]] = defaultdict(dict)
    comments: list[Comment] = []
    for key, section_number, section_answers, strengths, improvements in rows:
        answers[key].update({sid: Answer(value) for sid, value in section_answers.items()})
        for kind, text in (
            (CommentKind.STRENGTHS, strengths),
            (CommentKind.IMPROVEMENTS, improvements),
        ):
            if text.strip():
                comments.append(Comment(section_number, kind, text.strip()))
    return AllResponses(
        respondents=[
            RespondentAnswers(given, counts_towards_minimum=key in counted_keys)
            for key, given in answers.items()
        ],
        comments=comments,
    )


def respondent_counts(
    *, session: Session, review_id: int, counted_keys: Collection[str]
) -> tuple[int, int]:
    """How many respondents answered at least one statement, and how many of those are
    under `counted_keys` (as `all_responses` would have the analysis count them), counted in
    one statement without reading any answer."""
    values = {"review_id": review_id, "counted": list(counted_keys)}
    respondents, counted = session.execute(_RESPONDENT_COUNTS, values).one()
    return int(respondents), int(counted)


def seal_answers(*, session: Session, round_: ChecklistRound, now: datetime) -> None:
    """Rewrite a round's answers and completions in key order, in one transaction, so neither
    storage order nor PostgreSQL's writing transaction says in what order people answered."""
    for table in (ChecklistResponse.__table__, ChecklistCompletion.__table__):
        assert isinstance(table, Table)
        rows = (
            session.execute(
                select(table)
                .where(table.c.review_id == round_.review_id)
                .order_by(*table.primary_key.columns)
            )
            .mappings()
            .all()
        )
        session.execute(delete(table).where(table.c.review_id == round_.review_id))
        if rows:
            session.execute(table.insert(), [dict(row) for row in rows])
    round_.sealed_at = now
    session.flush()


def rounds_to_seal(*, session: Session, today: date) -> list[ChecklistRound]:
    """Closed rounds (early, by date or with results out) whose answers are not yet sealed."""
    closed = or_(
        ChecklistRound.closed_at.is_not(None),
        ChecklistRound.results_released_at.is_not(None),
        ChecklistRound.closes_on < today,
    )
    return all_of(session, select(ChecklistRound).where(ChecklistRound.sealed_at.is_(None), closed))


def rekey(*, session: Session, review_id: int, old_key: str, new_key: str | None = None) -> bool:
    """Move a respondent's answers and completion to `new_key` (by default a random key
    nobody can compute, not even with the respondent secret); True if anything moved."""
    moved = 0
    for model in (ChecklistResponse, ChecklistCompletion):
        where = (model.review_id == review_id, model.respondent_key == old_key)
        moved += set_where(session, model, *where, respondent_key=new_key or secrets.token_hex(32))
    return moved > 0


def unlink_answers(*, session: Session, keys: Sequence[str]) -> None:
    """Move answers saved under any of `keys` (one person's, one per review) to random
    keys; their finished marks go."""
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        session.execute(
            delete(ChecklistCompletion).where(ChecklistCompletion.respondent_key.in_(chunk))
        )
        found = session.execute(
            select(ChecklistResponse.review_id, ChecklistResponse.respondent_key)
            .where(ChecklistResponse.respondent_key.in_(chunk))
            .distinct()
        ).all()
        for review_id, key in found:
            rekey(session=session, review_id=review_id, old_key=key)
