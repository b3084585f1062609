"""Repeats of an entity across rows: merged when identical, a declared policy when not.

In a ledger the same volunteer and the same team appear on many rows. Each entity read
from a shared table (or declaring ``key``) is identified by its key: the cells of its
``key`` columns, or else its id. The first time a key is seen the record goes out; an
identical repeat is dropped silently; a repeat that differs (same person, another phone)
is a conflict, settled by the entity's ``on_conflict``:

* ``first`` (default): the first row wins; the conflict is logged with both row numbers;
* ``last``: the last row wins; such records are held back (in a temporary SQLite file,
  not in memory) and come out after the last row;
* ``reject``: the later row goes to the reject file with both row numbers, whole.

Memory grows with the number of distinct keys only (a 16-byte digest of the key and a
small fingerprint per key), never with the number of rows. Conflicts name the fields that
differ, never their values (they are personal data).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from volunteer_standard.connectors.base import Problem
from volunteer_standard.connectors.tabular.cells import Cell, cell_text
from volunteer_standard.connectors.tabular.ids import normalise_part
from volunteer_standard.connectors.tabular.mapping import EntityMapping
from volunteer_standard.io.reader import Location
from volunteer_standard.text import Text

Fingerprint = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Conflict:
    """Two rows with the same key and different values for the same entity."""

    entity_type: str
    record_id: str
    first_row: int
    row: int
    fields: tuple[str, ...]
    policy: str

    def text(self) -> Text:
        fields = ", ".join(self.fields)
        kept = {"first": self.first_row, "last": self.row}.get(self.policy)
        what = f"{self.entity_type} {self.record_id!r}"
        if kept is None:
            return Text(
                f"{what}：第 {self.first_row} 行与第 {self.row} 行的 {fields} 不一致；"
                f"按 on_conflict = reject 退回第 {self.row} 行，请改成一致后重新导入",
                f"{what}: rows {self.first_row} and {self.row} differ in {fields}; row "
                f"{self.row} is rejected (on_conflict = reject): make them agree and import "
                "it again",
            )
        return Text(
            f"{what}：第 {self.first_row} 行与第 {self.row} 行的 {fields} 不一致；"
            f"保留第 {kept} 行（on_conflict = {self.policy}）",
            f"{what}: rows {self.first_row} and {self.row} differ in {fields}; kept row "
            f"{kept} (on_conflict = {self.policy})",
        )

    def problem(self) -> Problem:
        return Problem(
            "TAB141",
            self.text(),
            None,
            {"first_row": str(self.first_row), "row": str(self.row)},
        )


@dataclass(frozen=True)
class Verdict:
    """What a row's record is compared with what was seen before."""

    key: bytes | None
    fingerprint: Fingerprint
    new: bool
    conflict: Conflict | None

    @property
    def reject(self) -> bool:
        return self.conflict is not None and self.conflict.policy == "reject"


class Deduplicator:
    """The keys seen so far for one entity mapping, and the records held back."""

    def __init__(self, entity: EntityMapping, known: frozenset[str] = frozenset()) -> None:
        self.entity = entity
        self.known = known
        self._seen: dict[bytes, tuple[int, Fingerprint]] = {}
        self._held: _Held | None = _Held() if entity.on_conflict == "last" else None

    def key(self, data: Mapping[str, Any], cells: Mapping[str, Cell] | None = None) -> bytes | None:
        """A digest of the key columns' cells (or of the id); ``None`` when empty."""
        if self.entity.key and cells is not None:
            parts = [normalise_part(cell_text(cells.get(c, ""))) for c in self.entity.key]
        else:
            parts = [str(data.get("id") or "")]
        if not any(parts):
            return None
        text = "\x1f".join([self.entity.type, *parts])
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def classify(
        self, data: Mapping[str, Any], row: int, cells: Mapping[str, Cell] | None = None
    ) -> Verdict:
        key = self.key(data, cells)
        fingerprint = _fingerprint(data)
        if data.get("id") in self.known:
            return Verdict(None, fingerprint, False, None)
        if key is None:
            return Verdict(None, fingerprint, True, None)
        seen = self._seen.get(key)
        if seen is None:
            return Verdict(key, fingerprint, True, None)
        first_row, before = seen
        if before == fingerprint:
            return Verdict(key, fingerprint, False, None)
        conflict = Conflict(
            self.entity.type,
            str(data.get("id") or ""),
            first_row,
            row,
            _differences(before, fingerprint),
            self.entity.on_conflict,
        )
        return Verdict(key, fingerprint, False, conflict)

    def accept(
        self, verdict: Verdict, data: dict[str, Any], location: Location, raw: dict[str, Any]
    ) -> bool:
        """Record the verdict of an accepted row; ``True`` when the record goes out now."""
        if verdict.key is None:
            return verdict.new
        row = location.line or 0
        replaces = verdict.conflict is not None and self.entity.on_conflict == "last"
        if not (verdict.new or replaces):
            return False
        self._seen[verdict.key] = (row, verdict.fingerprint)
        if self._held is not None:
            self._held.put(verdict.key, data, location, raw)
            return False
        return verdict.new

    def held(self) -> Iterator[tuple[dict[str, Any], Location, dict[str, Any]]]:
        """The records held back (``last`` policy), in the order their keys first came."""
        if self._held is not None:
            yield from self._held.items()

    def close(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None


#: ``json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)``, its encoder made
#: once (``dumps`` with options builds one per call, the bulk of a fingerprint's cost).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def _fingerprint(data: Mapping[str, Any]) -> Fingerprint:
    canonical = _CANONICAL
    return tuple(sorted([(name, hash(canonical(value))) for name, value in data.items()]))


def _differences(before: Fingerprint, after: Fingerprint) -> tuple[str, ...]:
    old, new = dict(before), dict(after)
    return tuple(sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n)))


class _Held:
    """Records held until the end, in a temporary SQLite file (memory stays flat)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="vstd-dedup-")
        self._db = sqlite3.connect(Path(self._dir.name) / "held.sqlite")
        self._db.execute(
            "CREATE TABLE held (key BLOB PRIMARY KEY, seq INTEGER, record TEXT, file TEXT, "
            "line INTEGER, raw TEXT)"
        )
        self._seq = 0

    def put(
        self, key: bytes, data: dict[str, Any], location: Location, raw: dict[str, Any]
    ) -> None:
        self._seq += 1
        self._db.execute(
            "INSERT INTO held VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "record = excluded.record, file = excluded.file, line = excluded.line, "
            "raw = excluded.raw",
            (
                key,
                self._seq,
                json.dumps(data, ensure_ascii=False),
                location.file,
                location.line,
                json.dumps(raw, ensure_ascii=False),
            ),
        )

    def items(self) -> Iterator[tuple[dict[str, Any], Location, dict[str, Any]]]:
        for record, file, line, raw in self._db.execute(
            "SELECT record, file, line, raw FROM held ORDER BY seq"
        ):
            yield json.loads(record), Location(file, line, ""), json.loads(raw)

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


__all__ = ["Conflict", "Deduplicator", "Verdict"]
