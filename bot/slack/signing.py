"""Checking Slack's request signatures: HMAC-SHA256 over `v0:{timestamp}:{body}`.

Everything here is pure and never raises on what a client sends: a malformed header is
just a request that fails verification.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum

MAX_AGE_SECONDS = 300  # Slack's advice: refuse timestamps more than five minutes off
VERSION = "v0"
_HEX_DIGITS = frozenset("0123456789abcdef")


class Verdict(StrEnum):
    OK = "ok"
    MISSING = "missing signature or timestamp"
    MALFORMED = "malformed signature or timestamp"
    STALE = "timestamp more than five minutes off"
    WRONG = "signature does not match"


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    base = f"{VERSION}:{timestamp}:".encode() + body
    return f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def request_time(timestamp: str) -> int | None:
    """The header's Unix time, or None unless it is plain digits (no sign, no spaces)."""
    if not (0 < len(timestamp) <= 12) or not timestamp.isascii() or not timestamp.isdigit():
        return None
    return int(timestamp)


def signature_digest(signature: str) -> str | None:
    """The hex digest of a `v0=<64 hex>` signature, or None if it has another shape."""
    digest = signature.removeprefix(f"{VERSION}=")
    if digest == signature or len(digest) != 64 or not set(digest) <= _HEX_DIGITS:
        return None
    return digest


def verify(
    secret: str, *, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> Verdict:
    """Whether a request is Slack's, sent within the last five minutes."""
    if not timestamp or not signature:
        return Verdict.MISSING
    sent_at = request_time(timestamp)
    if sent_at is None or signature_digest(signature) is None:
        return Verdict.MALFORMED
    if abs(now - sent_at) > MAX_AGE_SECONDS:
        return Verdict.STALE
    if not hmac.compare_digest(expected_signature(secret, timestamp, body), signature):
        return Verdict.WRONG
    return Verdict.OK


def signed_by_slack(
    secret: str, *, timestamp: str | None, signature: str | None, body: bytes
) -> bool:
    """The signature matches, however long ago it was made (for code that runs after the
    door has already checked the request's age)."""
    if not timestamp or not signature or request_time(timestamp) is None:
        return False
    return hmac.compare_digest(expected_signature(secret, timestamp, body), signature)
