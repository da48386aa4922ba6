"""How long `/psif report` takes to build a large review's draft: 40 AFIs (10 prioritised),
200 actions, 100 findings, 20 self-assessment respondents with the chart.

Run: .venv/bin/python bench/report_build.py
Prints figures; the goal is under 2 seconds (read, not asserted). The first run also pays
for importing matplotlib (once per process). Slack is not involved:
this is the work done after the command is acknowledged, before posting.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.fieldwork import FieldworkKind, FieldworkMode, FieldworkSessionFields
from bot.core.findings import FindingKind, FindingSource
from bot.core.responses import SectionAnswers
from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.deps import Deps
from bot.report._content import gather_report
from bot.report._layout import report_outline
from bot.report._render import render_markdown, render_word
from bot.settings import Settings
from storage.db import make_engine, make_session_factory, transaction
from storage.migrate import upgrade_to_head
from storage.models.afis import Afi
from storage.models.reviews import Review
from storage.repositories.afis import NewAfi, add_afi
from storage.repositories.fieldwork import add_fieldwork_session
from storage.repositories.findings import NewFinding, add_finding
from storage.repositories.improvement_actions import ActionFields, add_action
from storage.repositories.reviews import NewReview, create_review
from storage.repositories.self_assessment import add_participants, ensure_round
from storage.repositories.self_assessment_answers import record_completion, save_section

NOW = datetime(2027, 3, 10, 10, tzinfo=UTC)
ANSWERS = list(Answer)


def seed(deps: Deps) -> int:
    checklist = load_default_checklist()
    with transaction(deps.sessions) as session:
        review = create_review(
            session=session,
            new=NewReview(
                team_id="T1",
                channel_id="C1",
                host_council="Fife",
                focus="Roads maintenance",
                rationale="An outlier on road condition. " * 10,
                peer_councils=("Angus", "Stirling", "Moray"),
                peer_rationale="Strong performers.",
                timeline=Timeline(fieldwork_start=date(2027, 3, 3), fieldwork_end=date(2027, 3, 5)),
                members=tuple((f"U{n}", Role.PEER_REVIEWER) for n in range(8)),
            ),
            actor_id="U0",
            now=NOW,
        )
        afis = [
            add_afi(
                session=session,
                review_id=review.id,
                new=NewAfi(
                    text=f"Area for improvement {n} " * 4, author_id="U0", evidence="Data " * 40
                ),
                now=NOW,
            ).id
            for n in range(1, 41)
        ]
        for rank, afi_id in enumerate(afis[:10], start=1):
            session.execute(update(Afi).where(Afi.id == afi_id).values(prioritised=True, rank=rank))
        held = [
            add_fieldwork_session(
                session=session,
                review_id=review.id,
                fields=FieldworkSessionFields(
                    FieldworkKind(list(FieldworkKind)[n % 4]),
                    date(2027, 3, 3 + n % 3),
                    540 + 60 * (n % 8),
                    60,
                    (afis[n % 10],),
                    ("U1",),
                    "Frontline staff",
                    6,
                    FieldworkMode.IN_PERSON,
                ),
                actor_id="U0",
                now=NOW,
            ).id
            for n in range(20)
        ]
        for n in range(100):
            add_finding(
                session=session,
                review_id=review.id,
                new=NewFinding(
                    afi_id=afis[n % 10],
                    kind=list(FindingKind)[n % 3],
                    source=FindingSource.SESSION,
                    text=f"Finding {n}: " + "what the team learnt " * 8,
                    fieldwork_session_id=held[n % 20],
                ),
                actor_id="U1",
                now=NOW,
            )
        for n in range(200):
            add_action(
                session=session,
                review_id=review.id,
                fields=ActionFields(
                    key_action=f"Action {n}: " + "do the thing properly " * 6,
                    owner_id=f"U{n % 8}",
                    due=date(2027, 4, 1) + timedelta(days=n),
                    afi_id=afis[n % 40],
                    risks="Staff time " * 5,
                    measure="Measured by the dashboard " * 3,
                    outcome="Better roads " * 3,
                ),
                actor_id="U0",
                now=NOW,
            )
        ensure_round(
            session=session,
            review=review,
            checklist=checklist,
            closes_on=date(2027, 2, 1),
            actor_id="U0",
            now=NOW,
        )
        users = [f"R{n}" for n in range(20)]
        add_participants(
            session=session, review_id=review.id, user_ids=users, actor_id="U0", now=NOW
        )
        for index, user in enumerate(users):
            for section in checklist.sections:
                save_section(
                    session=session,
                    review_id=review.id,
                    respondent_key=f"k{user}",
                    saved=SectionAnswers(
                        section.number,
                        {s.id: ANSWERS[(index + i) % 5] for i, s in enumerate(section.statements)},
                        "",
                        "",
                    ),
                )
            record_completion(session=session, review_id=review.id, respondent_key=f"k{user}")
        return review.id


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        settings = Settings(
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET="bench",
            DATABASE_URL=url,
            _env_file=None,
        )  # type: ignore[call-arg]
        deps = Deps(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            clock=lambda: NOW,
        )
        review_id = seed(deps)
        for attempt in range(3):
            started = time.perf_counter()
            with transaction(deps.sessions) as session:
                review = session.get(Review, review_id)
                assert review is not None
                data = gather_report(session, deps, review, today=NOW.date())
            gathered = time.perf_counter()
            data = replace(data, names={user: f"Person {user}" for user in data.people})
            outline = report_outline(data)
            word, markdown = render_word(outline, title="Fife report"), render_markdown(outline)
            done = time.perf_counter()
            print(
                f"run {attempt + 1}: gather {1000 * (gathered - started):7.1f} ms, "
                f"render {1000 * (done - gathered):7.1f} ms, total {done - started:5.2f} s "
                f"(Word {len(word) // 1024} kB, Markdown {len(markdown) // 1024} kB)"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
