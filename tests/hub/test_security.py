"""Security: authentication, scopes by entity type and region, masking, audit, hashed tokens."""

from __future__ import annotations

from sqlalchemy import select

from tests.hub.conftest import RunningHub, items, read_feed, resident_id, volunteer
from volunteer_standard.hub import db


def _seed(hub: RunningHub) -> None:
    bj = hub.client(hub.token("bj-w", "bj", write=True, regions=["11"]))
    sh = hub.client(hub.token("sh-w", "sh", write=True, regions=["31"]))
    assert bj.post("/v1/batches", json=items(volunteer("b1", region="110105"))).json()["accepted"]
    assert sh.post("/v1/batches", json=items(volunteer("s1", region="310115"))).json()["accepted"]


def test_no_token_or_a_wrong_one_is_401_problem(running_hub: RunningHub) -> None:
    for client in (running_hub.client(), running_hub.client("vstd_not-a-real-token")):
        response = client.get("/v1/feeds/volunteer")
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 401 and body["type"].endswith("/unauthorized")
        assert body["detail_zh"] and body["detail_en"]
        assert response.headers["www-authenticate"] == "Bearer"


def test_api_key_header_works_like_bearer(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a")
    client = running_hub.client()
    assert client.get("/v1/feeds/volunteer", headers={"X-API-Key": token}).status_code == 200


def test_revoked_token_is_refused(running_hub: RunningHub) -> None:
    from volunteer_standard.hub.tokens import revoke_token

    token = running_hub.token("a", "sys-a")
    assert revoke_token(running_hub.hub.engine, "a")
    assert running_hub.client(token).get("/v1/feeds/volunteer").status_code == 401


def test_entity_type_scope(running_hub: RunningHub) -> None:
    token = running_hub.token("orgs", "sys-a", write=True, types=["organization"])
    client = running_hub.client(token)
    assert client.get("/v1/feeds/organization").status_code == 200
    denied = client.get("/v1/feeds/volunteer")
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    assert "volunteer" in denied.json()["detail"]
    refused = client.post("/v1/batches", json=items(volunteer("v1")))
    assert refused.status_code == 403
    zh = client.get("/v1/feeds/volunteer?lang=zh").json()
    assert zh["title"] == "无权访问"


def test_write_and_read_scopes(running_hub: RunningHub) -> None:
    reader = running_hub.client(running_hub.token("r", "sys-a"))
    assert reader.post("/v1/batches", json=items(volunteer("v1"))).status_code == 403
    writer = running_hub.client(running_hub.token("w", "sys-a", read=False, write=True))
    assert writer.get("/v1/feeds/volunteer").status_code == 403


def test_a_region_cannot_read_another_regions_records(running_hub: RunningHub) -> None:
    _seed(running_hub)
    bj = running_hub.client(running_hub.token("bj-r", "bj", regions=["11"]))
    seen, _ = read_feed(bj, "volunteer")
    assert [i["id"] for i in seen] == ["bj/b1"]
    assert bj.get("/v1/feeds/volunteer?region=31").status_code == 403
    assert bj.get("/v1/feeds/volunteer?region=3101").status_code == 403
    assert bj.get("/v1/feeds/volunteer?region=1101").status_code == 200
    everyone = running_hub.client(running_hub.token("all", "hub"))
    assert {i["id"] for i in read_feed(everyone, "volunteer")[0]} == {"bj/b1", "sh/s1"}
    only_sh = everyone.get("/v1/feeds/volunteer?region=31").json()["items"]
    assert [i["id"] for i in only_sh] == ["sh/s1"]


def test_a_region_cannot_write_another_regions_records(running_hub: RunningHub) -> None:
    bj = running_hub.client(running_hub.token("bj-w", "bj", write=True, regions=["11"]))
    body = bj.post(
        "/v1/batches", json=items(volunteer("b1", region="110105"), volunteer("x", region="310115"))
    ).json()
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected"]
    assert body["results"][1]["issues"][0]["code"] == "HUB102"


def test_sensitive_fields_are_masked_without_the_scope(running_hub: RunningHub) -> None:
    number = resident_id(7)
    writer = running_hub.client(running_hub.token("w", "sys-a", write=True))
    writer.post(
        "/v1/batches",
        json=items(volunteer("v1", number=number, name="张三丰", phone="13812345678")),
    )
    plain = running_hub.client(running_hub.token("plain", "sys-b"))
    data = plain.get("/v1/feeds/volunteer").json()["items"][0]["data"]
    assert data["name"] == "张**"
    assert data["phone"] == "138****5678"
    assert number not in plain.get("/v1/feeds/volunteer").text
    assert data["id_document"]["number"].startswith(number[:3])
    assert "*" in data["id_document"]["number"]
    assert data["volunteer_no"] == "V-v1"  # not personal: kept
    with running_hub.hub.engine.connect() as conn:
        assert conn.execute(select(db.audit)).all() == []
    trusted = running_hub.client(running_hub.token("trusted", "sys-b", sensitive=True))
    data = trusted.get("/v1/feeds/volunteer").json()["items"][0]["data"]
    assert data["name"] == "张三丰" and data["id_document"]["number"] == number
    with running_hub.hub.engine.connect() as conn:
        rows = conn.execute(select(db.audit)).all()
    assert len(rows) == 1
    assert rows[0].token_name == "trusted" and rows[0].item_ids == ["sys-a/v1"]
    assert number not in str(rows[0]) and "张三丰" not in str(rows[0])


def test_tokens_are_stored_hashed(running_hub: RunningHub) -> None:
    token = running_hub.token("a", "sys-a")
    with running_hub.hub.engine.connect() as conn:
        stored = [tuple(row) for row in conn.execute(select(db.tokens))]
    assert stored and token not in str(stored)
    assert token[len("vstd_") :] not in str(stored)
