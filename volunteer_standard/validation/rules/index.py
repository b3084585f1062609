"""The dataset index: what cross-record rules need, spilled to SQLite in a temporary directory.

Why SQLite: cross-record checks (references that point forward, overlaps between records far
apart in the file, per-volunteer sums, duplicates) need state proportional to the input. In
Python dicts that state would grow with the file; in an on-disk SQLite database the process
keeps only a bounded page cache, so a 5-million-record file validates in flat memory.

How: rows are appended to small in-memory batches and written with ``executemany`` inside
one transaction (journal off, no fsync: the database is scratch and deleted afterwards).
Indexes are created after the load, which is much faster than maintaining them per insert.
Every record keeps its location (line and JSON pointer) so that an issue found at the end
still points at the offending record.

Only the tables that the enabled rules ask for are filled. Personal identity numbers never
enter the index: duplicate detection stores a salted HMAC of the number, with a salt made
for this run only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.validation.report import Issue

#: Entity type ↔ small integer stored in the index.
KINDS: tuple[str, ...] = tuple(ENTITY_MODELS)
KIND_NO: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}

#: Service-record status → 2 effective, 1 still live (pending, open), 0 not counted.
STATUS_LEVEL: dict[str, int] = {"effective": 2, "pending": 1, "open": 1}

BATCH = 5_000

#: Table definitions: name → (columns, indexes created after the load, first row wins).
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    # Every structurally valid record with an id (service records: see "rec"): where it is.
    "ent": (
        (
            "seq INTEGER PRIMARY KEY",
            "kind INTEGER NOT NULL",
            "id TEXT NOT NULL",
            "line INTEGER",
            "ptr TEXT",
        ),
        ("CREATE INDEX ent_kind_id ON ent(kind, id, seq)",),
        False,
    ),
    # Ids of records that failed structural checks: they exist, so references to them resolve.
    "bad": (
        ("kind INTEGER NOT NULL", "id TEXT NOT NULL"),
        ("CREATE INDEX bad_kind_id ON bad(kind, id)",),
        False,
    ),
    # References from records other than service records (those live in "rec").
    "ref": (
        ("seq INTEGER NOT NULL", "path TEXT NOT NULL", "kind INTEGER NOT NULL", "id TEXT NOT NULL"),
        (),
        False,
    ),
    # Service records (the bulk of any input: they are not repeated in "ent"); times in
    # epoch seconds, day as YYYYMMDD in the record's own offset; line and pointer as in ent.
    "rec": (
        (
            "seq INTEGER PRIMARY KEY",
            "id TEXT NOT NULL",
            "vol TEXT NOT NULL",
            "org TEXT NOT NULL",
            "proj TEXT",
            "act TEXT",
            "s INTEGER NOT NULL",
            "e INTEGER NOT NULL",
            "day INTEGER NOT NULL",
            "status INTEGER NOT NULL",
            "credit INTEGER NOT NULL",
            "hours INTEGER NOT NULL",
            "ban INTEGER NOT NULL",
            "line INTEGER",
            "ptr TEXT",
        ),
        (
            "CREATE INDEX rec_vol ON rec(vol, s, e, status, credit)",
            "CREATE INDEX rec_id ON rec(id)",
        ),
        False,
    ),
    # Volunteers: birth as YYYYMMDD, guardian consent window, star, hashed ID number.
    "vol": (
        (
            "seq INTEGER PRIMARY KEY",
            "id TEXT NOT NULL",
            "birth INTEGER",
            "cfrom INTEGER",
            "cto INTEGER",
            "star INTEGER",
            "idh BLOB",
            "vno TEXT NOT NULL",
        ),
        (
            "CREATE INDEX vol_id ON vol(id)",
            "CREATE INDEX vol_idh ON vol(idh)",
            "CREATE INDEX vol_vno ON vol(vno)",
        ),
        False,
    ),
    # Projects and activities: the first record of an id wins (duplicates are VR602).
    "proj": (
        (
            "id TEXT PRIMARY KEY",
            "seq INTEGER NOT NULL",
            "s INTEGER NOT NULL",
            "e INTEGER",
            "ban INTEGER NOT NULL",
            "min_age INTEGER",
        ),
        (),
        True,
    ),
    "act": (
        ("id TEXT PRIMARY KEY", "seq INTEGER NOT NULL", "s INTEGER NOT NULL", "e INTEGER NOT NULL"),
        (),
        True,
    ),
    # Certificate lines (issued certificates only): one row per listed service record id.
    "cline": (
        (
            "seq INTEGER NOT NULL",
            "li INTEGER NOT NULL",
            "k INTEGER NOT NULL",
            "rid TEXT NOT NULL",
            "org TEXT NOT NULL",
            "vol TEXT",
            "ps INTEGER",
            "pe INTEGER",
        ),
        ("CREATE INDEX cline_rid ON cline(rid)",),
        False,
    ),
    # Hours and number of record ids of each certificate line that lists its records.
    "chours": (
        ("seq INTEGER NOT NULL", "li INTEGER NOT NULL", "hours INTEGER NOT NULL", "n INTEGER"),
        (),
        False,
    ),
    # Certificate holders that name their volunteer.
    "chold": (("seq INTEGER NOT NULL", "vol TEXT NOT NULL", "vno TEXT NOT NULL"), (), False),
}


def hash_id(salt: bytes, text: str) -> bytes:
    """A salted, truncated HMAC: equal numbers collide, the number cannot be recovered."""
    return hmac.new(salt, text.encode(), hashlib.sha256).digest()[:16]


def ymd(value: date) -> int:
    """A date as the integer YYYYMMDD: compact, and ordered like the date."""
    return value.year * 10000 + value.month * 100 + value.day


def ymd_date(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100)


_OFFSETS: dict[Any, int] = {}
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def epoch(value: datetime) -> int:
    """Epoch seconds of an aware datetime (sub-second part dropped).

    About 2.5x faster than ``datetime.timestamp()``, which matters once per service record:
    the offset of each distinct tzinfo is looked up once and cached.
    """
    tz = value.tzinfo
    offset = _OFFSETS.get(tz)
    if offset is None:
        delta = value.utcoffset()
        offset = int(delta.total_seconds()) if delta is not None else 0
        if len(_OFFSETS) < 1024:
            _OFFSETS[tz] = offset
    return (
        (value.toordinal() - _EPOCH_ORDINAL) * 86400
        + value.hour * 3600
        + value.minute * 60
        + value.second
        - offset
    )


class _Table:
    """Pending rows of one table and the statement that writes them."""

    __slots__ = ("db", "rows", "sql")

    def __init__(self, db: sqlite3.Connection, sql: str) -> None:
        self.db = db
        self.sql = sql
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        rows = self.rows
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.db.executemany(self.sql, self.rows)
            self.rows.clear()  # the same list: loaders may hold a reference to it


class DatasetIndex:
    """Scratch SQLite database holding the cross-record state of one validation run."""

    def __init__(
        self,
        source: str,
        tables: Sequence[str],
        *,
        workdir: str | Path | None = None,
        cache_mib: int = 4,
    ) -> None:
        self.source = source
        self._tmp = tempfile.TemporaryDirectory(prefix="vstd-index-", dir=workdir)
        self.path = Path(self._tmp.name) / "index.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "locking_mode=EXCLUSIVE",
            "temp_store=FILE",
            f"cache_size=-{cache_mib * 1024}",
        ):
            self.db.execute(f"PRAGMA {pragma}")
        self.salt = os.urandom(16)
        self.tables: dict[str, _Table] = {}
        self._indexes: list[str] = []
        self.db.execute("BEGIN")
        for name in ("ent", "bad", *tables):
            if name not in self.tables:
                self.define(name, *TABLES[name])
        self.finalized = False
        #: Latest service day (YYYYMMDD) seen, kept by the loader for range-limited queries.
        self.max_day = 0

    def define(
        self,
        name: str,
        columns: Sequence[str],
        indexes: Sequence[str] = (),
        first_wins: bool = False,
    ) -> _Table:
        """Create a table (plugins may add their own); ``indexes`` are built after the load.

        ``first_wins`` keeps the first row of a primary key and ignores later ones.
        """
        if name in self.tables:
            return self.tables[name]
        self.db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        verb = "INSERT OR IGNORE" if first_wins else "INSERT"
        marks = ", ".join("?" * len(columns))
        table = _Table(self.db, f"{verb} INTO {name} VALUES ({marks})")
        self.tables[name] = table
        self._indexes.extend(indexes)
        return table

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        """A salted, truncated HMAC: equal numbers collide, the number cannot be recovered."""
        return hash_id(self.salt, text)

    def finalize(self) -> None:
        """Write pending rows, commit, and build the indexes (once, after the load)."""
        if self.finalized:
            return
        for table in self.tables.values():
            table.flush()
        for sql in self._indexes:
            self.db.execute(sql)
        self.db.execute("COMMIT")
        self.finalized = True

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Stream the rows of a query (never fetched all at once)."""
        yield from self.db.execute(sql, params)

    def locate(self, seq: int) -> tuple[str, str | None, Location]:
        """Entity type, id and location of the record numbered ``seq``."""
        row = self.db.execute(
            "SELECT kind, id, line, ptr FROM ent WHERE seq = ?", (seq,)
        ).fetchone()
        if row is None and "rec" in self.tables:
            row = self.db.execute(
                f"SELECT {KIND_NO['service_record']}, id, line, ptr FROM rec WHERE seq = ?", (seq,)
            ).fetchone()
        if row is None:
            return "", None, Location(self.source)
        kind, rid, line, ptr = row
        return KINDS[kind], rid, Location(self.source, line, ptr or "")

    def issue(
        self, code: str, seq: int, path: str = "", params: dict[str, str] | None = None
    ) -> Issue:
        """An issue located at the record numbered ``seq``."""
        kind, rid, location = self.locate(seq)
        return Issue(
            code=code,
            location=location,
            path=path,
            entity_type=kind or None,
            record_id=rid,
            params=params or {},
            severity_override=None,
        )

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            self._tmp.cleanup()
