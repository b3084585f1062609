"""Streaming readers and writers of the standard's two data forms (JSON package, JSON Lines)."""

from volunteer_standard.io.reader import (
    InputError,
    Location,
    RawRecord,
    detect_format,
    iter_raw,
)
from volunteer_standard.io.writer import JsonlWriter, PackageWriter, dump_record

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
