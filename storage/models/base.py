"""The declarative base every model shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, MetaData, Text, text
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
    # Beyond SQLAlchemy's own (int, bool, date): a column names its type only when it differs
    # from these, as String(n) does.
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text,
        float: Float,
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[int]: JSON,
    }


def belongs_to(
    table: str, name: str | None = None, *, ondelete: str = "CASCADE", **options: Any
) -> MappedColumn[Any]:
    """The id of the `table` row this one refers to: it goes when that row does (or, with
    "SET NULL", forgets it); `name` is the column's name in the database if not its own."""
    return mapped_column(name, ForeignKey(f"{table}.id", ondelete=ondelete), **options)


def review_id_column(**options: Any) -> MappedColumn[Any]:
    """The review a row belongs to: it goes when the review does."""
    return belongs_to("reviews", **options)


def unique_where(name: str, column: str, where: str) -> Index:
    """A unique index over the rows where `where` holds, alike on SQLite and PostgreSQL."""
    return Index(name, column, unique=True, sqlite_where=text(where), postgresql_where=text(where))
