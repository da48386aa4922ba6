"""The lock files pin every package pyproject.toml asks for, at a version it allows, with
hashes: what CI, the Dockerfile and platforms' Python builds install."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "regenerate the lock files with `.ci/lock`"


def pinned(lock: Path) -> dict[str, Version]:
    """Each package the lock file pins, by normalised name; every pin must carry hashes."""
    pins: dict[str, Version] = {}
    lines = lock.read_text().splitlines()
    for number, line in enumerate(lines):
        if not line or line[0] in "# ":
            continue
        requirement = Requirement(line.removesuffix("\\").strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{lock.name}: {line} is not pinned"
        following = lines[number + 1] if number + 1 < len(lines) else ""
        assert "--hash=sha256:" in following, f"{lock.name}: {requirement.name} has no hash"
        pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def project() -> dict[str, list[str]]:
    table: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        "requirements.txt": list(table["dependencies"]),
        "requirements-dev.txt": [
            *table["dependencies"],
            *table["optional-dependencies"]["dev"],
        ],
    }


def unlocked(wanted: list[str], pins: dict[str, Version]) -> list[str]:
    """What the lock file is missing or pins at a version pyproject.toml no longer allows."""
    problems = []
    for line in wanted:
        requirement = Requirement(line)
        # An extra's packages: psycopg[binary] needs psycopg-binary too.
        names = [requirement.name] + [f"{requirement.name}-{extra}" for extra in requirement.extras]
        for name in names:
            version = pins.get(canonicalize_name(name))
            if version is None:
                problems.append(f"{name} (not pinned)")
            elif name == requirement.name and not requirement.specifier.contains(
                version, prereleases=True
            ):
                wants = requirement.specifier
                problems.append(f"{name} (pinned {version}, pyproject wants {wants})")
    return problems


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_the_lock_file_pins_every_dependency_of_pyproject_with_hashes(lock: str) -> None:
    problems = unlocked(project()[lock], pinned(ROOT / lock))
    assert not problems, (
        f"pyproject.toml asks for {', '.join(problems)} but {lock} doesn't have it: {REGENERATE}"
    )


def test_both_lock_files_pin_the_running_packages_alike() -> None:
    running, dev = pinned(ROOT / "requirements.txt"), pinned(ROOT / "requirements-dev.txt")
    differing = sorted(name for name, version in running.items() if dev.get(name) != version)
    assert not differing, f"the lock files pin {', '.join(differing)} differently: {REGENERATE}"


def test_a_missing_package_is_named() -> None:
    pins = {"slack-bolt": Version("1.30.0")}
    assert unlocked(["slack-bolt>=1.20,<2", "rapidfuzz>=3"], pins) == ["rapidfuzz (not pinned)"]
    assert unlocked(["slack-bolt>=2"], pins) == ["slack-bolt (pinned 1.30.0, pyproject wants >=2)"]


def test_the_python_version_platforms_read_is_the_one_the_project_targets() -> None:
    assert (ROOT / ".python-version").read_text().strip() == "3.11"
