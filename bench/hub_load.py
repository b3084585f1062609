"""Load test of the reference hub: sustained submit and feed throughput, and latency.

Starts ``vstd serve`` as a child process on 127.0.0.1 (loopback only) for each database,
then:

* ``submit`` — ``--clients`` threads post batches of ``--batch`` service records (after one
  batch of the volunteers they reference) until ``--records`` records are stored;
* ``feed``   — the same number of threads each read the whole service-record feed from
  the start, following ``next`` with pages of ``--page`` items.

It prints records per second and the p50/p95/p99 latency of one request for each phase.
Bounded by design: a few tens of thousands of records, a minute or two at most.

    .venv/bin/python bench/hub_load.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/hub_load.py --db sqlite --records 5000
    VSTD_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python ...
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _postgres() -> Iterator[str]:
    import psycopg

    admin = os.environ.get(
        "VSTD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"vstd_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _hub(db_url: str, home: Path) -> Iterator[tuple[str, str]]:
    env = {**os.environ, "VSTD_HUB_HOME": str(home), "VSTD_HUB_SECRET": "bench"}
    vstd = [sys.executable, "-m", "volunteer_standard", "serve"]
    token = subprocess.run(
        [*vstd, "token", "create", "bench", "--system", "bench", "--write", "--db", db_url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    port = _port()
    proc = subprocess.Popen(
        [*vstd, "--db", db_url, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield base, token
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _volunteers(n: int) -> list[dict[str, Any]]:
    return [
        {
            "record": {
                "type": "volunteer",
                "id": f"v{i}",
                "volunteer_no": f"V{i:08d}",
                "name": "测试",
                "registration_region": "110105",
            }
        }
        for i in range(n)
    ]


def _services(start: int, count: int, volunteers: int) -> list[dict[str, Any]]:
    out = []
    for i in range(start, start + count):
        day = 1 + i % 28
        out.append(
            {
                "key": f"s{i}",
                "record": {
                    "type": "service_record",
                    "id": f"s{i}",
                    "volunteer_id": f"v{i % volunteers}",
                    "organization_id": "o1",
                    "start": f"2024-03-{day:02d}T09:00:00+08:00",
                    "end": f"2024-03-{day:02d}T11:00:00+08:00",
                    "hours": "2.00",
                    "status": "effective",
                },
            }
        )
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _phase(name: str, records: int, seconds: float, latencies: list[float]) -> dict[str, Any]:
    return {
        "phase": name,
        "records": records,
        "records_per_s": records / seconds,
        "requests": len(latencies),
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": _pct(latencies, 0.95),
        "p99_ms": _pct(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies) * 1000,
    }


def run(db_url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as home, _hub(db_url, Path(home)) as (base, token):
        headers = {"Authorization": f"Bearer {token}"}
        volunteers = 500
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            client.post("/v1/batches", json={"items": _volunteers(volunteers)}).raise_for_status()
        batches = list(range(0, args.records, args.batch))
        lock = threading.Lock()
        submit_lat: list[float] = []

        def submitter() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                while True:
                    with lock:
                        if not batches:
                            return
                        first = batches.pop()
                    body = {
                        "items": _services(first, min(args.batch, args.records - first), volunteers)
                    }
                    began = time.perf_counter()
                    client.post("/v1/batches", json=body).raise_for_status()
                    with lock:
                        submit_lat.append(time.perf_counter() - began)

        began = time.perf_counter()
        threads = [threading.Thread(target=submitter) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        submit = _phase("submit", args.records, time.perf_counter() - began, submit_lat)

        feed_lat: list[float] = []
        counts: list[int] = []

        def reader() -> None:
            seen = 0
            url = f"/v1/feeds/service_record?limit={args.page}"
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                while True:
                    began = time.perf_counter()
                    page = client.get(url).json()
                    with lock:
                        feed_lat.append(time.perf_counter() - began)
                    if not page["items"]:
                        break
                    seen += len(page["items"])
                    url = page["next"]
            with lock:
                counts.append(seen)

        began = time.perf_counter()
        threads = [threading.Thread(target=reader) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(c == args.records for c in counts), counts
        feed = _phase("feed", sum(counts), time.perf_counter() - began, feed_lat)
        return [submit, feed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    args.records = min(args.records, 200_000)  # bounded
    results: list[tuple[str, dict[str, Any]]] = []
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            for row in run(f"sqlite:///{folder}/hub.sqlite3", args):
                results.append(("sqlite", row))
    if args.db in ("postgres", "both"):
        with _postgres() as url:
            for row in run(url, args):
                results.append(("postgresql", row))
    print(f"records={args.records} batch={args.batch} page={args.page} clients={args.clients}")
    print(
        f"{'database':<11} {'phase':<7} {'records/s':>10} {'requests':>9} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for db, row in results:
        print(
            f"{db:<11} {row['phase']:<7} {row['records_per_s']:>10.0f} {row['requests']:>9} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f}"
        )


if __name__ == "__main__":
    main()
