"""Batched, idempotent writes: rows grouped in transactions, upserted by key.

Each batch of ``batch_size`` rows is one transaction: ``close`` commits the last one, and
a failure rolls the open batch back (earlier batches stay: they were complete). Rows are
upserted by their key (``INSERT … ON CONFLICT (key) DO UPDATE`` on PostgreSQL and SQLite;
delete-then-insert in the same transaction elsewhere), so a run killed half-way and
started again writes every record exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Numeric,
    Table,
    delete,
    insert,
    inspect,
    text,
)
from sqlalchemy.types import TypeEngine

from volunteer_standard.connectors.sql.database import Database, guard
from volunteer_standard.models import Entity
from volunteer_standard.text import Text

Row = dict[str, Any]


@dataclass
class Target:
    """One target table: its definition and the key rows are upserted by."""

    table: Table
    key: str


class TableSet:
    """How objects become rows of which table; supplied by the flat layout or a mapping."""

    def route(self, obj: Entity) -> tuple[str, Row]:  # pragma: no cover - interface
        """The table key and the row of ``obj``."""
        raise NotImplementedError

    def target(self, name: str, conn: Connection, columns: Iterable[str]) -> Target:
        """The target of table key ``name`` (created or widened when allowed)."""
        raise NotImplementedError  # pragma: no cover - interface


class BatchWriter:
    """The connector's ``RecordWriter``."""

    def __init__(self, db: Database, engine: Engine, tables: TableSet, batch_size: int) -> None:
        self.db = db
        self.engine = engine
        self.tables = tables
        self.batch_size = batch_size
        self._pending: dict[str, dict[Any, Row]] = {}
        self._count = 0
        self._closed = False

    def write(self, obj: Entity) -> None:
        name, row = self.tables.route(obj)
        self._pending.setdefault(name, {})[obj.id] = row  # last write of an id wins
        self._count += 1
        if self._count >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the open batch in one transaction (rolled back on failure)."""
        if not self._pending:
            return
        batch, self._pending, self._count = self._pending, {}, 0
        with guard(self.db), self.engine.begin() as conn:
            for name, rows in batch.items():
                columns: dict[str, None] = {}
                for row in rows.values():
                    columns.update(dict.fromkeys(row))
                target = self.tables.target(name, conn, columns)
                upsert(conn, target.table, target.key, list(rows.values()))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
        finally:
            self.engine.dispose()


#: Dialects with ``INSERT … ON CONFLICT … DO UPDATE``.
NATIVE_UPSERT = frozenset({"postgresql", "sqlite"})


def upsert(
    conn: Connection, table: Table, key: str, rows: list[Row], *, native: bool | None = None
) -> None:
    """Insert ``rows``, replacing rows with the same key; absent columns become NULL.

    ``native`` (default: whether the dialect has ``ON CONFLICT``) chooses between the
    one-statement upsert and delete-then-insert in the same transaction.
    """
    names = [c.name for c in table.columns]
    full = [{n: row.get(n) for n in names} for row in rows]
    converters = _converters(table)
    if converters:
        for row in full:
            for name, convert in converters.items():
                value = row[name]
                if isinstance(value, str):
                    row[name] = convert(value)
    dialect = conn.dialect.name
    if native is None:
        native = dialect in NATIVE_UPSERT
    if native:
        from sqlalchemy.dialects import postgresql, sqlite

        stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        update = {n: stmt.excluded[n] for n in names if n != key}
        stmt = (
            stmt.on_conflict_do_update(index_elements=[key], set_=update)
            if update
            else stmt.on_conflict_do_nothing(index_elements=[key])
        )
        conn.execute(stmt, full)
        return
    keys = [row[key] for row in full]
    for start in range(0, len(keys), 500):
        conn.execute(delete(table).where(table.c[key].in_(keys[start : start + 500])))
    conn.execute(insert(table), full)


def _converters(table: Table) -> dict[str, Callable[[str], Any]]:
    """Text → the Python type of a typed column, for mapped rows written into a regional
    system's own (typed) tables. A value that does not convert is left as text: the
    database then says what is wrong."""
    out: dict[str, Callable[[str], Any]] = {}
    for col in table.columns:
        kind = col.type
        if isinstance(kind, Boolean):
            out[col.name] = _lenient(_boolean)
        elif isinstance(kind, Integer):
            out[col.name] = _lenient(int)
        elif isinstance(kind, Numeric):
            out[col.name] = _lenient(float if kind.asdecimal is False else Decimal)
        elif isinstance(kind, DateTime):
            out[col.name] = _lenient(datetime.fromisoformat)
        elif isinstance(kind, Date):
            out[col.name] = _lenient(date.fromisoformat)
    return out


_TRUE = frozenset({"true", "1", "yes", "y", "是", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "否", "f"})


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError(text)


def _lenient(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def run(text: str) -> Any:
        if not text.strip():
            return None
        try:
            return convert(text.strip())
        except (ValueError, ArithmeticError):
            return text

    return run


def add_columns(conn: Connection, table: Table, new: Mapping[str, TypeEngine[Any]]) -> None:
    """``ALTER TABLE … ADD COLUMN`` for each of ``new`` (name → SQL type), nullable."""
    preparer = conn.dialect.identifier_preparer
    for name, sql_type in new.items():
        # T-SQL and Oracle say ADD, the others ADD COLUMN.
        add = "ADD" if conn.dialect.name in ("mssql", "oracle") else "ADD COLUMN"
        ddl = (
            f"ALTER TABLE {preparer.format_table(table)} {add} {preparer.quote(name)} "
            f"{sql_type.compile(dialect=conn.dialect)}"
        )
        conn.execute(text(ddl))
        table.append_column(Column(name, sql_type))


def existing_columns(conn: Connection, table: str, schema: str | None) -> list[str] | None:
    """The columns of ``table`` as the database has them (``None`` when it does not exist)."""
    inspector = inspect(conn)
    if not inspector.has_table(table, schema=schema):
        return None
    return [c["name"] for c in inspector.get_columns(table, schema=schema)]


def missing_table(db: Database, table: str) -> Exception:
    return db.error(
        Text(
            "{where}：目标表 {table} 不存在；可在配置中设 create_tables = true 自动建表",
            "{where}: the target table {table} does not exist; set create_tables = true to "
            "create it",
        ),
        table=table,
    )


__all__ = [
    "NATIVE_UPSERT",
    "BatchWriter",
    "Row",
    "TableSet",
    "Target",
    "add_columns",
    "existing_columns",
    "missing_table",
    "upsert",
]
