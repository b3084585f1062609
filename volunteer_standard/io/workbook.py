"""Check a workbook (XLSX, a zip of XML) against the limits before any reader opens it.

A 1.7 KB workbook whose only cell is at XFD1048576 made the XLSX reader allocate 512 GB;
a 5 MB zip bomb took 1.8 GB. Before a workbook is handed to the reader, this module
reads the zip directory (sizes and compression ratios) and streams each sheet's XML once
to find the last row and column actually used (``<dimension>`` can lie), in constant
memory, and refuses the file with a clear error when a limit is exceeded.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from volunteer_standard.io.limits import LimitExceeded, Limits, limits
from volunteer_standard.text import Text

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class SheetExtent:
    """The last row and column used by one sheet part."""

    part: str
    rows: int
    columns: int


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for ch in text:
        number = number * 26 + (ord(ch) - 64)
    return number


def _fail(path: Path, message: Text) -> LimitExceeded:
    return LimitExceeded(Text(f"{path}：", f"{path}: ") + message)


def check_zip(path: Path, bounds: Limits) -> zipfile.ZipFile:
    """Open the workbook's zip and check its decompressed size and ratio (no inflating)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(
            path,
            Text(
                "无法打开工作簿：不是有效的 XLSX 文件（{kind}）",
                "cannot open the workbook: not a valid XLSX file ({kind})",
            ).format(kind=type(exc).__name__),
        ) from None
    total = sum(info.file_size for info in book.infolist())
    packed = max(sum(info.compress_size for info in book.infolist()), 1)
    if total > bounds.max_unzipped_bytes or total / packed > bounds.max_zip_ratio:
        book.close()
        raise _fail(
            path,
            Text(
                "解压后有 {total:,} 字节（压缩比 {ratio:.0f}:1），超过限制（{limit:,} 字节，"
                "{max_ratio}:1）；疑似压缩炸弹，未读取",
                "it unpacks to {total:,} bytes (ratio {ratio:.0f}:1), beyond the limits "
                "({limit:,} bytes, {max_ratio}:1); a zip bomb? nothing was read",
            ).format(
                total=total,
                ratio=total / packed,
                limit=bounds.max_unzipped_bytes,
                max_ratio=bounds.max_zip_ratio,
            ),
        )
    return book


def sheet_extent(book: zipfile.ZipFile, part: str) -> SheetExtent:
    """Stream one sheet's XML and return the last row and column it uses."""
    rows = columns = 0
    tail = b""
    with book.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            for match in _CELL_REF.finditer(data):
                columns = max(columns, column_number(match.group(1)))
                rows = max(rows, int(match.group(2)))
            for match in _ROW_REF.finditer(data):
                rows = max(rows, int(match.group(1)))
            tail = data[-256:]
    return SheetExtent(part, rows, columns)


def check_workbook(path: str | Path, bounds: Limits | None = None) -> list[SheetExtent]:
    """Refuse a workbook beyond the limits (zip size and ratio, rows, columns, cells)
    before a reader allocates anything for it; the extents of its sheets otherwise."""
    file = Path(path)
    chosen = bounds or limits()
    book = check_zip(file, chosen)
    extents: list[SheetExtent] = []
    try:
        for info in book.infolist():
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            extent = sheet_extent(book, name)
            extents.append(extent)
            cells = extent.rows * extent.columns
            if (
                extent.rows > chosen.max_sheet_rows
                or extent.columns > chosen.max_sheet_columns
                or cells > chosen.max_sheet_cells
            ):
                raise _fail(
                    file,
                    Text(
                        "工作表 {part} 用到 {rows:,} 行 × {columns:,} 列（{cells:,} 个单元格），"
                        "超过限制（{max_cells:,} 个单元格）；未读取",
                        "sheet {part} reaches {rows:,} rows × {columns:,} columns ({cells:,} "
                        "cells), beyond the limit of {max_cells:,} cells; nothing was read",
                    ).format(
                        part=name,
                        rows=extent.rows,
                        columns=extent.columns,
                        cells=cells,
                        max_cells=chosen.max_sheet_cells,
                    ),
                )
    finally:
        book.close()
    return extents


__all__ = ["SheetExtent", "check_workbook", "check_zip", "column_number", "sheet_extent"]
