"""Streaming reads: rows of a table or query, in bookmark order, fetched in batches.

Rows come through a server-side cursor (``yield_per``: psycopg's named cursors, the
MySQL driver's unbuffered cursor, SQLite's lazy cursor), so memory holds one batch,
whatever the size of the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Engine,
    FromClause,
    MetaData,
    RowMapping,
    String,
    Table,
    column,
    select,
    text,
    type_coerce,
)

from volunteer_standard.connectors.sql.database import Database, guard
from volunteer_standard.connectors.sql.incremental import Mark, after
from volunteer_standard.text import Text

#: Label of the bookmark value selected next to an incremental read's columns.
BOOKMARK = "vstd__bookmark"


@dataclass(frozen=True)
class RowSource:
    """Where rows come from: a table or a query, with its name in state and locations."""

    name: str
    selectable: FromClause
    columns: tuple[str, ...]


def table_source(db: Database, engine: Engine, name: str) -> RowSource:
    """A table of the database, its columns reflected (a clear error when it is missing)."""
    with guard(db):
        table = Table(name, MetaData(schema=db.schema), autoload_with=engine)
    return RowSource(name, table, tuple(c.name for c in table.columns))


def query_source(db: Database, engine: Engine, query: str) -> RowSource:
    """The rows of a SELECT (its columns learned by running it for zero rows)."""
    body = query.strip().rstrip(";")
    with guard(db), engine.connect() as conn:
        names = tuple(conn.execute(text(f"SELECT * FROM ({body}) vstd_q WHERE 1=0")).keys())
    sub = text(body).columns(*(column(n) for n in names)).subquery("vstd_q")
    return RowSource("query", sub, names)


def require_columns(db: Database, source: RowSource, wanted: Sequence[str | None]) -> None:
    missing = [c for c in wanted if c is not None and c not in source.columns]
    if missing:
        raise db.error(
            Text("{where}：{table} 中没有列 {missing}", "{where}: {table} has no column {missing}"),
            table=source.name,
            missing=", ".join(repr(m) for m in missing),
        )


def stream(
    db: Database,
    engine: Engine,
    source: RowSource,
    *,
    batch_size: int,
    key: str | None,
    modified: str | None,
    mark: Mark | None,
) -> Iterator[tuple[int, RowMapping]]:
    """``(row number, row)`` in (modified, key) order when incremental, else key order."""
    cols = source.selectable.c
    stmt = select(source.selectable)
    if modified is not None and key is not None:
        position = bookmark_expression(engine, cols[modified])
        stmt = stmt.add_columns(position.label(BOOKMARK))
        if mark is not None:
            stmt = stmt.where(after(position, cols[key], mark))
        stmt = stmt.order_by(position, cols[key])
    elif key is not None:
        stmt = stmt.order_by(cols[key])
    with guard(db), engine.connect() as conn:
        result = conn.execution_options(yield_per=batch_size).execute(stmt)
        yield from enumerate(result.mappings(), start=1)


def bookmark_expression(engine: Engine, col: ColumnElement[Any]) -> ColumnElement[Any]:
    """The value the bookmark compares: the column itself, except for dates in SQLite.

    SQLite keeps dates as text in whatever form the writing program chose; SQLAlchemy
    would compare them with its own form (``10:00:00.000000`` ≠ ``10:00:00``). There the
    bookmark is the stored text, compared as text.
    """
    if engine.dialect.name == "sqlite" and isinstance(col.type, Date | DateTime):
        return type_coerce(col, String())
    return col


__all__ = [
    "BOOKMARK",
    "RowSource",
    "bookmark_expression",
    "query_source",
    "require_columns",
    "stream",
    "table_source",
]
