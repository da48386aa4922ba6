"""Checklists are loaded at start-up: a broken file stops the bot with its problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import make_deps
from bot.core.checklist_loader import ChecklistError
from bot.settings import Settings

from conftest import BOT_TOKEN, SIGNING_SECRET

DEFAULT = Path("bot/data/checklists/psif-default.yaml")


def settings_with(files: str, tmp_path: Path) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
        PSIF_CHECKLIST_FILES=files,
        _env_file=None,
    )  # type: ignore[call-arg]


def test_a_host_checklist_is_installed_alongside_the_default(tmp_path: Path) -> None:
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        DEFAULT.read_text(encoding="utf-8")
        .replace("id: psif-default", "id: fife-psif")
        .replace("name: PSIF self-assessment checklist", "name: Fife official PSIF"),
        encoding="utf-8",
    )
    deps = make_deps(settings_with(str(ours), tmp_path))
    assert deps.checklist_names == {
        "psif-default": "PSIF self-assessment checklist",
        "fife-psif": "Fife official PSIF",
    }
    assert deps.checklists["fife-psif"].statement_count == 61


def test_a_broken_checklist_file_stops_start_up_naming_file_line_and_field(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        DEFAULT.read_text(encoding="utf-8").replace("id: psif-default", "id: Not A Slug"),
        encoding="utf-8",
    )
    with pytest.raises(ChecklistError) as raised:
        make_deps(settings_with(str(broken), tmp_path))
    assert "broken.yaml, line 11 (id)" in str(raised.value)


def test_a_missing_checklist_file_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match="cannot read file"):
        make_deps(settings_with(str(tmp_path / "nowhere.yaml"), tmp_path))
