"""The declarative base every model shares."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, MetaData, text
from sqlalchemy.orm import DeclarativeBase, MappedColumn, mapped_column

# Stable constraint names so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def review_id_column(**options: Any) -> MappedColumn[Any]:
    """The review a row belongs to: it goes when the review does."""
    return mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), **options)


def unique_where(name: str, column: str, where: str) -> Index:
    """A unique index over the rows where `where` holds, alike on SQLite and PostgreSQL."""
    return Index(name, column, unique=True, sqlite_where=text(where), postgresql_where=text(where))
