"""Reading every row of every table the models declare, for the privacy tests.

The tables and columns come from the SQLAlchemy metadata, so a table added later is read
without a change here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Engine, String, Table, select, text

from storage.schema import metadata


@dataclass(frozen=True)
class Hit:
    """A row whose `column` holds the text looked for."""

    table: str
    column: str
    row: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.table}.{self.column} in {self.row}"


def text_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if isinstance(column.type, String | JSON)]


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def rows_of(engine: Engine, table: Table) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(table)).mappings()]


def places_naming(engine: Engine, needle: str) -> list[Hit]:
    """Every (table, text/JSON column, row) whose value contains `needle` anywhere."""
    hits: list[Hit] = []
    for table in metadata.sorted_tables:
        columns = text_columns(table)
        for row in rows_of(engine, table):
            hits.extend(
                Hit(table.name, column, row)
                for column in columns
                if row[column] is not None and needle in as_text(row[column])
            )
    return hits


Snapshot = dict[str, set[tuple[str, ...]]]


def snapshot(engine: Engine, *, leave_out: frozenset[str] = frozenset()) -> Snapshot:
    """Every row of every table (but `leave_out`), as comparable tuples; on PostgreSQL with
    the id of the transaction that last wrote it, so a row rewritten unchanged counts too."""
    found: Snapshot = {}
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in leave_out:
                continue
            query = select(text("xmin::text"), *table.columns) if postgres else select(table)
            found[table.name] = {
                tuple(repr(value) for value in row)
                for row in connection.execute(query.select_from(table))
            }
    return found


def written_between(engine: Engine, before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """The rows in `after` that were not in `before` (new or written again), by table, as
    dicts of column values read back from the database."""
    written: dict[str, list[Any]] = {}
    for table in metadata.sorted_tables:
        if table.name not in after or not after[table.name] - before[table.name]:
            continue
        keys = list(table.primary_key.columns)
        changed = after[table.name] - before[table.name]
        rows = rows_of(engine, table)
        # Match read-back rows to the changed tuples by primary key.
        offset = 1 if engine.dialect.name == "postgresql" else 0
        positions = [list(table.columns).index(key) + offset for key in keys]
        changed_keys = {tuple(values[index] for index in positions) for values in changed}
        written[table.name] = [
            row for row in rows if tuple(repr(row[key.name]) for key in keys) in changed_keys
        ]
    return written
