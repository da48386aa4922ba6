"""Typed SQLAlchemy models, one module per feature, all on `base.Base`."""
