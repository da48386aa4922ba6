"""The full schema: imports every model module so `Base.metadata` knows every table."""

from __future__ import annotations

# Importing a model module registers its tables on Base.metadata.
from storage.models import (  # noqa: F401
    afis,
    counters,
    fieldwork,
    findings,
    improvement_actions,
    installations,
    outbox,
    papers,
    passes,
    reminders,
    report,
    requests,
    reviews,
    self_assessment,
    survey,
)
from storage.models.base import Base

metadata = Base.metadata
