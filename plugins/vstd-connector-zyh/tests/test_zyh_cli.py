"""``vstd convert --to zyh``: service hours from a standard file are written back to the
API through the CLI; what the API cannot take is rejected, not lost."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner
from vstd_connector_zyh import ZyhConnector
from zyh_support import CLIENT_ID, CLIENT_SECRET, zyh_config

from volunteer_standard.cli import app
from volunteer_standard.testing import read_objects
from volunteer_standard.testing.fake_api import FakeApi

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_convert_to_zyh_writes_hours_and_rejects_the_rest(zyh_api: FakeApi, tmp_path: Path) -> None:
    zyh_api.reset()
    config = tmp_path / "zyh.toml"
    config.write_text(f'client_id = "{CLIENT_ID}"\n', encoding="utf-8")
    target = f"{zyh_api.url}{tmp_path}/platform"
    rejects = tmp_path / "rejects.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "convert",
            str(EXAMPLES / "sample.jsonl"),
            target,
            "--to",
            "zyh",
            "--to-config",
            str(config),
            "--rejects",
            str(rejects),
        ],
        env={"VSTD_ZYH_CLIENT_SECRET": CLIENT_SECRET},
    )
    assert result.exit_code == 1, result.output  # the other entity types are rejected
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["balanced"]
    sent = [
        json.loads(line)
        for line in (EXAMPLES / "sample.jsonl").open(encoding="utf-8")
        if '"service_record"' in line
    ]
    records = [r for r in sent if r.get("type") == "service_record"]
    assert summary["written"] == len(records) > 0
    assert summary["reject_codes"] == {"VS103": summary["rejected"]}
    back = read_objects(
        ZyhConnector(zyh_config(zyh_api.url, endpoints=["hours"])), tmp_path / "platform"
    )
    assert sorted(o.id for o in back) == sorted(r["id"] for r in records)
    assert CLIENT_SECRET not in result.output
