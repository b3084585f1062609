"""From a live API into a database, from the command line: ``vstd convert --from zyh …
--to sql …`` against the local 志愿汇-style server, then back out of the database, loses
nothing (issue 9: live interfaces linked end to end)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from vstd_connector_zyh import ZyhConnector
from zyh_support import CLIENT_ID, CLIENT_SECRET, DATA, zyh_config

from volunteer_standard.testing import comparable, read_objects
from volunteer_standard.testing.fake_api import FakeApi


def _vstd(*args: str) -> tuple[int, str]:
    """As an operator runs it: a process of its own; (exit code, stdout and stderr)."""
    env = {**os.environ, "VSTD_ZYH_CLIENT_SECRET": CLIENT_SECRET}
    done = subprocess.run(
        [sys.executable, "-m", "volunteer_standard", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _summary(output: str) -> dict[str, Any]:
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_zyh_to_sql_and_back(zyh_api: FakeApi, tmp_path: Path) -> None:
    zyh_api.reset()
    zyh = tmp_path / "zyh.toml"
    zyh.write_text(f'base_url = "{zyh_api.url}"\nclient_id = "{CLIENT_ID}"\n', encoding="utf-8")
    sql = tmp_path / "sql.toml"
    sql.write_text("create_tables = true\n", encoding="utf-8")
    database = tmp_path / "regional.db"

    code, output = _vstd(
        "convert", str(DATA), str(database), "--from", "zyh", "--from-config", str(zyh),
        "--to", "sql", "--to-config", str(sql), "--rejects", str(tmp_path / "r1.jsonl"),
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    first = _summary(output)
    assert first["balanced"] and first["written"] == first["read"] > 0, first
    assert first["privacy"] == "raw"  # a database in the standard's layout keeps the data
    assert CLIENT_SECRET not in output

    out = tmp_path / "back.jsonl"
    code, output = _vstd(
        "convert", str(database), str(out), "--from", "sql", "--format", "json",
        "--rejects", str(tmp_path / "r2.jsonl"),
    )  # fmt: skip
    assert code == 0, output
    assert _summary(output)["written"] == first["written"]

    from_api = {
        (o.type, o.id): comparable(o)
        for o in read_objects(ZyhConnector(zyh_config(zyh_api.url)), DATA)
    }
    from_db = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(from_db) == first["written"]
    assert {(r["type"], r["id"]) for r in from_db} <= set(from_api)
    for record in from_db:  # the standard's own form end to end: every field kept
        assert record == from_api[(record["type"], record["id"])]
