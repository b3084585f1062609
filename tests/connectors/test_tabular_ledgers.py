"""Ledgers (issue 8): several entities per row, dedup, id templates, sensitive columns,
source-layout rejects and the mapping draft."""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

import pytest

from volunteer_standard.connectors.base import Problem, SourceRecord
from volunteer_standard.connectors.tabular import TabularConnector
from volunteer_standard.connectors.tabular.draft import draft_mapping
from volunteer_standard.connectors.tabular.ids import id_problem, keyed_digest
from volunteer_standard.connectors.tabular.mapping import (
    MappingError,
    load_mapping,
    mapping_from_dict,
)
from volunteer_standard.connectors.tabular.rejects import SourceLayoutRejects
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.identifiers.generate import make_resident_id
from volunteer_standard.io.reader import Location

KEY = "0123456789abcdef-key"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSTD_ID_KEY", KEY)


def _person_id(seed: int) -> str:
    import random
    from datetime import date

    return make_resident_id(
        random.Random(seed), region_code="320102", birth_date=date(1990, 1, 1), gender="1"
    )


def _ledger_mapping(on_conflict: str = "first") -> dict[str, Any]:
    return {
        "entities": [
            {
                "type": "volunteer",
                "key": "证件号码",
                "on_conflict": on_conflict,
                "fields": {
                    "id": {"template": "V-{digest:证件号码}"},
                    "volunteer_no": {"template": "V-{digest:证件号码}"},
                    "name": "姓名",
                    "phone": "手机",
                },
            },
            {
                "type": "organization",
                "fields": {
                    "id": {"template": "T-{digest:队伍名称}"},
                    "name": "队伍名称",
                    "team_type": {"constant": "1"},
                },
            },
            {
                "type": "service_record",
                "fields": {
                    "id": {"template": "SR-{_file}-{_row}"},
                    "volunteer_id": {"template": "V-{digest:证件号码}"},
                    "organization_id": {"template": "T-{digest:队伍名称}"},
                    "start": "开始时间",
                    "end": "结束时间",
                    "hours": {"column": "时长", "unit": "minutes"},
                    "status": {"constant": "effective"},
                },
            },
        ]
    }


def _row(person: int, phone: str = "17100000001", team: str = "星光队") -> dict[str, str]:
    return {
        "姓名": f"测试{person}",
        "证件号码": _person_id(person),
        "手机": phone,
        "队伍名称": team,
        "开始时间": "2024-03-05 09:00",
        "结束时间": "2024-03-05 10:30",
        "时长": "90",
        "活动": "探访",
    }


def _translate(translator: RowTranslator, rows: list[dict[str, str]]) -> list[SourceRecord]:
    out: list[SourceRecord] = []
    for number, cells in enumerate(rows, start=2):
        out += translator.translate(cells, Location("ledger.csv", number), dict(cells), [])
    out += translator.finish()
    return out


# -- mappings ------------------------------------------------------------------------------


def test_toml_dotted_field_paths_work_as_in_yaml(tmp_path: Path) -> None:
    toml = tmp_path / "m.toml"
    toml.write_text(
        """
[[entities]]
type = "volunteer"
[entities.fields]
id = "编号"
volunteer_no = "编号"
name = "姓名"
id_document.type = { constant = "01" }
id_document.number = "证件号码"
residence.region_code = { columns = ["所在省", "所在市", "所在区"] }
""",
        encoding="utf-8",
    )
    paths = [r.path for r in load_mapping(toml).entities[0].rules]
    assert "id_document.type" in paths and "residence.region_code" in paths


def test_an_id_from_an_id_number_in_clear_is_refused() -> None:
    data = _ledger_mapping()
    data["entities"][0]["fields"]["id"] = "证件号码"
    with pytest.raises(MappingError, match=r"never be an ID number in clear.*digest"):
        mapping_from_dict(data)


def test_digest_ids_need_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VSTD_ID_KEY")
    with pytest.raises(MappingError, match="VSTD_ID_KEY"):
        mapping_from_dict(_ledger_mapping())


def test_digests_are_stable_keyed_and_never_the_clear_value() -> None:
    number = _person_id(1)
    one = keyed_digest([number], KEY.encode())
    assert one == keyed_digest([number.lower()], KEY.encode())  # x and X agree
    assert one != keyed_digest([number], b"another key of 16+ chars")
    assert number not in one and len(one) == 20


def test_a_bad_id_says_what_an_id_may_contain_and_suggests_a_digest() -> None:
    why = id_problem("星光志愿服务队")
    assert why is not None
    assert "digest" in why.en and "A-Z a-z" in why.en and "^" not in why.en
    assert "汉字" in why.zh
    assert id_problem("SR-2024-001") is None
    assert id_problem(f"V{_person_id(3)}") is not None  # an ID number inside an id


def test_a_chinese_id_cell_is_rejected_with_the_suggestion() -> None:
    mapping = mapping_from_dict(
        {
            "entities": [
                {
                    "type": "organization",
                    "fields": {
                        "id": "队伍名称",
                        "name": "队伍名称",
                        "team_type": {"constant": "1"},
                    },
                }
            ]
        }
    )
    (record,) = RowTranslator(mapping).translate(
        {"队伍名称": "星光队"}, Location("t.csv", 2), {}, []
    )
    assert [p.code for p in record.problems] == ["TAB117"]
    assert "{digest:column}" in record.problems[0].text("en")


# -- several entities per row, dedup -------------------------------------------------------


def test_one_row_gives_three_records_and_repeats_merge_silently() -> None:
    translator = RowTranslator(mapping_from_dict(_ledger_mapping()))
    records = _translate(translator, [_row(1), _row(2), _row(1), _row(1, team="月光队")])
    kinds = [r.data["type"] for r in records if r.data]
    assert kinds.count("volunteer") == 2
    assert kinds.count("organization") == 2
    assert kinds.count("service_record") == 4
    record = next(r.data for r in records if r.data and r.data["type"] == "service_record")
    volunteer = next(r.data for r in records if r.data and r.data["type"] == "volunteer")
    assert record["volunteer_id"] == volunteer["id"]
    assert record["id"] == "SR-ledger-2"
    # Unmapped columns go to the per-row entity only.
    assert "extensions" not in volunteer
    assert record["extensions"] == {"tabular": {"活动": "探访"}}
    assert translator.conflicts == []


def test_conflicts_keep_the_first_by_default_and_are_reported_with_both_rows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    translator = RowTranslator(mapping_from_dict(_ledger_mapping()))
    with caplog.at_level(logging.WARNING):
        records = _translate(translator, [_row(1), _row(2), _row(1, phone="17100000009")])
    volunteers = [r.data for r in records if r.data and r.data["type"] == "volunteer"]
    assert [v["phone"] for v in volunteers if v["name"] == "测试1"] == ["17100000001"]
    (conflict,) = translator.conflicts
    assert (conflict.first_row, conflict.row, conflict.fields) == (2, 4, ("phone",))
    assert "rows 2 and 4" in caplog.text and "17100000009" not in caplog.text


def test_last_wins_when_asked_and_comes_out_at_the_end() -> None:
    translator = RowTranslator(mapping_from_dict(_ledger_mapping("last")))
    records = _translate(translator, [_row(1), _row(1, phone="17100000009")])
    volunteers = [r for r in records if r.data and r.data["type"] == "volunteer"]
    assert [v.data["phone"] for v in volunteers if v.data] == ["17100000009"]
    assert records[-1] is volunteers[0]  # held back until the last row


def test_reject_sends_the_later_row_whole_to_the_reject_file() -> None:
    translator = RowTranslator(mapping_from_dict(_ledger_mapping("reject")))
    records = _translate(translator, [_row(1), _row(1, phone="17100000009")])
    bad = [r for r in records if r.problems]
    assert len(bad) == 3  # volunteer, organization and service record of row 3
    assert {p.code for r in bad for p in r.problems} == {"TAB141"}
    assert "rows 2 and 3" in bad[0].problems[0].text("en")
    assert "第 2 行与第 3 行" in bad[0].problems[0].text("zh")


def test_a_bad_cell_rejects_the_whole_row_and_registers_nothing() -> None:
    translator = RowTranslator(mapping_from_dict(_ledger_mapping()))
    broken = {**_row(1), "时长": "很久"}
    records = _translate(translator, [broken, _row(1)])
    assert all(r.problems for r in records[:3]) and len(records) == 6
    (problem,) = records[0].problems
    assert problem.text("zh") == "第 2 行，列 '时长'：'很久' 不是数字"
    assert problem.text("en") == "row 2, column '时长': '很久' is not a number"
    assert [r.data["type"] for r in records[3:] if r.data] == [
        "volunteer",
        "organization",
        "service_record",
    ]


def test_known_ids_from_an_earlier_output_are_not_written_again() -> None:
    mapping = mapping_from_dict(_ledger_mapping())
    first = _translate(RowTranslator(mapping), [_row(1)])
    known: dict[str, frozenset[str]] = {}
    for record in first:
        assert record.data is not None
        known[record.data["type"]] = known.get(record.data["type"], frozenset()) | {
            record.data["id"]
        }
    again = _translate(RowTranslator(mapping, known=known), [_row(1), _row(2)])
    assert [r.data["type"] for r in again if r.data] == [
        "volunteer",
        "service_record",  # row 3 is new; row 2's records were all there
    ]


# -- connector: shared tables, sensitive columns -------------------------------------------


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_an_unmapped_column_of_id_numbers_is_reported_unless_marked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [{**_row(i), "监护人身份证": _person_id(100 + i), "健康状况": "良好"} for i in range(3)]
    _write_csv(tmp_path / "ledger.csv", rows)
    mapping = tmp_path / "m.yaml"
    import yaml

    mapping.write_text(yaml.safe_dump(_ledger_mapping(), allow_unicode=True), "utf-8")
    connector = TabularConnector({"mapping": str(mapping)})
    with caplog.at_level(logging.WARNING):
        list(connector.read(str(tmp_path / "ledger.csv")))
    assert "'监护人身份证' looks like ID numbers" in caplog.text
    assert "'健康状况' looks like health information" in caplog.text
    assert _person_id(100) not in caplog.text

    data = _ledger_mapping()
    data["entities"][2]["sensitive"] = ["监护人身份证", "健康状况"]
    mapping.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        list(TabularConnector({"mapping": str(mapping)}).read(str(tmp_path / "ledger.csv")))
    assert "looks like" not in caplog.text
    assert load_mapping(mapping).sensitive_columns == {"监护人身份证", "健康状况"}


def test_fields_can_be_marked_sensitive() -> None:
    data = _ledger_mapping()
    data["entities"][0]["fields"]["phone"] = {"column": "手机", "sensitive": True}
    assert mapping_from_dict(data).sensitive_columns == {"手机"}


# -- source-layout rejects -----------------------------------------------------------------


def test_rejects_keep_the_source_layout_one_row_per_source_row(tmp_path: Path) -> None:
    target = tmp_path / "rejects.csv"
    sink = SourceLayoutRejects(target, lang="en")
    where = Location("in/ledger.csv", 7)
    raw_a = {"姓名": "张三", "时长": "很久", "备注": "x"}
    sink.write(SourceRecord(None, where, raw_a, [Problem("TAB113", "bad")]), ["bad hours"])
    sink.write(SourceRecord(None, where, raw_a, []), ["bad hours", "also this"])
    raw_b = {"姓名": "李四", "手机": "1", "时长": "=1+1"}
    sink.write(SourceRecord(None, Location("in/ledger.csv", 9), raw_b, []), ["bad phone"])
    assert not target.exists()
    sink.commit()
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0] == ["姓名", "手机", "时长", "备注", "source row", "source file", "reasons"]
    assert rows[1] == ["张三", "", "很久", "x", "7", "ledger.csv", "bad hours; also this"]
    assert rows[2][2] == "'=1+1"  # formulas neutralised
    assert [p.name for p in tmp_path.iterdir()] == ["rejects.csv"]


def test_an_aborted_reject_file_leaves_nothing(tmp_path: Path) -> None:
    sink = SourceLayoutRejects(tmp_path / "r.xlsx", lang="zh")
    sink.write(SourceRecord(None, Location("a.csv", 2), {"a": "1"}, []), ["x"])
    sink.abort()
    assert list(tmp_path.iterdir()) == []


# -- draft ---------------------------------------------------------------------------------


def test_the_draft_guesses_hours_from_the_data_and_flags_sensitive_columns(
    tmp_path: Path,
) -> None:
    rows = [
        {
            "志愿者姓名": f"测试{i}",
            "公民身份号码": _person_id(i),
            "联系电话": f"1710000000{i}",
            "政治面貌": "民盟" if i else "党员同志",
            "队伍名称": "星光队",
            "开始时间": "2024/3/5 9:00",
            "结束时间": "2024/3/5 10:30",
            "时长": str(90 + i),
            "紧急联系人电话": f"1720000000{i}",
        }
        for i in range(4)
    ]
    _write_csv(tmp_path / "l.csv", rows)
    draft = draft_mapping(tmp_path / "l.csv")
    text = draft.to_toml()
    assert 'hours = { column = "时长", unit = "minutes" }' in text
    assert 'id_document.number = "公民身份号码"' in text
    assert "党员同志 → 01 中共党员" in text
    assert "紧急联系人电话: 看起来是手机号" in text
    assert [e.type for e in draft.entities] == ["volunteer", "organization", "service_record"]
    left = draft.left_to_decide()
    assert len(left) == 1 and "team_type" in left[0]


def test_mapping_init_writes_once_and_speaks_chinese(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from volunteer_standard.cli import app

    _write_csv(tmp_path / "l.csv", [_row(1), _row(2)])
    target = tmp_path / "m.toml"
    runner = CliRunner()
    first = runner.invoke(app, ["mapping", "init", str(tmp_path / "l.csv"), "-o", str(target)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["mapping", "init", str(tmp_path / "l.csv"), "-o", str(target)])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(
        app,
        ["mapping", "init", str(tmp_path / "l.csv"), "-o", str(target), "--force", "--lang", "zh"],
    )
    assert forced.exit_code == 0 and "已写出" in forced.output and "转换前还需决定" in forced.output
    finished = target.read_text("utf-8").replace("# team_type", "team_type")
    target.write_text(finished, "utf-8")
    assert [e.type for e in load_mapping(target).entities] == [
        "volunteer",
        "organization",
        "service_record",
    ]


def test_the_draft_of_a_reject_file_leaves_its_added_columns_alone(tmp_path: Path) -> None:
    rows = [{**_row(i), "原行号": str(i + 2), "原文件": "l.csv", "问题说明": "x"} for i in range(2)]
    _write_csv(tmp_path / "r.csv", rows)
    draft = draft_mapping(tmp_path / "r.csv")
    mapped = {str(ln.value) for e in draft.entities for ln in e.lines}
    assert not any(c in m for m in mapped for c in ("原行号", "原文件", "问题说明"))
    assert {c for c, _ in draft.unmatched} >= {"原行号", "原文件", "问题说明"}
