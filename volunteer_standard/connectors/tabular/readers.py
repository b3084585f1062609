"""Read CSV files and XLSX sheets row by row, with 1-based row numbers (header = row 1).

CSV is streamed: bytes are decoded one line at a time (see ``encoding``) and fed to
``csv.reader``, so memory does not grow with the file. XLSX sheets are streamed too
(``io.xlsx``: the sheet's XML inflated a chunk at a time, shared strings kept compactly),
with the values python-calamine would give.

A row that cannot be read (bytes invalid in the encoding, a broken quoted field) is still
yielded, with a message in ``problems``, so that it lands in the reject file with its row
number instead of stopping the run or disappearing.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, restore
from volunteer_standard.connectors.tabular.encoding import (
    SNIFF_BYTES,
    EncodingError,
    LineDecoder,
    normalise_encoding,
    sniff_encoding,
)
from volunteer_standard.io.limits import LimitExceeded, limits
from volunteer_standard.io.xlsx import XlsxBook, XlsxError
from volunteer_standard.text import Text

_DELIMITERS = (",", "\t", ";", "|")


@dataclass(slots=True)
class RowProblem:
    """Why a row could not be read: a code (TAB100 bytes, TAB120 CSV syntax) and words."""

    code: str
    text: Text


def _bad_bytes(message: str) -> RowProblem:
    return RowProblem("TAB100", Text(f"编码错误：{message}", message))


def _bad_csv(zh: str, en: str) -> RowProblem:
    return RowProblem(
        "TAB120", Text(f"该行无法按 CSV 解析：{zh}", f"the row cannot be parsed as CSV: {en}")
    )


@dataclass(slots=True)
class Row:
    """One row as read: its number in the file or sheet, its cells, what went wrong."""

    number: int
    cells: list[Cell]
    problems: list[RowProblem] = field(default_factory=list)

    def is_blank(self) -> bool:
        try:
            return not "".join(self.cells).strip()  # type: ignore[arg-type]
        except TypeError:  # XLSX numbers or dates: not blank
            return False


@dataclass(slots=True)
class Table:
    """A header and the data rows under it; ``label`` names the file (and sheet)."""

    label: str
    header: list[str]
    rows: Iterator[Row]


def guess_delimiter(first_line: str) -> str:
    """The most frequent of ``,`` tab ``;`` ``|`` in the header line (``,`` on a tie)."""
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(path: Path, encoding: str, delimiter: str | None) -> Iterator[Row]:
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ConnectorError(f"{path}: cannot open: {exc.strerror or exc}") from None
    with stream:
        if encoding == "auto":
            try:
                chosen = sniff_encoding(stream.read(SNIFF_BYTES))
            except EncodingError as exc:
                raise ConnectorError(f"{path}: {exc}") from None
            stream.seek(0)
        else:
            chosen = normalise_encoding(encoding)
        if chosen == "utf-16":
            yield from _utf16_rows(path, delimiter)
            return
        decoder = LineDecoder(stream, chosen, [])
        lines = iter(decoder)
        first = next(lines, None)
        if first is None:
            return
        yield from _split_rows(
            itertools.chain([first], lines),
            delimiter or guess_delimiter(first),
            decoder.take_errors,
            limits().max_field_lines,
        )


class _Tracked:
    """An iterator of lines that remembers the lines the CSV parser took for a row."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.taken: list[str] = []

    def __iter__(self) -> _Tracked:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line

    def take(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken


def _looks_like_rows(lines: list[str], delimiter: str, columns: int) -> bool:
    """Whether continuation lines of a quoted field look like rows of their own (they hold
    as many delimiters as a row has): a stray quote, not a cell with line breaks."""
    return columns > 1 and any(line.count(delimiter) >= columns - 1 for line in lines)


def _split_rows(
    lines: Iterator[str], delimiter: str, errors: Callable[[], list[str]], max_lines: int
) -> Iterator[Row]:
    """Parse CSV rows, checking each row's physical lines against the row count.

    A quoted field that runs over more than ``max_lines`` lines, or whose continuation
    lines look like rows, is a stray quote: the row where it started is reported (and
    rejected) and the lines it swallowed are parsed again as the rows they are.
    """
    tracked = _Tracked(lines)
    reader = csv.reader(tracked, delimiter=delimiter)
    number = 0
    columns = 0
    while True:
        try:
            cells: list[str] = next(reader)
            problems: list[RowProblem] = []
        except StopIteration:
            return
        except csv.Error as exc:
            cells, problems = [], [_bad_csv(str(exc), str(exc))]
        taken = tracked.take()
        number += 1
        if number == 1:
            columns = len(cells)
        if len(taken) > 1 and (
            len(taken) > max_lines or _looks_like_rows(taken[1:], delimiter, columns)
        ):
            problems.append(
                _bad_csv(
                    f"第 {number} 行开始的带引号字段跨越了 {len(taken)} 行（多了一个引号？），"
                    "其后各行按各自的行读取",
                    f"a quoted field starting in row {number} runs over {len(taken)} lines "
                    "(a stray quote?); the following lines are read as rows of their own",
                )
            )
            problems.extend(_bad_bytes(e) for e in errors())
            yield Row(number, [], problems)
            for line in taken[1:]:
                number += 1
                yield _single_line_row(line, delimiter, number)
            continue
        problems.extend(_bad_bytes(e) for e in errors())
        yield Row(number, [restore(c) if c[:1] == "'" else c for c in cells], problems)


def _single_line_row(line: str, delimiter: str, number: int) -> Row:
    """One physical line parsed on its own (after a stray quote was found above it)."""
    try:
        cells = next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error as exc:
        return Row(number, [], [_bad_csv(str(exc), str(exc))])
    return Row(number, [restore(c) if c[:1] == "'" else c for c in cells])


def _utf16_rows(path: Path, delimiter: str | None) -> Iterator[Row]:
    """UTF-16 ("Unicode text" from Excel, tab-separated): decoded by a text stream."""
    with path.open(encoding="utf-16", newline="") as text:
        try:
            first = text.readline()
            if not first:
                return
            reader = csv.reader(
                itertools.chain([first], text), delimiter=delimiter or guess_delimiter(first)
            )
            for number, cells in enumerate(reader, start=1):
                yield Row(number, [restore(c) for c in cells])
        except UnicodeDecodeError as exc:
            raise ConnectorError(f"{path}: not valid UTF-16: {exc}") from None


def read_csv(
    path: str | Path, *, encoding: str = "auto", delimiter: str | None = None, header_row: int = 1
) -> Table:
    """Open a CSV file: its header (row ``header_row``) and an iterator of data rows."""
    rows = _csv_rows(Path(path), encoding, delimiter)
    return _with_header(str(path), rows, header_row)


def _with_header(label: str, rows: Iterator[Row], header_row: int) -> Table:
    header: list[str] | None = None
    for row in rows:
        if row.number < header_row:
            continue
        if row.problems:
            raise ConnectorError(
                Text(f"{label}：无法读取表头行：", f"{label}: the header row cannot be read: ")
                + row.problems[0].text
            )
        header = [cell_text(c).strip() for c in row.cells]
        break
    if header is None:
        raise ConnectorError(f"{label}: no header row (the file or sheet is empty)")
    while header and not header[-1]:
        header.pop()
    return Table(label, header, rows)


def _open_book(path: str | Path) -> XlsxBook:
    """Open a workbook, refusing it beyond the limits before anything is allocated."""
    try:
        return XlsxBook(path, apostrophe=restore)
    except (LimitExceeded, XlsxError) as exc:
        raise ConnectorError(exc.text) from None


def sheet_names(path: str | Path) -> list[tuple[str, bool]]:
    """The sheets of a workbook with whether each is visible."""
    with _open_book(path) as book:
        return [(sheet.name, sheet.visible) for sheet in book.sheets]


def _sheet_rows(path: Path, sheet: str) -> Iterator[Row]:
    book = _open_book(path)
    try:
        names = [s.name for s in book.sheets]
        if sheet not in names:
            raise ConnectorError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
        # Rows start at row 1, so index + 1 is Excel's row number.
        for index, cells in enumerate(book.rows(sheet)):
            yield Row(index + 1, cells)
    except (LimitExceeded, XlsxError) as exc:
        raise ConnectorError(exc.text) from None
    finally:
        book.close()


def read_sheet(path: str | Path, sheet: str, *, header_row: int = 1) -> Table:
    """Open one sheet of a workbook: its header and an iterator of data rows."""
    return _with_header(f"{path}#{sheet}", _sheet_rows(Path(path), sheet), header_row)
