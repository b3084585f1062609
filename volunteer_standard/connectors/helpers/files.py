"""Input files: a file, a folder or a glob, read line by line with each line's location.

Files are always visited in sorted order, so two runs over the same folder read the same
records in the same order (and an incremental bookmark means the same thing each time).
"""

from __future__ import annotations

import glob
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from volunteer_standard.connectors.base import ConnectorError, Problem
from volunteer_standard.connectors.helpers.encoding import LineDecoder, normalise_encoding
from volunteer_standard.connectors.helpers.problems import BAD_ENCODING, BAD_JSON
from volunteer_standard.connectors.helpers.text import detect_encoding
from volunteer_standard.io.reader import Location

_SNIFF_BYTES = 64 * 1024
_GLOB_CHARS = frozenset("*?[")


def iter_files(
    source: str | Path,
    patterns: Sequence[str] = ("*",),
    *,
    recursive: bool = False,
    allow_empty: bool = False,
) -> Iterator[Path]:
    """The files of ``source``, sorted: the file itself, a folder's files matching
    ``patterns`` (``recursive`` descends into sub-folders), or the files a glob matches.

    Raises :class:`ConnectorError` when ``source`` does not exist or, unless
    ``allow_empty``, matches no file: an empty input is more often a typo than a real
    empty export, and reading nothing would look like a successful run.
    """
    text = str(source)
    if _GLOB_CHARS & set(text) and not Path(text).exists():
        found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
    else:
        path = Path(text)
        if path.is_file():
            found = [path]
        elif path.is_dir():
            walk = path.rglob if recursive else path.glob
            found = sorted({p for pattern in patterns for p in walk(pattern) if p.is_file()})
        else:
            raise ConnectorError(f"{text}: no such file or folder")
    if not found and not allow_empty:
        wanted = ", ".join(patterns)
        raise ConnectorError(f"{text}: no input files (looked for {wanted})")
    yield from found


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of a text file: its 1-based number, text without the line break, its
    location, and the problem when its bytes were not valid in the file's encoding."""

    number: int
    text: str
    location: Location
    problem: Problem | None = None


def iter_text_lines(path: str | Path, encoding: str = "auto") -> Iterator[TextLine]:
    """Decode ``path`` line by line, strictly: UTF-8, UTF-8 with BOM or GB18030/GBK are
    detected with ``encoding="auto"``.

    A line whose bytes are invalid is still yielded (with U+FFFD in place of the bad bytes)
    and carries a ``BAD_ENCODING`` problem naming the bytes, so that one corrupt line is
    one reject and the rest of the file is still read.
    """

    label = str(path)
    try:
        stream = Path(path).open("rb")  # noqa: SIM115 - closed in finally below
    except OSError as exc:
        raise ConnectorError(f"{label}: cannot open: {exc.strerror or exc}") from None
    try:
        if encoding == "auto":
            chosen = detect_encoding(stream.read(_SNIFF_BYTES))
            stream.seek(0)
        else:
            chosen = normalise_encoding(encoding)
        if chosen == "utf-16":
            # A newline byte can sit inside a UTF-16 character, so decode the whole stream.
            text_stream = io.TextIOWrapper(stream, encoding="utf-16", errors="replace")
            for number, text in enumerate(text_stream, start=1):
                yield TextLine(number, text.rstrip("\r\n"), Location(label, number))
            return
        decoder = LineDecoder(stream, chosen, [])
        for text in decoder:
            number = decoder.line_number
            errors = decoder.take_errors()
            problem = Problem(BAD_ENCODING, f"{label}: {errors[0]}") if errors else None
            yield TextLine(number, text.rstrip("\r\n"), Location(label, number), problem)
    finally:
        stream.close()


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One JSON Lines record: the decoded value (``None`` when it could not be decoded),
    its location, the line's text, and the problem that stopped it."""

    value: Any
    location: Location
    text: str
    problem: Problem | None = None


def iter_jsonl(path: str | Path, encoding: str = "auto") -> Iterator[JsonLine]:
    """Read a JSON Lines file: one value per non-blank line, or a precise problem."""
    for line in iter_text_lines(path, encoding):
        if not line.text.strip():
            continue
        if line.problem is not None:
            yield JsonLine(None, line.location, line.text, line.problem)
            continue
        try:
            value = orjson.loads(line.text)
        except orjson.JSONDecodeError as exc:
            problem = Problem(BAD_JSON, f"{line.location}: not valid JSON: {exc}")
            yield JsonLine(None, line.location, line.text, problem)
            continue
        yield JsonLine(value, line.location, line.text)


__all__ = ["JsonLine", "TextLine", "iter_files", "iter_jsonl", "iter_text_lines"]
