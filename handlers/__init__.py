"""Slack listeners, by surface. Every registration is listed here so `grep` finds who
handles what; each module's `register(app, deps)` wires its own ids."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import commands, errors, fallbacks, middleware
from handlers.events import app_home
from handlers.interactions import (
    action_card,
    afis,
    checklist_buttons,
    fieldwork_buttons,
    finding_buttons,
    forget_me,
    home_lead_buttons,
    peer_buttons,
    report_buttons,
    stage_advance,
    start_dates,
)
from handlers.submissions import (
    action_submission,
    checklist_submission,
    edit_submission,
    fieldwork_session,
    finding_submission,
    home_invite,
    peer_councils,
    report_comment,
    start_submission,
)
from handlers.submissions import afis as afi_submissions


def register_handlers(app: App, deps: Deps) -> None:
    """Wire every listener: middleware, commands, interactions, submissions, events, the
    fallbacks for anything else, errors."""
    middleware.register(app, deps)
    commands.register(app, deps)

    # Reviews: the Appendix 1 form and stage moves
    start_submission.register(app, deps)
    edit_submission.register(app, deps)
    start_dates.register(app, deps)
    stage_advance.register(app, deps)

    # The team: peer councils' answers
    peer_buttons.register(app, deps)
    peer_councils.register(app, deps)

    # Self-assessment
    checklist_buttons.register(app, deps)
    checklist_submission.register(app, deps)
    forget_me.register(app, deps)

    # Areas for improvement and voting
    afis.register(app, deps)
    afi_submissions.register(app, deps)

    # Improvement actions
    action_submission.register(app, deps)
    action_card.register(app, deps)

    # Fieldwork sessions and findings
    fieldwork_buttons.register(app, deps)
    fieldwork_session.register(app, deps)
    finding_buttons.register(app, deps)
    finding_submission.register(app, deps)

    # The report: comments on the draft
    report_buttons.register(app, deps)
    report_comment.register(app, deps)

    # App Home, and a lead's buttons there
    app_home.register(app, deps)
    home_lead_buttons.register(app, deps)
    home_invite.register(app, deps)

    # Last: whatever nothing above knows (buttons and forms from older messages)
    fallbacks.register(app, deps)
    errors.register(app, deps)
