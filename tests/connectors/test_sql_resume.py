"""Kill-and-resume: a `vstd convert` to or from a database killed mid-way (SIGKILL) and
run again neither loses nor duplicates a record — on SQLite and on PostgreSQL.

The target side is idempotent (rows are upserted by id, batch by batch, each batch one
transaction); the source side saves its bookmark only after the output is complete, so a
killed run leaves the previous bookmark and the next run reads everything after it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL
from tests.connectors.sql_support import count, fresh_schema, sqlite_url
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.io.writer import JsonlWriter
from volunteer_standard.models import ServiceRecord, Volunteer
from volunteer_standard.testing import read_objects, write_objects

pytestmark = pytest.mark.slow

N = 10_000
PASSWORD = "Kill-Resume-Pw-91"


def _volunteers(n: int) -> list[Volunteer]:
    return [
        Volunteer.model_validate(
            MINIMAL["volunteer"] | {"id": f"vol-{i:06d}", "name": f"志愿者{i}"}
        )
        for i in range(n)
    ]


def _records(start: int, n: int) -> list[ServiceRecord]:
    # Ten records per timestamp: the bookmark sits inside ties most of the time.
    base = datetime(2024, 3, 1, 8, tzinfo=timezone(timedelta(hours=8)))
    return [
        ServiceRecord.model_validate(
            MINIMAL["service_record"]
            | {"id": f"rec-{i:06d}", "recorded_at": (base + timedelta(seconds=i // 10)).isoformat()}
        )
        for i in range(start, start + n)
    ]


def _convert(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "volunteer_standard", "convert", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, err = process.communicate(timeout=300)
    return process.returncode, err.decode("utf-8", "replace")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Where the runs write: a SQLite file, or a schema of the PostgreSQL test database
    (its URL in the config file, with a password, which must never show)."""
    config = tmp_path / "db.toml"
    if request.param == "sqlite":
        location = str(tmp_path / "vol.db")
        config.write_text("create_tables = true\nbatch_size = 250\n", encoding="utf-8")
        return {
            "location": location,
            "config": config,
            "url": sqlite_url(Path(location)),
            "table": "",
        }
    url: str = request.getfixturevalue("vstd_postgres_url")
    secret_url = url.replace("postgres@", f"postgres:{PASSWORD}@", 1)  # trust auth ignores it
    schema = fresh_schema(url)
    config.write_text(
        f'url = "{secret_url}"\ncreate_tables = true\nbatch_size = 250\n', encoding="utf-8"
    )
    return {"location": schema, "config": config, "url": url, "table": f"{schema}."}


def _env() -> dict[str, str]:
    return {**os.environ, "VSTD_LANG": "en"}


def test_killed_write_to_the_database_resumes_exactly(
    tmp_path: Path, database: dict[str, Any]
) -> None:
    people = _volunteers(N)
    source = tmp_path / "in.jsonl"
    with JsonlWriter(source) as writer:
        for person in people:
            writer.write(person)
    args = [
        str(source),
        database["location"],
        "--to",
        "sql",
        "--to-config",
        str(database["config"]),
    ]
    table = database["table"] + "volunteers"

    def committed() -> int:
        try:
            return count(database["url"], table)
        except Exception:  # the table is not created yet
            return 0

    _kill_when(_convert(args, _env()), lambda: committed() >= 1000)
    at_kill = committed()
    assert 0 < at_kill < N, "the kill did not land mid-way"
    assert at_kill % 250 == 0, "only whole batches are committed"

    code, err = _finish(_convert(args, _env()))
    assert code == 0, err
    assert json.loads(err.strip().splitlines()[-1])["written"] == N
    assert count(database["url"], table) == N
    config = {"url": database["url"]} if database["table"] else {}
    back = read_objects(SqlConnector(config), database["location"])
    assert sorted(back, key=lambda o: o.id) == people
    assert PASSWORD not in err


def test_killed_read_from_the_database_resumes_from_its_bookmark(
    tmp_path: Path, database: dict[str, Any]
) -> None:
    config = {"url": database["url"]} if database["table"] else {}
    writer_config = {**config, "create_tables": True, "batch_size": 1000}
    write_objects(SqlConnector(writer_config), database["location"], _records(0, 1000))
    with database["config"].open("a", encoding="utf-8") as handle:
        handle.write('incremental_column = "recorded_at"\n')
    state = tmp_path / "state.json"

    def run(out: str) -> subprocess.Popen[bytes]:
        return _convert(
            [
                database["location"],
                str(tmp_path / out),
                "--from",
                "sql",
                "--from-config",
                str(database["config"]),
                "--state",
                str(state),
            ],
            _env(),
        )

    code, err = _finish(run("first.jsonl"))
    assert code == 0, err
    saved = state.read_text(encoding="utf-8")
    assert "rec-000999" in saved and PASSWORD not in saved + err

    # New rows, the first ones on the bookmark's own timestamp (ties broken by id).
    write_objects(SqlConnector(writer_config), database["location"], _records(1000, N))
    # The output is written under a temporary name and renamed only when complete: kill
    # the run while that temporary file grows (mid-way, the bookmark not yet saved).
    _kill_when(run("killed.jsonl"), lambda: _temporary_size(tmp_path, "killed.jsonl") > 100_000)
    assert state.read_text(encoding="utf-8") == saved, "a killed run must not move the bookmark"

    code, err = _finish(run("resumed.jsonl"))
    assert code == 0, err
    first = _ids(tmp_path / "first.jsonl")
    resumed = _ids(tmp_path / "resumed.jsonl")
    assert len(resumed) == len(set(resumed)) == N, "nothing duplicated"
    assert set(first) | set(resumed) == {f"rec-{i:06d}" for i in range(N + 1000)}
    assert not set(first) & set(resumed), "nothing read twice"


def _temporary_size(folder: Path, name: str) -> int:
    """Bytes written so far to the atomic temporary file of ``name`` (0 when none yet)."""
    sizes = [p.stat().st_size for p in folder.glob(f".{name}.*.vstd-tmp") if p.is_file()]
    return max(sizes, default=0)


def _ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["id"] for line in handle if line.strip()]
