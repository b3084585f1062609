"""Streaming readers and writers of the standard's two data forms (JSON package, JSON Lines).

The writers need the pydantic models; they are imported on first use, so that the light
modules of this package (``atomic``, ``paths``, ``limits``) cost a command nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from volunteer_standard.io.reader import (
    InputError,
    Location,
    RawRecord,
    detect_format,
    iter_raw,
)

if TYPE_CHECKING:
    from volunteer_standard.io.writer import JsonlWriter, PackageWriter, dump_record

_WRITER_NAMES = frozenset({"JsonlWriter", "PackageWriter", "dump_record"})


def __getattr__(name: str) -> Any:
    """``JsonlWriter``, ``PackageWriter`` and ``dump_record``, imported when first asked for."""
    if name not in _WRITER_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from volunteer_standard.io import writer

    value = getattr(writer, name)
    globals()[name] = value
    return value


__all__ = [
    "InputError",
    "JsonlWriter",
    "Location",
    "PackageWriter",
    "RawRecord",
    "detect_format",
    "dump_record",
    "iter_raw",
]
