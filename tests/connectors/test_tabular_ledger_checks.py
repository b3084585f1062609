"""A ledger's rows are checked once in a conversion, with the same outcome as checked twice.

The row check (a ledger row written whole or rejected whole) runs the conversion's own
checks when its profile is the conversion's, and each record carries what they found to
the engine, which no longer checks it again. Output, reject file and summary must be those
of the run that checks twice (the connector's own row check, then the engine), for every
policy and profile: rows broken in translation, in structure and by the rules, repeats
that conflict (first, last, reject), ``--on-invalid keep``, and profiles that differ.
"""

from __future__ import annotations

import csv
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.engine import convert
from volunteer_standard.identifiers.generate import make_mobile
from volunteer_standard.validation.structure import RecordChecker

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-test-key-that-is-long-enough"

MAPPING = """
version = 1
encoding = "gb18030"

[[entities]]
type = "volunteer"
key = ["身份证号"]
on_conflict = "{policy}"
[entities.fields]
id = {{ template = "V-{{digest:身份证号}}" }}
volunteer_no = {{ template = "V-{{digest:身份证号}}" }}
name = "姓名"
id_document.type = {{ constant = "01" }}
id_document.number = "身份证号"
political_status = "政治面貌"
phone = "手机号码"

[[entities]]
type = "organization"
key = ["所属组织"]
[entities.fields]
id = {{ template = "T-{{digest:所属组织}}" }}
name = "所属组织"
team_type = {{ constant = "1" }}

[[entities]]
type = "service_record"
[entities.fields]
id = {{ template = "SR-{{digest:_file,_row}}" }}
volunteer_id = {{ template = "V-{{digest:身份证号}}" }}
organization_id = {{ template = "T-{{digest:所属组织}}" }}
start = {{ columns = ["服务日期", "开始时间"], format = "%Y-%m-%d %H:%M" }}
end = {{ columns = ["服务日期", "结束时间"], format = "%Y-%m-%d %H:%M" }}
hours = {{ column = "服务时长（分钟）", unit = "minutes" }}
status = {{ constant = "effective" }}
content = "活动名称"
remarks = "备注"
"""


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_ledger", ROOT / "examples" / "ledger" / "make_ledger.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_ledger"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example ledger (five rows broken on purpose), its rows twice, some phones
    changed (conflicts), a row of 25 hours and one with an impossible end."""
    monkeypatch.setenv("VSTD_ID_KEY", KEY)
    maker = _maker()
    rows = maker.ledger_rows(8) + maker.ledger_rows(8)
    rng = random.Random(5)
    for row in rows[::9]:
        row["手机号码"] = make_mobile(rng)
    rows[20]["服务时长（分钟）"] = "1500"
    rows[33]["结束时间"] = "07:00"
    path = tmp_path / "台账.csv"
    with path.open("w", encoding="gb18030", newline="") as out:
        writer = csv.DictWriter(out, maker.HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(source: Path, folder: Path, policy: str, options: dict[str, Any]) -> dict[str, Any]:
    folder.mkdir()
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING.format(policy=policy), encoding="utf-8")
    config: dict[str, Any] = {"mapping": str(mapping)}
    if "row_rules" in options:
        config["row_rules"] = options["row_rules"]
    kwargs = {k: v for k, v in options.items() if k != "row_rules"}
    summary = convert(
        str(source),
        str(folder / "out.jsonl"),
        source_connector="tabular",
        source_config=config,
        rejects=folder / "rejects.jsonl",
        **kwargs,
    )
    rejects = folder / "rejects.jsonl"
    found = summary.to_dict()
    found["rejects"] = None
    return {
        "out": (folder / "out.jsonl").read_bytes(),
        "rejects": rejects.read_bytes() if rejects.exists() else b"",
        "summary": found,
    }


CASES = [
    ("first", {}),
    ("last", {}),
    ("reject", {}),
    ("first", {"on_invalid": "keep"}),
    ("first", {"profile": "structure"}),
    ("first", {"profile": "structure", "row_rules": "structure"}),
    ("last", {"profile": "zhejiang", "row_rules": "zhejiang"}),
    ("first", {"row_rules": "none"}),
]


@pytest.mark.parametrize(("policy", "options"), CASES)
def test_a_ledger_converts_the_same_whether_its_records_are_checked_once_or_twice(
    ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: str, options: Any
) -> None:
    calls = {"n": 0}
    check = RecordChecker.check

    def counted(self: RecordChecker, raw: Any, emit: Any) -> Any:
        calls["n"] += 1
        return check(self, raw, emit)

    monkeypatch.setattr(RecordChecker, "check", counted)
    once = _run(ledger, tmp_path / "once", policy, options)
    checks_once = calls["n"]
    monkeypatch.delattr(TabularConnector, "share_record_checks")
    calls["n"] = 0
    twice = _run(ledger, tmp_path / "twice", policy, options)
    assert once == twice
    assert once["summary"]["rejected"] > 0 and once["summary"]["written"] > 0
    shared = options.get("row_rules", "national") == options.get("profile", "national")
    if shared:  # the records the row check let out were not checked again
        assert checks_once < calls["n"]
    else:
        assert checks_once == calls["n"]
