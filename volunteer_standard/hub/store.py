"""The record store: batch submit and incremental feeds (the RPDE pattern).

Every change to a record gets a new position ``modified`` from the hub's change counter
(microseconds since the epoch, strictly increasing). Writers take the counter's row lock
first and keep it until commit, so positions become visible in increasing order: a
consumer that remembers the last ``(modified, id)`` it saw and asks for what comes after
never misses a change and never sees one twice. A deletion is kept as a tombstone (the
record's row with ``deleted`` set and no data) so that consumers learn about it too.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, Engine, and_, insert, or_, select, update

from volunteer_standard.hub import db
from volunteer_standard.hub.aggregate.identity import person_key
from volunteer_standard.hub.checks import batch_checker, issue_json
from volunteer_standard.hub.regions import own_region, volunteer_ref
from volunteer_standard.hub.tokens import Principal
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.models.introspect import sensitive_fields, values_at
from volunteer_standard.profiles import Profile
from volunteer_standard.text import Text

CST = timezone(timedelta(hours=8))

#: Rejections the hub itself makes (the library's rule codes cover the records' content).
HUB_CODES: dict[str, Text] = {
    "HUB101": Text(
        "同一个幂等键已用于另一条不同的记录",
        "the idempotency key was already used for a different record",
    ),
    "HUB102": Text(
        "记录所属地区 {region} 不在令牌的地区范围内",
        "the record's region {region} is outside the token's region scope",
    ),
    "HUB103": Text(
        "删除请求需要 type 和 id",
        "a deletion needs the record's type and id",
    ),
    "HUB104": Text(
        "同一批次中多次出现同一条记录（{type} {id}），只保留第一次",
        "the same record ({type} {id}) appears more than once in the batch; the first is kept",
    ),
}


def hub_issue(code: str, **params: str) -> dict[str, Any]:
    text = HUB_CODES[code].format(**params)
    return {
        "code": code,
        "name": "hub",
        "severity": "error",
        "path": "",
        "message": {"zh": text.zh, "en": text.en},
    }


@dataclass
class SubmitItem:
    """One item of a batch: a record to create or replace, or a deletion."""

    key: str | None = None
    action: Literal["upsert", "delete"] = "upsert"
    record: Any = None
    type: str | None = None
    id: str | None = None

    def digest(self) -> str:
        body = {"a": self.action, "r": self.record, "t": self.type, "i": self.id}
        return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass
class ItemResult:
    """What happened to one item."""

    status: Literal["accepted", "rejected"]
    key: str | None = None
    type: str | None = None
    id: str | None = None
    item_id: str | None = None
    modified: int | None = None
    unchanged: bool = False
    replayed: bool = False
    issues: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "key": self.key,
            "type": self.type,
            "id": self.id,
            "item_id": self.item_id,
            "modified": self.modified,
            "unchanged": self.unchanged,
            "replayed": self.replayed,
            "issues": self.issues,
        }


def now_us() -> int:
    return time.time_ns() // 1000


def _allocate(conn: Connection, count: int) -> int:
    """Reserve ``count`` positions; returns the first. Holds the counter lock until commit."""
    conn.execute(update(db.clock).where(db.clock.c.id == 1).values(value=db.clock.c.value))
    last = conn.execute(select(db.clock.c.value).where(db.clock.c.id == 1)).scalar_one()
    first = max(int(last) + 1, now_us())
    conn.execute(update(db.clock).where(db.clock.c.id == 1).values(value=first + count - 1))
    return first


def lock_writes(conn: Connection) -> None:
    """Serialise with every other writer for the rest of this transaction."""
    conn.execute(update(db.clock).where(db.clock.c.id == 1).values(value=db.clock.c.value))


def write_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the write lock at BEGIN (SQLite)."""
    return engine.connect().execution_options(hub_write=True)


def has_sensitive(kind: str, data: dict[str, Any]) -> bool:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        return False
    return any(values_at(data, path) for path in sensitive_fields(model))


@dataclass
class _Prepared:
    index: int
    item: SubmitItem
    digest: str
    result: ItemResult
    kind: str = ""
    rid: str = ""
    data: dict[str, Any] | None = None
    region: str = ""
    issue_codes: list[str] = field(default_factory=list)


class Store:
    """Submit and read records in the hub's database."""

    def __init__(self, engine: Engine, profile: Profile, secret: bytes) -> None:
        self.engine = engine
        self.profile = profile
        self.secret = secret

    # -- submit -----------------------------------------------------------------------------

    def submit(
        self,
        principal: Principal,
        items: Sequence[SubmitItem],
        *,
        before_commit: Callable[[], None] | None = None,
    ) -> list[ItemResult]:
        """Check and store a batch; one result per item, in order.

        The batch is one transaction: it is stored completely or not at all.
        ``before_commit`` runs inside the transaction (the server uses it to abandon a
        batch when asked to stop).
        """
        system = principal.source_system
        prepared = self._check(principal, items)
        with write_connection(self.engine) as conn, conn.begin():
            lock_writes(conn)
            self._replay(conn, system, prepared)
            self._regions(conn, principal, prepared)
            live = [p for p in prepared if p.result.status == "accepted" and not p.result.replayed]
            self._dedupe(live)
            live = [p for p in live if p.result.status == "accepted"]
            self._write(conn, system, live)
            self._remember(conn, system, prepared)
            self._stats(conn, system, prepared)
            if before_commit is not None:
                before_commit()
        return [p.result for p in prepared]

    def _check(self, principal: Principal, items: Sequence[SubmitItem]) -> list[_Prepared]:
        out: list[_Prepared] = []
        with batch_checker(self.profile, principal.source_system) as checker:
            for index, item in enumerate(items):
                prep = _Prepared(index, item, item.digest(), ItemResult("accepted", key=item.key))
                out.append(prep)
                if item.action == "delete":
                    if not item.type or not item.id or item.type not in ENTITY_MODELS:
                        prep.result.status = "rejected"
                        prep.result.issues.append(hub_issue("HUB103"))
                        prep.issue_codes.append("HUB103")
                        continue
                    prep.kind, prep.rid = item.type, item.id
                else:
                    data = item.record
                    obj, issues = checker.check(data, index)
                    prep.result.issues = [issue_json(i) for i in issues]
                    prep.issue_codes = [i.code for i in issues]
                    if isinstance(data, dict):
                        prep.kind = str(data.get("type", ""))
                        prep.rid = str(data.get("id", ""))
                    if obj is None:
                        prep.result.status = "rejected"
                        continue
                    prep.kind, prep.rid = obj.type, obj.id
                    prep.data = obj.model_dump(mode="json", exclude_none=True)
                prep.result.type = prep.kind
                prep.result.id = prep.rid
                prep.result.item_id = f"{principal.source_system}/{prep.rid}"
        return out

    def _replay(self, conn: Connection, system: str, prepared: list[_Prepared]) -> None:
        keys = [p.item.key for p in prepared if p.item.key]
        if not keys:
            return
        seen: dict[str, tuple[str, dict[str, Any]]] = {}
        for chunk in _chunks(keys, 500):
            rows = conn.execute(
                select(db.submissions.c.key, db.submissions.c.content_hash, db.submissions.c.result)
                .where(db.submissions.c.source_system == system)
                .where(db.submissions.c.key.in_(chunk))
            )
            for row in rows:
                seen[row.key] = (row.content_hash, dict(row.result))
        for prep in prepared:
            if not prep.item.key or prep.item.key not in seen:
                continue
            digest, stored = seen[prep.item.key]
            if digest == prep.digest:
                prep.result = ItemResult(**{**stored, "replayed": True})
            else:
                prep.result = ItemResult(
                    "rejected", key=prep.item.key, issues=[hub_issue("HUB101")], replayed=True
                )

    def _regions(self, conn: Connection, principal: Principal, prepared: list[_Prepared]) -> None:
        scopes = principal.scopes
        home = next((r for r in scopes.regions if r != "*"), "")
        refs: dict[str, str] = {}
        for prep in prepared:
            if prep.data is not None and prep.kind == "volunteer":
                refs[prep.rid] = own_region("volunteer", prep.data)
        wanted = {
            ref
            for p in prepared
            if p.data is not None
            for ref in [volunteer_ref(p.kind, p.data)]
            if ref is not None and ref not in refs
        }
        for chunk in _chunks(sorted(wanted), 500):
            ids = [f"{principal.source_system}/{r}" for r in chunk]
            rows = conn.execute(
                select(db.records.c.record_id, db.records.c.region).where(
                    db.records.c.entity_type == "volunteer", db.records.c.item_id.in_(ids)
                )
            )
            refs.update({row.record_id: row.region for row in rows})
        existing = self._existing(conn, principal.source_system, prepared, deletes_only=True)
        for prep in prepared:
            if prep.result.status != "accepted" or prep.result.replayed:
                continue
            if prep.data is None:  # a deletion keeps the region the record had
                key = (prep.kind, f"{principal.source_system}/{prep.rid}")
                prep.region = existing.get(key, home)
            else:
                ref = volunteer_ref(prep.kind, prep.data)
                region = own_region(prep.kind, prep.data) or (refs.get(ref, "") if ref else "")
                prep.region = region or home
            if (prep.region and not scopes.allows_region(prep.region)) or (
                not prep.region and "*" not in scopes.regions
            ):
                prep.result.status = "rejected"
                prep.result.issues.append(hub_issue("HUB102", region=prep.region or "?"))
                prep.issue_codes.append("HUB102")

    def _existing(
        self, conn: Connection, system: str, prepared: list[_Prepared], *, deletes_only: bool
    ) -> dict[tuple[str, str], str]:
        keys = [
            (p.kind, f"{system}/{p.rid}")
            for p in prepared
            if p.kind and (not deletes_only or p.item.action == "delete")
        ]
        rows = _rows_by_key(conn, keys, db.records.c.region)
        return {(r.entity_type, r.item_id): r.region for r in rows}

    @staticmethod
    def _dedupe(live: list[_Prepared]) -> None:
        seen: set[tuple[str, str]] = set()
        for prep in live:
            key = (prep.kind, prep.rid)
            if key in seen:
                prep.result.status = "rejected"
                prep.result.issues.append(hub_issue("HUB104", type=prep.kind, id=prep.rid))
                prep.issue_codes.append("HUB104")
            seen.add(key)

    def _write(self, conn: Connection, system: str, live: list[_Prepared]) -> None:
        if not live:
            return
        keys = [(p.kind, f"{system}/{p.rid}") for p in live]
        rows = _rows_by_key(conn, keys, db.records.c.content_hash, db.records.c.deleted)
        current = {(r.entity_type, r.item_id): (r.content_hash, r.deleted) for r in rows}
        changes: list[_Prepared] = []
        for prep in live:
            key = (prep.kind, f"{system}/{prep.rid}")
            have = current.get(key)
            if prep.data is None:
                if have is None or have[1]:
                    prep.result.unchanged = True
                    continue
            else:
                digest = _content_hash(prep.data)
                if have is not None and have == (digest, False):
                    prep.result.unchanged = True
                    continue
            changes.append(prep)
        if not changes:
            return
        first = _allocate(conn, len(changes))
        inserts: list[dict[str, Any]] = []
        for offset, prep in enumerate(changes):
            item_id = f"{system}/{prep.rid}"
            prep.result.modified = first + offset
            row = {
                "source_system": system,
                "record_id": prep.rid,
                "region": prep.region,
                "volunteer_ref": volunteer_ref(prep.kind, prep.data) if prep.data else None,
                "modified": first + offset,
                "deleted": prep.data is None,
                "content_hash": _content_hash(prep.data) if prep.data is not None else "",
                "data": prep.data,
                "sensitive": prep.data is not None and has_sensitive(prep.kind, prep.data),
            }
            if (prep.kind, item_id) in current:
                conn.execute(
                    update(db.records)
                    .where(db.records.c.entity_type == prep.kind, db.records.c.item_id == item_id)
                    .values(**row)
                )
            else:
                inserts.append({"entity_type": prep.kind, "item_id": item_id, **row})
            if prep.kind == "volunteer":
                self._link(conn, system, prep)
        if inserts:
            conn.execute(insert(db.records), inserts)

    def _link(self, conn: Connection, system: str, prep: _Prepared) -> None:
        conn.execute(
            db.identity_links.delete().where(
                db.identity_links.c.source_system == system,
                db.identity_links.c.volunteer_id == prep.rid,
            )
        )
        if prep.data is not None:
            conn.execute(
                insert(db.identity_links).values(
                    source_system=system,
                    volunteer_id=prep.rid,
                    person=person_key(self.secret, system, prep.data),
                )
            )

    @staticmethod
    def _remember(conn: Connection, system: str, prepared: list[_Prepared]) -> None:
        rows = [
            {
                "source_system": system,
                "key": p.item.key,
                "content_hash": p.digest,
                "result": p.result.to_json(),
                "at": now_us(),
            }
            for p in prepared
            if p.item.key and not p.result.replayed
        ]
        unique = list({row["key"]: row for row in rows}.values())
        if unique:
            conn.execute(insert(db.submissions), unique)

    @staticmethod
    def _stats(conn: Connection, system: str, prepared: list[_Prepared]) -> None:
        fresh = [p for p in prepared if not p.result.replayed]
        accepted = sum(p.result.status == "accepted" for p in fresh)
        rejected = len(fresh) - accepted
        stamp = now_us()
        done = conn.execute(
            update(db.systems)
            .where(db.systems.c.source_system == system)
            .values(
                last_sync=stamp,
                accepted=db.systems.c.accepted + accepted,
                rejected=db.systems.c.rejected + rejected,
            )
        ).rowcount
        if not done:
            conn.execute(
                insert(db.systems).values(
                    source_system=system, last_sync=stamp, accepted=accepted, rejected=rejected
                )
            )
        counts = Counter(code for p in fresh for code in p.issue_codes)
        if not counts:
            return
        day = datetime.now(UTC).astimezone(CST).date().isoformat()
        for code, count in sorted(counts.items()):
            done = conn.execute(
                update(db.quality)
                .where(
                    db.quality.c.source_system == system,
                    db.quality.c.day == day,
                    db.quality.c.code == code,
                )
                .values(count=db.quality.c.count + count)
            ).rowcount
            if not done:
                conn.execute(
                    insert(db.quality).values(source_system=system, day=day, code=code, count=count)
                )

    # -- feeds ------------------------------------------------------------------------------

    def feed(
        self,
        kind: str,
        *,
        after_timestamp: int | None,
        after_id: str | None,
        limit: int,
        regions: Iterable[str] = ("*",),
        source_system: str | None = None,
    ) -> list[dict[str, Any]]:
        """Feed items after the bookmark, oldest first: ``{id, modified, state, kind, data}``."""
        r = db.records
        query = select(
            r.c.item_id,
            r.c.modified,
            r.c.deleted,
            r.c.data,
            r.c.source_system,
            r.c.record_id,
            r.c.region,
            r.c.sensitive,
        ).where(r.c.entity_type == kind)
        if after_timestamp is not None:
            query = query.where(
                or_(
                    r.c.modified > after_timestamp,
                    and_(r.c.modified == after_timestamp, r.c.item_id > (after_id or "")),
                )
            )
        prefixes = list(regions)
        if "*" not in prefixes:
            query = query.where(or_(*[r.c.region.startswith(p) for p in prefixes]))
        if source_system is not None:
            query = query.where(r.c.source_system == source_system)
        query = query.order_by(r.c.modified, r.c.item_id).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        items: list[dict[str, Any]] = []
        for row in rows:
            item: dict[str, Any] = {
                "id": row.item_id,
                "modified": row.modified,
                "state": "deleted" if row.deleted else "updated",
                "kind": kind,
                "source_system": row.source_system,
                "record_id": row.record_id,
                "region": row.region,
            }
            if not row.deleted:
                item["data"] = row.data
            items.append(item)
        return items


def _rows_by_key(conn: Connection, keys: Sequence[tuple[str, str]], *columns: Any) -> list[Any]:
    """Rows of ``records`` for ``(entity_type, item_id)`` keys, queried per entity type so
    that every database uses the primary key index."""
    by_kind: dict[str, list[str]] = {}
    for kind, item_id in keys:
        by_kind.setdefault(kind, []).append(item_id)
    rows: list[Any] = []
    r = db.records
    for kind, ids in by_kind.items():
        for chunk in _chunks(sorted(set(ids)), 500):
            rows.extend(
                conn.execute(
                    select(r.c.entity_type, r.c.item_id, *columns).where(
                        r.c.entity_type == kind, r.c.item_id.in_(chunk)
                    )
                )
            )
    return rows


def _content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
