"""A profile's per-record rules without the cross-record index: what conversion runs.

``convert`` (and a tabular row check) run each record through the profile's per-record
rules; the cross-record ones need the whole input and run in ``vstd validate``. A rule
engine built the usual way would still fill its SQLite index with a row per record for
rules that never finish (a temporary database, a quarter of the rules' time): here the
index is a stand-in whose rows go nowhere. The issues are those of the usual engine, since
per-record checks never read the index.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from volunteer_standard.profiles import Profile
from volunteer_standard.validation.rules.base import Emit
from volunteer_standard.validation.rules.engine import RuleEngine


class _Dropped:
    """An index table that keeps nothing."""

    __slots__ = ()
    rows: tuple[Any, ...] = ()

    def add(self, row: tuple[Any, ...]) -> None:
        """Nothing is kept: no rule will read it."""

    def flush(self) -> None:
        """Nothing to write."""


class DroppedIndex:
    """Stands in for :class:`DatasetIndex` where no cross-record rule will ever finish:
    only the tables every run has (``ent``, ``bad``), both dropping their rows, so the
    engine's filler skips the others."""

    salt = b""
    max_day = 0

    def __init__(self) -> None:
        self.tables: dict[str, _Dropped] = {"ent": _Dropped(), "bad": _Dropped()}

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        return b""

    def close(self) -> None:
        """Nothing to release."""


def per_record_rules(
    profile: Profile, *, source: str, today: date, now: datetime, emit: Emit
) -> RuleEngine:
    """A rule engine for ``profile``'s per-record checks only (never call ``finish``)."""
    return RuleEngine(profile, source=source, today=today, now=now, emit=emit, index=DroppedIndex())


__all__ = ["DroppedIndex", "per_record_rules"]
