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


class _Prefixed:
    """A stream with some of its bytes already read (``prefix``): what ``readline`` of the
    stream would return, so that the reader's own line functions can finish a line."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self.prefix = prefix
        self.stream = stream

    def readline(self, size: int) -> bytes:
        prefix = self.prefix
        if not prefix:
            return self.stream.readline(size)
        end = prefix.find(b"\n", 0, size) + 1 or min(size, len(prefix))
        line, self.prefix = prefix[:end], prefix[end:]
        if self.prefix or line.endswith(b"\n") or len(line) >= size:
            return line
        return line + self.stream.readline(size - len(line))


class _Cutter:
    """Cuts the lines after the first record into batches (see :func:`_batches`)."""

    def __init__(
        self,
        stream: IO[bytes],
        label: str,
        bounds: Limits,
        number: int,
        size: int,
    ):
        self.stream = stream
        self.label = label
        self.bounds = bounds
        self.number = number  # the last line read
        self.size = size
        #: A line with its end longer than this may be beyond the limit (see the reader's
        #: ``_rest_of_line``: it reads up to 64 KiB before it looks at the limit).
        self.longest = max(_HEAD_BYTES, bounds.max_record_bytes + 1)
        self.pending: list[bytes] = []
        self.pending_bytes = 0
        self.first = number + 1

    def batches(self) -> Iterator[Item]:
        stream = self.stream
        while True:
            block = stream.read(self.size)
            if not block:
                break
            cut = block.rfind(b"\n") + 1
            whole, rest = block[:cut], block[cut:]
            if whole and self._fits(whole):
                yield from self._add(whole, whole.count(b"\n"))
            else:
                rest = block
            if rest:
                yield from self._one_by_one(_Prefixed(rest, stream))
        if self.pending:
            yield self._batch()

    def _fits(self, whole: bytes) -> bool:
        """Whether no line of ``whole`` can be beyond the size limit."""
        return len(whole) <= self.longest or max(map(len, whole.split(b"\n"))) < self.longest

    def _add(self, data: bytes, lines: int) -> Iterator[Item]:
        if not self.pending:
            self.first = self.number + 1
        self.pending.append(data)
        self.pending_bytes += len(data)
        self.number += lines
        if self.pending_bytes >= self.size:
            yield self._batch()

    def _batch(self) -> Batch:
        data = self.pending[0] if len(self.pending) == 1 else b"".join(self.pending)
        made = Batch(data, self.first)
        self.pending, self.pending_bytes = [], 0
        return made

    def _one_by_one(self, source: _Prefixed) -> Iterator[Item]:
        """Read lines as the reader does until the bytes already read are used up and the
        stream is at the start of a line."""
        limit = self.bounds.max_record_bytes
        while True:
            line = source.readline(_HEAD_BYTES)
            if not line:
                return
            line, too_long = _rest_of_line(source, line, limit)  # type: ignore[arg-type]
            if too_long:
                if self.pending:
                    yield self._batch()
                self.number += 1
                _drop_line(source, self.label, self.number, limit)  # type: ignore[arg-type]
                detail = _too_long_detail(self.bounds)
                location = Location(self.label, self.number, "")
                yield RawRecord(detail.en, location, None, detail.en, codes.VALUE_BEYOND_LIMITS)
            else:
                yield from self._add(line, 1)
            if not source.prefix:
                return


def _batches(
    stream: IO[bytes], label: str, bounds: Limits, number: int, batch_bytes: int
) -> Iterator[Item]:
    """The lines after line ``number``, cut as ``reader._iter_jsonl`` cuts them: whole
    blocks of lines where no line can be too long, line by line around the rest."""
    return _Cutter(stream, label, bounds, number, batch_bytes).batches()
