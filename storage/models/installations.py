"""Workspaces that installed the bot through "Add to Slack": slack-sdk's own tables.

slack-sdk's SQLAlchemy installation and OAuth-state stores read and write these tables; they
are declared here, with slack-sdk's own builders, so our Alembic migrations create them and
the schema check covers them like every other table.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from storage.models.base import Base

BOTS_TABLE = SQLAlchemyInstallationStore.default_bots_table_name
INSTALLATIONS_TABLE = SQLAlchemyInstallationStore.default_installations_table_name
OAUTH_STATES_TABLE = SQLAlchemyOAuthStateStore.default_table_name

bots = SQLAlchemyInstallationStore.build_bots_table(metadata=Base.metadata, table_name=BOTS_TABLE)
installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata=Base.metadata, table_name=INSTALLATIONS_TABLE
)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES_TABLE)
