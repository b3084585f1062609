"""Index rows collected in a worker process, for the main process's SQLite index.

Why: cross-record rules need every record's rows in one index, and a SQLite connection
cannot be shared between processes. A worker fills a :class:`RowCollector` (the same
``tables``/``add``/``hash_id`` surface as :class:`DatasetIndex`, so the rule engine's
filler runs unchanged), returns the rows with its batch's result, and the main process
appends them in input order (the batch numbers its records as the whole run does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from volunteer_standard.validation.rules.index import BATCH, DatasetIndex, hash_id

Row = tuple[Any, ...]


class RowTable:
    """Rows of one table, kept in order (``flush`` is a no-op: nothing is written here)."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        """Nothing to write: the rows travel to the main process with the batch."""


class RowCollector:
    """Stands in for :class:`DatasetIndex` while one batch is checked."""

    def __init__(self, tables: Iterable[str], salt: bytes) -> None:
        self.salt = salt
        self.tables: dict[str, RowTable] = {}
        for name in ("ent", "bad", *tables):
            self.tables.setdefault(name, RowTable())
        #: Latest service day (YYYYMMDD) seen, as :attr:`DatasetIndex.max_day`.
        self.max_day = 0

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        """The main index's hash (same salt), so duplicates match across batches."""
        return hash_id(self.salt, text)

    def rows(self) -> dict[str, list[Row]]:
        """The non-empty tables' rows."""
        return {name: table.rows for name, table in self.tables.items() if table.rows}

    def close(self) -> None:
        """Nothing to release (the rule engine closes its index)."""


def append_rows(index: DatasetIndex, rows: dict[str, list[Row]]) -> None:
    """Append a batch's rows to the main index (after the rows of the records before)."""
    for name, batch in rows.items():
        table = index.tables[name]
        table.rows.extend(batch)
        if len(table.rows) >= BATCH:
            table.flush()
