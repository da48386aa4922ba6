"""Slack listeners, by surface. Every registration is listed here so `grep` finds who
handles what; each module's `register(app, deps)` wires its own ids."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import commands, errors, fallbacks, middleware
from handlers.events import app_home
from handlers.interactions import afis, privacy, self_assessment
from handlers.interactions import fieldwork as fieldwork_interactions
from handlers.interactions import findings as finding_interactions
from handlers.interactions import home as home_buttons
from handlers.interactions import improvement_actions as action_buttons
from handlers.interactions import report as report_interactions
from handlers.interactions import reviews as review_buttons
from handlers.interactions import team as team_buttons
from handlers.submissions import afis as afi_submissions
from handlers.submissions import fieldwork as fieldwork_submissions
from handlers.submissions import findings as finding_submissions
from handlers.submissions import home as home_forms
from handlers.submissions import improvement_actions as action_forms
from handlers.submissions import report as report_submissions
from handlers.submissions import reviews as review_forms
from handlers.submissions import self_assessment as self_assessment_submissions
from handlers.submissions import survey as survey_submissions
from handlers.submissions import team as team_forms


def register_handlers(app: App, deps: Deps) -> None:
    middleware.register(app, deps)
    commands.register(app, deps)

    # Reviews: the Appendix 1 form and stage moves
    review_forms.register(app, deps)
    review_buttons.register(app, deps)

    # The team: peer councils' answers
    team_buttons.register(app, deps)
    team_forms.register(app, deps)

    # Self-assessment
    self_assessment.register(app, deps)
    self_assessment_submissions.register(app, deps)
    survey_submissions.register(app, deps)
    privacy.register(app, deps)

    # Areas for improvement and voting
    afis.register(app, deps)
    afi_submissions.register(app, deps)

    # Improvement actions
    action_forms.register(app, deps)
    action_buttons.register(app, deps)

    # Fieldwork sessions and findings
    fieldwork_interactions.register(app, deps)
    fieldwork_submissions.register(app, deps)
    finding_interactions.register(app, deps)
    finding_submissions.register(app, deps)

    # The report: comments on the draft
    report_interactions.register(app, deps)
    report_submissions.register(app, deps)

    # App Home, and a lead's buttons there
    app_home.register(app, deps)
    home_buttons.register(app, deps)
    home_forms.register(app, deps)

    # Last: whatever nothing above knows (buttons and forms from older messages)
    fallbacks.register(app, deps)
    errors.register(app, deps)
