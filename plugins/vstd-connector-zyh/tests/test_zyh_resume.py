"""Incremental reads survive failures: a run that breaks (or is killed) mid-way, then run
again, neither loses nor duplicates a record."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from vstd_connector_zyh import ZyhConnector
from zyh_support import CLIENT_ID, CLIENT_SECRET, DATA, zyh_config

from volunteer_standard.connectors import Checkpoint, ConnectorError, SourceRecord
from volunteer_standard.testing.fake_api import FakeApi

HOURS = "/api/hours/list.do"


@pytest.fixture
def api(zyh_api: FakeApi) -> Iterator[FakeApi]:
    zyh_api.reset()
    yield zyh_api
    zyh_api.reset()


def ids_of(lines: list[dict[str, Any]]) -> list[str]:
    return [str(x["id"]) for x in lines]


def test_failure_mid_run_leaves_the_bookmark_at_the_last_complete_page(api: FakeApi) -> None:
    api.faults({"kind": "status", "status": 500, "path": HOURS, "page": 4, "times": -1})
    connector = ZyhConnector(zyh_config(api.url, endpoints=["hours"], attempts=2))
    seen: list[str] = []
    states: list[dict[str, Any]] = []

    def consume() -> None:
        for item in connector.read(str(DATA)):
            if isinstance(item, Checkpoint):
                states.append(item.state)
            elif item.data is not None:
                seen.append(item.data["id"])

    with pytest.raises(ConnectorError):
        consume()
    assert len(seen) == 150 and states
    last = states[-1]
    api.reset()
    again = [
        i.data["id"]
        for i in ZyhConnector(zyh_config(api.url, endpoints=["hours"])).read(str(DATA), last)
        if isinstance(i, SourceRecord) and i.data is not None
    ]
    everything = [json.loads(line)["id"] for line in (DATA / "hours.jsonl").open()]
    assert len(again) == 150
    assert sorted(seen + again) == sorted(everything)  # nothing lost, nothing twice


def test_ties_on_one_timestamp_are_neither_lost_nor_repeated(api: FakeApi) -> None:
    """Items 4 and 5 of every five share a modification time; a page may end between
    them. Resuming from every checkpoint gives exactly the rest."""
    connector = ZyhConnector(zyh_config(api.url, endpoints=["hours"], page_size=7))
    order: list[str] = []
    states: list[tuple[int, dict[str, Any]]] = []
    for item in connector.read(str(DATA)):
        if isinstance(item, Checkpoint):
            states.append((len(order), item.state))
        elif item.data is not None:
            order.append(item.data["id"])
    assert len(order) == 300
    for done, state in states[:: max(1, len(states) // 6)]:
        rest = [
            i.data["id"]
            for i in ZyhConnector(zyh_config(api.url, endpoints=["hours"], page_size=7)).read(
                str(DATA), state
            )
            if isinstance(i, SourceRecord) and i.data is not None
        ]
        assert rest == order[done:], f"resume after {done} records"


def _convert(url: str, source: Path, out: Path, state: Path, config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "VSTD_ZYH_CLIENT_SECRET": CLIENT_SECRET}
    env.pop("PYTEST_XDIST_WORKER", None)
    args = [
        sys.executable,
        "-m",
        "volunteer_standard",
        "convert",
        "--from",
        "zyh",
        "--from-config",
        str(config),
        str(source),
        str(out),
        "--state",
        str(state),
        "--quiet",
    ]
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def test_cli_run_killed_mid_way_then_rerun_loses_and_duplicates_nothing(
    api: FakeApi, tmp_path: Path
) -> None:
    source = tmp_path / "zyh"
    shutil.copytree(DATA, source)
    config = tmp_path / "zyh.toml"
    # The secret comes from the environment (VSTD_ZYH_CLIENT_SECRET), not the file.
    config.write_text(
        f'base_url = "{api.url}"\nclient_id = "{CLIENT_ID}"\nbackoff = 0.01\n', encoding="utf-8"
    )
    state = tmp_path / "state.json"

    # 1. A first full run saves the bookmark.
    first = _convert(api.url, source, tmp_path / "out1.jsonl", state, config)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert CLIENT_SECRET not in err
    out1 = _lines(tmp_path / "out1.jsonl")
    assert len(out1) == 370
    saved = state.read_text(encoding="utf-8")

    # 2. The platform changes: 40 new service records and 5 corrected ones.
    hours_file = source / "hours.jsonl"
    rows = _lines(hours_file)
    changed = rows[:5]
    for n, row in enumerate(changed):
        row["duration"] = "1.00"
        row["update_time"] = f"2025-04-01 09:00:0{n}"
    new = []
    for n in range(40):
        row = dict(rows[-1])
        row["id"] = f"sr-new-{n:03d}"
        row["update_time"] = f"2025-04-02 10:{n:02d}:00"
        new.append(row)
    kept = rows[5:]
    hours_file.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*kept, *changed, *new]),
        encoding="utf-8",
    )

    # 3. A second run is killed while it waits for page 2 of the new hours.
    api.faults({"kind": "slow", "delay": 30.0, "path": HOURS, "page": 2})
    killed = _convert(api.url, source, tmp_path / "out2.jsonl", state, config)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(e["path"].endswith(HOURS) and e.get("page") == 2 for e in api.log()):
            break
        time.sleep(0.1)
    else:
        killed.kill()
        pytest.fail("the run never reached page 2 of the hours")
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)
    assert killed.returncode != 0
    assert state.read_text(encoding="utf-8") == saved  # the bookmark did not move
    api.reset()

    # 4. Running again delivers exactly the changes since the first run.
    third = _convert(api.url, source, tmp_path / "out3.jsonl", state, config)
    _, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    out3 = _lines(tmp_path / "out3.jsonl")
    assert sorted(ids_of(out3)) == sorted(ids_of(changed) + ids_of(new))
    assert len(set(ids_of(out3))) == len(out3)
    assert {r["id"]: r["hours"] for r in out3 if r["id"] in ids_of(changed)} == {
        r["id"]: "1.00" for r in changed
    }
    final = {r["id"] for r in out1} | {r["id"] for r in out3}
    assert len(final) == 370 + 40
    summary = json.loads(err.strip().splitlines()[-1])
    assert summary["read"] == summary["written"] == 45

    # 5. And a run with nothing new reads nothing and keeps the bookmark.
    fourth = _convert(api.url, source, tmp_path / "out4.jsonl", state, config)
    _, err = fourth.communicate(timeout=120)
    assert fourth.returncode == 0, err
    assert _lines(tmp_path / "out4.jsonl") == []
    assert json.loads(state.read_text())["hours"]["ids"] == ["sr-new-039"]
