"""Cut a JSON Lines input into batches of whole lines, in the main process.

Why here and not in the workers: only the main process reads the input, so a pipe or
standard input works as well as a file, and the framing is the reader's own
(``volunteer_standard.io.reader``): the same line ends, the same limit on a line's length
with the same error record for a line beyond it, the same errors for an input that is not
JSON Lines at all. The records up to the first JSON one are read by the reader itself (it
decides whether the input is usable); every later line goes into a :class:`Batch`, except
a line beyond the size limit, which becomes an error record in its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from volunteer_standard import codes
from volunteer_standard.io.limits import Limits, limits
from volunteer_standard.io.reader import (
    _HEAD_BYTES,
    Format,
    Location,
    RawRecord,
    _drop_line,
    _open_binary,
    _rest_of_line,
    _too_long_detail,
    iter_raw,
)
from volunteer_standard.validation.parallel.batch import Batch

#: Bytes of lines per batch: a few thousand records, so that moving a batch between
#: processes costs little against checking it.
BATCH_BYTES = 1 << 20

Item = RawRecord | Batch


def input_items(
    source: str | Path | IO[bytes],
    *,
    fmt: Format | None,
    name: str,
    batch_bytes: int = BATCH_BYTES,
) -> Iterator[Item]:
    """The input's records to check here and batches to check anywhere, in input order.

    The reader (:func:`iter_raw`) opens the input, decides its form and yields the first
    record; a package is read by the reader to the end (records only: its metadata and
    checks belong to one process); the rest of JSON Lines is cut into batches. Raises
    ``InputError`` where the reader would, after yielding what comes before.
    """
    stream, _, owned = _open_binary(source)
    try:
        for raw in iter_raw(stream, fmt=fmt, name=name):
            yield raw
            if raw.collection is None:
                # JSON Lines: the reader yields nothing before the first JSON record, and
                # stops just past its line; from there on every line is a record.
                break
        else:
            return
        yield from _batches(stream, name, limits(), raw.location.line or 0, batch_bytes)
    finally:
        if owned:
            stream.close()


def _batches(
    stream: IO[bytes], label: str, bounds: Limits, number: int, batch_bytes: int
) -> Iterator[Item]:
    """The lines after line ``number``, read exactly as ``reader._iter_jsonl`` reads them."""
    limit = bounds.max_record_bytes
    lines: list[bytes] = []
    size = 0
    first = number + 1
    line = stream.readline(_HEAD_BYTES)
    while line:
        number += 1
        line, too_long = _rest_of_line(stream, line, limit)
        if too_long:
            if lines:
                yield Batch(lines, first)
                lines, size = [], 0
            _drop_line(stream, label, number, limit)
            detail = _too_long_detail(bounds)
            location = Location(label, number, "")
            yield RawRecord(detail.en, location, None, detail.en, codes.VALUE_BEYOND_LIMITS)
        else:
            if not lines:
                first = number
            lines.append(line)
            size += len(line)
            if size >= batch_bytes:
                yield Batch(lines, first)
                lines, size = [], 0
        line = stream.readline(_HEAD_BYTES)
    if lines:
        yield Batch(lines, first)
