"""Fixtures of the hub tests: a real server on 127.0.0.1 over SQLite or PostgreSQL."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi")

import uvicorn
from sqlalchemy import create_engine, text

from volunteer_standard.hub.app import Hub, create_app
from volunteer_standard.hub.settings import HubSettings
from volunteer_standard.hub.tokens import Scopes, create_token
from volunteer_standard.identifiers.generate import make_resident_id, make_uscc

SECRET = b"test-hub-secret"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty hub database: a SQLite file, or the session's PostgreSQL database
    emptied (the postgres variant needs the server; see vstd_postgres_url)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    url: str = request.getfixturevalue("vstd_postgres_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningHub:
    """A hub served by uvicorn in a thread, with helpers to make tokens and clients."""

    def __init__(self, settings: HubSettings, *, grace: int | None = None) -> None:
        self.hub = Hub(settings)
        self.app = create_app(hub=self.hub)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=grace,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self._clients: list[httpx.Client] = []

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.hub.engine.dispose()

    def token(self, name: str, system: str, **scopes: Any) -> str:
        for key in ("types", "regions"):
            if key in scopes:
                scopes[key] = tuple(scopes[key])
        return create_token(self.hub.engine, name, system, Scopes(**scopes))

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=self.base_url, headers=headers, timeout=60)
        self._clients.append(client)
        return client


@pytest.fixture
def hub_settings(db_url: str) -> HubSettings:
    return HubSettings(db_url=db_url, secret=SECRET, dashboard_public=False)


@pytest.fixture
def running_hub(hub_settings: HubSettings) -> Iterator[RunningHub]:
    hub = RunningHub(hub_settings)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


# -- synthetic records ---------------------------------------------------------------------


def resident_id(seed: int, region: str = "110105") -> str:
    return make_resident_id(
        random.Random(seed), region_code=region, birth_date=date(1990, 1, 1), gender="1"
    )


def uscc(seed: int, region: str = "110105") -> str:
    return make_uscc(random.Random(seed), region_code=region)


def volunteer(
    vid: str,
    *,
    number: str | None = None,
    region: str = "110105",
    name: str = "测试甲",
    phone: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "volunteer",
        "id": vid,
        "volunteer_no": f"V-{vid}",
        "name": name,
        "registration_region": region,
    }
    if number is not None:
        data["id_document"] = {"type": "01", "number": number}
    if phone is not None:
        data["phone"] = phone
    data.update(extra)
    return data


def organization(oid: str, *, code: str | None = None, region: str = "110105") -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "organization",
        "id": oid,
        "name": f"示例组织 {oid}",
        "team_type": "2",
        "address": {"region_code": region},
    }
    if code is not None:
        data["uscc"] = code
    return data


def service(
    rid: str,
    vid: str,
    oid: str,
    start: str,
    end: str,
    hours: str,
    *,
    status: str = "effective",
    hours_type: str = "1",
) -> dict[str, Any]:
    return {
        "type": "service_record",
        "id": rid,
        "volunteer_id": vid,
        "organization_id": oid,
        "start": start,
        "end": end,
        "hours": hours,
        "status": status,
        "hours_type": hours_type,
    }


def items(*records: dict[str, Any], keys: bool = False) -> dict[str, Any]:
    """A batch body; with ``keys`` each item gets an idempotency key from its id."""
    out = []
    for record in records:
        item: dict[str, Any] = {"record": record}
        if keys:
            item["key"] = f"{record['type']}:{record['id']}"
        out.append(item)
    return {"items": out}


def read_feed(client: httpx.Client, kind: str, url: str | None = None) -> tuple[list[Any], str]:
    """Follow ``next`` until an empty page; all items and the last ``next``."""
    url = url or f"/v1/feeds/{kind}"
    seen: list[Any] = []
    while True:
        page = client.get(url)
        assert page.status_code == 200, page.text
        body = page.json()
        seen.extend(body["items"])
        if not body["items"]:
            return seen, body["next"]
        url = body["next"]
