"""Byte ranges of a JSON Lines file, cut at line ends, that workers read themselves.

Why ranges and not batches sent by the main process: on a cluster (Dask, Spark) the input
sits on storage that every worker reaches, and sending its bytes through one client would
make that client the bottleneck. A range starts just after a line end and ends just after
one, so a worker reads whole lines, framed exactly as the reader frames them
(:func:`volunteer_standard.validation.parallel.lines._batches`: the same line ends, the same
error record for a line beyond the size limit). The number of a range's first line is
exact: the lines of every range are counted first (:func:`count`, itself work for the
workers, with the same framing) and the main process adds them up (:func:`number`) before
the ranges are checked. Records need no such count: the main process numbers them as it
applies the results, in order.

Everything here is plain data and module-level functions, so any engine can run it:
``plan`` in the main process, then ``count`` and ``check_partition`` per range.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import IO, cast

from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import InputError, RawRecord
from volunteer_standard.text import Text
from volunteer_standard.validation.parallel.batch import (
    Batch,
    BatchChecker,
    BatchResult,
    BatchSettings,
)
from volunteer_standard.validation.parallel.lines import BATCH_BYTES, _batches, _Cutter

#: Bytes per range at most by default: large enough that a task's overhead on a cluster
#: (tens of milliseconds) is small against checking it (seconds), small enough to spread
#: over many workers; see :func:`range_size`.
PARTITION_BYTES = 64 << 20
#: ... and at least, unless asked: below this a task's overhead starts to count.
MIN_PARTITION_BYTES = 1 << 20
#: Ranges per worker wanted at least, so that a slow worker does not hold up the end.
RANGES_PER_WORKER = 4
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Unusable:
    """The input is unusable from here on (a line that never ends): the main process
    raises :class:`InputError` with this text after applying what came before."""

    text: Text


#: What checking a range returns, in input order: a batch's result, a record the main
#: process checks itself (a line beyond the size limit), or, last, :class:`Unusable`.
Item = BatchResult | RawRecord | Unusable


@dataclass(frozen=True, slots=True)
class Partition:
    """Bytes ``start`` to ``end`` of the file at ``path`` (whole lines)."""

    path: str
    #: How issues name the input (the single-process run's label).
    label: str
    start: int
    end: int
    #: Lines of the file before the range: its first line is number ``before + 1``.
    before: int = 0


def range_size(size: int, workers: int) -> int:
    """The range size for ``size`` bytes over ``workers`` workers: a few ranges per worker,
    within :data:`MIN_PARTITION_BYTES` and :data:`PARTITION_BYTES`."""
    wanted = -(-size // max(1, workers * RANGES_PER_WORKER))
    return min(PARTITION_BYTES, max(MIN_PARTITION_BYTES, wanted))


def plan(path: str, label: str, start: int, size: int, partition_bytes: int) -> list[Partition]:
    """Cut bytes ``start`` to ``size`` of ``path`` into ranges of about ``partition_bytes``,
    each ending just after a line end (the last at the end of the file). ``before`` is left
    at 0: see :func:`number`."""
    bounds = [start]
    with open(path, "rb") as stream:
        while bounds[-1] + partition_bytes < size:
            end = _line_end(stream, bounds[-1] + partition_bytes)
            if end >= size:
                break
            bounds.append(end)
    if start < size:
        bounds.append(size)
    return [Partition(path, label, a, b) for a, b in pairwise(bounds)]


def _line_end(stream: IO[bytes], at: int) -> int:
    """The position just after the first line end at or after byte ``at - 1`` (or the
    end of the file): a range that already ends with a line end is not stretched."""
    stream.seek(at - 1)
    position = at - 1
    while chunk := stream.read(_CHUNK):
        found = chunk.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(chunk)
    return position


def count(part: Partition, bounds: Limits) -> int:
    """Lines in the range, framed as :func:`check_partition` frames them."""
    with open(part.path, "rb") as stream:
        lines = _range(stream, part.start, part.end)
        cutter = _Cutter(lines, part.label, bounds, 0, BATCH_BYTES)
        for _ in cutter.batches():
            pass
    return cutter.number


def number(parts: list[Partition], counts: list[int], line: int) -> list[Partition]:
    """The ranges with ``before`` set, given the lines of each, and ``line`` lines before
    the first range."""
    out = []
    for part, lines in zip(parts, counts, strict=True):
        out.append(replace(part, before=line))
        line += lines
    return out


class _Range:
    """A file read from ``start`` up to ``end`` only (``read`` and ``readline``, as
    ``_batches`` uses them)."""

    def __init__(self, stream: IO[bytes], start: int, end: int) -> None:
        stream.seek(start)
        self.stream = stream
        self.left = end - start

    def readline(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        line = self.stream.readline(self.left if size < 0 else min(size, self.left))
        self.left -= len(line)
        return line

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.stream.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data


def _range(stream: IO[bytes], start: int, end: int) -> IO[bytes]:
    """``stream`` from ``start`` to ``end``, for the line functions (which only read)."""
    return cast("IO[bytes]", _Range(stream, start, end))


def range_items(
    part: Partition, bounds: Limits, batch_bytes: int
) -> Iterator[Batch | RawRecord | Unusable]:
    """The range's batches and records, read as the main process would read them."""
    with open(part.path, "rb") as stream:
        lines = _range(stream, part.start, part.end)
        try:
            items = _batches(
                lines,
                part.label,
                bounds,
                part.before,
                batch_bytes,
            )
            yield from items
        except InputError as exc:  # a line that never ends
            yield Unusable(exc.text)


_CHECKER: tuple[str, BatchChecker] | None = None


def check_partition(
    run: str, settings: BatchSettings, part: Partition, batch_bytes: int = BATCH_BYTES
) -> list[Item]:
    """Check one range in a worker: the results of its batches and its other items, in
    input order. ``run`` names the run, so that a worker prepares its checker once per run
    (and again for the next run, which may have another profile)."""
    global _CHECKER
    if _CHECKER is None or _CHECKER[0] != run:
        _CHECKER = (run, BatchChecker(settings))
    checker = _CHECKER[1]
    return [
        checker.check(item) if isinstance(item, Batch) else item
        for item in range_items(part, settings.limits, batch_bytes)
    ]
