"""Operations: health and readiness, limits, problem documents, logs, graceful shutdown."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from tests.hub.conftest import RunningHub, free_port, items, resident_id, volunteer
from volunteer_standard.hub import db
from volunteer_standard.hub.settings import HubSettings


def test_health_and_readiness(running_hub: RunningHub) -> None:
    client = running_hub.client()
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["schema_revision"] == "0001"


@pytest.fixture
def hub_settings(db_url: str) -> HubSettings:
    return HubSettings(db_url=db_url, secret=b"s", max_body_bytes=20_000, max_batch_items=50)


def test_request_size_limit(running_hub: RunningHub) -> None:
    client = running_hub.client(running_hub.token("w", "sys", write=True))
    big = items(*[volunteer(f"v{i}", remarks="x" * 500) for i in range(45)])
    response = client.post("/v1/batches", json=big)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/too-large")
    # Chunked, without Content-Length: refused while streaming.
    payload = json.dumps(big).encode()
    chunked = client.post(
        "/v1/batches",
        content=(payload[i : i + 4096] for i in range(0, len(payload), 4096)),
        headers={"Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    with running_hub.hub.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.records)).scalar_one() == 0


def test_batch_and_page_limits(running_hub: RunningHub) -> None:
    client = running_hub.client(running_hub.token("w", "sys", write=True))
    too_many = client.post("/v1/batches", json=items(*[volunteer(f"v{i}") for i in range(51)]))
    assert too_many.status_code == 413
    assert too_many.json()["type"].endswith("/batch-too-large")
    assert client.get("/v1/feeds/volunteer?limit=501").status_code == 422
    assert client.get("/v1/feeds/volunteer?limit=0").status_code == 422
    client.post("/v1/batches", json=items(volunteer("v1")))
    alone = client.get("/v1/feeds/volunteer?afterId=zzz")  # an id alone: from the top
    assert [i["record_id"] for i in alone.json()["items"]] == ["v1"]
    unknown = client.get("/v1/feeds/planet")
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert client.get("/nowhere").headers["content-type"].startswith("application/problem+json")


def test_a_stopping_hub_rolls_back_the_batch(running_hub: RunningHub) -> None:
    client = running_hub.client(running_hub.token("w", "sys", write=True))
    running_hub.hub.abort.set()
    response = client.post("/v1/batches", json=items(volunteer("v1")))
    assert response.status_code == 503
    with running_hub.hub.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.records)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(db.systems)).scalar_one() == 0
    assert client.get("/readyz").status_code == 503


def test_logs_are_structured_and_free_of_personal_data(
    running_hub: RunningHub, caplog: pytest.LogCaptureFixture
) -> None:
    number, name, phone = resident_id(3), "欧阳测试", "13912345678"
    token = running_hub.token("w", "sys", write=True, sensitive=True)
    client = running_hub.client(token)
    with caplog.at_level(logging.INFO, logger="vstd.hub"):
        client.post(
            "/v1/batches", json=items(volunteer("v1", number=number, name=name, phone=phone))
        )
        client.get("/v1/feeds/volunteer?afterTimestamp=0&afterId=x")
        client.post("/v1/batches", json=items({"type": "volunteer", "id": "v2", "name": name}))
    from volunteer_standard.hub.logs import JsonFormatter

    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "vstd.hub"]
    events = [json.loads(line) for line in lines]
    assert {"request", "batch", "sensitive_read"} <= {e["event"] for e in events}
    request = next(
        e for e in events if e["event"] == "request" and e["route"] == "/v1/feeds/{kind}"
    )
    assert request["status"] == 200 and request["token"] == "w" and "ms" in request
    text = "\n".join(lines)
    for secret in (number, name, phone, token, "afterId"):
        assert secret not in text


def _serve(db_url: str, port: int, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VSTD_HUB_HOME": str(home), "VSTD_HUB_SECRET": "s"}
    return subprocess.Popen(
        [sys.executable, "-m", "volunteer_standard", "serve", "--db", db_url, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _token(db_url: str, home: Path) -> str:
    env = {**os.environ, "VSTD_HUB_HOME": str(home)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "volunteer_standard",
            "serve",
            "token",
            "create",
            "w",
            "--system",
            "sys",
            "--write",
            "--db",
            db_url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the hub did not become ready")


@pytest.mark.slow
def test_sigterm_finishes_or_rolls_back_an_in_flight_batch(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    token = _token(db_url, tmp_path)
    proc = _serve(db_url, port, tmp_path)
    outcome: dict[str, Any] = {}
    try:
        _wait_ready(base, proc)
        batch = items(*[volunteer(f"v{i}", remarks="r" * 200) for i in range(1000)])

        def post() -> None:
            try:
                outcome["response"] = httpx.post(
                    base + "/v1/batches",
                    json=batch,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=120,
                )
            except httpx.HTTPError as exc:
                outcome["error"] = exc

        thread = threading.Thread(target=post)
        thread.start()
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        thread.join(timeout=120)
        # uvicorn re-raises the signal after its graceful shutdown.
        assert proc.wait(timeout=60) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    engine = create_engine(db.normalize_url(db_url))
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(db.records)).scalar_one()
    engine.dispose()
    response = outcome.get("response")
    if response is not None and response.status_code == 200:
        assert response.json()["accepted"] == 1000
        assert stored == 1000
    else:
        assert stored == 0
    assert stored in (0, 1000)
    log = proc.stderr.read().decode() if proc.stderr else ""
    assert '"event":"hub_stopping"' in log


def _slow_submits(hub: RunningHub, seconds: float) -> tuple[threading.Event, threading.Event]:
    """Make every submit wait ``seconds`` before it starts; events: entered, finished."""
    entered, finished = threading.Event(), threading.Event()
    real = hub.hub.store.submit

    def slow(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        time.sleep(seconds)
        try:
            return real(*args, **kwargs)
        finally:
            finished.set()

    hub.hub.store.submit = slow  # type: ignore[method-assign]
    return entered, finished


def _post_in_background(hub: RunningHub, token: str) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def post() -> None:
        try:
            outcome["response"] = hub.client(token).post(
                "/v1/batches", json=items(*[volunteer(f"v{i}") for i in range(20)])
            )
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=post)
    thread.start()
    return thread, outcome


def _stored(hub: RunningHub) -> int:
    with hub.hub.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(db.records)).scalar_one())


def test_shutdown_lets_an_in_flight_batch_finish(hub_settings: HubSettings) -> None:
    hub = RunningHub(hub_settings, grace=30)
    hub.start()
    token = hub.token("w", "sys", write=True)
    entered, _finished = _slow_submits(hub, 1.0)
    thread, outcome = _post_in_background(hub, token)
    assert entered.wait(30)
    hub.server.should_exit = True  # what SIGTERM does
    thread.join(60)
    hub.thread.join(60)
    assert outcome["response"].status_code == 200
    assert outcome["response"].json()["accepted"] == 20
    assert _stored(hub) == 20
    hub.stop()


def test_shutdown_rolls_back_a_batch_that_outlives_the_grace(hub_settings: HubSettings) -> None:
    hub = RunningHub(hub_settings, grace=1)
    hub.start()
    token = hub.token("w", "sys", write=True)
    entered, finished = _slow_submits(hub, 4.0)
    thread, outcome = _post_in_background(hub, token)
    assert entered.wait(30)
    hub.server.should_exit = True
    hub.thread.join(60)
    assert finished.wait(60)  # the batch ran to its commit point and was abandoned there
    thread.join(60)
    assert "response" not in outcome or outcome["response"].status_code != 200
    assert _stored(hub) == 0
    hub.stop()
