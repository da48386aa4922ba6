"""The secret behind the pseudonymous respondent keys, kept out of the database: required
as PSIF_RESPONDENT_SECRET with PostgreSQL; on SQLite generated once into an owner-only file
beside the database. Never the Slack signing secret, which others also hold.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from storage.db import is_sqlite

logger = logging.getLogger(__name__)

MAKE_ONE = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
MISSING_SECRET = (
    "PSIF_RESPONDENT_SECRET is not set: with PostgreSQL the bot needs its own secret for the "
    f"pseudonymous self-assessment keys; make one with {MAKE_ONE}, set it once and keep it "
    "for the life of the database."
)
SECRET_FILE_SUFFIX = ".respondent-secret"


class RespondentSecretMissing(Exception):
    """PostgreSQL without PSIF_RESPONDENT_SECRET."""


def require_respondent_secret(settings: Settings) -> None:
    if settings.respondent_secret is None and not is_sqlite(settings.database_url):
        raise RespondentSecretMissing(MISSING_SECRET)


def local_secret_path(database_url: str) -> Path | None:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return None
    return Path(database + SECRET_FILE_SUFFIX)


def secret_file_committable(settings: Settings) -> str | None:
    """A warning if the generated secret's file sits in a git work tree that would commit it."""
    if settings.respondent_secret is not None or not is_sqlite(settings.database_url):
        return None
    found = local_secret_path(settings.database_url)
    git = shutil.which("git")
    if found is None or git is None or not found.resolve().parent.is_dir():
        return None
    path = found.resolve()
    try:
        checked = subprocess.run(
            [git, "check-ignore", "--quiet", path.name],
            cwd=path.parent,
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # 0: ignored; 1: not ignored (or already tracked); anything else: not a work tree.
    if checked.returncode != 1:
        return None
    return (
        f"{path} holds the secret behind the self-assessment keys and sits in a git work "
        f"tree that would commit it: add `*{SECRET_FILE_SUFFIX}` to .gitignore (and "
        "`git rm --cached` it if it is tracked), or keep the database outside the work tree."
    )


def resolve_respondent_secret(settings: Settings) -> bytes:
    if settings.respondent_secret is not None:
        return settings.respondent_secret.get_secret_value().encode()
    require_respondent_secret(settings)
    path = local_secret_path(settings.database_url)
    if path is None:  # an in-memory database dies with the process, and so may its keys
        return secrets.token_urlsafe(32).encode()
    return _read_or_create(path)


def _read_or_create(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made earlier, or by the scheduler process a moment ago
        for _ in range(50):
            value = path.read_bytes().strip()
            if value:
                return value
            time.sleep(0.02)
        raise RuntimeError(
            f"{path} is empty: delete it only if no self-assessment has started"
        ) from None
    value = secrets.token_urlsafe(32).encode()
    with os.fdopen(descriptor, "wb") as file:
        file.write(value)
    logger.warning(
        "PSIF_RESPONDENT_SECRET is not set, so I generated the secret behind the "
        "self-assessment keys and stored it in %s. Keep that file with the database (without "
        "it, people cannot resume their answers) and out of any copy of the database you share.",
        path,
    )
    return value
