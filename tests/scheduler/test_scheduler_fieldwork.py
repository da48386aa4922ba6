"""Fieldwork reminders: the working day before, each runner gets their sessions that day
with the areas to probe; nothing for cancelled sessions or after the session has moved."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.fieldwork import FieldworkKind, FieldworkMode, FieldworkSessionFields
from bot.core.stages import Stage
from bot.deps import Deps
from bot.reminders._fieldwork import RULE
from storage.db import transaction
from storage.models.fieldwork import FieldworkSession
from storage.repositories.afis import NewAfi, add_afi
from storage.repositories.fieldwork import add_fieldwork_session, cancel_fieldwork_session

from fake_slack import FakeSlack, validate_blocks
from fieldwork_helpers import dms_to
from nudge_helpers import OPENED, add_review, run_at, utc

PLANNED = datetime(2027, 2, 1, 10, tzinfo=UTC)


def plan_session(deps: Deps, review_id: int, day: date, *, runner: str = "UPEER") -> int:
    with transaction(deps.sessions) as session:
        afi = add_afi(
            session=session,
            review_id=review_id,
            new=NewAfi(text="Complaints are not analysed", author_id="UHOST"),
            now=OPENED,
        )
        return add_fieldwork_session(
            session=session,
            review_id=review_id,
            fields=FieldworkSessionFields(
                kind=FieldworkKind.INTERVIEW,
                day=day,
                start_minute=570,
                minutes=60,
                afi_ids=(afi.id,),
                runners=(runner,),
                participants="The complaints manager",
                participant_count=1,
                mode=FieldworkMode.REMOTE,
            ),
            actor_id="UHOST",
            now=PLANNED,
        ).id


def test_a_runner_is_reminded_the_working_day_before_with_the_areas_to_probe(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, stage=Stage.FIELDWORK_INTERVIEWS)
    plan_session(deps, review_id, date(2027, 3, 4))  # Thursday
    run_at(deps, fake_slack, utc(2027, 3, 2, 9, 0), rules=(RULE,))  # Tuesday: too early
    assert dms_to(fake_slack, "UPEER") == []
    run_at(deps, fake_slack, utc(2027, 3, 3, 9, 0), rules=(RULE,))  # Wednesday
    [dm] = dms_to(fake_slack, "UPEER")
    rendered = str(dm["blocks"])
    assert "Thursday 4 March 2027" in rendered and "09:30–10:30" in rendered
    assert "Complaints are not analysed" in rendered
    assert validate_blocks(dm["blocks"], "message") == []
    run_at(deps, fake_slack, utc(2027, 3, 3, 11, 0), rules=(RULE,))
    assert len(dms_to(fake_slack, "UPEER")) == 1  # once only


def test_a_monday_session_is_reminded_on_the_friday(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps, stage=Stage.FIELDWORK_INTERVIEWS)
    plan_session(deps, review_id, date(2027, 3, 8))  # Monday
    run_at(deps, fake_slack, utc(2027, 3, 5, 9, 0), rules=(RULE,))  # Friday
    [dm] = dms_to(fake_slack, "UPEER")
    assert "Monday 8 March 2027" in str(dm["blocks"])


def test_no_reminder_for_a_cancelled_session(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps, stage=Stage.FIELDWORK_INTERVIEWS)
    session_id = plan_session(deps, review_id, date(2027, 3, 4))
    run_at(deps, fake_slack, utc(2027, 3, 3, 8, 0), rules=(RULE,))  # planned, not yet due
    with transaction(deps.sessions) as session:
        row = session.get(FieldworkSession, session_id)
        assert row is not None
        cancel_fieldwork_session(session=session, row=row, now=PLANNED)
    report = run_at(deps, fake_slack, utc(2027, 3, 3, 9, 0), rules=(RULE,))
    assert report.sent == 0 and dms_to(fake_slack, "UPEER") == []
