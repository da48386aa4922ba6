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
    fieldwork_buttons,
    finding_buttons,
    forget_me,
    home_lead_buttons,
    report_buttons,
)
from handlers.interactions import reviews as review_buttons
from handlers.interactions import team as team_buttons
from handlers.submissions import (
    action_submission,
    afi_add,
    afi_edit,
    afi_import,
    afi_merge,
    afi_vote_open,
    afi_withdraw,
    checklist_submission,
    fieldwork_session,
    finding_submission,
    home_invite,
    report_comment,
)
from handlers.submissions import reviews as review_forms
from handlers.submissions import team as team_forms


def register_handlers(app: App, deps: Deps) -> None:
    """Wire every listener: middleware, commands, interactions, submissions, events, the
    fallbacks for anything else, errors."""
    middleware.register(app, deps)
    commands.register(app, deps)

    # Reviews: the Appendix 1 form and stage moves
    review_forms.register(app, deps)
    review_buttons.register(app, deps)

    # The team: peer councils' answers
    team_buttons.register(app, deps)
    team_forms.register(app, deps)

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
