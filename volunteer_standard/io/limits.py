"""Documented limits on hostile or broken input, checked before memory is allocated.

Every reader checks these before it buffers, decompresses or allocates, and ends with a
clear error in Chinese and English when one is exceeded, so that a 1.7 KB workbook, a zip
bomb or ``/dev/zero`` cannot take the machine's memory. Each limit can be raised for one
run with an environment variable ``VSTD_LIMIT_<NAME>`` (for example
``VSTD_LIMIT_MAX_RECORD_BYTES=268435456``); the defaults are in ``docs/safety.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text


class LimitExceeded(VstdError):
    """An input exceeds one of the documented limits."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits; see the module docstring for how to change them."""

    #: Bytes of one JSON Lines line or one record of a package (and of a CSV line).
    max_record_bytes: int = 64 << 20
    #: Nesting depth of arrays and objects in one record (orjson's serialiser limit).
    #: Integers are limited to 64 bits (beyond that no two JSON tools agree); fixed.
    max_depth: int = 254
    #: Physical lines one quoted CSV field may span (a stray quote swallows rows).
    max_field_lines: int = 50
    #: Rows and columns of a sheet, read from its dimension before any cell is read.
    max_sheet_rows: int = 1_048_576
    max_sheet_columns: int = 16_384
    #: Cells of one sheet (rows × columns of its dimension).
    max_sheet_cells: int = 50_000_000
    #: Total decompressed bytes of a workbook, and the ratio to its compressed size.
    max_unzipped_bytes: int = 2 << 30
    max_zip_ratio: int = 200

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, with ``VSTD_LIMIT_<NAME>`` overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for item in fields(cls):
            raw = env.get(f"VSTD_LIMIT_{item.name.upper()}")
            if raw is not None:
                try:
                    values[item.name] = int(raw)
                except ValueError:
                    raise LimitExceeded(
                        Text(
                            "环境变量 VSTD_LIMIT_{name} 应为整数",
                            "the environment variable VSTD_LIMIT_{name} must be an integer",
                        ).format(name=item.name.upper())
                    ) from None
        return cls(**values)


def limits() -> Limits:
    """The limits in force for this process (read from the environment each time)."""
    return Limits.from_env()


__all__ = ["LimitExceeded", "Limits", "limits"]
