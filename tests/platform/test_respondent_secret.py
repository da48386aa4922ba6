"""The respondent secret: required on PostgreSQL, generated and kept locally on SQLite, never
the signing secret (issue 17)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.respondent_secret import (
    RespondentSecretMissing,
    local_secret_path,
    require_respondent_secret,
    resolve_respondent_secret,
)
from bot.settings import Settings, SettingsError, load_settings

POSTGRES = "postgresql+psycopg://u@host/db"


def settings(**values: str) -> Settings:
    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "signing-secret-value"}
    return Settings(**{**base, **values}, _env_file=None)  # type: ignore[arg-type, call-arg]


def test_postgres_without_a_secret_is_refused_with_how_to_make_one() -> None:
    with pytest.raises(RespondentSecretMissing) as caught:
        require_respondent_secret(settings(DATABASE_URL=POSTGRES))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("PSIF_RESPONDENT_SECRET is not set")
    assert "secrets.token_urlsafe(32)" in message
    with pytest.raises(RespondentSecretMissing):
        resolve_respondent_secret(settings(DATABASE_URL=POSTGRES))


def test_the_secret_must_differ_from_the_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-secret-value")
    monkeypatch.setenv("PSIF_RESPONDENT_SECRET", "signing-secret-value")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    assert str(caught.value).startswith("PSIF_RESPONDENT_SECRET is not valid")
    assert "must differ from SLACK_SIGNING_SECRET" in str(caught.value)
    monkeypatch.setenv("PSIF_RESPONDENT_SECRET", "short")
    with pytest.raises(SettingsError, match="at least 16 characters"):
        load_settings(_env_file=None)


def test_a_set_secret_is_used_as_it_is() -> None:
    chosen = settings(DATABASE_URL=POSTGRES, PSIF_RESPONDENT_SECRET="a-long-random-secret")
    assert resolve_respondent_secret(chosen) == b"a-long-random-secret"


def test_sqlite_without_a_secret_generates_one_beside_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'psif.db'}"
    first = resolve_respondent_secret(settings(DATABASE_URL=url))
    path = local_secret_path(url)
    assert path == tmp_path / "psif.db.respondent-secret"
    assert path.read_bytes() == first and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_respondent_secret(settings(DATABASE_URL=url)) == first  # kept
    assert b"signing-secret-value" not in first


def test_an_in_memory_database_gets_a_secret_for_the_process_only() -> None:
    assert local_secret_path("sqlite://") is None
    assert resolve_respondent_secret(settings(DATABASE_URL="sqlite://"))
