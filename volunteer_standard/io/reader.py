"""Read JSON packages and JSON Lines one record at a time, keeping each record's location.

A package is scanned incrementally: only the record being decoded is held in memory, so a
multi-gigabyte package validates in the same memory as a small one. Every record carries
its file, the line it starts on and its JSON pointer, which is what error reports need.

Both forms obey the same limits (:mod:`volunteer_standard.io.limits`): a line or record
longer than ``max_record_bytes`` is refused before it is buffered whole, and a decoded
record with a duplicate key (VS106), an integer beyond 64 bits, a lone surrogate or
nesting deeper than ``max_depth`` (VS107) is yielded as an error record, so that
validation and conversion agree on what is valid and nothing downstream crashes on it.
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

from volunteer_standard import codes
from volunteer_standard.errors import VstdError
from volunteer_standard.io.limits import Limits, limits
from volunteer_standard.text import Text

Format = Literal["jsonl", "package"]

_CHUNK = 1 << 16
#: Bytes read to decide the form of an input (a line longer than this is read on demand).
_HEAD_BYTES = 1 << 16
#: A single record larger than this is treated as broken input rather than buffered further.
MAX_RECORD_BYTES = Limits().max_record_bytes
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
    code: str = codes.JSON_SYNTAX


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
            reason = exc.strerror or type(exc).__name__
            raise InputError(
                Text(f"{source}：无法打开（{reason}）", f"{source}: cannot open: {reason}")
            ) from None
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
        raise InputError(Text(f"{name}：输入为空", f"{name}: the input is empty"))
    if first[:1] != b"{":
        raise InputError(
            Text(
                f"{name}：不是 JSON 数据包或 JSON Lines（第一个字符不是 '{{'）",
                f"{name}: not a JSON package or JSON Lines (the first character is not '{{')",
            )
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
    bounds = limits()
    try:
        try:
            head = stream.readline(_HEAD_BYTES)  # never the whole of /dev/zero
        except OSError as exc:
            raise InputError(
                Text(f"{label}：读取失败（{exc}）", f"{label}: cannot read: {exc}")
            ) from None
        kind = fmt or detect_format(label, head)
        if kind == "jsonl":
            yield from _iter_jsonl(stream, head, label, bounds)
        else:
            yield from _PackageScanner(stream, head, label, bounds).records()
    finally:
        if owned:
            stream.close()


def _rest_of_line(stream: IO[bytes], line: bytes, limit: int) -> tuple[bytes, bool]:
    """Complete ``line`` up to its newline, reading at most ``limit`` bytes in all.

    Returns the line (its first 200 bytes when too long) and whether it was too long;
    the rest of a too-long line is left unread (see :func:`_drop_line`).
    """
    if line.endswith(b"\n") or not line:
        return line, False
    if len(line) <= limit:
        line += stream.readline(limit + 1 - len(line))
    if line.endswith(b"\n") or len(line) <= limit:
        return line, False
    return line[:200], True


def _drop_line(stream: IO[bytes], label: str, number: int, limit: int) -> None:
    """Read and drop the rest of a too-long line in chunks (memory stays flat); an input
    that never ends the line (``/dev/zero``) is refused after 1 GiB (or 16 times the
    limit, if more)."""
    cap = max(16 * limit, 1 << 30)
    dropped = 0
    while dropped <= cap:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return
        dropped += len(chunk)
    raise InputError(
        Text(
            "{label}:{number}：这一行没有结尾（超过 {n:,} 字节），输入不可用",
            "{label}:{number}: the line never ends (more than {n:,} bytes); the input is unusable",
        ).format(label=label, number=number, n=cap)
    )


def _iter_jsonl(stream: IO[bytes], head: bytes, label: str, bounds: Limits) -> Iterator[RawRecord]:
    number = 0
    seen_json = False
    line = head
    readline = stream.readline
    while line:
        number += 1
        if not line.endswith(b"\n"):  # longer than one read, or the last line
            line, too_long = _rest_of_line(stream, line, bounds.max_record_bytes)
            if too_long:
                if not seen_json:
                    raise InputError(_too_long(label, number, bounds))
                _drop_line(stream, label, number, bounds.max_record_bytes)
                detail = _too_long_detail(bounds)
                yield RawRecord(
                    detail.en,
                    Location(label, number, ""),
                    None,
                    detail.en,
                    codes.VALUE_BEYOND_LIMITS,
                )
                line = readline(_HEAD_BYTES)
                continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        text = line.strip()
        if text:
            location = Location(label, number, "")
            if not seen_json:
                try:
                    orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    raise InputError(
                        Text(
                            f"{label}:{number}：不是 JSON Lines：第一条记录不是 JSON（{exc}）",
                            f"{label}:{number}: not JSON Lines: the first record is not JSON "
                            f"({exc})",
                        )
                    ) from None
                seen_json = True
            yield decode_line(text, location, bounds)
        line = readline(_HEAD_BYTES)
    if not seen_json:
        raise InputError(Text(f"{label}：输入为空", f"{label}: the input is empty"))


def _too_long_detail(bounds: Limits) -> Text:
    return Text(
        "单条记录超过 {limit:,} 字节（VSTD_LIMIT_MAX_RECORD_BYTES）",
        "a record longer than {limit:,} bytes (VSTD_LIMIT_MAX_RECORD_BYTES)",
    ).format(limit=bounds.max_record_bytes)


def _too_long(label: str, number: int, bounds: Limits) -> Text:
    return Text(f"{label}:{number}: ", f"{label}:{number}: ") + _too_long_detail(bounds)


# -- what both forms refuse in a decoded record --------------------------------------------

_INT_LIMIT = 1 << 64


def _leaf_problem(item: Any) -> str | None:
    """What is wrong with a scalar: a lone surrogate or an integer beyond 64 bits."""
    if item.__class__ is str:
        if not item.isascii() and _has_surrogate(item):
            return "a string with a lone surrogate (invalid Unicode)"
    elif item.__class__ is int and not -_INT_LIMIT < item < _INT_LIMIT:
        return f"an integer of {len(str(abs(item)))} digits (more than 64 bits)"
    return None


def _inspect(value: Any, bounds: Limits) -> tuple[int, str | None]:
    """Count the keys of ``value`` and find the first value beyond the limits.

    Iterative (no recursion, whatever the depth); returns ``(keys, problem)``.
    """
    keys = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (dict, list)):
            problem = _leaf_problem(item)
            if problem is not None:
                return keys, problem
            continue
        if depth > bounds.max_depth:
            return keys, f"nested deeper than {bounds.max_depth} levels"
        if isinstance(item, dict):
            keys += len(item)
            bad_key = next((k for k in item if _leaf_problem(k) is not None), None)
            if bad_key is not None:
                return keys, "a key with a lone surrogate (invalid Unicode)"
            children: Any = item.values()
        else:
            children = item
        for sub in children:
            if isinstance(sub, (dict, list)):
                stack.append((sub, depth + 1))
            else:
                problem = _leaf_problem(sub)
                if problem is not None:
                    return keys, problem
    return keys, None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _colons(text: bytes | str) -> int:
    """Key-colon pairs in the text (``":`` and ``" :``): at least the number of keys."""
    if isinstance(text, bytes):
        return text.count(b'":') + text.count(b'" :')
    return text.count('":') + text.count('" :')


def _duplicate_key(text: bytes | str) -> str | None:
    """The first key repeated within one object (a slow, exact parse; rarely needed)."""
    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not found:
                found.append(key)
            seen.add(key)
        return dict(items)

    try:
        json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return None
    return found[0] if found else None


def _checked(
    value: Any, location: Location, collection: str | None, text: bytes | str, bounds: Limits
) -> RawRecord:
    """``value`` as a record, or an error record when it breaks a limit or repeats a key."""
    keys, problem = _inspect(value, bounds)
    if problem is not None:
        return RawRecord(problem, location, collection, problem, codes.VALUE_BEYOND_LIMITS)
    if _colons(text) > keys:
        key = _duplicate_key(text)
        if key is not None:
            return RawRecord(value, location, collection, repr(key), codes.DUPLICATE_KEY)
    return RawRecord(value, location, collection)


def decode_line(text: bytes, location: Location, bounds: Limits) -> RawRecord:
    """One non-blank JSON Lines line, once the input is known to be JSON Lines: a line that
    is not JSON is an error record. Parallel batches decode their lines with it too."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return RawRecord(text[:200].decode("utf-8", "replace"), location, None, str(exc))
    return _checked_line(value, location, text, bounds)


#: Depth limits up to this are checked recursively (well within Python's recursion limit).
_RECURSION_SAFE_DEPTH = 256


def _checked_line(value: Any, location: Location, text: bytes, bounds: Limits) -> RawRecord:
    """:func:`_checked` for a JSON Lines line decoded by orjson (the hot path).

    orjson already refuses lone surrogates and never yields an integer beyond 64 bits
    (it reads such a number as a float), so only depth and repeated keys remain to check.
    Every container opens with a bracket, so a line with no more brackets than the depth
    limit is never too deep (brackets inside strings only make the count larger); a line
    that is orjson's own encoding of its value repeats no key (a decoded object holds
    each key once, so re-encoding gives the text back whole only when none was repeated); and a
    line with a single ``{`` is one flat object whose keys are ``len(value)``. Only other
    lines need a visit of their containers.
    """
    braces, squares = text.count(b"{"), text.count(b"[")
    shallow = braces + squares <= bounds.max_depth
    if shallow:
        try:
            if orjson.dumps(value) == text:  # orjson's own encoding: no key repeated
                return RawRecord(value, location, None)
        except orjson.JSONEncodeError:  # nested beyond orjson's encoder limit
            pass
    if shallow and braces == 1 and value.__class__ is dict:
        keys = len(value)
    elif bounds.max_depth > _RECURSION_SAFE_DEPTH:
        return _checked(value, location, None, text, bounds)  # iterative, for any depth
    elif value.__class__ is dict or value.__class__ is list:
        keys = _container_keys(value, bounds.max_depth - 1)
        if keys < 0:
            problem = f"nested deeper than {bounds.max_depth} levels"
            return RawRecord(problem, location, None, problem, codes.VALUE_BEYOND_LIMITS)
    else:
        keys = 0
    if _colons(text) > keys:
        key = _duplicate_key(text)
        if key is not None:
            return RawRecord(value, location, None, repr(key), codes.DUPLICATE_KEY)
    return RawRecord(value, location, None)


def _container_keys(value: dict[str, Any] | list[Any], levels: int) -> int:
    """The keys of every object in ``value``, or -1 when containers nest more than
    ``levels`` below it (recursion is bounded by the depth limit)."""
    children: Any
    if value.__class__ is dict:
        keys = len(value)
        children = value.values()
    else:
        keys = 0
        children = value
    for child in children:
        kind = child.__class__
        if kind is dict or kind is list:
            if levels <= 0:
                return -1
            found = _container_keys(child, levels - 1)
            if found < 0:
                return -1
            keys += found
    return keys


class _PackageScanner:
    """An incremental scanner over ``{"metadata": {...}, "volunteers": [...], ...}``."""

    def __init__(self, stream: IO[bytes], head: bytes, label: str, bounds: Limits) -> None:
        self.bounds = bounds
        self.colons = 0
        self.span = (0, 0)
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
                Text(
                    f"{self.label}:{self.line}：不是 UTF-8 编码（{exc.reason}）；JSON 必须是 "
                    "UTF-8，GB18030/GBK 文件请用 tabular 连接器转换",
                    f"{self.label}:{self.line}: not UTF-8 ({exc.reason}); JSON must be UTF-8 — "
                    "convert GB18030/GBK files with the tabular connector",
                )
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
            raise InputError(
                Text(f"{self.label}：读取失败（{exc}）", f"{self.label}: cannot read: {exc}")
            ) from None
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
            Text(
                f"{self.label}:{self.line}：JSON 数据包无效：应为 {expected}，实际为 {found!r}",
                f"{self.label}:{self.line}: invalid JSON package: expected {expected}, "
                f"found {found!r}",
            )
        )

    def _expect(self, char: str, what: str) -> None:
        if self._skip_ws() != char:
            raise self._fail(what)
        self._advance(self.pos + 1)

    def _decode(self) -> Any:
        """Decode one JSON value at the current position, reading more input as needed.

        Sets ``self.colons`` to the key-colon count of the value's text (for the
        duplicate-key check). Raises :class:`InputError` for a record beyond the size
        limit and ``RecursionError`` for one nested too deep for the decoder.
        """
        size = _CHUNK
        limit = self.bounds.max_record_bytes
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(self.buf) - 6 or exc.msg.startswith("Unterminated")
                if truncated and not self.eof:
                    if len(self.buf) - self.pos >= limit:
                        raise InputError(_too_long(self.label, self.line, self.bounds)) from None
                    self._fill(min(size, limit))
                    size = min(size * 2, 1 << 24)
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise InputError(
                    Text(
                        f"{self.label}:{line}：JSON 无效（{exc.msg}）",
                        f"{self.label}:{line}: invalid JSON: {exc.msg}",
                    )
                ) from None
            except ValueError as exc:
                raise InputError(
                    Text(
                        f"{self.label}:{self.line}：JSON 无效（{exc}）",
                        f"{self.label}:{self.line}: invalid JSON: {exc}",
                    )
                ) from None
            if end >= len(self.buf) and not self.eof:
                # A number could continue in the next chunk: decode again with more input.
                self._fill(size)
                continue
            self.span = (self.pos, end)  # valid until the next _fill
            self.colons = self.buf.count('":', self.pos, end) + self.buf.count('" :', self.pos, end)
            self._advance(end)
            return value

    def _record(self, location: Location, collection: str) -> RawRecord:
        """Decode one record and check it against the limits (VS106/VS107 as errors)."""
        try:
            value = self._decode()
        except RecursionError:
            self._skip_value()
            detail = f"nested deeper than {self.bounds.max_depth} levels"
            return RawRecord(detail, location, collection, detail, codes.VALUE_BEYOND_LIMITS)
        keys, problem = _inspect(value, self.bounds)
        if problem is not None:
            return RawRecord(problem, location, collection, problem, codes.VALUE_BEYOND_LIMITS)
        if self.colons > keys:
            key = _duplicate_key(self.buf[self.span[0] : self.span[1]])
            if key is not None:
                return RawRecord(value, location, collection, repr(key), codes.DUPLICATE_KEY)
        return RawRecord(value, location, collection)

    def _skip_value(self) -> None:
        """Move past one JSON value without decoding it (after a RecursionError)."""
        depth = 0
        in_string = False
        escaped = False
        read = 0
        while True:
            buf, pos, end = self.buf, self.pos, len(self.buf)
            while pos < end:
                ch = buf[pos]
                pos += 1
                if in_string:
                    if escaped:
                        escaped = False
                    elif ch == "\\":
                        escaped = True
                    elif ch == '"':
                        in_string = False
                elif ch == '"':
                    in_string = True
                elif ch in "[{":
                    depth += 1
                elif ch in "]}":
                    depth -= 1
                    if depth == 0:
                        self._advance(pos)
                        return
            read += pos - self.pos
            self._advance(pos)
            if read > self.bounds.max_record_bytes or not self._fill():
                raise InputError(_too_long(self.label, self.line, self.bounds))

    # -- grammar -----------------------------------------------------------------------
    def records(self) -> Iterator[RawRecord]:
        first = self._skip_ws()
        if first == "":
            raise InputError(Text(f"{self.label}：输入为空", f"{self.label}: the input is empty"))
        if first == "[":
            raise InputError(
                Text(
                    f"{self.label}：JSON 数组不是数据包；请用 "
                    '{"metadata": {...}, "volunteers": [...]} 或 JSON Lines',
                    f"{self.label}: a JSON array is not a package; use "
                    '{"metadata": {...}, "volunteers": [...]} or JSON Lines',
                )
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
                    yield self._record(Location(self.label, line, pointer), key)
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
            yield self._record(Location(self.label, line, f"{pointer}/{index}"), key)
            index += 1
            nxt = self._skip_ws()
            self._advance(self.pos + 1)
            if nxt == "]":
                return
            if nxt != ",":
                self.pos -= 1
                raise self._fail(f"',' or ']' in {key}")
