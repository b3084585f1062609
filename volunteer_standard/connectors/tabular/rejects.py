"""Rejected rows in the source's own layout, for a steward to fix in Excel and import again.

``vstd convert … --rejects rejects.xlsx`` (or ``.csv``) writes each rejected row once,
with the source's columns and header, plus three columns: the original row number, the
original file, and the reasons in Chinese or English. Fix the cells, convert the file again
with the same mapping: the added columns are recognised (never kept as data), and the
original row number and file stand in for ``{_row}`` and ``{_file}`` in id templates, so
the fixed rows get the ids they would have had and nothing is duplicated.

A row that gave several records (a ledger row) is written once, with all its reasons.
Rows are spooled to a temporary file while the header is collected; the output is written
under a temporary name in the target folder and renamed on :meth:`commit`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Any

import orjson

from volunteer_standard.connectors.base import SourceRecord
from volunteer_standard.connectors.tabular.rows import FILE_COLUMNS, REASON_COLUMNS, ROW_COLUMNS
from volunteer_standard.connectors.tabular.writers import CsvTable, XlsxBook
from volunteer_standard.io.rejects import RejectEntry
from volunteer_standard.text import Lang

_ADDED = {
    "zh": (ROW_COLUMNS[0], FILE_COLUMNS[0], REASON_COLUMNS[0]),
    "en": (ROW_COLUMNS[1], FILE_COLUMNS[1], REASON_COLUMNS[1]),
}
_SEPARATOR = {"zh": "；", "en": "; "}
_SHEET = {"zh": "退回记录", "en": "rejects"}


class SourceLayoutRejects:
    """A reject file (``.csv`` or ``.xlsx``) in the layout of the rows read."""

    def __init__(self, path: Path, *, lang: Lang) -> None:
        self.path = Path(path)
        self.lang: Lang = lang
        self.xlsx = self.path.suffix.lower() == ".xlsx"
        self.columns: list[str] = []
        self.rows = 0
        self._spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by commit/abort
        self._pending: dict[str, Any] | None = None
        self._pending_at: tuple[str, int | None] | None = None
        self._temp: Path | None = None

    def write(self, record: SourceRecord, reasons: list[str]) -> None:
        """Add a rejected record; records of the same row come out as one row."""
        at = (record.location.file, record.location.line)
        if self._pending is not None and at == self._pending_at:
            known = self._pending["reasons"]
            known.extend(r for r in reasons if r not in known)
            return
        self._flush()
        raw = {k: v for k, v in (record.raw or {}).items() if k not in _ALL_ADDED}
        self._learn(list(raw))
        cells = record.raw or {}
        row = _first(cells, ROW_COLUMNS) or record.location.line
        file = _first(cells, FILE_COLUMNS) or Path(record.location.file.split("#", 1)[0]).name
        self._pending = {"raw": raw, "row": row, "file": file, "reasons": list(reasons)}
        self._pending_at = at

    def _learn(self, names: list[str]) -> None:
        """Merge a row's columns into the header, keeping the source's order.

        Rows list only their non-empty cells: a new column goes right after the nearest
        column before it in that row, which rebuilds the source header's order.
        """
        for index, name in enumerate(names):
            if name in self.columns:
                continue
            before = next((n for n in reversed(names[:index]) if n in self.columns), None)
            at = self.columns.index(before) + 1 if before is not None else 0
            self.columns.insert(at, name)

    def _flush(self) -> None:
        if self._pending is None:
            return
        self._spool.write(orjson.dumps(self._pending) + b"\n")
        self.rows += 1
        self._pending = None
        self._pending_at = None

    def commit(self) -> None:
        """Write the file under a temporary name in its folder, then rename it into place."""
        self._flush()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.path.stem}.", suffix=self.path.suffix, dir=self.path.parent
        )
        os.close(fd)
        self._temp = Path(name)
        try:
            self._write(self._temp)
            os.replace(self._temp, self.path)
        except BaseException:
            self.abort()
            raise
        self._temp = None
        self._spool.close()

    def abort(self) -> None:
        """Drop everything: the spool and any temporary output."""
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._temp.unlink()
            self._temp = None
        self._spool.close()

    def _write(self, path: Path) -> None:
        row_col, file_col, reason_col = _ADDED[self.lang]
        header = [*self.columns, row_col, file_col, reason_col]
        separator = _SEPARATOR[self.lang]
        if self.xlsx:
            book = XlsxBook(path)
            table: Any = book.sheet(_SHEET[self.lang], header)
        else:
            book = None
            table = CsvTable(path, header)
        self._spool.seek(0)
        for line in self._spool:
            item = orjson.loads(line)
            row = dict(item["raw"])
            row[row_col] = item["row"]
            row[file_col] = item["file"]
            row[reason_col] = separator.join(item["reasons"])
            table.write(row)
        if book is not None:
            book.close()
        else:
            table.close()


_ALL_ADDED = frozenset((*ROW_COLUMNS, *FILE_COLUMNS, *REASON_COLUMNS))


def _first(cells: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((cells[n] for n in names if cells.get(n) not in (None, "")), None)


__all__ = ["SourceLayoutRejects"]


class _EntrySink:
    """:class:`SourceLayoutRejects` behind the engine's reject-sink protocol
    (``volunteer_standard.io.rejects``): ``.csv``/``.xlsx`` reject paths come here."""

    def __init__(self, path: Path, lang: Lang) -> None:
        self._rejects = SourceLayoutRejects(path, lang=lang)
        self._lang: Lang = lang
        self.count = 0

    def write(self, entry: RejectEntry) -> None:
        record = SourceRecord(entry.record, entry.location, entry.raw)
        self._rejects.write(record, [reason.get(self._lang) for reason in entry.reasons])
        self.count += 1

    def close(self) -> None:
        self._rejects.commit()

    def abort(self) -> None:
        self._rejects.abort()


def open_reject_sink(path: Path, lang: Lang = "en") -> _EntrySink:
    """The engine's factory for ``.csv`` and ``.xlsx`` reject paths."""
    return _EntrySink(Path(path), lang)
