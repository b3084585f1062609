"""Streaming readers and writers of the standard's two data forms (JSON package, JSON Lines).

The writers need the pydantic models; they are imported on first use, so that the light
modules of this package (``atomic``, ``paths``, ``limits``) cost a command nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from volunteer_standard.io.reader import (
    InputError,
    Location,
    RawRecord,
    detect_format,
    iter_raw,
)
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
    from volunteer_standard.io.writer import JsonlWriter, PackageWriter, dump_record

#: The writers, imported when first asked for.
__getattr__ = lazy_attributes(
    globals(),
    dict.fromkeys(("JsonlWriter", "PackageWriter", "dump_record"), "volunteer_standard.io.writer"),
)


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
