"""Slack listeners, by surface. Every registration is listed here so `grep` finds who
handles what; each module's `register(app, deps)` wires its own ids."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import commands, errors, fallbacks, middleware
from handlers.events import app_home
from handlers.interactions import (
    action_card,
    afi_add_buttons,
    afi_list,
    afi_vote,
    checklist_buttons,
    forget_me,
    home_lead_buttons,
    peer_buttons,
    stage_advance,
    start_dates,
)
from handlers.interactions import fieldwork as fieldwork_interactions
from handlers.interactions import findings as finding_interactions
from handlers.interactions import report as report_interactions
from handlers.submissions import (
    action_submission,
    afi_add,
    afi_edit,
    afi_import,
    afi_merge,
    afi_vote_open,
    afi_withdraw,
    checklist_submission,
    edit_submission,
    home_invite,
    peer_councils,
    start_submission,
)
from handlers.submissions import fieldwork as fieldwork_submissions
from handlers.submissions import findings as finding_submissions
from handlers.submissions import report as report_submissions


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
    afi_add.register(app, deps)
    afi_add_buttons.register(app, deps)
    afi_edit.register(app, deps)
    afi_import.register(app, deps)
    afi_merge.register(app, deps)
    afi_withdraw.register(app, deps)
    afi_list.register(app, deps)
    afi_vote_open.register(app, deps)
    afi_vote.register(app, deps)

    # Improvement actions
    action_submission.register(app, deps)
    action_card.register(app, deps)

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
    home_lead_buttons.register(app, deps)
    home_invite.register(app, deps)

    # Last: whatever nothing above knows (buttons and forms from older messages)
    fallbacks.register(app, deps)
    errors.register(app, deps)
