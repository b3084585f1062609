"""Columns a mapping marks sensitive are treated as sensitive on every output path: the
written records (under extensions) and the reject file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import volunteer_standard as vs
from volunteer_standard.privacy import Privacy

MAPPING = """version: 1
entities:
  - type: volunteer
    file: vols.csv
    sensitive: [健康状况]
    fields:
      id: 编号
      volunteer_no: 志愿者号
      name: 姓名
      gender: 性别
"""


def _ledger(tmp_path: Path) -> Path:
    (tmp_path / "vols.csv").write_text(
        "编号,志愿者号,姓名,性别,健康状况,特长\n"
        "v1,V1100002201000004V,测试甲,男,高血压病史,摄影\n"
        "v2,V1100002201000012V,测试乙,火星人,糖尿病,书法\n",
        encoding="utf-8",
    )
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    return tmp_path / "vols.csv"


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_marked_column_is_masked_in_outputs_and_rejects(tmp_path: Path) -> None:
    source = _ledger(tmp_path)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    summary = vs.convert(
        str(source),
        str(out),
        source_connector="tabular",
        source_config={"mapping": str(tmp_path / "map.yaml")},
        rejects=rejects,
        privacy=Privacy("masked"),
    )
    assert (summary.written, summary.rejected) == (1, 1)
    written = out.read_text(encoding="utf-8") + rejects.read_text(encoding="utf-8")
    assert "高血压病史" not in written and "糖尿病" not in written
    assert "摄影" in written and "书法" in written  # unmarked columns travel as they are
    (record,) = _lines(out)
    assert record["extensions"]["tabular"]["健康状况"] != "高血压病史"  # type: ignore[index]


def test_raw_keeps_them_when_asked(tmp_path: Path) -> None:
    source = _ledger(tmp_path)
    out = tmp_path / "out.jsonl"
    vs.convert(
        str(source),
        str(out),
        source_connector="tabular",
        source_config={"mapping": str(tmp_path / "map.yaml")},
        rejects=tmp_path / "r.jsonl",
        privacy=Privacy("raw"),
    )
    assert "高血压病史" in out.read_text(encoding="utf-8")


def test_a_baseline_never_holds_an_id_number_used_as_a_record_id(tmp_path: Path) -> None:
    import random

    from volunteer_standard.identifiers.generate import make_resident_id

    number = make_resident_id(
        random.Random(7), region_code="110105", birth_date=date(1990, 3, 7), gender="1"
    )
    record = {
        "type": "volunteer",
        "id": number,
        "volunteer_no": "V1100002201000004V",
        "name": "测试甲",
        "gender": "男",
    }
    data = tmp_path / "v.jsonl"
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    first = vs.validate(data, write_baseline=baseline)
    assert first.errors >= 1
    assert number not in baseline.read_text(encoding="utf-8")
    again = vs.validate(data, baseline=baseline)  # the hashed id still matches
    assert again.errors == 0 and again.suppressed == first.errors + first.warnings
