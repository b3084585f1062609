"""Read JSON packages and JSON Lines one record at a time, keeping each record's location.

A package is scanned incrementally: only the record being decoded is held in memory, so a
multi-gigabyte package validates in the same memory as a small one. Every record carries
its file, the line it starts on and its JSON pointer, which is what error reports need.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text

Format = Literal["jsonl", "package"]

_CHUNK = 1 << 16
#: A single record larger than this is treated as broken input rather than buffered further.
MAX_RECORD_BYTES = 64 << 20
_WS = " \t\r\n"
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}


class InputError(VstdError):
    """The input cannot be used at all (unreadable, not JSON, not a package or JSON Lines)."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record sits in its input: file, 1-based line and JSON pointer."""

    file: str
    line: int | None = None
    pointer: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.pointer}" if self.pointer else where

    def child(self, pointer: str) -> Location:
        """The location of a value inside this record."""
        return Location(self.file, self.line, self.pointer + pointer)


@dataclass(slots=True)
class RawRecord:
    """A decoded JSON value and where it came from.

    ``collection`` is the package key the value sat under ("volunteers", "metadata" …) or
    ``None`` for a JSON Lines line. ``error`` is set when a JSON Lines line is not JSON;
    ``data`` then holds the (truncated) raw text.
    """

    data: Any
    location: Location
    collection: str | None = None
    error: str | None = None


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _open_binary(source: str | Path | IO[bytes]) -> tuple[IO[bytes], str, bool]:
    if isinstance(source, (str, Path)):
        if str(source) == "-":
            return sys.stdin.buffer, "<stdin>", False
        path = Path(source)
        try:
            return path.open("rb"), str(source), True
        except OSError as exc:
            raise InputError(f"{source}: cannot open: {exc.strerror or exc}") from None
    name = getattr(source, "name", "<stream>")
    return source, str(name) if isinstance(name, str) else "<stream>", False


_SPREADSHEET_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"})
_ZIP_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip file
_SPREADSHEET = Text(
    "{name} 是电子表格，不是 JSON 数据包或 JSON Lines。请通过映射文件校验："
    "vstd validate --from tabular --from-config mapping.toml {name}"
    "（用 vstd mapping init {name} 起草映射文件）",
    "{name} is a spreadsheet, not a JSON package or JSON Lines. Validate it through a "
    "mapping: vstd validate --from tabular --from-config mapping.toml {name} "
    "(draft the mapping with vstd mapping init {name})",
)


def detect_format(name: str, head: bytes) -> Format:
    """Decide between JSON Lines and a JSON package from the file name or first line."""
    suffix = Path(name).suffix.lower()
    if suffix in _SPREADSHEET_SUFFIXES or head.startswith(_ZIP_MAGIC):
        raise InputError(_SPREADSHEET.format(name=name))
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".json":
        return "package"
    first = head.lstrip(b"\xef\xbb\xbf").strip()
    if not first:
        raise InputError(f"{name}: the input is empty")
    if first[:1] != b"{":
        raise InputError(
            f"{name}: not a JSON package or JSON Lines (the first character is not '{{')"
        )
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return "package"
    if isinstance(value, dict) and "type" in value and "metadata" not in value:
        return "jsonl"
    return "package"


def iter_raw(
    source: str | Path | IO[bytes], *, fmt: Format | None = None, name: str | None = None
) -> Iterator[RawRecord]:
    """Yield every record of a JSON package or JSON Lines input, in input order.

    Raises :class:`InputError` when the input as a whole cannot be read; a JSON Lines line
    that is not JSON is yielded with ``error`` set so that the rest can still be checked.
    """
    stream, label, owned = _open_binary(source)
    label = name or label
    try:
        try:
            head = stream.readline()
        except OSError as exc:
            raise InputError(f"{label}: cannot read: {exc}") from None
        kind = fmt or detect_format(label, head)
        if kind == "jsonl":
            yield from _iter_jsonl(stream, head, label)
        else:
            yield from _PackageScanner(stream, head, label).records()
    finally:
        if owned:
            stream.close()


def _iter_jsonl(stream: IO[bytes], head: bytes, label: str) -> Iterator[RawRecord]:
    number = 0
    seen_json = False
    line = head
    while line:
        number += 1
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        text = line.strip()
        if text:
            location = Location(label, number, "")
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                if not seen_json:
                    raise InputError(
                        f"{label}:{number}: not JSON Lines: the first record is not JSON ({exc})"
                    ) from None
                raw = text[:200].decode("utf-8", "replace")
                yield RawRecord(raw, location, None, str(exc))
            else:
                seen_json = True
                yield RawRecord(value, location)
        line = stream.readline()
    if not seen_json:
        raise InputError(f"{label}: the input is empty")


class _PackageScanner:
    """An incremental scanner over ``{"metadata": {...}, "volunteers": [...], ...}``."""

    def __init__(self, stream: IO[bytes], head: bytes, label: str) -> None:
        self.stream = stream
        self.label = label
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self._feed(head)

    # -- buffer management -------------------------------------------------------------
    def _feed(self, data: bytes) -> None:
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{self.label}:{self.line}: not UTF-8 ({exc.reason}); JSON must be UTF-8 — "
                "convert GB18030/GBK files with the tabular connector"
            ) from None
        if not data:
            self.eof = True
        if self.pos:
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += text

    def _fill(self, size: int = _CHUNK) -> bool:
        if self.eof:
            return False
        try:
            self._feed(self.stream.read(size))
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc}") from None
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def _skip_ws(self) -> str:
        """Skip white space and return the next character ('' at end of input)."""
        while True:
            buf, pos, end = self.buf, self.pos, len(self.buf)
            while pos < end and buf[pos] in _WS:
                pos += 1
            self._advance(pos)
            if pos < end:
                return buf[pos]
            if not self._fill():
                return ""

    def _fail(self, expected: str) -> InputError:
        found = self.buf[self.pos : self.pos + 20] or "end of input"
        return InputError(
            f"{self.label}:{self.line}: invalid JSON package: expected {expected}, found {found!r}"
        )

    def _expect(self, char: str, what: str) -> None:
        if self._skip_ws() != char:
            raise self._fail(what)
        self._advance(self.pos + 1)

    def _decode(self) -> Any:
        """Decode one JSON value at the current position, reading more input as needed."""
        size = _CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(self.buf) - 6 or exc.msg.startswith("Unterminated")
                if truncated and not self.eof and len(self.buf) - self.pos < MAX_RECORD_BYTES:
                    self._fill(size)
                    size = min(size * 2, 1 << 24)
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise InputError(f"{self.label}:{line}: invalid JSON: {exc.msg}") from None
            except ValueError as exc:
                raise InputError(f"{self.label}:{self.line}: invalid JSON: {exc}") from None
            if end >= len(self.buf) and not self.eof:
                # A number could continue in the next chunk: decode again with more input.
                self._fill(size)
                continue
            self._advance(end)
            return value

    # -- grammar -----------------------------------------------------------------------
    def records(self) -> Iterator[RawRecord]:
        first = self._skip_ws()
        if first == "":
            raise InputError(f"{self.label}: the input is empty")
        if first == "[":
            raise InputError(
                f"{self.label}: a JSON array is not a package; use "
                '{"metadata": {...}, "volunteers": [...]} or JSON Lines'
            )
        self._expect("{", "'{' at the start of a package")
        if self._skip_ws() == "}":
            self._advance(self.pos + 1)
        else:
            while True:
                if self._skip_ws() != '"':
                    raise self._fail("a key")
                key = self._decode()
                self._expect(":", "':'")
                pointer = "/" + _pointer_token(key)
                if self._skip_ws() == "[":
                    yield from self._array(key, pointer)
                else:
                    line = self.line
                    yield RawRecord(self._decode(), Location(self.label, line, pointer), key)
                nxt = self._skip_ws()
                self._advance(self.pos + 1)
                if nxt == "}":
                    break
                if nxt != ",":
                    self.pos -= 1
                    raise self._fail("',' or '}'")
        if self._skip_ws() != "":
            raise self._fail("end of input after the package")

    def _array(self, key: str, pointer: str) -> Iterator[RawRecord]:
        self._advance(self.pos + 1)
        if self._skip_ws() == "]":
            self._advance(self.pos + 1)
            return
        index = 0
        while True:
            self._skip_ws()
            line = self.line
            value = self._decode()
            yield RawRecord(value, Location(self.label, line, f"{pointer}/{index}"), key)
            index += 1
            nxt = self._skip_ws()
            self._advance(self.pos + 1)
            if nxt == "]":
                return
            if nxt != ",":
                self.pos -= 1
                raise self._fail(f"',' or ']' in {key}")
