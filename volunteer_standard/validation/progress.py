"""Progress of a validation run for a caller's display: records read and bytes consumed.

``validate(..., on_progress=f)`` calls ``f(records, bytes_read)`` every :data:`EVERY`
records and once at the end, so a long run can show its rate and the time left while a
short one pays nothing measurable (one counter per record). ``bytes_read`` is the input's
position (``tell()``), ``None`` when it has none: a pipe, objects in memory, a connector.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from volunteer_standard.io.reader import RawRecord, _open_binary

#: ``on_progress(records, bytes_read)``: records read so far and the input's position.
ProgressCallback = Callable[[int, int | None], None]

#: Records between two calls: rare enough to cost nothing, often enough for a display.
EVERY = 1000


def tracked(
    records_of: Callable[[Any], Iterator[RawRecord]],
    source: Any,
    on_progress: ProgressCallback,
    every: int = EVERY,
) -> Iterator[RawRecord]:
    """The records of ``records_of(source)``, reporting progress as they are consumed.

    A file path is opened here (and given to ``records_of`` as a stream) so that its
    position can be read; standard input and a caller's stream report theirs when they
    are seekable. ``source=None`` means there is no byte position to report.
    """
    if isinstance(source, (str, Path)) and str(source) != "-":
        stream, _, _ = _open_binary(source)  # the same error as iter_raw's when unusable
        with stream:
            yield from _counted(records_of(stream), _position(stream), on_progress, every)
        return
    handle = sys.stdin.buffer if isinstance(source, (str, Path)) else source
    yield from _counted(records_of(source), _position(handle), on_progress, every)


def _counted(
    records: Iterator[RawRecord],
    position: Callable[[], int | None],
    on_progress: ProgressCallback,
    every: int,
) -> Iterator[RawRecord]:
    count = 0
    due = every
    for raw in records:
        yield raw
        count += 1
        if count == due:
            due += every
            on_progress(count, position())
    on_progress(count, position())


def _position(stream: IO[bytes] | None) -> Callable[[], int | None]:
    """A function giving the stream's position, or ``None`` when it cannot say (a pipe)."""
    tell = getattr(stream, "tell", None)
    if tell is None:
        return lambda: None
    try:
        tell()
    except (OSError, ValueError):
        return lambda: None

    def where() -> int | None:
        try:
            return int(tell())
        except (OSError, ValueError):  # closed at the end of the input
            return None

    return where
