"""The full schema: imports every model module so `Base.metadata` knows every table."""

from __future__ import annotations

import importlib
import pkgutil

import storage
from storage.models import Base

# Feature tables live in storage/models_<feature>.py; importing them registers their tables.
for _module in pkgutil.iter_modules(storage.__path__):
    if _module.name.startswith("models_"):
        importlib.import_module(f"storage.{_module.name}")

metadata = Base.metadata
