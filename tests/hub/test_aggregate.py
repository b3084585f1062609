"""Aggregation across systems: identity links, merge, hours without double counting, stars,
and the service-points ledger. The scenario runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.hub.conftest import (
    SECRET,
    RunningHub,
    items,
    organization,
    resident_id,
    service,
    uscc,
    volunteer,
)
from volunteer_standard.hub import db
from volunteer_standard.hub.aggregate.identity import person_key
from volunteer_standard.hub.aggregate.people import Service, merge_volunteers, resolve_duplicates
from volunteer_standard.hub.settings import HubSettings

PROFILE = """
name = "hub-test"
extends = "national"
[stars]
thresholds = [1, 5, 10, 20, 50]
[points]
rate = 2
"""

NUMBER_A = resident_id(1)
NUMBER_B = resident_id(2, "310115")
ORG_1 = uscc(1)
ORG_2 = uscc(2)


@pytest.fixture
def hub_settings(db_url: str, tmp_path: Path) -> HubSettings:
    profile = tmp_path / "hub-test.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    return HubSettings(db_url=db_url, secret=SECRET, profile=str(profile))


def _day(day: int, start: str, end: str) -> tuple[str, str]:
    return f"2024-03-{day:02d}T{start}:00+08:00", f"2024-03-{day:02d}T{end}:00+08:00"


def _push_scenario(hub: RunningHub) -> dict[str, Any]:
    """Two regional systems report overlapping data about the same people."""
    bj = hub.client(hub.token("bj", "bj-sys", write=True, regions=["11"]))
    sh = hub.client(hub.token("sh", "sh-sys", write=True, regions=["31"]))
    bj_records = [
        organization("o1", code=ORG_1),
        volunteer(
            "a1",
            number=NUMBER_A,
            name="测试甲",
            registered_on="2020-05-01",
            service_categories=["0001"],
            provenance={"source_system": "bj", "retrieved_at": "2024-01-01T00:00:00+08:00"},
        ),
        volunteer("b1", number=NUMBER_B, name="测试乙", region="110108"),
        service("s1", "a1", "o1", *_day(5, "09:00", "12:00"), "3.00"),
        service("s2", "a1", "o1", *_day(6, "09:00", "11:00"), "2.00"),
        service("s3", "a1", "o1", *_day(7, "09:00", "11:00"), "2.00", status="pending"),
        service("s4", "b1", "o1", *_day(5, "09:00", "10:00"), "1.00"),
    ]
    sh_records = [
        organization("org-9", code=ORG_1, region="310115"),  # the same organization
        organization("org-10", code=ORG_2, region="310115"),
        volunteer(
            "x7",
            number=NUMBER_A,
            name="测试甲乙",
            region="310115",
            registered_on="2021-02-03",
            service_categories=["0006", "0001"],
            provenance={"source_system": "sh", "retrieved_at": "2024-02-01T00:00:00+08:00"},
        ),
        # Same service as bj s1 (same day, same organization, overlapping): shorter, so a duplicate.
        service("r1", "x7", "org-9", *_day(5, "09:30", "12:00"), "2.50"),
        # Later that afternoon: a different service.
        service("r2", "x7", "org-9", *_day(5, "14:00", "16:00"), "2.00"),
        # Same time, another organization: not the same service.
        service("r3", "x7", "org-10", *_day(5, "09:00", "12:00"), "3.00"),
        # Exactly bj s2 again: equal hours, bj's arrived first, so this one is the duplicate.
        service("r4", "x7", "org-9", *_day(6, "09:00", "11:00"), "2.00"),
        # Honour hours count in the total, not for stars.
        service("r5", "x7", "org-10", *_day(8, "09:00", "10:00"), "1.00", hours_type="2"),
    ]
    for client, records in ((bj, bj_records), (sh, sh_records)):
        body = client.post("/v1/batches", json=items(*records)).json()
        assert body["rejected"] == 0, body
    return {"admin": hub.client(hub.token("admin", "hub", admin=True))}


def test_overlapping_systems_give_exact_aggregates(running_hub: RunningHub) -> None:
    admin = _push_scenario(running_hub)["admin"]
    person_a = person_key(SECRET, "bj-sys", {"id_document": {"type": "01", "number": NUMBER_A}})
    person_b = person_key(SECRET, "bj-sys", {"id_document": {"type": "01", "number": NUMBER_B}})
    assert sorted(admin.get("/v1/people").json()) == sorted([person_a, person_b])

    a = admin.get(f"/v1/people/{person_a}").json()
    assert [(link["source_system"], link["volunteer_id"]) for link in a["links"]] == [
        ("bj-sys", "a1"),
        ("sh-sys", "x7"),
    ]
    assert a["effective_hours"] == "11.00"  # s1 3 + s2 2 + r2 2 + r3 3 + r5 1
    assert a["star_hours"] == "10.00"  # r5 is honour hours
    assert a["star_level"] == 3  # thresholds 1, 5, 10, 20, 50
    dups = {d["item_id"]: d["duplicate_of"] for d in a["duplicates"]}
    assert dups == {"sh-sys/r1": "bj-sys/s1", "sh-sys/r4": "bj-sys/s2"}
    counted = sorted(s["item_id"] for s in a["service_records"] if s["counted"])
    assert counted == ["bj-sys/s1", "bj-sys/s2", "sh-sys/r2", "sh-sys/r3", "sh-sys/r5"]
    assert "bj-sys/s3" not in {s["item_id"] for s in a["service_records"]}  # pending

    merged = a["volunteer"]
    assert merged["id"] == person_a
    assert merged["identifiers"] == [
        {"scheme": "bj-sys", "value": "a1"},
        {"scheme": "sh-sys", "value": "x7"},
    ]
    assert merged["registered_on"] == "2020-05-01"  # the earliest
    assert merged["registration_region"] == "310115"  # from the fresher record
    assert merged["service_categories"] == ["0001", "0006"]  # union
    assert merged["name"] == "测***"  # masked: the admin token has no sensitive scope
    prov = a["provenance"]
    assert prov["registered_on"]["source_system"] == "bj-sys"
    assert prov["registration_region"]["source_system"] == "sh-sys"
    assert {p["source_system"] for p in prov["service_categories"]} == {"bj-sys", "sh-sys"}

    b = admin.get(f"/v1/people/{person_b}").json()
    assert b["effective_hours"] == "1.00" and b["duplicates"] == []

    with running_hub.hub.engine.connect() as conn:
        links = [tuple(row) for row in conn.execute(select(db.identity_links))]
    assert len(links) == 3
    assert NUMBER_A not in str(links) and NUMBER_B not in str(links)


def test_ledger_deposit_redeem_transfer(running_hub: RunningHub) -> None:
    admin = _push_scenario(running_hub)["admin"]
    person_a = person_key(SECRET, "x", {"id_document": {"type": "01", "number": NUMBER_A}})
    person_b = person_key(SECRET, "x", {"id_document": {"type": "01", "number": NUMBER_B}})

    statement = admin.post(f"/v1/ledger/{person_a}/deposits").json()
    assert statement["balance"] == "22.00"  # 11 counted hours x rate 2
    deposit = statement["entries"][0]
    assert deposit["kind"] == "deposit"
    assert sorted(deposit["sources"]) == [
        "bj-sys/s1",
        "bj-sys/s2",
        "sh-sys/r2",
        "sh-sys/r3",
        "sh-sys/r5",
    ]
    # Depositing again finds nothing new.
    assert admin.post(f"/v1/ledger/{person_a}/deposits").json()["balance"] == "22.00"

    redeemed = admin.post(
        f"/v1/ledger/{person_a}/redemptions", json={"points": "5.50", "key": "r-1"}
    ).json()
    assert redeemed["balance"] == "16.50"
    assert redeemed["entries"][-1]["sources"] == [f"ledger:{deposit['entry_id']}"]
    # The same key again is a no-op.
    again = admin.post(f"/v1/ledger/{person_a}/redemptions", json={"points": "5.50", "key": "r-1"})
    assert again.json()["balance"] == "16.50"

    too_much = admin.post(f"/v1/ledger/{person_a}/redemptions", json={"points": "16.51"})
    assert too_much.status_code == 409
    assert too_much.headers["content-type"].startswith("application/problem+json")

    moved = admin.post(
        f"/v1/ledger/{person_a}/transfers", json={"points": "10", "to": person_b}
    ).json()
    assert moved["balance"] == "6.50"
    out = moved["entries"][-1]
    assert out["kind"] == "transfer_out" and out["counterparty"] == person_b
    b = admin.get(f"/v1/ledger/{person_b}").json()
    assert b["balance"] == "10.00"
    assert b["entries"][0]["sources"] == [f"ledger:{out['entry_id']}"]
    assert (
        admin.post(
            f"/v1/ledger/{person_b}/transfers", json={"points": "10.01", "to": person_a}
        ).status_code
        == 409
    )
    assert admin.get(f"/v1/people/{person_b}").json()["points_balance"] == "10.00"

    # A new effective service is deposited on its own.
    bj = running_hub.client(running_hub.token("bj2", "bj-sys", write=True))
    bj.post(
        "/v1/batches", json=items(service("s9", "a1", "o1", *_day(9, "09:00", "10:00"), "1.00"))
    )
    statement = admin.post(f"/v1/ledger/{person_a}/deposits").json()
    assert statement["balance"] == "8.50"
    assert statement["entries"][-1]["sources"] == ["bj-sys/s9"]


def test_unknown_person_is_404_and_aggregates_need_admin(running_hub: RunningHub) -> None:
    admin = running_hub.client(running_hub.token("admin", "hub", admin=True))
    assert admin.get("/v1/people/P" + "0" * 32).status_code == 404
    assert admin.post("/v1/ledger/P" + "0" * 32 + "/deposits").status_code == 404
    plain = running_hub.client(running_hub.token("plain", "hub"))
    assert plain.get("/v1/people").status_code == 403
    regional = running_hub.client(running_hub.token("bj-admin", "hub", admin=True, regions=["11"]))
    assert regional.get("/v1/people").status_code == 403
    assert regional.get("/v1/ledger/P" + "0" * 32).status_code == 403


def _svc(item: str, start: str, end: str, hours: str, org: str = "o", modified: int = 0) -> Service:
    begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end)
    return Service(
        item, "s", begin.date().isoformat(), org, begin, finish, Decimal(hours), "1", modified
    )


def test_resolve_duplicates_rules() -> None:
    services = [
        _svc("a", "2024-03-05T09:00:00+08:00", "2024-03-05T12:00:00+08:00", "3.00", modified=2),
        _svc("b", "2024-03-05T11:00:00+08:00", "2024-03-05T14:00:00+08:00", "3.00", modified=1),
        _svc("c", "2024-03-05T12:00:00+08:00", "2024-03-05T13:00:00+08:00", "1.00", modified=3),
        _svc("d", "2024-03-05T09:00:00+08:00", "2024-03-05T12:00:00+08:00", "3.00", org="p"),
    ]
    resolve_duplicates(services)
    outcome = {s.item_id: (s.counted, s.duplicate_of) for s in services}
    # b arrived first (equal hours), a overlaps it; c touches a's end but overlaps b.
    assert outcome == {
        "a": (False, "b"),
        "b": (True, None),
        "c": (False, "b"),
        "d": (True, None),
    }


def test_merge_takes_fresher_values_and_keeps_provenance() -> None:
    old = {"name": "甲", "skills": ["1"], "registered_on": "2019-01-01", "star_level": "5"}
    new = {
        "name": "乙",
        "skills": ["2", "1"],
        "registered_on": "2022-01-01",
        "provenance": {"source_system": "n", "retrieved_at": "2024-01-01T00:00:00+08:00"},
    }
    merged, prov = merge_volunteers([("new", "v2", 1, new), ("old", "v1", 2, old)])
    assert merged == {"name": "乙", "skills": ["1", "2"], "registered_on": "2019-01-01"}
    assert prov["name"]["source_system"] == "new"
    assert prov["registered_on"]["source_system"] == "old"


def test_pseudonym_depends_on_the_secret_and_not_the_system() -> None:
    record = {"id": "v", "id_document": {"type": "01", "number": NUMBER_A}}
    assert person_key(b"k", "a", record) == person_key(b"k", "b", record)
    assert person_key(b"k", "a", record) != person_key(b"other", "a", record)
    lower = {"id": "v", "id_document": {"type": "01", "number": NUMBER_A.lower()}}
    assert person_key(b"k", "a", lower) == person_key(b"k", "a", record)
    without = {"id": "v"}
    assert person_key(b"k", "a", without) != person_key(b"k", "b", without)
