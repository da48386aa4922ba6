"""The files a council's IT team deploys with, read as the platform or Docker would read them
(`docker` itself may not exist where the tests run): the Procfile, the Dockerfile,
compose.yaml and .env.example."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from bot.cli import build_parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = {"migrate", "serve", "worker", "scheduler"}


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9_-]+):\s*(.+)", line):
            processes[match[1]] = shlex.split(match[2])
    return processes


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def test_the_procfile_runs_each_process_through_the_installed_modules() -> None:
    processes = procfile()
    assert set(processes) == {"release", "web", "worker", "clock"}
    subcommands = set()
    for command in processes.values():
        # Platforms install requirements.txt, not the package: no `psif-bot` script exists.
        assert command[:3] == ["python", "-m", "bot.cli"]
        build_parser().parse_args(command[3:])  # a command psif-bot knows
        subcommands.add(command[3])
    assert subcommands == PROCESSES
    assert processes["release"] == ["python", "-m", "bot.cli", "migrate"]


def test_the_dockerfile_is_slim_installs_the_lock_file_runs_as_a_user_and_checks_health() -> None:
    instructions = dockerfile()
    version = (ROOT / ".python-version").read_text().strip()
    assert instructions[0] == ("FROM", f"python:{version}-slim")
    runs = [arguments for instruction, arguments in instructions if instruction == "RUN"]
    assert "pip install --require-hashes -r requirements.txt" in runs
    assert "pip install --no-deps ." in runs
    copied = [arguments for instruction, arguments in instructions if instruction == "COPY"]
    assert copied[0] == "requirements.txt ./"  # before the code: its layer is reused
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}
    last_install = max(i for i, (kind, args) in enumerate(instructions) if "pip install" in args)
    assert instructions.index(("USER", users[-1])) > last_install
    [health] = [
        arguments for instruction, arguments in instructions if instruction == "HEALTHCHECK"
    ]
    assert "/healthz" in health and "PORT" in health
    assert ("CMD", '["psif-bot", "serve"]') in instructions
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "*.respondent-secret", "*.db"} <= set(ignored)


def test_compose_runs_postgresql_the_migration_once_then_serve_worker_and_scheduler() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:15")
    assert "ports" not in services["db"]
    commands = {
        name: service["command"]
        for name, service in services.items()
        if service.get("command", [""])[0] == "psif-bot"
    }
    assert {command[1] for command in commands.values()} == PROCESSES
    for command in commands.values():
        build_parser().parse_args(command[1:])
    assert services["migrate"]["restart"] == "no"  # one-shot
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}
    for name in ("serve", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["restart"] == "unless-stopped"
    assert services["serve"]["ports"] == ["3000:3000"]
    assert "/healthz" in " ".join(services["serve"]["healthcheck"]["test"])
    # The image's HTTP health check means nothing to the processes that serve no HTTP.
    assert services["worker"]["healthcheck"] == {"disable": True}


def test_compose_needs_only_the_slack_values_in_env_and_makes_the_respondent_secret_once() -> None:
    services = compose()["services"]
    secret_path = "/secrets/respondent-secret"
    for name in ("migrate", "serve", "worker", "scheduler"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["environment"]["PSIF_RESPONDENT_SECRET_FILE"] == secret_path
        assert "secrets:/secrets:ro" in service["volumes"]
        assert service["depends_on"]["respondent-secret"] == {
            "condition": "service_completed_successfully"
        }
        assert not any(key.startswith("SLACK_") for key in service["environment"])
    maker = services["respondent-secret"]
    script = maker["command"][-1]
    assert secret_path in script and "if not path.exists()" in script  # never replaced
    assert "secrets:/secrets" in maker["volumes"]
    # .env.example's values (only Slack's) and compose's environment are settings that start.
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example and all(key.startswith("SLACK_") for key in example)
    environment = {
        key: value
        for key, value in services["serve"]["environment"].items()
        if key != "PSIF_RESPONDENT_SECRET_FILE"  # made by the one-shot service
    }
    settings = Settings(**example, **environment, _env_file=None)  # type: ignore[arg-type,call-arg]
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.port == 3000
    # Only the worker service delivers the outbox: no setting says so any more.
    assert "PSIF_OUTBOX_IN_WORKER" not in services["serve"]["environment"]


def test_the_readme_shows_the_platform_container_and_single_machine_ways() -> None:
    readme = (ROOT / "README.md").read_text()
    running = readme.split("## Running it", 1)[1].split("\n## ", 1)[0]
    for way in ("**On a platform**", "**In containers:**", "**On one machine:**"):
        assert way in running
    assert "docker compose up" in running and "Procfile" in running
    assert "`.ci/lock`" in readme  # how to regenerate the lock files
