"""The exchange connector and ``vstd sync``: hub to hub, killed at random points, resumed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.hub.conftest import RunningHub, items, read_feed, volunteer
from volunteer_standard.hub import db
from volunteer_standard.hub.settings import HubSettings
from volunteer_standard.models import ENTITY_MODELS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample.jsonl"


@pytest.fixture
def source_hub(tmp_path: Path) -> Iterator[RunningHub]:
    hub = RunningHub(HubSettings(db_url=f"sqlite:///{tmp_path / 'a.sqlite3'}", secret=b"a"))
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def _everything(hub: RunningHub) -> dict[tuple[str, str], Any]:
    client = hub.client(hub.token(f"check-{time.monotonic_ns()}", "check", sensitive=True))
    out: dict[tuple[str, str], Any] = {}
    for kind in ENTITY_MODELS:
        for item in read_feed(client, kind)[0]:
            key = (kind, item["record_id"])
            assert key not in out
            out[key] = item.get("data")
    return out


def _configs(tmp_path: Path, source: RunningHub, target: RunningHub) -> tuple[Path, Path]:
    reader = source.token("sync-reader", "a", sensitive=True)
    writer = target.token("sync-writer", "from-a", write=True)
    a = tmp_path / "a.toml"
    a.write_text(f'token = "{reader}"\npage_size = 40\n', encoding="utf-8")
    b = tmp_path / "b.toml"
    b.write_text(f'token = "{writer}"\nbatch_size = 15\n', encoding="utf-8")
    return a, b


def _sync(source: RunningHub, target: RunningHub, a: Path, b: Path, state: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "volunteer_standard",
        "sync",
        source.base_url,
        target.base_url,
        "--state",
        str(state),
        "--from-config",
        str(a),
        "--to-config",
        str(b),
    ]


def test_exchange_reader_yields_checkpoints_and_resumes(source_hub: RunningHub) -> None:
    from volunteer_standard.connectors.base import Checkpoint, SourceRecord
    from volunteer_standard.connectors.exchange import ExchangeConnector

    token = source_hub.token("w", "a", write=True, sensitive=True)
    source_hub.client(token).post(
        "/v1/batches", json=items(*[volunteer(f"v{i}") for i in range(7)])
    )
    conn = ExchangeConnector({"token": token, "page_size": 3, "types": ["volunteer"]})
    out = list(conn.read(source_hub.base_url))
    records = [r for r in out if isinstance(r, SourceRecord)]
    checkpoints = [r for r in out if isinstance(r, Checkpoint)]
    assert [r.data["id"] for r in records if r.data] == [f"v{i}" for i in range(7)]
    assert len(checkpoints) == 4  # three pages and the end
    resumed = list(conn.read(source_hub.base_url, checkpoints[0].state))
    assert [r.data["id"] for r in resumed if isinstance(r, SourceRecord) and r.data] == [
        f"v{i}" for i in range(3, 7)
    ]
    assert token not in repr(conn.config)


def test_exchange_writer_reports_rejections(running_hub: RunningHub) -> None:
    from volunteer_standard.connectors import ConnectorError
    from volunteer_standard.connectors.exchange import ExchangeConnector
    from volunteer_standard.models import Volunteer

    token = running_hub.token("w", "x", write=True, regions=["31"])
    writer = ExchangeConnector({"token": token}).open_writer(running_hub.base_url)
    writer.write(Volunteer.model_validate(volunteer("v1", region="110105")))
    with pytest.raises(ConnectorError, match="HUB102"):
        writer.close()


@pytest.mark.slow
def test_sync_killed_at_random_points_neither_loses_nor_duplicates(
    source_hub: RunningHub, running_hub: RunningHub, tmp_path: Path
) -> None:
    records = _records()
    token = source_hub.token("seed", "a", write=True)
    for start in range(0, len(records), 200):
        body = source_hub.client(token).post(
            "/v1/batches", json=items(*records[start : start + 200])
        )
        assert body.json()["rejected"] == 0
    a, b = _configs(tmp_path, source_hub, running_hub)
    state = tmp_path / "state.json"
    command = _sync(source_hub, running_hub, a, b, state)
    rng = random.Random(int(os.environ.get("VSTD_SYNC_SEED", "20260101")))
    kills = 0
    for _ in range(12):  # until it was killed three times (each run resumes, so runs shorten)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.4, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        if kills >= 3:
            break
    assert kills >= 3  # it was really interrupted, several times
    final = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-2000:]

    want = _everything(source_hub)
    got = _everything(running_hub)
    assert got == want and len(want) == len(records)
    # Every record was stored once: the hub keeps one idempotency entry per stored content.
    with running_hub.hub.engine.connect() as conn:
        keys = conn.execute(select(func.count()).select_from(db.submissions)).scalar_one()
    assert keys == len(records)

    # Later changes flow incrementally: only what changed is sent.
    changed = volunteer("vol-new", name="新志愿者")
    source_hub.client(token).post("/v1/batches", json=items(changed))
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    summary = json.loads(again.stderr.strip().splitlines()[-1])
    assert summary["read"] == 1 and summary["written"] == 1
    assert _everything(running_hub)[("volunteer", "vol-new")]["name"] == "新志愿者"
    assert httpx.get(running_hub.base_url + "/healthz").status_code == 200


class _Flaky:
    """A tiny server: 429 with Retry-After first, then a feed page, then garbage."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.calls: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.calls.append(self.path)
                n = len(outer.calls)
                if n == 1:
                    self.send_response(429)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                body = (
                    b'{"items": [{"id": "s/v1", "modified": 5, "state": "updated",'
                    b' "data": {"type": "volunteer", "id": "v1", "volunteer_no": "V1",'
                    b' "name": "\\u6d4b\\u8bd5"}}], "next": "x"}'
                    if n == 2
                    else b"<html>maintenance</html>"
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_exchange_reader_retries_429_and_fails_cleanly_on_garbage() -> None:
    from volunteer_standard.connectors import ConnectorError
    from volunteer_standard.connectors.base import SourceRecord
    from volunteer_standard.connectors.exchange import ExchangeConnector

    flaky = _Flaky()
    try:
        reader = ExchangeConnector({"types": ["volunteer"], "token": "vstd_x"}).read(flaky.url)
        first = next(r for r in reader if isinstance(r, SourceRecord))
        assert first.data is not None and first.data["id"] == "v1"
        with pytest.raises(ConnectorError, match="not a feed page"):
            list(reader)
    finally:
        flaky.close()
    assert len(flaky.calls) == 3
    assert "afterTimestamp=5" in flaky.calls[2] and "afterId=s%2Fv1" in flaky.calls[2]
