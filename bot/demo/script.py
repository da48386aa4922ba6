"""The scripted review, as data: each `Step` names its stage, says what happens, sets the
bot's clock and runs one small function of the `Demo`.

A later feature adds its part of the review by adding steps to `SCRIPT` (in the place the
guidance's timeline puts it) and, if it needs them, functions in `bot.demo.acts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.demo import acts, acts_fieldwork, acts_reporting
from bot.demo.session import Demo


@dataclass(frozen=True)
class Step:
    stage: str  # the review's stage, as people call it
    title: str  # what happens, for the progress line
    run: Callable[[Demo], None]
    day: date | None = None  # the bot's clock moves to this day first (None: carry on)
    at: tuple[int, int] = (10, 0)  # … at this local time


SCRIPT: tuple[Step, ...] = (
    Step(
        "Getting ready",
        "The host lead opens the review with /psif start (Appendix 1)",
        acts.open_review,
        date(2027, 1, 11),
    ),
    Step(
        "Getting ready",
        "The Improvement Service lead adds a peer reviewer from each council",
        acts.add_peer_reviewers,
        at=(10, 30),
    ),
    Step(
        "Getting ready", "The host lead records the initial meeting", acts.edit_review, at=(11, 30)
    ),
    Step(
        "Getting ready",
        "The Improvement Service lead checks the status",
        acts.show_status,
        at=(12, 0),
    ),
    Step("Pre-work", "The host lead moves the review to pre-work", acts.next_stage, at=(14, 0)),
    Step("Pre-work", "Stakeholders are invited to the self-assessment", acts.invite, at=(14, 30)),
    Step(
        "Pre-work",
        "Most stakeholders answer the PSIF checklist",
        acts.early_answers,
        date(2027, 1, 12),
        at=(9, 30),
    ),
    Step(
        "Pre-work",
        "The scheduler runs every morning: reminders to those still to answer",
        acts.mornings_until(date(2027, 1, 22)),
    ),
    Step("Pre-work", "The last stakeholders answer", acts.late_answers, date(2027, 1, 22), (11, 0)),
    Step(
        "Pre-work",
        "The host lead closes the self-assessment",
        acts.close_self_assessment,
        at=(16, 0),
    ),
    Step(
        "Pre-work",
        "The review team looks at the results and exports them",
        acts.results,
        date(2027, 1, 25),
    ),
    Step(
        "Pre-work",
        "Areas for improvement: imported from the results and added by the team",
        acts.areas_for_improvement,
        at=(14, 0),
    ),
    Step(
        "Pre-work",
        "The scheduler runs every morning up to the papers' deadline",
        acts.mornings_until(date(2027, 2, 15)),
    ),
    Step(
        "Pre-work",
        "The host's paper and evidence go to the team with the self-assessment report",
        acts_fieldwork.send_papers,
        at=(11, 0),
    ),
    Step(
        "Pre-work",
        "The team pre-meeting takes place",
        acts.milestone_done("pre-meeting", lambda cast: cast.host_lead),
        date(2027, 2, 17),
        (15, 0),
    ),
    Step(
        "Pre-work",
        "The host lead plans the interviews and focus groups",
        acts_fieldwork.plan_fieldwork,
        at=(16, 0),
    ),
    Step(
        "Pre-work",
        "The scheduler runs every morning up to fieldwork",
        acts.mornings_until(date(2027, 3, 3)),
    ),
    Step(
        "Fieldwork: context setting",
        "Fieldwork begins: the host lead moves the review on",
        acts.next_stage,
        at=(9, 15),
    ),
    Step(
        "Fieldwork: context setting",
        "The team votes on the areas for improvement and the vote is closed",
        acts.vote,
        at=(11, 0),
    ),
    Step("Fieldwork: interviews", "Day two", acts.next_stage, date(2027, 3, 4), (9, 0)),
    Step(
        "Fieldwork: interviews",
        "After the sessions the peer reviewers record their findings",
        acts_fieldwork.record_findings,
        at=(16, 30),
    ),
    Step("Fieldwork: planning", "Day three", acts.next_stage, date(2027, 3, 5), (9, 0)),
    Step(
        "Fieldwork: planning",
        "Improvement actions are logged for each prioritised area",
        acts.log_actions,
        at=(11, 0),
    ),
    Step("Fieldwork: planning", "The improvement plan", acts.plan, at=(15, 0)),
    Step(
        "Fieldwork: planning",
        "Fieldwork is over",
        acts.milestone_done("fieldwork", lambda cast: cast.host_lead),
        at=(16, 30),
    ),
    Step("Reporting", "Reporting begins", acts.next_stage, date(2027, 3, 8), (9, 30)),
    Step(
        "Reporting",
        "The scheduler runs every morning up to the first draft",
        acts.mornings_until(date(2027, 3, 16)),
    ),
    Step("Reporting", "The host lead builds the first draft report", acts_reporting.draft_report),
    Step(
        "Reporting",
        "Peer reviewers comment on the draft",
        acts_reporting.comment_on_draft,
        at=(10, 30),
    ),
    Step(
        "Reporting",
        "The comments are taken in and the second draft goes to the core team",
        acts_reporting.redraft,
        date(2027, 3, 19),
    ),
    Step(
        "Reporting",
        "The scheduler runs every morning up to the leads' meeting",
        acts.mornings_until(date(2027, 4, 2)),
    ),
    Step(
        "Reporting",
        "The leads meet on the draft",
        acts.milestone_done("leads-meeting", lambda cast: cast.host_lead),
        at=(15, 0),
    ),
    Step(
        "Reporting",
        "The scheduler runs every morning up to final reporting",
        acts.mornings_until(date(2027, 4, 16)),
    ),
    Step("Reporting", "The host lead marks the draft final", acts_reporting.final_report),
    Step("Sharing findings", "The review moves on to sharing", acts.next_stage, at=(10, 30)),
    Step(
        "Sharing findings",
        "The summary for the LGBF website",
        acts_reporting.summary,
        at=(11, 0),
    ),
    Step("Follow-up", "The review moves on to follow-up", acts.next_stage, at=(14, 0)),
    Step(
        "Follow-up",
        "The scheduler runs every morning: reminders to the owners, overdue actions on Mondays",
        acts.mornings_until(date(2027, 5, 14)),
    ),
    Step("Follow-up", "An owner marks a late action done", acts.action_done(1), at=(11, 0)),
    Step(
        "Follow-up",
        "The scheduler runs every morning up to the next action's due date",
        acts.mornings_until(date(2027, 5, 28)),
    ),
    Step("Follow-up", "Its owner marks the next action done", acts.action_done(2), at=(11, 0)),
    Step("Follow-up", "The host lead opens the bot's Home tab", acts.home, at=(11, 30)),
    Step(
        "Follow-up",
        "The host lead closes the review; its plan stays readable",
        acts_reporting.close_review,
        at=(15, 0),
    ),
)
