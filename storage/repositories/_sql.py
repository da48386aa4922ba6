"""Statement shapes the repositories share."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, Select, String, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

_T = TypeVar("_T")


class iso_date(FunctionElement[str]):
    """A date column as ISO text ("2027-03-04"), whatever PostgreSQL's DateStyle: reading it
    as text skips decoding a date per row."""

    type = String()
    inherit_cache = True


@compiles(iso_date)
def _iso_date_sqlite(element: iso_date, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"  # stored as ISO text


@compiles(iso_date, "postgresql")
def _iso_date_postgresql(element: iso_date, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


def upsert_insert(session: Session) -> Any:
    """The dialect's `insert`, which knows ON CONFLICT."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def added(session: Session, row: Any) -> bool:
    """Add `row`; False if its unique key is taken (perhaps by another process a moment ago)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def rowcount(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it touched."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def set_where(session: Session, model: Any, /, *where: ColumnElement[bool], **values: Any) -> int:
    """UPDATE `model`'s rows matching `where` (the session's objects are left as they are);
    how many rows changed."""
    statement = update(model).where(*where).values(**values)
    return rowcount(session, statement.execution_options(synchronize_session=False))


def all_of(session: Session, query: Select[_T]) -> list[_T]:
    return list(session.scalars(query))
