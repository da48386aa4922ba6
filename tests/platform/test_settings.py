"""Settings fail with one line naming the variable and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "DATABASE_URL",
        "SLACK_API_URL",
        "PORT",
        "PSIF_TIMEZONE",
        "PSIF_MIN_RESPONDENTS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_missing_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("SLACK_BOT_TOKEN is not set")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORT", "abc", "PORT is not valid"),
        ("PSIF_TIMEZONE", "Mars/Olympus", "PSIF_TIMEZONE is not valid"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN is not valid"),
        ("DATABASE_URL", "psif.db", "DATABASE_URL is not valid"),
    ],
)
def test_malformed_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=expected):
        load_settings()


def test_defaults_and_heroku_style_postgres_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    settings = load_settings()
    assert settings.database_url == "sqlite:///psif.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert str(settings.timezone) == "Europe/London"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@host/db")
    assert load_settings().database_url == "postgresql+psycopg://u:p@host/db"
    assert isinstance(settings, Settings)


def test_results_need_five_people_outside_the_team_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    assert load_settings().min_respondents == 5
    monkeypatch.setenv("PSIF_MIN_RESPONDENTS", "7")
    assert load_settings().min_respondents == 7


def test_the_respondent_secret_can_be_read_from_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "respondent-secret"
    secret_file.write_text("a-secret-kept-in-a-file-0123\n")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing")
    monkeypatch.setenv("PSIF_RESPONDENT_SECRET_FILE", str(secret_file))
    secret = load_settings().respondent_secret
    assert secret is not None and secret.get_secret_value() == "a-secret-kept-in-a-file-0123"
    # Checked as one given directly.
    secret_file.write_text("short")
    with pytest.raises(SettingsError, match="PSIF_RESPONDENT_SECRET is not valid"):
        load_settings()
    monkeypatch.setenv("PSIF_RESPONDENT_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(
        f"PSIF_RESPONDENT_SECRET_FILE can't be read ({tmp_path / 'missing'}: No such file"
    )
