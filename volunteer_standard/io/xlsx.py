"""Stream the rows of an XLSX sheet in constant memory, with the values calamine gives.

python-calamine loads a whole sheet (every cell, natively) before the first row comes out,
so memory grew with the sheet (238 MiB at 100,000 rows). This reader inflates the sheet's
XML from the zip 256 KiB at a time and cuts it into rows and cells with compiled regular
expressions (the C regex engine does the scanning; Python touches each cell once), so
memory does not depend on the number of rows.

The values are those of python-calamine, which the tests check on generated workbooks:
numbers are floats; a number whose style has a date or time format becomes a ``date``
(whole days), ``datetime``, ``time`` (below one day) or ``timedelta`` (``[h]:mm`` formats);
booleans; shared, inline and rich-text strings (phonetic runs left out, ``_xHHHH_``
escapes undone, text trimmed unless ``xml:space="preserve"``); formula results; errors
and empty cells are ``""``. Rows start at row 1 (leading empty rows are empty lists of
``""``), columns at the first column holding a value, and every row is as wide as the
sheet's used range.

Shared strings (every text cell of a sheet saved by Excel) can be as large as the sheet.
A small table is a list; beyond ``SPILL_BYTES`` of XML it is kept in blocks of 64 strings,
UTF-8 joined by NUL (a character XML cannot hold), in an anonymous temporary file, and
read back one block at a time through a small cache (cells refer to strings mostly in
order of first use, so the cache rarely misses).

Before a row is read, the sheet is scanned once (regex only) for its used columns and its
extent, and refused when beyond the limits (``io.limits``).
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import tempfile
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Final

from volunteer_standard.errors import VstdError
from volunteer_standard.io.limits import LimitExceeded, Limits, limits
from volunteer_standard.io.workbook import check_zip, column_number
from volunteer_standard.text import Text

#: A cell as read: text, a float, a boolean, or a date/time value.
XlsxCell = str | float | bool | date | datetime | time | timedelta

#: Shared-strings XML above this size is kept in a temporary file, not in memory.
SPILL_BYTES: Final = 8 << 20

_CHUNK = 256 << 10
_BLOCK = 64
_CACHE_BLOCKS = 64
_DATE_CACHE = 65_536
_MS_PER_DAY = 86_400_000
_EPOCH = datetime(1899, 12, 30)
_DAYS_1904 = 1462

_OTHER, _DATETIME, _DURATION = 0, 1, 2
_TEXTUAL = frozenset({b"s", b"str", b"inlineStr", b"e"})

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")
_PREFIX = re.compile(rb"<(?:(\w+):)?worksheet\b")
_WS = b" \t\r\n"


class XlsxError(VstdError):
    """The workbook cannot be read (not a valid XLSX, a missing part, a broken sheet)."""


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A sheet of the workbook: its name, zip part and state (visible, hidden, veryHidden)."""

    name: str
    part: str
    state: str

    @property
    def visible(self) -> bool:
        return self.state not in ("hidden", "veryHidden")


@dataclass(frozen=True, slots=True)
class UsedRange:
    """Where a sheet's values are: first and last column (1-based, 0 when none), and the
    extent any cell reaches (for the limits)."""

    first_column: int
    last_column: int
    rows: int
    columns: int


def _fail(path: Path, zh: str, en: str) -> XlsxError:
    return XlsxError(Text(f"{path}：{zh}", f"{path}: {en}"))


def _entity(match: re.Match[str]) -> str:
    hex_code, dec_code, name = match.groups()
    if name:
        return _NAMED[name]
    try:
        return chr(int(hex_code, 16) if hex_code else int(dec_code))
    except (ValueError, OverflowError):
        return match.group(0)


def _unescape_xml(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _unescape_excel(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes of characters XML cannot carry (``_x000D_``)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _attrs(raw: bytes) -> dict[str, str]:
    """Attributes of one start tag, names without their namespace prefix."""
    found: dict[str, str] = {}
    for name, double, single in _ATTR.findall(raw):
        key = name.decode("utf-8", "replace").rsplit(":", 1)[-1]
        value = (double if double or not single else single).decode("utf-8", "replace")
        found.setdefault(key, _unescape_xml(value))
    return found


class _Patterns:
    """The regular expressions of one namespace prefix (``x:`` in some generated files)."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix + b":") if prefix else b""
        tag = prefix + b":" if prefix else b""
        self.row = re.compile(rb"<" + p + rb"row\b([^>]*?)(?:/>|>(.*?)</" + p + rb"row>)", re.S)
        self.row_end = b"</" + (prefix + b":" if prefix else b"") + b"row>"
        self.row_number = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d+)["']""")
        self.row_open = b"<" + tag + b"row"
        self.cell_open = b"<" + tag + b"c"
        # Cells as Excel and most writers put them (r, s, t in that order, a plain <v>, or
        # an inline string of one plain <t>: its text is the last group); a row with any
        # other cell is read with the general expression below.
        plain_value = rb"><" + p + rb"v>([^<]*)</" + p + rb"v></" + p + rb"c>"
        plain_text = rb"><" + p + rb"is><" + p + rb"t>([^<]*)</" + p + rb"t></" + p
        self.fast_cell = re.compile(
            rb"<" + p + rb'c(?: r="([A-Z]{1,3})\d+")?(?: s="(\d+)")?(?: t="(\w+)")?'
            rb"(?:/>|" + plain_value + rb"|" + plain_text + rb"is></" + p + rb"c>)"
        )
        self.cell = re.compile(
            rb"<" + p + rb"c(?=[\s/>])"
            rb"""(?:(?=[^>]*?\sr\s*=\s*["']([A-Z]{1,3})\d*["']))?"""
            rb"""(?:(?=[^>]*?\ss\s*=\s*["'](\d+)["']))?"""
            rb"""(?:(?=[^>]*?\st\s*=\s*["'](\w+)["']))?"""
            rb"[^>]*?(?:/>|>(?:<" + p + rb"v>([^<]*)</" + p + rb"v>|(.*?))</" + p + rb"c>)",
            re.S,
        )
        self.value = re.compile(rb"<" + p + rb"v(?:\s[^>]*)?>([^<]*)</" + p + rb"v>")
        self.inline = re.compile(rb"<" + p + rb"is\b[^>]*>(.*?)</" + p + rb"is>", re.S)
        self.t_only = re.compile(rb"<" + p + rb"t(\s[^>]*)?>([^<]*)</" + p + rb"t>")
        self.t_all = re.compile(rb"<" + p + rb"t(\s[^>]*)?(?:/>|>([^<]*)</" + p + rb"t>)")
        self.phonetic = re.compile(rb"<" + p + rb"rPh\b.*?</" + p + rb"rPh>", re.S)
        self.si = re.compile(rb"<" + p + rb"si\b[^>]*?(?:/>|>(.*?)</" + p + rb"si>)", re.S)
        self.si_open = b"<" + tag + b"si"  # <si>, <si/> and <si ...>: one item each
        # <si><t>text</t></si> with nothing around it; any other item is read on its own.
        self.si_plain = re.compile(
            rb"<" + p + rb"si><" + p + rb"t>([^<]*)</" + p + rb"t></" + p + rb"si>"
        )
        self.needs_strip = re.compile(
            rb"<" + p + rb"t>[ \t\r\n]|[ \t\r\n]</" + p + rb"t></" + p + rb"si>"
        )
        self.si_end = b"</" + (prefix + b":" if prefix else b"") + b"si>"
        # The used range: cells holding a value (<v> or <is>), and every cell reference.
        self.valued = re.compile(
            rb"<" + p + rb"""c\s[^>]*?\br\s*=\s*["']([A-Z]{1,3})\d+["'][^>]*(?<!/)>"""
            rb"(?:<" + p + rb"f\b[^>]*?(?:/>|>[^<]*</" + p + rb"f>))?<" + p + rb"(?:v>[^<]|is\b)"
        )
        self.row_ref = re.compile(rb"<" + p + rb"""row\s[^>]*?\br\s*=\s*["'](\d{1,9})["']""")
        self.valued_fast = re.compile(
            rb"<" + p + rb'c r="([A-Z]{1,3})\d+"[^>]*(?<!/)>'
            rb"(?:<" + p + rb"f\b[^>]*?(?:/>|>[^<]*</" + p + rb"f>))?<" + p + rb"(?:v>[^<]|is\b)"
        )
        self.any_ref = re.compile(rb"<" + p + rb"""c\s[^>]*?\br\s*=\s*["'][A-Z]""")


_PATTERNS: dict[bytes, _Patterns] = {}
_SCANNED: dict[tuple[str, str, int, int, int], UsedRange] = {}


def _patterns(prefix: bytes) -> _Patterns:
    found = _PATTERNS.get(prefix)
    if found is None:
        found = _PATTERNS[prefix] = _Patterns(prefix)
    return found


def _text(body: bytes, pats: _Patterns) -> str:
    """The text of a ``<si>`` or ``<is>``: its ``<t>``, or its rich-text runs joined."""
    only = pats.t_only.fullmatch(body)
    parts = [(only.group(1), only.group(2))] if only else None
    if parts is None:
        if b"<" not in body:
            return ""
        parts = [(a, t) for a, t in pats.t_all.findall(pats.phonetic.sub(b"", body))]
    out = []
    for attrs, raw in parts:
        chunk = raw if attrs and b"preserve" in attrs else raw.strip(_WS)
        out.append(chunk.decode("utf-8"))
    return _unescape_excel(_unescape_xml("".join(out)))


class _SpilledStrings:
    """Shared strings in blocks of 64 in a temporary file, read back through a cache."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="vstd-sst-")  # noqa: SIM115 - closed by close()
        self._starts = array("q")
        self._pending: list[str] = []
        self._odd: dict[int, str] = {}
        self._cache: dict[int, list[str]] = {}
        self._size = 0
        self._count = 0

    def append(self, text: str) -> None:
        if "\x00" in text:  # only through an _x0000_ escape; kept aside
            self._odd[self._count] = text
            text = ""
        self._pending.append(text)
        self._count += 1
        if len(self._pending) == _BLOCK:
            self._flush()

    def _flush(self) -> None:
        data = "\x00".join(self._pending).encode("utf-8")
        self._starts.append(self._size)
        self._file.write(data)
        self._size += len(data)
        self._pending = []

    def extend(self, texts: list[str]) -> None:
        for text in texts:
            self.append(text)

    def seal(self) -> None:
        if self._pending:
            self._flush()
        self._starts.append(self._size)
        self._file.flush()

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        block = self._cache.get(index >> 6)
        if block is None:
            block = self._load(index >> 6)
        if index in self._odd:
            return self._odd[index]
        return block[index & 63]

    def _load(self, number: int) -> list[str]:
        if number + 1 >= len(self._starts):
            raise IndexError(number)
        start, end = self._starts[number], self._starts[number + 1]
        block = os.pread(self._file.fileno(), end - start, start).decode("utf-8").split("\x00")
        if len(self._cache) >= _CACHE_BLOCKS:
            self._cache.clear()
        self._cache[number] = block
        return block

    def close(self) -> None:
        self._file.close()


Strings = list[str] | _SpilledStrings


def _format_tokens(code: str) -> Iterator[str]:
    """The characters of a number format's first section that are format codes: quoted
    text and characters after ``\\``, ``_`` or ``*`` are literal and left out."""
    escaped = quoted = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return
        else:
            yield ch


def _number_kind(code: str) -> int:
    """Whether a number format shows a date/time (1), a duration (2) or a number (0):
    date letters outside brackets decide; ``[h]``, ``[mm]``, ``[ss]`` make a duration."""
    ampm = hms = False
    brackets = 0
    prev = " "
    for ch in _format_tokens(code):
        if ch == "[":
            brackets += 1
        elif ch == "]":
            if brackets == 1 and hms:
                return _DURATION
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ampm and ch in "aA":
            ampm = True
        elif brackets == 0 and ch in ("pm/PM" if ampm else "dmhysDMHYS"):
            return _DATETIME
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return _OTHER


_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47})


def _builtin_kind(number: int) -> int:
    return _DATETIME if number in _BUILTIN_DATES else _DURATION if number == 46 else _OTHER


def _round_half_away(value: float) -> int:
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def excel_date(value: float, kind: int, date1904: bool) -> XlsxCell:
    """A number in a date, time or duration format as python-calamine gives it."""
    try:
        if kind == _DURATION:
            return timedelta(milliseconds=_round_half_away(value * _MS_PER_DAY))
        serial = value + _DAYS_1904 if date1904 else value
        if serial < 60:
            serial += 1  # Excel's 1900-02-29 that never was
        ms = _round_half_away(serial * _MS_PER_DAY)
        if value < 1.0:
            return (datetime.min + timedelta(milliseconds=ms % _MS_PER_DAY)).time()
        moment = _EPOCH + timedelta(milliseconds=ms)
    except (OverflowError, ValueError):
        return value
    return moment.date() if value == math.floor(value) else moment


def _iso_date(text: str) -> XlsxCell:
    """A ``t="d"`` cell (ISO 8601 text): a date, a time or a date-time."""
    try:
        if "T" in text or " " in text:
            return datetime.fromisoformat(text)
        if ":" in text:
            return time.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        return text


def _strings_of(block: bytes, pats: _Patterns) -> list[str]:
    """The strings of the ``<si>`` elements in a block of XML.

    When every item is a plain ``<t>`` (what most writers produce), the texts are joined,
    decoded and unescaped in one go (C speed); otherwise item by item.
    """
    items = block.count(pats.si_open)
    plain = pats.si_plain.findall(block)
    if len(plain) != items:
        return [_text(body, pats) for body in pats.si.findall(block)]
    text = b"\x00".join(plain).decode("utf-8")
    if "&" in text:
        text = _unescape_xml(text)
    texts = text.split("\x00")
    if len(texts) != items:  # a NUL from a character reference: item by item
        return [_text(body, pats) for body in pats.si.findall(block)]
    if pats.needs_strip.search(block):
        return [_text(body, pats) for body in pats.si.findall(block)]
    if "_x" in text:
        texts = [_unescape_excel(t) for t in texts]
    return texts


class XlsxBook:
    """An open workbook: its sheets, and the rows of any of them as an iterator.

    ``apostrophe`` is applied to every text value that starts with ``'`` (shared strings
    once per string, not per cell): the caller's rule for text marked as not a formula.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        bounds: Limits | None = None,
        apostrophe: Callable[[str], str] | None = None,
    ) -> None:
        self.path = Path(path)
        self._bounds = bounds or limits()
        self._zip = check_zip(self.path, self._bounds)
        self._apostrophe = apostrophe
        self._styles: list[int] | None = None
        self._strings: Strings | None = None
        try:
            self.date1904, self.sheets = self._workbook()
        except BaseException:
            self._zip.close()
            raise

    # -- the workbook part ----------------------------------------------------------------
    def _read_part(self, name: str) -> bytes | None:
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            return None
        try:
            with self._zip.open(info) as stream:
                return stream.read()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _fail(
                self.path,
                f"无法读取工作簿的 {name}（{type(exc).__name__}）",
                f"cannot read {name} of the workbook ({type(exc).__name__})",
            ) from None

    def _workbook(self) -> tuple[bool, list[SheetEntry]]:
        main = self._main_part()
        data = self._read_part(main)
        if data is None:
            raise _fail(
                self.path,
                "不是有效的 XLSX 文件（缺少 workbook.xml）",
                "not a valid XLSX file (no workbook.xml)",
            )
        rels = self._relationships(main)
        date1904 = False
        pr = re.search(rb"<(?:\w+:)?workbookPr\b([^>]*)>", data)
        if pr is not None:
            date1904 = _attrs(pr.group(1)).get("date1904", "").lower() in ("1", "true")
        sheets = []
        for match in re.finditer(rb"<(?:\w+:)?sheet\s([^>]*)>", data):
            found = _attrs(match.group(1))
            target = rels.get(found.get("id", ""), "")
            sheets.append(SheetEntry(found.get("name", ""), target, found.get("state", "visible")))
        return date1904, sheets

    def _main_part(self) -> str:
        rels = self._read_part("_rels/.rels") or b""
        for match in re.finditer(rb"<(?:\w+:)?Relationship\s([^>]*)>", rels):
            found = _attrs(match.group(1))
            if found.get("Type", "").endswith("/officeDocument"):
                return found.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def _relationships(self, part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        data = self._read_part(posixpath.join(folder, "_rels", name + ".rels")) or b""
        found: dict[str, str] = {}
        for match in re.finditer(rb"<(?:\w+:)?Relationship\s([^>]*)>", data):
            attrs = _attrs(match.group(1))
            target = attrs.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = resolved
            if attrs.get("Type", "").endswith("/sharedStrings"):
                found["#strings"] = resolved
            elif attrs.get("Type", "").endswith("/styles"):
                found["#styles"] = resolved
        self._parts = found
        return found

    # -- styles and shared strings ----------------------------------------------------------
    def _style_kinds(self) -> list[int]:
        if self._styles is None:
            data = self._read_part(self._parts.get("#styles", "xl/styles.xml")) or b""
            formats: dict[int, int] = {}
            for match in re.finditer(rb"<(?:\w+:)?numFmt\s([^>]*)>", data):
                found = _attrs(match.group(1))
                try:
                    formats[int(found.get("numFmtId", ""))] = _number_kind(
                        found.get("formatCode", "")
                    )
                except ValueError:
                    continue
            kinds = []
            xfs = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", data, re.S)
            for match in re.finditer(rb"<(?:\w+:)?xf\b([^>]*)>", xfs.group(1) if xfs else b""):
                try:
                    number = int(_attrs(match.group(1)).get("numFmtId", "0"))
                except ValueError:
                    number = 0
                kinds.append(formats[number] if number in formats else _builtin_kind(number))
            self._styles = kinds
        return self._styles

    def _shared_strings(self) -> Strings:
        if self._strings is not None:
            return self._strings
        part = self._parts.get("#strings", "xl/sharedStrings.xml")
        try:
            info = self._zip.getinfo(part)
        except KeyError:
            self._strings = []
            return self._strings
        strings: Strings = _SpilledStrings() if info.file_size > SPILL_BYTES else []
        self._strings = strings
        for texts in self._string_blocks(part):
            if self._apostrophe is not None:
                hook = self._apostrophe
                texts = [hook(t) if t[:1] == "'" else t for t in texts]
            strings.extend(texts)
        if isinstance(strings, _SpilledStrings):
            strings.seal()
        return strings

    def _string_blocks(self, part: str) -> Iterator[list[str]]:
        """The shared strings, a block (about 256 KiB of XML) at a time."""
        pats: _Patterns | None = None
        tail = b""
        bound = self._bounds.max_record_bytes
        try:
            with self._zip.open(part) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    data = tail + chunk
                    if pats is None:
                        head = re.search(rb"<(?:(\w+):)?sst\b", data)
                        pats = _patterns(head.group(1) or b"" if head else b"")
                    end = data.rfind(pats.si_end) + len(pats.si_end) if chunk else len(data)
                    if end < len(pats.si_end):
                        end = 0
                    yield _strings_of(data[:end], pats)
                    tail = data[end:]
                    if not chunk:
                        return
                    if len(tail) > bound:
                        raise self._too_long(part)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, UnicodeDecodeError) as exc:
            raise _fail(
                self.path,
                f"无法读取 {part}（{type(exc).__name__}）",
                f"cannot read {part} ({type(exc).__name__})",
            ) from None

    def _too_long(self, part: str) -> LimitExceeded:
        return LimitExceeded(
            Text(
                f"{self.path}：{part} 中有一行或一个字符串超过 {self._bounds.max_record_bytes:,} "
                "字节；未读取",
                f"{self.path}: a row or string of {part} is longer than "
                f"{self._bounds.max_record_bytes:,} bytes; nothing was read",
            )
        )

    # -- sheets ---------------------------------------------------------------------------
    def sheet(self, name: str) -> SheetEntry:
        for entry in self.sheets:
            if entry.name == name:
                return entry
        raise _fail(
            self.path,
            f"没有名为 {name!r} 的工作表（现有：{'、'.join(s.name for s in self.sheets)}）",
            f"no sheet named {name!r} (sheets: {', '.join(s.name for s in self.sheets)})",
        )

    def check_sheets(self) -> list[UsedRange]:
        """Check every sheet against the limits (each scan is remembered for reading)."""
        return [self.used_range(sheet.name) for sheet in self.sheets]

    def used_range(self, name: str) -> UsedRange:
        """Scan the sheet once (no cell is converted) and check it against the limits.

        The scan of an unchanged file (same inode, size and modification time) is
        remembered, so checking a workbook's sheets and then reading them scans each once.
        """
        part = self.sheet(name).part
        stat = self.path.stat()
        key = (str(self.path.resolve()), part, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        used = _SCANNED.get(key)
        if used is None:
            used = self._scan(part)
            if len(_SCANNED) >= 64:
                _SCANNED.clear()
            _SCANNED[key] = used
        self._check(part, used)
        return used

    def _scan(self, part: str) -> UsedRange:
        first = last = rows = 0
        seen: set[bytes] = set()
        bare = False
        for pats, data in self._blocks(part):
            refs = pats.row_ref.findall(data)
            if refs:
                rows = max(rows, max(map(int, refs)))
            cells = data.count(pats.cell_open + b" ") + data.count(pats.cell_open + b">")
            if data.count(pats.cell_open + b' r="') == cells:  # the usual form: r first
                seen.update(pats.valued_fast.findall(data))
                continue
            seen.update(pats.valued.findall(data))
            bare = bare or cells != len(pats.any_ref.findall(data))
        if bare:  # cells without a reference: place them by reading the sheet
            first, last, rows = self._positions(part)
        elif seen:
            numbers = [column_number(c) for c in seen]
            first, last = min(numbers), max(numbers)
        return UsedRange(first, last, rows, last)

    def _check(self, part: str, used: UsedRange) -> None:
        bounds = self._bounds
        cells = used.rows * used.columns
        if (
            used.rows > bounds.max_sheet_rows
            or used.columns > bounds.max_sheet_columns
            or cells > bounds.max_sheet_cells
        ):
            raise LimitExceeded(
                Text(
                    "{path}：工作表 {part} 用到 {rows:,} 行 × {columns:,} 列"
                    "（{cells:,} 个单元格），超过限制（{max_cells:,} 个单元格）；未读取",
                    "{path}: sheet {part} reaches {rows:,} rows × {columns:,} columns ({cells:,} "
                    "cells), beyond the limit of {max_cells:,} cells; nothing was read",
                ).format(
                    path=str(self.path),
                    part=part,
                    rows=used.rows,
                    columns=used.columns,
                    cells=cells,
                    max_cells=bounds.max_sheet_cells,
                )
            )

    def _blocks(self, part: str) -> Iterator[tuple[_Patterns, bytes]]:
        """The sheet's XML in blocks of about 256 KiB that end after a ``</row>``."""
        pats: _Patterns | None = None
        tail = b""
        bound = self._bounds.max_record_bytes
        try:
            with self._zip.open(part) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        return
                    data = tail + chunk if tail else chunk
                    if pats is None:
                        head = _PREFIX.search(data)
                        pats = _patterns(head.group(1) or b"" if head else b"")
                    end = data.rfind(pats.row_end)
                    end = end + len(pats.row_end) if end >= 0 else 0
                    if end:
                        yield pats, data[:end]
                    tail = data[end:]
                    if len(tail) > bound:
                        raise self._too_long(part)
        except KeyError:
            raise _fail(
                self.path, f"缺少工作表部件 {part!r}", f"the sheet part {part!r} is missing"
            ) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _fail(
                self.path,
                f"无法读取工作表 {part}（{type(exc).__name__}）",
                f"cannot read the sheet {part} ({type(exc).__name__})",
            ) from None

    def _positions(self, part: str) -> tuple[int, int, int]:
        """The used columns of a sheet whose cells carry no reference (placed by position)."""
        first = last = rows = 0
        for pats, attrs, body in self._row_elements(part):
            found = pats.row_number.search(attrs)
            rows = int(found.group(1)) if found else rows + 1
            column = 0
            for col, _style, _kind, value, rest in pats.cell.findall(body):
                column = column_number(col) if col else column + 1
                if value or rest:
                    first = column if not first else min(first, column)
                    last = max(last, column)
        return first, last, rows

    def _row_elements(self, part: str) -> Iterator[tuple[_Patterns, bytes, bytes]]:
        """(patterns, attributes, body) of each ``<row>`` with cells, in document order."""
        bound = self._bounds.max_record_bytes
        for pats, data in self._blocks(part):
            opening = pats.row_open
            for piece in data.split(pats.row_end):
                start = piece.rfind(opening)  # rows before it in the piece are empty (<row/>)
                if start < 0:
                    continue
                if len(piece) > bound:
                    raise self._too_long(part)
                close = piece.find(b">", start)
                if close < 0 or piece[close - 1 : close] == b"/":
                    continue
                yield pats, piece[start + len(opening) : close], piece[close + 1 :]

    def rows(self, name: str) -> Iterator[list[XlsxCell]]:
        """The rows of a sheet from row 1, each as wide as the sheet's used columns."""
        used = self.used_range(name)
        part = self.sheet(name).part
        if not used.first_column:
            return
        reader = _RowReader(self, used)
        blank: list[XlsxCell] = [""] * reader.width
        expected = 1
        number = 0
        try:
            for pats, attrs, body in self._row_elements(part):
                found = pats.row_number.search(attrs)
                number = int(found.group(1)) if found else number + 1
                row = reader.row(body, pats)
                if row is None:
                    continue
                while expected < number:
                    yield blank.copy()
                    expected += 1
                yield row
                expected = number + 1
        except IndexError:
            raise _fail(
                self.path,
                "单元格引用了不存在的共享字符串",
                "a cell refers to a shared string that does not exist",
            ) from None

    def _slow_cell(
        self, kind: bytes, style: bytes, value: bytes, rest: bytes, pats: _Patterns
    ) -> XlsxCell:
        """Any cell the fast path of ``rows`` does not take (formulas, inline strings, …)."""
        if kind == b"inlineStr":
            inline = pats.inline.search(rest) if rest else None
            text = _text(inline.group(1), pats) if inline else ""
            return self._apostrophe(text) if self._apostrophe and text[:1] == "'" else text
        if rest:
            found = pats.value.search(rest)
            value = found.group(1) if found else b""
        if not value:
            return ""
        if not kind or kind == b"n":
            return self._number(value, style)
        if kind == b"s":
            try:
                return self._shared_strings()[int(value)]
            except ValueError:
                raise IndexError(value) from None
        if kind == b"str":
            text = _unescape_xml(value.decode("utf-8", "replace"))
            return self._apostrophe(text) if self._apostrophe and text[:1] == "'" else text
        if kind == b"b":
            return value != b"0"
        if kind == b"d":
            return _iso_date(value.decode("utf-8", "replace").strip())
        return ""  # errors (t="e") and unknown types

    def _number(self, value: bytes, style: bytes) -> XlsxCell:
        stripped = value.strip(_WS)
        if b"_" in value or stripped != value:
            return value.decode("utf-8", "replace")
        try:
            number = float(value)
        except ValueError:
            return value.decode("utf-8", "replace")
        kinds = self._style_kinds()
        index = int(style) if style else 0
        if index < len(kinds) and kinds[index]:
            return excel_date(number, kinds[index], self.date1904)
        return number

    def close(self) -> None:
        if isinstance(self._strings, _SpilledStrings):
            self._strings.close()
        self._zip.close()

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _RowReader:
    """Turns the body of one ``<row>`` into its cells: the hot loop of ``XlsxBook.rows``."""

    def __init__(self, book: XlsxBook, used: UsedRange) -> None:
        self.strings = book._shared_strings()
        self.dated = {str(i).encode(): k for i, k in enumerate(book._style_kinds()) if k}
        self.first = used.first_column
        self.width = used.last_column - used.first_column + 1
        self.columns = _Columns(self.first)
        self.slow = book._slow_cell
        self.apostrophe = book._apostrophe
        self.date1904 = book.date1904
        self.dates: dict[tuple[bytes, bytes], XlsxCell] = {}
        self.blank: list[XlsxCell] = [""] * self.width

    def row(self, body: bytes, pats: _Patterns) -> list[XlsxCell] | None:
        """The row's cells, or None when it holds no value."""
        if not body:
            return None
        cells = pats.fast_cell.findall(body)
        # ``rest`` is then an inline string's text (or empty); else the cell's inner XML.
        inline = self.inline if len(cells) == body.count(pats.cell_open) else None
        if inline is None:
            cells = pats.cell.findall(body)
        strings, columns, other, width = self.strings, self.columns, self.other, self.width
        row = self.blank.copy()
        filled = False
        index = -self.first
        for col, style, kind, value, rest in cells:
            index = columns[col] if col else index + 1
            cell: XlsxCell
            if kind == b"s" and value:
                cell = strings[int(value)]
            elif kind == b"inlineStr" and inline is not None:
                cell = inline(rest)
            else:
                cell = other(kind, style, value, rest, pats)
            if cell == "" and kind not in _TEXTUAL:
                continue  # an empty cell (text, even empty, counts as a value)
            if 0 <= index < width:
                row[index] = cell
                filled = True
        return row if filled else None

    def other(
        self, kind: bytes, style: bytes, value: bytes, rest: bytes, pats: _Patterns
    ) -> XlsxCell:
        """A cell that is not a string: a plain number (or date) here, the rest by
        ``XlsxBook._slow_cell``."""
        if kind or not value or rest or b"_" in value or value[0] in _WS or value[-1] in _WS:
            # not a plain number: formulas, inline text, booleans, odd numbers
            return self.slow(kind, style, value, rest, pats)
        if style and style in self.dated:
            return self.date(value, style)
        try:
            return float(value)
        except ValueError:
            return self.slow(kind, style, value, rest, pats)

    def inline(self, raw: bytes) -> str:
        """The text of an inline string of one plain ``<t>`` (``_text`` without the regexes:
        trimmed, since ``<t>`` has no ``xml:space``, then unescaped)."""
        text = raw.strip(_WS).decode("utf-8")
        if "&" in text:
            text = _unescape_xml(text)
        if "_x" in text:
            text = _unescape_excel(text)
        hook = self.apostrophe
        return hook(text) if hook is not None and text[:1] == "'" else text

    def date(self, value: bytes, style: bytes) -> XlsxCell:
        """A number in a date style (the same serial numbers recur: remembered)."""
        key = (value, style)
        found = self.dates.get(key)
        if found is None:
            try:
                number = float(value)
            except ValueError:
                return value.decode("utf-8", "replace")
            if len(self.dates) > _DATE_CACHE:
                self.dates.clear()
            found = self.dates[key] = excel_date(number, self.dated[style], self.date1904)
        return found


class _Columns(dict[bytes, int]):
    """Column letters → index in the row (``first`` is the first used column)."""

    def __init__(self, first: int) -> None:
        super().__init__()
        self._first = first

    def __missing__(self, letters: bytes) -> int:
        index = self[letters] = column_number(letters) - self._first
        return index


__all__ = [
    "SPILL_BYTES",
    "SheetEntry",
    "UsedRange",
    "XlsxBook",
    "XlsxCell",
    "XlsxError",
    "excel_date",
]
