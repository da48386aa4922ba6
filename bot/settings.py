"""Runtime settings from the environment and an optional `.env` (read by `load_settings()`)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_PUBLIC_API_URL = "https://slack.com/api/"

_PUBLIC_URL = (
    "give the public https:// address the bot is served on, such as https://psif.example.org"
)
_PROCESSES = "give a whole number of processes between 1 and 64"
# What a user should do when a variable is missing or malformed; shown in the one-line error.
SETTING_HELP: dict[str, str] = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-…) from your Slack app's "
    "OAuth & Permissions page",
    "SLACK_CLIENT_ID": "copy the Client ID from your Slack app's Basic Information page",
    "SLACK_CLIENT_SECRET": "copy the Client Secret from your Slack app's Basic Information page",
    "SLACK_INSTALL_URL": _PUBLIC_URL,
    "PSIF_PUBLIC_URL": _PUBLIC_URL,
    "SLACK_SIGNING_SECRET": "copy the Signing Secret from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "create an app-level token (xapp-…) with connections:write under "
    "Basic Information › App-Level Tokens",
    "DATABASE_URL": "use a SQLAlchemy URL such as sqlite:///psif.db or "
    "postgresql+psycopg://user@host/dbname",
    "SLACK_API_URL": "leave it unset for Slack, or give a URL ending in /api/",
    "PORT": "give a port number between 1 and 65535",
    "PSIF_TIMEZONE": "give an IANA time zone name such as Europe/London",
    "PSIF_CHECKLIST_FILES": "give paths to checklist YAML files, separated by commas",
    "PSIF_RESPONDENT_SECRET": "make one with "
    'python3 -c "import secrets; print(secrets.token_urlsafe(32))", set it once and keep it '
    "for the life of the database: changing it makes saved self-assessments unreachable",
    "PSIF_RESPONDENT_SECRET_FILE": "give the path of a file holding the secret (make one "
    'with python3 -c "import secrets; print(secrets.token_urlsafe(32))"), readable by the bot',
    "PSIF_RETENTION_DAYS": "give a whole number of days between 1 and 3650",
    "PSIF_WEB_WORKERS": _PROCESSES,
    "PSIF_MIGRATE_ON_START": "give true or false",
    "WEB_CONCURRENCY": _PROCESSES,
    "PSIF_LOG_FORMAT": "give text or json",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line a person can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # One workspace: its bot token; or many (OAuth): the app's client id and secret.
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_CLIENT_SECRET"
    )
    # Where "Add to Slack" comes back to (unset: the app's configured redirect URL).
    slack_install_url: str | None = Field(default=None, validation_alias="SLACK_INSTALL_URL")
    # The public address survey links start with (unset: SLACK_INSTALL_URL).
    public_url: str | None = Field(default=None, validation_alias="PSIF_PUBLIC_URL")
    # How long background work trusts a cached workspace token (an uninstall's delay).
    slack_token_cache_seconds: float = Field(
        default=60, ge=0, le=3600, validation_alias="PSIF_TOKEN_CACHE_SECONDS"
    )
    slack_signing_secret: SecretStr = Field(validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    database_url: str = Field(default="sqlite:///psif.db", validation_alias="DATABASE_URL")
    slack_api_url: str = Field(default=SLACK_PUBLIC_API_URL, validation_alias="SLACK_API_URL")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")
    timezone_name: str = Field(default="Europe/London", validation_alias="PSIF_TIMEZONE")
    checklist_files: str = Field(default="", validation_alias="PSIF_CHECKLIST_FILES")
    # The after-acknowledgement pool (bot.slack.after_ack); deployments set this name.
    listener_threads: int = Field(
        default=32, ge=1, le=256, validation_alias="PSIF_LISTENER_THREADS"
    )
    # `psif-bot serve` processes (bot.cli.web_workers).
    web_workers: int | None = Field(default=None, ge=1, le=64, validation_alias="PSIF_WEB_WORKERS")
    web_concurrency: int | None = Field(
        default=None, ge=1, le=64, validation_alias="WEB_CONCURRENCY"
    )
    log_format: Literal["text", "json"] = Field(default="text", validation_alias="PSIF_LOG_FORMAT")
    # Migrate as a process starts (unset: only on SQLite; production runs `psif-bot migrate`).
    migrate_on_start: bool | None = Field(default=None, validation_alias="PSIF_MIGRATE_ON_START")

    # The least time between two chat.update calls on one voting message (rate limits).
    afi_tally_interval_seconds: float = Field(
        default=1.0, ge=0.05, le=60, validation_alias="PSIF_AFI_TALLY_INTERVAL"
    )
    # The outbox's first retry after Slack fails; later retries back off from it.
    outbox_retry_seconds: float = Field(
        default=5.0, ge=0.01, le=600, validation_alias="PSIF_OUTBOX_RETRY_SECONDS"
    )

    @field_validator("slack_bot_token", "slack_app_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        prefix = "xoxb-" if info.field_name == "slack_bot_token" else "xapp-"
        if value is not None and not value.get_secret_value().startswith(prefix):
            raise ValueError(f"must start with {prefix}")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("slack_install_url", "public_url")
    @classmethod
    def _install_url_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/") if value else None

    @model_validator(mode="before")
    @classmethod
    def _one_way_to_reach_slack(cls, data: Any) -> Any:
        # Before the fields, so a missing token is reported first, as the first thing to set.
        given = {str(key).upper() for key, value in dict(data).items() if value}
        if "SLACK_BOT_TOKEN" in given or {"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"} <= given:
            return data
        if given & {"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"}:
            raise SettingsError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must both be set to install the bot "
                "in many workspaces: " + SETTING_HELP["SLACK_CLIENT_SECRET"] + "."
            )
        raise SettingsError(
            "SLACK_BOT_TOKEN is not set: " + SETTING_HELP["SLACK_BOT_TOKEN"] + " (one "
            "workspace), or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install the bot in "
            "many workspaces."
        )

    @model_validator(mode="before")
    @classmethod
    def _respondent_secret_from_file(cls, data: Any) -> Any:
        # Before the fields, so the secret read is checked like one given directly.
        given = {str(key).upper(): key for key, value in dict(data).items() if value}
        if "PSIF_RESPONDENT_SECRET_FILE" not in given or "PSIF_RESPONDENT_SECRET" in given:
            return data
        path = Path(str(dict(data)[given["PSIF_RESPONDENT_SECRET_FILE"]]))
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not text"
            raise SettingsError(
                f"PSIF_RESPONDENT_SECRET_FILE can't be read ({path}: {reason}): "
                + SETTING_HELP["PSIF_RESPONDENT_SECRET_FILE"]
                + "."
            ) from None
        return {**dict(data), "PSIF_RESPONDENT_SECRET": secret}

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("is not a database URL")
        if value.startswith("postgres://") or value.startswith("postgresql://"):
            # Hosting platforms hand out postgres:// URLs; we drive PostgreSQL with psycopg 3.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone_name")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"{value!r} is not a known time zone") from error
        return value

    @field_validator("respondent_secret")
    @classmethod
    def _respondent_secret_apart(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value()
        if len(secret.strip()) < 16:
            raise ValueError("it must be at least 16 characters")
        signing = info.data.get("slack_signing_secret")
        if isinstance(signing, SecretStr) and signing.get_secret_value() == secret:
            # Whoever holds the signing secret (Slack, the app's admins) could recompute keys.
            raise ValueError("it must differ from SLACK_SIGNING_SECRET")
        return value

    @cached_property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @property
    def checklist_paths(self) -> list[Path]:
        return [Path(part.strip()) for part in self.checklist_files.split(",") if part.strip()]

    # PSIF self-assessment: how long it stays open, respondent keys and analysis thresholds.
    self_assessment_days: int = Field(
        default=14, ge=1, le=120, validation_alias="PSIF_SELF_ASSESSMENT_DAYS"
    )
    respondent_secret: SecretStr | None = Field(
        default=None, validation_alias="PSIF_RESPONDENT_SECRET"
    )
    respondent_secret_file: Path | None = Field(
        default=None, validation_alias="PSIF_RESPONDENT_SECRET_FILE"
    )
    # People outside the review team a figure needs (README, "Security and privacy").
    min_respondents: int = Field(default=5, ge=1, validation_alias="PSIF_MIN_RESPONDENTS")
    # Days after a review closes before its personal data is purged (a scheduler pass).
    retention_days: int = Field(default=365, ge=1, le=3650, validation_alias="PSIF_RETENTION_DAYS")
    strengths_count: int = Field(default=5, ge=0, le=20, validation_alias="PSIF_STRENGTHS_COUNT")
    afi_candidates_count: int = Field(
        default=5, ge=0, le=20, validation_alias="PSIF_AFI_CANDIDATES_COUNT"
    )
    strength_threshold_pct: float = Field(
        default=75, ge=0, le=100, validation_alias="PSIF_STRENGTH_THRESHOLD_PCT"
    )
    afi_agree_threshold_pct: float = Field(
        default=50, ge=0, le=100, validation_alias="PSIF_AFI_AGREE_THRESHOLD_PCT"
    )
    dont_know_threshold_pct: float = Field(
        default=30, ge=0, le=100, validation_alias="PSIF_DONT_KNOW_THRESHOLD_PCT"
    )


def describe_validation_error(error: ValidationError) -> str:
    """One line naming the variable and what to do."""
    first = error.errors()[0]
    variable = str(first["loc"][0]).upper() if first["loc"] else "settings"
    if first["type"] == "missing":
        problem = "is not set"
    else:
        problem = str(first["msg"]).removeprefix("Value error, ")
        problem = f"is not valid ({problem})"
    advice = SETTING_HELP.get(variable, "check its value")
    return f"{variable} {problem}: {advice}."


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise SettingsError with a one-line message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
