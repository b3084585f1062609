"""One person across source systems: merged record, hours without double counting, stars.

Merge rules (documented in docs/hub.md):

* A field's value comes from the volunteer record that is newest at its source
  (``provenance.retrieved_at``, else the time the hub received it) among those that have
  the field; ``registered_on`` is the earliest date any system has.
* List fields (regions, categories, skills, languages, availability, volunteer types) are
  the union, in order of first appearance.
* ``id`` is the person id; ``identifiers`` lists the person's id in every source system
  (scheme = source system); ``organization_ids`` (ids local to each system) and
  ``star_level`` (recomputed by the hub) are not merged.
* ``provenance`` tells, per field, which system's record the value came from and when.

Hours: only records with status ``effective`` count. Two records of the same person on
the same day (Beijing time) for the same organization (matched across systems by unified
social credit code) whose times overlap report the same service: the longer one counts
(on equal hours, the one the hub received first) and the other is listed as its duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from volunteer_standard.hub import db
from volunteer_standard.profiles import Profile

CST = timezone(timedelta(hours=8))
_LISTS = (
    "service_regions",
    "service_categories",
    "skills",
    "languages",
    "availability",
    "volunteer_types",
)
_SKIP = ("id", "type", "identifiers", "organization_ids", "star_level", "provenance")


@dataclass
class Service:
    """One service record of a person, as the hours computation sees it."""

    item_id: str
    source_system: str
    day: str
    organization: str
    start: datetime
    end: datetime
    hours: Decimal
    hours_type: str
    modified: int
    counted: bool = True
    duplicate_of: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "source_system": self.source_system,
            "day": self.day,
            "organization": self.organization,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "hours": f"{self.hours:.2f}",
            "counted": self.counted,
            "duplicate_of": self.duplicate_of,
        }


def resolve_duplicates(services: list[Service]) -> None:
    """Mark overlapping reports of the same service (see the module docstring)."""
    order = sorted(services, key=lambda s: (-s.hours, s.modified, s.item_id))
    kept: dict[tuple[str, str], list[Service]] = {}
    for service in order:
        group = kept.setdefault((service.day, service.organization), [])
        twin = next((k for k in group if service.start < k.end and k.start < service.end), None)
        if twin is None:
            group.append(service)
        else:
            service.counted = False
            service.duplicate_of = twin.item_id


def star_level(hours: Decimal, profile: Profile) -> int:
    """Stars 0-5: how many of the profile's thresholds the hours reach."""
    return sum(hours >= t for t in profile.stars.thresholds)


def merge_volunteers(
    rows: list[tuple[str, str, int, dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge ``(source_system, record_id, modified, data)`` volunteer records into one, with
    per-field provenance."""

    def freshness(row: tuple[str, str, int, dict[str, Any]]) -> tuple[str, int]:
        prov = row[3].get("provenance")
        at = prov.get("retrieved_at") if isinstance(prov, dict) else None
        stamp = (
            datetime.fromisoformat(at).astimezone(CST).isoformat() if isinstance(at, str) else ""
        )
        return (stamp, row[2])

    merged: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for system, rid, modified, data in sorted(rows, key=freshness):
        source = {"source_system": system, "record_id": rid, "modified": modified}
        for name, value in data.items():
            if name in _SKIP or value is None:
                continue
            if name in _LISTS and isinstance(value, list):
                have = merged.setdefault(name, [])
                have.extend(v for v in value if v not in have)
                provenance.setdefault(name, [])
                if source not in provenance[name]:
                    provenance[name].append(source)
            elif name == "registered_on" and name in merged:
                if str(value) < str(merged[name]):
                    merged[name], provenance[name] = value, source
            else:  # later (fresher) records overwrite earlier ones
                merged[name], provenance[name] = value, source
    return merged, provenance


class People:
    """Read-side aggregation over the hub's records."""

    def __init__(self, engine: Engine, profile: Profile) -> None:
        self.engine = engine
        self.profile = profile

    def ids(self, *, after: str | None, limit: int) -> list[str]:
        query = select(db.identity_links.c.person).distinct().order_by(db.identity_links.c.person)
        if after:
            query = query.where(db.identity_links.c.person > after)
        with self.engine.connect() as conn:
            return [row.person for row in conn.execute(query.limit(limit))]

    def links(self, person: str) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(db.identity_links.c.source_system, db.identity_links.c.volunteer_id)
                .where(db.identity_links.c.person == person)
                .order_by(db.identity_links.c.source_system, db.identity_links.c.volunteer_id)
            ).all()
        return [(r.source_system, r.volunteer_id) for r in rows]

    def services(self, person: str) -> list[Service]:
        """The person's effective service records, with duplicates marked."""
        r = db.records
        out: list[Service] = []
        with self.engine.connect() as conn:
            org_keys: dict[str, str] = {}
            for system, vid in self.links(person):
                rows = conn.execute(
                    select(r.c.item_id, r.c.data, r.c.modified).where(
                        r.c.source_system == system,
                        r.c.volunteer_ref == vid,
                        r.c.entity_type == "service_record",
                        r.c.deleted.is_(False),
                    )
                ).all()
                for row in rows:
                    data = row.data
                    if data.get("status") != "effective":
                        continue
                    org = f"{system}/{data['organization_id']}"
                    if org not in org_keys:
                        org_keys[org] = self._org_key(conn, org)
                    start = datetime.fromisoformat(data["start"])
                    out.append(
                        Service(
                            item_id=row.item_id,
                            source_system=system,
                            day=start.astimezone(CST).date().isoformat(),
                            organization=org_keys[org],
                            start=start,
                            end=datetime.fromisoformat(data["end"]),
                            hours=Decimal(data["hours"]),
                            hours_type=str(data.get("hours_type") or "1"),
                            modified=row.modified,
                        )
                    )
        resolve_duplicates(out)
        out.sort(key=lambda s: (s.start, s.item_id))
        return out

    @staticmethod
    def _org_key(conn: Any, item_id: str) -> str:
        """An organization across systems: ``uscc:<code>`` when known, else its item id."""
        row = conn.execute(
            select(db.records.c.data).where(
                db.records.c.entity_type == "organization", db.records.c.item_id == item_id
            )
        ).first()
        uscc = row.data.get("uscc") if row is not None and row.data else None
        return f"uscc:{uscc}" if uscc else item_id

    def get(self, person: str) -> dict[str, Any] | None:
        """Everything the hub knows about one person (see :class:`PersonOut`)."""
        links = self.links(person)
        if not links:
            return None
        r = db.records
        rows: list[tuple[str, str, int, dict[str, Any]]] = []
        with self.engine.connect() as conn:
            for system, vid in links:
                row = conn.execute(
                    select(r.c.data, r.c.modified).where(
                        r.c.entity_type == "volunteer",
                        r.c.item_id == f"{system}/{vid}",
                        r.c.deleted.is_(False),
                    )
                ).first()
                if row is not None:
                    rows.append((system, vid, row.modified, row.data))
        merged, provenance = merge_volunteers(rows)
        volunteer = {
            "type": "volunteer",
            "id": person,
            "identifiers": [{"scheme": system, "value": vid} for system, vid in links],
            **merged,
        }
        services = self.services(person)
        counted = [s for s in services if s.counted]
        total = sum((s.hours for s in counted), Decimal(0))
        star_types = set(self.profile.stars.hours_types)
        star_hours = sum((s.hours for s in counted if s.hours_type in star_types), Decimal(0))
        return {
            "person": person,
            "volunteer": volunteer,
            "provenance": provenance,
            "links": [
                {"source_system": system, "volunteer_id": vid, "item_id": f"{system}/{vid}"}
                for system, vid in links
            ],
            "effective_hours": f"{total:.2f}",
            "star_level": star_level(star_hours, self.profile),
            "star_hours": f"{star_hours:.2f}",
            "service_records": [s.to_json() for s in services],
            "duplicates": [s.to_json() for s in services if not s.counted],
        }
