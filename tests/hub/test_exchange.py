"""The exchange API end to end: submit, feeds (RPDE), tombstones, idempotency, rejections."""

from __future__ import annotations

import random
import threading
from typing import Any

from tests.hub.conftest import (
    RunningHub,
    items,
    organization,
    read_feed,
    resident_id,
    service,
    volunteer,
)


def test_submit_then_read_feed_in_order(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    records = [volunteer(f"v{i}", number=resident_id(i)) for i in range(5)]
    body = client.post("/v1/batches", json=items(*records)).json()
    assert body["accepted"] == 5 and body["rejected"] == 0
    assert [r["item_id"] for r in body["results"]] == [f"sys-a/v{i}" for i in range(5)]
    seen, _ = read_feed(client, "volunteer")
    assert [item["id"] for item in seen] == [f"sys-a/v{i}" for i in range(5)]
    modified = [item["modified"] for item in seen]
    assert modified == sorted(modified) and len(set(modified)) == 5
    assert all(item["state"] == "updated" for item in seen)
    assert client.get("/v1/feeds/organization").json()["items"] == []


def test_paging_follows_next_and_small_pages(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    client.post("/v1/batches", json=items(*[volunteer(f"v{i:02d}") for i in range(23)]))
    seen, last = read_feed(client, "volunteer", "/v1/feeds/volunteer?limit=5")
    assert [i["record_id"] for i in seen] == [f"v{i:02d}" for i in range(23)]
    assert "limit=5" in last and "afterTimestamp" in last
    # Polling the last next URL again gives nothing new ...
    assert client.get(last).json()["items"] == []
    # ... until something changes.
    client.post("/v1/batches", json=items(volunteer("v03", name="测试乙")))
    again = client.get(last).json()["items"]
    assert [i["record_id"] for i in again] == ["v03"]


def test_deletion_is_a_tombstone(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    client.post("/v1/batches", json=items(volunteer("v1"), volunteer("v2")))
    _, bookmark = read_feed(client, "volunteer")
    result = client.post(
        "/v1/batches", json={"items": [{"action": "delete", "type": "volunteer", "id": "v1"}]}
    ).json()
    assert result["accepted"] == 1
    changes, _ = read_feed(client, "volunteer", bookmark)
    assert len(changes) == 1
    assert changes[0]["id"] == "sys-a/v1" and changes[0]["state"] == "deleted"
    assert "data" not in changes[0]
    # Deleting again changes nothing: no second tombstone.
    again = client.post(
        "/v1/batches", json={"items": [{"action": "delete", "type": "volunteer", "id": "v1"}]}
    ).json()
    assert again["results"][0]["unchanged"] is True
    assert read_feed(client, "volunteer", bookmark)[0] == changes


def test_unchanged_resubmission_does_not_move_the_record(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    client.post("/v1/batches", json=items(volunteer("v1")))
    _, bookmark = read_feed(client, "volunteer")
    again = client.post("/v1/batches", json=items(volunteer("v1"))).json()
    assert again["results"][0]["unchanged"] is True
    assert client.get(bookmark).json()["items"] == []


def test_idempotency_keys_replay_the_first_result(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    first = client.post("/v1/batches", json=items(volunteer("v1"), keys=True)).json()
    second = client.post("/v1/batches", json=items(volunteer("v1"), keys=True)).json()
    assert second["results"][0]["replayed"] is True
    assert second["results"][0]["modified"] == first["results"][0]["modified"]
    other = client.post(
        "/v1/batches",
        json={"items": [{"key": "volunteer:v1", "record": volunteer("v1", name="乙")}]},
    ).json()
    assert other["results"][0]["status"] == "rejected"
    assert other["results"][0]["issues"][0]["code"] == "HUB101"
    # Keys belong to a source system: another system may use the same key.
    token_b = running_hub.token("b", "sys-b", write=True)
    fresh = running_hub.client(token_b).post("/v1/batches", json=items(volunteer("v1"), keys=True))
    assert fresh.json()["results"][0]["replayed"] is False


def test_rejections_carry_rule_codes_in_both_languages(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    bad_hours = service(
        "s1", "v1", "o1", "2024-03-05T09:00:00+08:00", "2024-03-05T10:00:00+08:00", "5.00"
    )
    body = client.post(
        "/v1/batches",
        json={
            "items": [
                {"record": {"type": "volunteer", "id": "v1"}},  # no name, no number
                {"record": bad_hours},
                {"record": "not an object"},
                {"record": volunteer("v2")},
            ]
        },
    ).json()
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["rejected", "rejected", "rejected", "accepted"]
    missing = body["results"][0]["issues"]
    assert {i["code"] for i in missing} >= {"VS110"}
    issue = missing[0]
    assert issue["message"]["zh"] and issue["message"]["en"]
    assert issue["message"]["zh"] != issue["message"]["en"]
    codes = {i["code"] for i in body["results"][1]["issues"]}
    assert "VR306" in codes  # hours longer than the time between start and end
    assert body["results"][2]["issues"][0]["code"] == "VS101"
    seen, _ = read_feed(client, "volunteer")
    assert [i["record_id"] for i in seen] == ["v2"]


def test_the_same_record_twice_in_a_batch(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    body = (
        running_hub.client(token)
        .post("/v1/batches", json=items(volunteer("v1"), volunteer("v1", name="乙")))
        .json()
    )
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected"]
    assert body["results"][1]["issues"][0]["code"] == "HUB104"


def test_service_records_inherit_the_volunteer_region(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a", write=True)
    client = running_hub.client(token)
    client.post("/v1/batches", json=items(volunteer("v1", region="310115"), organization("o1")))
    record = service(
        "s1", "v1", "o1", "2024-03-05T09:00:00+08:00", "2024-03-05T11:00:00+08:00", "2.00"
    )
    client.post("/v1/batches", json=items(record))
    seen, _ = read_feed(client, "service_record")
    assert seen[0]["region"] == "310115"


def test_interleaved_writes_never_lose_or_repeat_a_change(running_hub: RunningHub) -> None:
    """Writers update overlapping records while a consumer polls from its bookmark: the
    consumer sees every change exactly once and ends with the hub's final state."""
    writers = 3
    rounds = 12
    tokens = [running_hub.token(f"w{n}", f"sys-{n % 2}", write=True) for n in range(writers)]
    reader = running_hub.client(running_hub.token("r", "reader"))
    accepted: list[tuple[str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            client = running_hub.client(tokens[n])
            rng = random.Random(n)
            for round_no in range(rounds):
                ids = rng.sample(range(8), 4)
                batch = [volunteer(f"v{i}", name=f"测试{n}{round_no}") for i in ids]
                result = client.post("/v1/batches", json=items(*batch)).json()
                with lock:
                    accepted.extend(
                        (r["item_id"], r["modified"])
                        for r in result["results"]
                        if r["status"] == "accepted" and not r["unchanged"]
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    events: list[tuple[str, int]] = []
    url = "/v1/feeds/volunteer?limit=3"
    while any(t.is_alive() for t in threads):
        page = reader.get(url).json()
        events.extend((i["id"], i["modified"]) for i in page["items"])
        url = page["next"]
    for thread in threads:
        thread.join()
    assert not errors
    tail, _ = read_feed(reader, "volunteer", url)
    events.extend((i["id"], i["modified"]) for i in tail)
    # Never twice:
    assert len(events) == len(set(events))
    # Strictly increasing positions, as the consumer saw them:
    positions = [m for _, m in events]
    assert positions == sorted(positions)
    # Nothing missed: the last change of each record is the last the consumer saw of it ...
    last_written: dict[str, int] = {}
    for item_id, modified in accepted:
        last_written[item_id] = max(modified, last_written.get(item_id, 0))
    last_seen: dict[str, int] = {}
    for item_id, modified in events:
        last_seen[item_id] = modified
    assert last_seen == last_written
    # ... and every change the consumer saw was one a writer made.
    assert set(events) <= set(accepted)


def _ids(body: dict[str, Any]) -> list[str]:
    return [i["id"] for i in body["items"]]
