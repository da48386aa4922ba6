"""What a survey link is made of: its random token, the keyed hashes standing for it (and for
an address that tries it), its forms' CSRF token, and the sealed list the outbox carries.
All keyed with the respondent secret, so the database alone opens no link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from typing import TYPE_CHECKING

# Loaded when links are sealed or opened: cryptography is ~6 MiB a web process rarely needs.
if TYPE_CHECKING:
    from cryptography.fernet import Fernet

# 24 random bytes: 192 bits, well past guessing at any rate the web page allows.
TOKEN_BYTES = 24
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _keyed(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def link_hash(secret: bytes, token: str) -> str | None:
    """What the database knows a link by; None for anything no link could be."""
    if not _TOKEN_SHAPE.match(token):
        return None
    return _keyed(secret, "psif-survey-link", token)


def imported_hash() -> str:
    """An imported respondent's stand-in: a hash of a token nobody is ever given."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def address_hash(secret: bytes, address: str) -> str:
    return _keyed(secret, "psif-survey-address", address)


def csrf_token(secret: bytes, hashed_link: str) -> str:
    """The token a link's forms carry: only the page the link opened knows it."""
    return _keyed(secret, "psif-survey-csrf", hashed_link)


def csrf_matches(secret: bytes, hashed_link: str, given: str) -> bool:
    # As bytes: compare_digest refuses str with anything beyond ASCII, which a forged form
    # may well send.
    return hmac.compare_digest(csrf_token(secret, hashed_link).encode(), given.encode())


def _fernet(secret: bytes) -> Fernet:
    from cryptography.fernet import Fernet

    key = hmac.new(secret, b"psif-survey-outbox", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_tokens(secret: bytes, tokens: list[str]) -> str:
    """New links as the outbox stores them until delivered: encrypted with a key derived
    from the respondent secret, so the database never holds a readable link."""
    return _fernet(secret).encrypt(json.dumps(tokens).encode()).decode()


def unseal_tokens(secret: bytes, sealed: str) -> list[str]:
    return [str(token) for token in json.loads(_fernet(secret).decrypt(sealed.encode()))]
