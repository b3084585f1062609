"""RowTranslator: one mapping language for every source of rows (files, sheets, queries)."""

from __future__ import annotations

import pytest

from volunteer_standard.connectors.base import ConnectorError, Problem
from volunteer_standard.connectors.tabular.mapping import mapping_from_dict
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.io.reader import Location

MAPPING = {
    "entities": [
        {
            "type": "organization",
            "fields": {"id": "编号", "name": "名称", "team_type": {"column": "类型"}},
        }
    ]
}


def test_a_row_of_named_cells_becomes_a_record() -> None:
    translator = RowTranslator(mapping_from_dict(MAPPING))
    cells = {"编号": "ORG-1", "名称": "星光志愿服务队", "类型": "志愿服务团体", "备注": "x"}
    records = list(translator.translate(cells, Location("q", 2), dict(cells), []))
    assert len(records) == 1
    data = records[0].data
    assert data is not None
    assert data["type"] == "organization"
    assert data["id"] == "ORG-1"
    assert data["extensions"] == {"tabular": {"备注": "x"}}
    assert records[0].problems == []
    assert list(translator.finish()) == []


def test_a_bad_cell_is_a_problem_with_its_row_and_column() -> None:
    translator = RowTranslator(mapping_from_dict(MAPPING))
    cells = {"编号": "ORG-1", "名称": "", "类型": "不存在的类型"}
    problems: list[Problem] = []
    (record,) = translator.translate(cells, Location("q", 7), {}, problems)
    codes = sorted(p.code for p in record.problems)
    assert codes == ["TAB110", "TAB115"]
    assert all("row 7" in p.text() for p in record.problems)


def test_missing_columns_are_named_with_close_matches() -> None:
    translator = RowTranslator(mapping_from_dict(MAPPING))
    assert translator.missing_columns(["编号", "名称"]) == ["类型"]
    with pytest.raises(ConnectorError, match="'类型'"):
        translator.check_columns(["编号", "名称", "类别"], "t.csv")
