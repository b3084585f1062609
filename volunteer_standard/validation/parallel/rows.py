"""An index that keeps no rows, for rule engines whose cross-record rules never run.

Why: conversion checks each record with the profile's per-record rules but resolves no
cross-record rule, so the rows the engine would index have nowhere to go. This stands in
for :class:`~volunteer_standard.validation.rules.index.DatasetIndex` (the same ``tables``,
``hash_id`` and ``min_day``) and drops them. Workers of a validation run index their
batches in a :class:`~volunteer_standard.validation.rules.index.BatchIndex` instead.
"""

from __future__ import annotations

from typing import Any

from volunteer_standard.validation.rules.index import NO_DAY

Row = tuple[Any, ...]


class _Dropped:
    """A table whose rows are dropped."""

    __slots__ = ()

    def add(self, row: Row) -> None:
        """Drop ``row``."""

    def flush(self) -> None:
        """Nothing to write."""


class NoIndex:
    """Stands in for the dataset index and keeps nothing."""

    def __init__(self) -> None:
        self.salt = b""
        self.tables: dict[str, _Dropped] = {"ent": _Dropped(), "bad": _Dropped()}
        self.min_day = NO_DAY

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        """Never compared: no cross-record rule runs."""
        return b""

    def close(self) -> None:
        """Nothing to release."""
