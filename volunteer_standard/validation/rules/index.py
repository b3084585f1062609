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

import bisect
import hashlib
import hmac
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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

#: "No service day": later than any YYYYMMDD, the start of the search for the earliest.
NO_DAY = 10**8

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
            # seq before status: the order of the overlap check's window, with no sort.
            "CREATE INDEX rec_vol ON rec(vol, s, e, seq, status, credit)",
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

    __slots__ = ("columns", "db", "name", "rows", "sql", "verb")

    def __init__(
        self, db: sqlite3.Connection, name: str, verb: str, columns: Sequence[str]
    ) -> None:
        self.db = db
        self.name = name
        self.verb = verb
        #: The column names (``seq`` numbers records: see :meth:`DatasetIndex.absorb`).
        self.columns = tuple(column.split()[0] for column in columns)
        self.sql = f"{verb} INTO {name} VALUES ({', '.join('?' * len(columns))})"
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


def _connect(path: str | Path, *, cache_mib: int) -> sqlite3.Connection:
    """A connection for scratch data: no journal, no fsync (the file is deleted afterwards)."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{cache_mib * 1024}"):
        db.execute(f"PRAGMA {pragma}")
    return db


def _create(db: sqlite3.Connection, name: str, columns: Sequence[str], first_wins: bool) -> _Table:
    db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
    return _Table(db, name, "INSERT OR IGNORE" if first_wins else "INSERT", columns)


class BatchIndex:
    """The index rows of one batch of records, in an in-memory SQLite database.

    Why: a worker process checks a batch, and the main process's index needs the batch's
    rows. Sent as an image of this database (:meth:`image`, a few hundred KiB of bytes),
    they are appended by the main process with one ``INSERT … SELECT`` per table
    (:meth:`DatasetIndex.absorb`), in SQLite's own code: the per-row work of writing them
    is the worker's. Offers the ``tables``/``hash_id`` surface the rule engine fills.
    """

    def __init__(self, tables: Sequence[str], salt: bytes) -> None:
        self.salt = salt
        self.db = _connect(":memory:", cache_mib=64)
        self.tables: dict[str, _Table] = {}
        for name in ("ent", "bad", *tables):
            if name not in self.tables:
                columns, _indexes, first_wins = TABLES[name]
                self.tables[name] = _create(self.db, name, columns, first_wins)
        #: Earliest service day (YYYYMMDD) seen, as :attr:`DatasetIndex.min_day`.
        self.min_day = NO_DAY
        self.db.execute("BEGIN")

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        """The main index's hash (same salt), so duplicates match across batches."""
        return hash_id(self.salt, text)

    def image(self) -> bytes | None:
        """The rows added since :meth:`clear`, as a database image (``None``: no rows)."""
        db = self.db
        for table in self.tables.values():
            table.flush()
        db.execute("COMMIT")
        try:
            if not any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in self.tables):
                return None
            return db.serialize()
        finally:
            db.execute("BEGIN")

    def clear(self) -> None:
        """Drop every row, for the next batch."""
        for name, table in self.tables.items():
            table.rows.clear()
            self.db.execute(f"DELETE FROM {name}")
        self.min_day = NO_DAY

    def close(self) -> None:
        self.db.close()


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
        #: A folder of files: the first record number of each file and the file's label.
        self._file_starts: list[int] = []
        self._file_labels: list[str] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(
            prefix="vstd-index-", dir=workdir
        )
        self.path = Path(self._tmp.name) / "index.sqlite"
        self.db = _connect(self.path, cache_mib=cache_mib)
        for pragma in ("locking_mode=EXCLUSIVE", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.salt = os.urandom(16)
        self.tables: dict[str, _Table] = {}
        self._indexes: list[str] = []
        self.db.execute("BEGIN")
        for name in ("ent", "bad", *tables):
            if name not in self.tables:
                self.define(name, *TABLES[name])
        self.finalized = False
        self._batch_attached = False
        self._built = 0  # indexes built (the first ones of _indexes)
        #: Earliest service day (YYYYMMDD) seen (``NO_DAY``: none), kept by the loader:
        #: the minors check leaves out volunteers of age on that day.
        self.min_day = NO_DAY

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
        table = _create(self.db, name, columns, first_wins)
        self.tables[name] = table
        self._indexes.extend(indexes)
        return table

    def has(self, name: str) -> bool:
        return name in self.tables

    def hash_id(self, text: str) -> bytes:
        """A salted, truncated HMAC: equal numbers collide, the number cannot be recovered."""
        return hash_id(self.salt, text)

    def absorb(self, image: bytes, before: int) -> None:
        """Append a batch's rows (an image made by :meth:`BatchIndex.image`, its records
        numbered from 1) after those already here, as if they had been added one by one
        with their records numbered from ``before + 1``."""
        db = self.db
        for table in self.tables.values():
            table.flush()
        if not self._batch_attached:
            db.execute("ATTACH ':memory:' AS batch")
            self._batch_attached = True
        db.deserialize(image, name="batch")
        present = {name for (name,) in db.execute("SELECT name FROM batch.sqlite_master")}
        for name, table in self.tables.items():
            if name in present:
                columns = ", ".join("seq + :before" if c == "seq" else c for c in table.columns)
                db.execute(
                    f"{table.verb} INTO main.{name} SELECT {columns} FROM batch.{name}",
                    {"before": before},
                )

    def build_indexes(self) -> None:
        """Build the indexes now, before the last rows: when most rows are in and other
        processes still work on the rest, this takes the building off the end of the run
        (the last rows then update them). The queries are the same either way."""
        for table in self.tables.values():
            table.flush()
        for sql in self._indexes[self._built :]:
            self.db.execute(sql)
        self._built = len(self._indexes)

    def finalize(self) -> None:
        """Write pending rows, build the indexes and commit (once, after the load)."""
        if self.finalized:
            return
        self.build_indexes()
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
        return KINDS[kind], rid, Location(self.file_of(seq), line, ptr or "")

    def start_file(self, seq: int, label: str) -> None:
        """Records from number ``seq`` on come from the file ``label`` (a folder input)."""
        self._file_starts.append(seq)
        self._file_labels.append(label)

    def named_line(self, seq: int, line: str, seen_from: int) -> str:
        """``line`` (of record ``seq``) as an issue about record ``seen_from`` names it: with
        its file when the two records sit in different files of a folder."""
        if not self._file_starts or self.file_of(seq) == self.file_of(seen_from):
            return line
        return f"{self.file_of(seq)}:{line}"

    def file_of(self, seq: int) -> str:
        """The label of the file that holds record ``seq`` (the input's, for one file)."""
        at = bisect.bisect_right(self._file_starts, seq) - 1
        return self._file_labels[at] if at >= 0 else self.source

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

    def shared(self) -> SharedIndex:
        """What another process needs to open this index read-only once it is finalized
        (:class:`OpenedIndex`): cross-record rules can then run there."""
        return SharedIndex(
            str(self.path),
            self.source,
            tuple(self.tables),
            tuple(self._file_starts),
            tuple(self._file_labels),
            self.min_day,
        )

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._tmp is not None:
                self._tmp.cleanup()


@dataclass(frozen=True, slots=True)
class SharedIndex:
    """A finalized index, as another process opens it (see :meth:`DatasetIndex.shared`)."""

    path: str
    source: str
    tables: tuple[str, ...]
    file_starts: tuple[int, ...]
    file_labels: tuple[str, ...]
    min_day: int


class OpenedIndex(DatasetIndex):
    """A finalized index of another process, read-only, for its cross-record rules.

    Opened ``immutable``: the owner writes nothing more while the rules run, so readers
    take no locks, and any number of processes read the file at once.
    """

    def __init__(self, shared: SharedIndex, *, cache_mib: int = 16) -> None:
        self.source = shared.source
        self._file_starts = list(shared.file_starts)
        self._file_labels = list(shared.file_labels)
        self._tmp = None
        self.path = Path(shared.path)
        uri = f"{self.path.as_uri()}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, isolation_level=None, check_same_thread=False, uri=True)
        self.db.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")
        self.salt = b""
        self.tables = {name: _Table(self.db, name, "INSERT", ()) for name in shared.tables}
        self._indexes = []
        self.finalized = True
        self._batch_attached = False
        self.min_day = shared.min_day
