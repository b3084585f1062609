"""Write tables as CSV files or XLSX sheets, neutralising formulas, in constant memory.

Objects arrive one at a time and in any order, but a table needs its header before its
first row, and the header depends on the data (how many list items, which columns kept
under extensions). So each table is spooled to a temporary JSON Lines file while its
columns are collected, and written out on ``close``: memory holds the column names, never
the rows. XLSX is written by xlsxwriter in ``constant_memory`` mode.

Outputs are atomic: files and folders are written under a temporary name beside the
target and renamed on success; limits that would stop a write half-way (a sheet's
1,048,576 rows, an encoding that cannot hold a value) are checked before the first byte
of output is written.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.tabular.cells import (
    is_plain_number,
    neutralise,
)
from volunteer_standard.io.atomic import AtomicFile, AtomicFolder, SpoolDir
from volunteer_standard.models import Entity
from volunteer_standard.text import Text

XLSX_MAX_ROWS = 1_048_576
#: First characters with which :func:`neutralise` may change a text (an apostrophe, or
#: one a spreadsheet reads as the start of a formula).
_RISKY_FIRST = frozenset("'=+-@\t\r")
CellOut = str | int | float | bool


def csv_text(value: Any, numeric: bool) -> str:
    """A value as CSV text; text that could run as a formula is neutralised."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float (-0.0 too)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if numeric and is_plain_number(text):
        return text
    return neutralise(text)


class CsvTable:
    """One CSV file: a header, then rows; ``encoding`` defaults to UTF-8 with a BOM (Excel)."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        *,
        encoding: str = "utf-8-sig",
        delimiter: str = ",",
        numeric: frozenset[str] = frozenset(),
    ) -> None:
        self._atomic = AtomicFile(path, text=True, encoding=encoding, newline="")
        self._file = self._atomic.handle
        self._writer = csv.writer(self._file, delimiter=delimiter)
        self._header = list(header)
        self._numeric = [c in numeric for c in self._header]
        self._columns = list(zip(self._header, self._numeric, strict=True))
        self._writer.writerow([neutralise(h) for h in self._header])

    def write(self, row: dict[str, Any]) -> None:
        # Text is most cells: taken as it is unless its first character could start a
        # formula (the only case where csv_text changes it); anything else goes through
        # csv_text. Same cells as csv_text on every value, at a fraction of the calls.
        self._writer.writerow(
            [
                ""
                if (v := row.get(c)) is None
                else v
                if v.__class__ is str and not num and (not v or v[0] not in _RISKY_FIRST)
                else csv_text(v, num)
                for c, num in self._columns
            ]
        )

    def close(self) -> None:
        """Complete the file (renamed into place)."""
        self._atomic.commit()

    def abort(self) -> None:
        self._atomic.discard()


def _lossless(value: float) -> bool:
    """Whether xlsxwriter's 16-digit number output gives ``value`` back exactly."""
    return float(f"{value:.16g}") == value


class XlsxBook:
    """A workbook written sheet by sheet, row by row (xlsxwriter ``constant_memory``)."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        self._atomic = AtomicFile(path, by_name=True)  # xlsxwriter writes the temporary
        self.book = xlsxwriter.Workbook(
            str(self._atomic.temp),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        self.bold = self.book.add_format({"bold": True})
        self.hours = self.book.add_format({"num_format": "0.00"})

    def sheet(
        self,
        name: str,
        header: Sequence[str],
        *,
        numeric: frozenset[str] = frozenset(),
        hours: frozenset[str] = frozenset(),
    ) -> XlsxSheet:
        sheet = self.book.add_worksheet(name[:31])
        sheet.freeze_panes(1, 0)
        for col, title in enumerate(header):
            sheet.write_string(0, col, neutralise(title), self.bold)
            sheet.set_column(col, col, max(10, min(40, len(title.encode("gbk", "replace")) + 2)))
        return XlsxSheet(self, sheet, list(header), numeric, hours)

    def close(self) -> None:
        """Complete the workbook (renamed into place)."""
        self.book.close()
        self._atomic.commit()

    def abort(self) -> None:
        self._atomic.discard()


@dataclass
class XlsxSheet:
    book: XlsxBook
    sheet: Any
    header: list[str]
    numeric: frozenset[str]
    hours: frozenset[str]
    row: int = 1

    def write(self, values: dict[str, Any]) -> None:
        if self.row >= XLSX_MAX_ROWS:
            raise ConnectorError(
                f"sheet {self.sheet.name!r} is full ({XLSX_MAX_ROWS:,} rows); write CSV instead"
            )
        for col, name in enumerate(self.header):
            value = values.get(name)
            if value is None or value == "":
                continue
            self._cell(self.row, col, name, value)
        self.row += 1

    def _cell(self, row: int, col: int, name: str, value: Any) -> None:
        sheet = self.sheet
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float):
            if isinstance(value, float) and not _lossless(value):
                sheet.write_string(row, col, repr(value))
            else:
                sheet.write_number(row, col, value)
        elif name in self.numeric and is_plain_number(str(value)):
            fmt = self.book.hours if name in self.hours else None
            sheet.write_number(row, col, float(value) if "." in str(value) else int(value), fmt)
        else:
            sheet.write_string(row, col, neutralise(str(value)))


#: Codecs that encode every string except one holding a lone surrogate, which the spool's
#: ``orjson.dumps`` refuses as well: their rows need no check of their own.
_ALL_OF_UNICODE = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)


def _codec(encoding: str) -> codecs.CodecInfo | None:
    try:
        return codecs.lookup(encoding)
    except LookupError:
        raise ConnectorError(
            Text("未知的编码：{encoding}", "unknown encoding: {encoding}").format(encoding=encoding)
        ) from None


def _check_encodable(
    codec: codecs.CodecInfo | None, encoding: str, table: str, row: int, values: dict[str, Any]
) -> None:
    """Refuse, before anything is written, a value the output encoding cannot hold; the
    message names the table, row and column, never the value (it may be personal)."""
    if codec is None:
        return
    text = [v for v in values.values() if isinstance(v, str) and not v.isascii()]
    if not text:
        return
    try:
        # Encoders fail on characters, not on their neighbours: when the row's text
        # encodes as a whole, every value does; otherwise find the column to name.
        codec.encode("".join(text))
        return
    except UnicodeEncodeError:
        pass
    for column, value in values.items():
        if isinstance(value, str) and not value.isascii():
            try:
                codec.encode(value)
            except UnicodeEncodeError:
                raise ConnectorError(
                    Text(
                        "表 {table} 第 {row} 行“{column}”列的值无法用 {encoding} 编码保存；"
                        "未写出任何内容，请改用 UTF-8 或 GB18030",
                        "table {table}, row {row}, column {column!r}: the value cannot be "
                        "written in {encoding}; nothing was written (use UTF-8 or GB18030)",
                    ).format(table=table, row=row, column=column, encoding=encoding)
                ) from None


# -- spooling ------------------------------------------------------------------------------


class Layout(Protocol):
    """How objects become rows: the flat layout or a mapping."""

    def table_of(self, obj: Entity) -> str:
        """Key of the table ``obj`` goes to (raises ConnectorError if it has none)."""

    def row_of(self, obj: Entity) -> dict[str, CellOut]:
        """The row's cells by column name."""

    def tables(self, seen: Sequence[str]) -> list[str]:
        """Tables to write, in order (``seen``: tables that received rows)."""

    def header(self, table: str, seen_columns: Sequence[str]) -> list[str]:
        """The header of ``table`` given the columns its rows used."""

    def file_name(self, table: str) -> str:
        """File name in a folder target (``.csv`` or ``.xlsx``)."""

    def sheet_name(self, table: str) -> str:
        """Sheet name in a workbook."""

    def numeric(self, table: str) -> frozenset[str]:
        """Columns whose plain numbers are written unquoted (and as numbers in XLSX)."""

    def hours(self, table: str) -> frozenset[str]:
        """Numeric columns holding hours (shown with 2 decimals in XLSX)."""


@dataclass
class _Spool:
    file: IO[bytes]
    columns: dict[str, None] = field(default_factory=dict)
    count: int = 0


class TableWriter:
    """The connector's ``RecordWriter``: spools rows per table, writes files on close."""

    def __init__(
        self, target: str, layout: Layout, *, fmt: str, encoding: str, delimiter: str
    ) -> None:
        self.target = Path(target)
        self.layout = layout
        self.fmt = fmt
        self.encoding = encoding
        self.delimiter = delimiter
        self._dir = SpoolDir("vstd-tabular-")
        self._spools: dict[str, _Spool] = {}
        self._closed = False
        self._codec = _codec(encoding) if fmt == "csv" else None

    def write(self, obj: Entity) -> None:
        table = self.layout.table_of(obj)
        spool = self._spools.get(table)
        if spool is None:
            if self.fmt == "csv" and self.target.suffix.lower() == ".csv" and self._spools:
                raise ConnectorError(
                    f"{self.target}: one CSV file holds one table; got {table!r} after "
                    f"{next(iter(self._spools))!r} (write to a folder or an .xlsx file)"
                )
            path = Path(self._dir.name) / f"{len(self._spools)}.jsonl"
            spool = self._spools[table] = _Spool(path.open("w+b"))
        row = self.layout.row_of(obj)
        if self._codec is not None and self._codec.name not in _ALL_OF_UNICODE:
            _check_encodable(self._codec, self.encoding, table, spool.count + 2, row)
        try:
            line = orjson.dumps(row)
        except TypeError:
            # A lone surrogate (the only text UTF-8/16/32 cannot hold): name its column.
            if self._codec is not None:
                _check_encodable(self._codec, self.encoding, table, spool.count + 2, row)
            raise
        spool.columns.update(dict.fromkeys(row))
        spool.file.write(line + b"\n")
        spool.count += 1

    def _rows(self, table: str) -> Iterator[dict[str, Any]]:
        spool = self._spools.get(table)
        if spool is None:
            return
        spool.file.flush()
        spool.file.seek(0)
        for line in spool.file:
            yield orjson.loads(line)

    def close(self) -> None:
        """Write the files from the spool, atomically; check limits before writing."""
        if self._closed:
            return
        self._closed = True
        try:
            tables = self.layout.tables(list(self._spools))
            self._check_sheet_rows(tables)
            if self.fmt == "xlsx":
                self._write_book(self.target, tables)
            elif self.target.suffix.lower() == ".csv":
                if tables:
                    self._write_csv(self.target, tables[0])
            else:
                self._write_folder(tables)
        finally:
            self._drop_spool()

    def abort(self) -> None:
        """Drop everything: no output is written, the spool is removed."""
        self._closed = True
        self._drop_spool()

    def _drop_spool(self) -> None:
        for spool in self._spools.values():
            spool.file.close()
        self._dir.cleanup()

    def _check_sheet_rows(self, tables: Sequence[str]) -> None:
        """A sheet holds 1,048,576 rows (header included): refuse before writing any."""
        xlsx_tables = (
            tables
            if self.fmt == "xlsx"
            else [t for t in tables if self.layout.file_name(t).lower().endswith(".xlsx")]
        )
        for table in xlsx_tables:
            spool = self._spools.get(table)
            if spool is not None and spool.count + 1 > XLSX_MAX_ROWS:
                raise ConnectorError(
                    Text(
                        "工作表 {sheet} 需要 {rows:,} 行，超过 XLSX 上限 {limit:,} 行；"
                        "未写出任何内容，请改为输出 CSV",
                        "sheet {sheet!r} needs {rows:,} rows, more than the XLSX limit of "
                        "{limit:,}; nothing was written (write CSV instead)",
                    ).format(
                        sheet=self.layout.sheet_name(table),
                        rows=spool.count + 1,
                        limit=XLSX_MAX_ROWS,
                    )
                )

    def _write_folder(self, tables: Sequence[str]) -> None:
        folder = AtomicFolder(self.target)
        try:
            books: dict[str, list[str]] = {}
            for table in tables:
                name = self.layout.file_name(table)
                if name.lower().endswith(".xlsx"):
                    books.setdefault(name, []).append(table)
                else:
                    self._write_csv(folder.path / name, table)
            for name, group in books.items():
                self._write_book(folder.path / name, group)
            folder.commit()
        except BaseException:
            folder.discard()
            raise

    def _header(self, table: str) -> list[str]:
        spool = self._spools.get(table)
        return self.layout.header(table, list(spool.columns) if spool else [])

    def _write_csv(self, path: Path, table: str) -> None:
        try:
            out = CsvTable(
                path,
                self._header(table),
                encoding=self.encoding,
                delimiter=self.delimiter,
                numeric=self.layout.numeric(table),
            )
        except OSError as exc:
            raise ConnectorError(f"{path}: cannot write: {exc.strerror or exc}") from None
        except LookupError as exc:
            raise ConnectorError(f"unknown encoding: {exc}") from None
        try:
            for row in self._rows(table):
                out.write(row)
        except BaseException:
            out.abort()
            raise
        out.close()

    def _write_book(self, path: Path, tables: Sequence[str]) -> None:
        book = XlsxBook(path)
        try:
            for table in tables:
                sheet = book.sheet(
                    self.layout.sheet_name(table),
                    self._header(table),
                    numeric=self.layout.numeric(table),
                    hours=self.layout.hours(table),
                )
                for row in self._rows(table):
                    sheet.write(row)
        except BaseException:
            book.abort()
            raise
        try:
            book.close()
        except Exception as exc:  # xlsxwriter raises its own FileCreateError
            book.abort()
            raise ConnectorError(f"{path}: cannot write: {type(exc).__name__}") from None
