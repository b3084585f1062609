"""How far a reader has got in its input, in bytes: for progress displays (rate, time left).

A reader that wants to report its position opens a path itself with :func:`open_source`
(the same stream, and the same errors, as :func:`~volunteer_standard.io.reader.iter_raw`
gives) and reads the position with :func:`position_of`; a pipe has none.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from volunteer_standard.io.reader import _open_binary


def open_source(source: str | Path | IO[bytes]) -> tuple[IO[bytes], str, bool]:
    """The binary stream of ``source`` (a path, ``"-"`` for standard input, or a stream),
    its name in messages, and whether the caller owns it (must close it);
    :class:`InputError` when it cannot be opened."""
    return _open_binary(source)


def position_of(stream: Any) -> Callable[[], int | None]:
    """A function giving the stream's position, or ``None`` when it has none (a pipe,
    objects in memory). ``"-"`` means standard input."""
    if isinstance(stream, (str, Path)):
        stream = sys.stdin.buffer if str(stream) == "-" else None
    tell = getattr(stream, "tell", None)
    if tell is None:
        return _nowhere
    try:
        tell()
    except (OSError, ValueError):
        return _nowhere

    def where() -> int | None:
        try:
            return int(tell())
        except (OSError, ValueError):  # closed at the end of the input
            return None

    return where


def _nowhere() -> int | None:
    return None
