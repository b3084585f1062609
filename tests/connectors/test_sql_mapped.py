"""The sql connector with a mapping: a regional system's own tables or a query."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.connectors.sql_support import execute, fresh_schema, sqlite_url
from volunteer_standard.connectors import get_connector
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.models import Entity, Volunteer
from volunteer_standard.testing import (
    check_record,
    comparable,
    read_objects,
    records_of,
    write_objects,
)

REGIONAL = Path(__file__).parents[2] / "examples" / "regional"


def _regional() -> list[Entity]:
    """The valid objects of the synthetic city platform's export (it has a few broken
    rows on purpose), read through its tabular mapping."""
    tabular = get_connector("tabular")({"mapping": str(REGIONAL / "mapping.yaml")})
    found = (check_record(r)[0] for r in records_of(tabular, str(REGIONAL)))
    return [obj for obj in found if obj is not None]


@pytest.fixture(params=["sqlite", "postgresql"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """(location, config) of an empty database."""
    if request.param == "sqlite":
        return str(tmp_path / "regional.db"), {}
    url: str = request.getfixturevalue("vstd_postgres_url")
    return fresh_schema(url), {"url": url}


def test_mapped_write_then_read_gives_the_same_objects(place: tuple[str, dict[str, Any]]) -> None:
    location, config = place
    mapped = {**config, "mapping": str(REGIONAL / "mapping.yaml")}
    expected = _regional()
    write_objects(
        SqlConnector({**mapped, "create_tables": True, "batch_size": 7}), location, expected
    )
    back = read_objects(SqlConnector(mapped), location)
    assert _sorted(back) == _sorted(expected)


def _sorted(objs: list[Entity]) -> list[str]:
    return sorted(json.dumps(comparable(o), sort_keys=True, ensure_ascii=False) for o in objs)


def test_several_entity_types_from_one_query(tmp_path: Path) -> None:
    db = tmp_path / "platform.db"
    execute(
        sqlite_url(db),
        "CREATE TABLE vol (vid TEXT, xm TEXT, xb TEXT)",
        "CREATE TABLE hours (jlbh TEXT, vid TEXT, kssj TEXT, jssj TEXT, sc INTEGER, zt TEXT)",
        "INSERT INTO vol VALUES ('ZY1', '张三', '男'), ('ZY2', '李四', '女')",
        "INSERT INTO hours VALUES ('1', 'ZY1', '2024/3/5 09:00', '2024/3/5 10:30', 90, '已审核'),"
        "('2', 'ZY2', '2024/3/6 14:00', '2024/3/6 16:00', 120, '待审核'),"
        "('3', 'ZY1', '2024/3/7 08:00', '2024/3/7 08:00', 0, '火星')",
    )
    mapping = tmp_path / "platform.yaml"
    mapping.write_text(
        """version: 1
entities:
  - type: volunteer
    fields:
      id: vid
      volunteer_no: vid
      name: xm
      gender: xb
  - type: service_record
    fields:
      id: {template: "SR-{jlbh}"}
      volunteer_id: vid
      organization_id: {constant: org-1}
      start: {column: kssj, format: "%Y/%m/%d %H:%M"}
      end: {column: jssj, format: "%Y/%m/%d %H:%M"}
      hours: {column: sc, unit: minutes}
      status: {column: zt, values: {已审核: effective, 待审核: pending}}
""",
        encoding="utf-8",
    )
    config = {
        "mapping": str(mapping),
        "query": "SELECT h.*, v.xm, v.xb FROM hours h JOIN vol v ON v.vid = h.vid ORDER BY h.jlbh",
        "key_column": "jlbh",
    }
    records = list(records_of(SqlConnector(config), str(db)))
    assert [r.data["type"] for r in records if r.data] == ["volunteer", "service_record"] * 3
    good = [r for r in records if not r.problems]
    assert len(good) == 4
    hours = [r.data for r in good if r.data and r.data["type"] == "service_record"]
    assert [(h["id"], h["hours"], h["status"], h["start"]) for h in hours] == [
        ("SR-1", "1.50", "effective", "2024-03-05T09:00:00+08:00"),
        ("SR-2", "2.00", "pending", "2024-03-06T14:00:00+08:00"),
    ]
    bad = [r for r in records if r.problems]
    assert {p.code for r in bad for p in r.problems} == {"TAB110"}
    assert all(str(r.location).endswith("#query:3") for r in bad)


def test_mapped_tables_must_exist_unless_created(tmp_path: Path) -> None:
    from volunteer_standard.connectors import ConnectorError

    config = {"mapping": str(REGIONAL / "mapping.yaml")}
    with pytest.raises(ConnectorError, match="create_tables = true"):
        write_objects(SqlConnector(config), tmp_path / "x.db", _regional()[:3])


def test_mapped_rows_go_into_a_regional_systems_typed_table(
    place: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    """An existing table with its own types (a DATE column): text from the mapping is
    converted to the column's type, and the upsert key is the column id maps to."""
    location, config = place
    url = config.get("url") or sqlite_url(Path(location))
    table = "vols" if "url" not in config else f"{location}.vols"
    execute(
        url, f"CREATE TABLE {table} (vid VARCHAR(20) PRIMARY KEY, vno TEXT, xm TEXT, born DATE)"
    )
    mapping = tmp_path / "vols.yaml"
    mapping.write_text(
        "version: 1\nentities:\n  - type: volunteer\n    sheet: vols\n    fields:\n"
        "      id: vid\n      volunteer_no: vno\n      name: xm\n      birth_date: born\n",
        encoding="utf-8",
    )
    people = [
        Volunteer(id=f"v{i}", volunteer_no=f"N{i}", name="测试", birth_date=date(1990, 1, 1 + i))
        for i in range(3)
    ]
    mapped = {**config, "mapping": str(mapping)}
    write_objects(SqlConnector(mapped), location, people)
    write_objects(SqlConnector(mapped), location, people[:1])  # upserted, not duplicated
    assert _sorted(read_objects(SqlConnector(mapped), location)) == _sorted(list(people))


def test_a_value_the_database_refuses_is_not_repeated(
    vstd_postgres_url: str, tmp_path: Path
) -> None:
    from volunteer_standard.connectors import ConnectorError

    schema = fresh_schema(vstd_postgres_url)
    execute(
        vstd_postgres_url, f"CREATE TABLE {schema}.vols (vid TEXT PRIMARY KEY, vno TEXT, n INTEGER)"
    )
    mapping = tmp_path / "vols.yaml"
    mapping.write_text(
        "version: 1\nentities:\n  - type: volunteer\n    sheet: vols\n    fields:\n"
        "      id: vid\n      volunteer_no: vno\n      name: n\n",
        encoding="utf-8",
    )
    connector = SqlConnector({"url": vstd_postgres_url, "mapping": str(mapping)})
    with pytest.raises(ConnectorError, match="the database refused") as caught:
        write_objects(connector, schema, [Volunteer(id="v1", volunteer_no="N1", name="王小明")])
    assert "王小明" not in caught.value.message("en") + caught.value.message("zh")
