"""The full schema: imports every model module so `Base.metadata` knows every table."""

from __future__ import annotations

# Importing a model module registers its tables on Base.metadata.
from storage.models import (
    afis,
    improvement_actions,
    outbox,
    reminders,
    requests,
    reviews,
    self_assessment,
)
from storage.models.base import Base

MODEL_MODULES = (
    reviews,
    self_assessment,
    afis,
    improvement_actions,
    reminders,
    outbox,
    requests,
)
metadata = Base.metadata
