"""The schema as it stood at the last of the migrations before it, created in one step.

The seventeen migrations that built it were folded into this one; it keeps the revision id of
the last of them, so a database already brought up to date by an earlier release is up to
date here too. A database at an older revision is refused by `storage.migrate` with a line
saying to upgrade with the previous release first.

Constraints and indexes named nowhere here take their names from the models' naming
convention (storage.models.base), which env.py hands to Alembic: the names the folded
migrations gave them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_replay_by_day"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def cascade(column: str) -> sa.ForeignKey:
    """A reference to `column` whose rows go when it goes."""
    return sa.ForeignKey(column, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "applied_requests",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "review_counters",
        sa.Column("review_id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("host_council", sa.String(64), nullable=False),
        sa.Column("focus", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("peer_rationale", sa.Text(), nullable=False),
        sa.Column("checklist_id", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("timezone", sa.String(64)),
        sa.Column("initial_meeting", sa.Date()),
        sa.Column("fieldwork_start", sa.Date()),
        sa.Column("fieldwork_end", sa.Date()),
        sa.Column("pre_meeting", sa.Date()),
        sa.Column("draft_report", sa.Date()),
        sa.Column("leads_meeting", sa.Date()),
        sa.Column("final_report", sa.Date()),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Index(
            "uq_reviews_open_channel",
            "channel_id",
            unique=True,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        ),
    )
    op.create_table(
        "seen_requests",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("expires_on", sa.Date(), nullable=False, index=True),
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.Index(
            "slack_installations_idx",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "slack_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("coalesce_key", sa.String(200)),
        sa.Column("lane", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_gap", sa.Float(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(200)),
        sa.Index("ix_slack_outbox_claimable", "status", "not_before"),
        sa.Index("ix_slack_outbox_key", "coalesce_key", "status"),
        sa.Index("ix_slack_outbox_lane", "lane", "status"),
        sa.Index(
            "uq_slack_outbox_pending_key",
            "coalesce_key",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )
    op.create_table(
        "snoozes",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("paused_through", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "afi_vote_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("per_afi_cap", sa.Integer(), nullable=False),
        sa.Column("everyone_can_vote", sa.Boolean(), nullable=False),
        sa.Column("opened_by", sa.String(32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(32)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("top_n", sa.Integer()),
        # Server defaults here and in peer_councils filled in rows that existed when the
        # columns were added; they are kept so every database at this revision is alike.
        sa.Column("tally_hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("closes_at", sa.DateTime(timezone=True)),
        sa.Column("tie_break_of", sa.Integer(), cascade("afi_vote_rounds.id")),
        sa.Column("tie_places", sa.Integer()),
        sa.Column("tie_candidates", sa.JSON(), nullable=False, server_default="[]"),
        sa.CheckConstraint("budget >= 1 AND budget <= 20", name="budget_range"),
        sa.CheckConstraint("per_afi_cap >= 1 AND per_afi_cap <= budget", name="cap_range"),
        sa.UniqueConstraint("id", "budget", "per_afi_cap", name="uq_afi_vote_rounds_limits"),
        sa.Index(
            "uq_afi_vote_rounds_open",
            "review_id",
            unique=True,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        ),
    )
    op.create_table(
        "afis",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("section_number", sa.Integer()),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("statement_id", sa.String(16)),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), sa.ForeignKey("afis.id", ondelete="SET NULL")),
        sa.Column("prioritised", sa.Boolean(), nullable=False),
        sa.Column("rank", sa.Integer()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "number", name="uq_afis_review_number"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("actor_id", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "checklist_completions",
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), primary_key=True),
        sa.Column("respondent_key", sa.String(64), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "checklist_invitation_messages",
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
    )
    op.create_table(
        "checklist_participants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("invited_by", sa.String(32), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "user_id", name="uq_checklist_participants"),
    )
    op.create_table(
        "checklist_responses",
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), primary_key=True),
        sa.Column("respondent_key", sa.String(64), primary_key=True),
        sa.Column("section_number", sa.Integer(), primary_key=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("improvements", sa.Text(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "checklist_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, unique=True),
        sa.Column("checklist_id", sa.String(64), nullable=False),
        sa.Column("checklist_version", sa.String(32), nullable=False),
        sa.Column("key_salt", sa.String(64), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("results_released_at", sa.DateTime(timezone=True)),
        sa.Column("sealed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "fieldwork_schedules",
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), primary_key=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
    )
    op.create_table(
        "fieldwork_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "number", name="uq_fieldwork_sessions_review_number"),
    )
    op.create_table(
        "milestones_done",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("milestone", sa.String(32), nullable=False),
        sa.Column("done_by", sa.String(32), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "milestone", name="uq_milestones_done"),
    )
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("rule", sa.String(96), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(32), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("useful_until", sa.Date(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(64)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("ts", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "rule", "day", "recipient", name="uq_nudges_key"),
        sa.Index("ix_nudges_claimable", "status", "not_before"),
        sa.Index("ix_nudges_day", "day"),
    )
    op.create_table(
        "paper_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "peer_councils",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("council", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_partner", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("state", sa.String(16), nullable=False, server_default="to_approach"),
        sa.Column("approached_on", sa.Date()),
        sa.Column("nominees", sa.Text(), nullable=False, server_default=""),
        sa.Column("declined_reason", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("review_id", "council", name="uq_peer_councils"),
    )
    op.create_table(
        "reminder_mutes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("rule", sa.String(48), nullable=False),
        sa.Column("muted_by", sa.String(32), nullable=False),
        sa.Column("muted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "rule", name="uq_reminder_mutes"),
    )
    op.create_table(
        "report_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("built_by", sa.String(32), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel_id", sa.String(32)),
        sa.Column("ts", sa.String(32)),
        sa.Column("final_by", sa.String(32)),
        sa.Column("final_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("review_id", "number", name="uq_report_versions_review_number"),
    )
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False, index=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organisation", sa.String(120)),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "user_id", "role", name="uq_team_members"),
    )
    op.create_table(
        "unreachable_channels",
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), primary_key=True),
        sa.Column("error", sa.String(64), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("afi_id", sa.Integer(), sa.ForeignKey("afis.id", ondelete="SET NULL")),
        sa.Column("key_action", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False, index=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("drop_reason", sa.Text(), nullable=False),
        sa.Column("rag", sa.String(8)),
        sa.Column("status_changed_by", sa.String(32)),
        sa.Column("status_changed_at", sa.DateTime(timezone=True)),
        sa.Column("channel_id", sa.String(32)),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "number", name="uq_actions_review_number"),
    )
    op.create_table(
        "afi_vote_clicks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), cascade("afi_vote_rounds.id"), nullable=False),
        sa.Column("voter_id", sa.String(32), nullable=False),
        sa.Column("click_key", sa.String(64), nullable=False),
        sa.Column("afi_id", sa.Integer(), nullable=False),
        sa.Column("adding", sa.Boolean(), nullable=False),
        sa.Column("clicked_at", sa.Float()),
        sa.UniqueConstraint("round_id", "voter_id", "click_key", name="uq_afi_vote_clicks"),
        sa.Index("ix_afi_vote_clicks_voter_afi", "round_id", "voter_id", "afi_id"),
    )
    op.create_table(
        "afi_vote_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), cascade("afi_vote_rounds.id"), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.UniqueConstraint("round_id", "page", name="uq_afi_vote_messages_page"),
    )
    op.create_table(
        "afi_votes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("per_afi_cap", sa.Integer(), nullable=False),
        sa.Column("afi_id", sa.Integer(), cascade("afis.id"), nullable=False),
        sa.Column("voter_id", sa.String(32), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("afi_slot", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id", "budget", "per_afi_cap"],
            ["afi_vote_rounds.id", "afi_vote_rounds.budget", "afi_vote_rounds.per_afi_cap"],
            name="fk_afi_votes_round_limits",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("afi_slot >= 1 AND afi_slot <= per_afi_cap", name="afi_slot_within_cap"),
        sa.CheckConstraint("slot >= 1 AND slot <= budget", name="slot_within_budget"),
        sa.UniqueConstraint(
            "round_id", "voter_id", "afi_id", "afi_slot", name="uq_afi_votes_voter_afi_slot"
        ),
        sa.UniqueConstraint("round_id", "voter_id", "slot", name="uq_afi_votes_voter_slot"),
        sa.Index("ix_afi_votes_round_afi", "round_id", "afi_id"),
    )
    op.create_table(
        "fieldwork_session_afis",
        sa.Column("session_id", sa.Integer(), cascade("fieldwork_sessions.id"), primary_key=True),
        sa.Column("afi_id", sa.Integer(), cascade("afis.id"), primary_key=True),
    )
    op.create_table(
        "fieldwork_session_runners",
        sa.Column("session_id", sa.Integer(), cascade("fieldwork_sessions.id"), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("review_id", sa.Integer(), cascade("reviews.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("afi_id", sa.Integer(), cascade("afis.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("fieldwork_sessions.id", ondelete="SET NULL")
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "number", name="uq_findings_review_number"),
    )
    op.create_table(
        "report_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id", sa.Integer(), cascade("report_versions.id"), nullable=False, index=True
        ),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(32)),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "action_options",
        sa.Column("action_id", sa.Integer(), cascade("actions.id"), primary_key=True),
        sa.Column("finding_id", sa.Integer(), cascade("findings.id"), nullable=False, index=True),
    )
    op.create_table(
        "action_progress_updates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action_id", sa.Integer(), cascade("actions.id"), nullable=False, index=True),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rag", sa.String(8)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "action_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action_id", sa.Integer(), cascade("actions.id"), nullable=False, index=True),
        sa.Column("actor_id", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    schema = sa.MetaData()
    schema.reflect(op.get_bind())
    for table in reversed(schema.sorted_tables):
        if table.name != "alembic_version":
            op.drop_table(table.name)
