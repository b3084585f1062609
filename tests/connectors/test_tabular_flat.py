"""The flat layout (no mapping): standard → CSV/XLSX → standard is exact."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connectors.strategies import (
    code,
    dates,
    datetimes,
    entities,
    extensions,
    ids,
    optional,
    text,
)
from volunteer_standard.connectors import ConnectorError, get_connector
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.models import (
    ENTITY_MODELS,
    Activity,
    Address,
    CheckinPoint,
    Consent,
    Entity,
    GeoPoint,
    Identifier,
    OpeningHours,
    Station,
    Volunteer,
)

finite = st.floats(min_value=-90, max_value=90, allow_nan=False, allow_infinity=False)
addresses = st.builds(
    Address,
    region_code=optional(st.sampled_from(["110105", "320102"])),
    address=optional(text),
    geo=optional(st.builds(GeoPoint, lat=finite, lng=finite)),
)
identifiers = st.lists(
    st.builds(Identifier, scheme=st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True), value=text),
    max_size=3,
)
# Text that stresses the list rule: separators, escapes and the "[]" marker itself.
tricky = st.one_of(text, st.sampled_from(["a;b", "\\", "[]", "a\\;b", ";", "=1+1", "-2", "'=x"]))

rich_volunteers = st.builds(
    Volunteer,
    id=ids,
    volunteer_no=tricky,
    name=tricky,
    identifiers=optional(identifiers),
    residence=optional(addresses),
    skills=optional(st.lists(code("skill"), max_size=3)),
    organization_ids=optional(st.lists(ids, max_size=3)),
    consents=optional(
        st.lists(
            st.builds(
                Consent,
                purpose=st.sampled_from(["registration", "publicity"]),
                given_at=datetimes,
                by_guardian=optional(st.booleans()),
            ),
            max_size=2,
        )
    ),
    birth_date=optional(dates),
    remarks=optional(tricky),
    extensions=extensions,
)
stations = st.builds(
    Station,
    id=ids,
    name=tricky,
    station_type=code("station_type"),
    address=addresses,
    opening_hours=optional(
        st.lists(
            st.builds(
                OpeningHours,
                days=st.lists(st.sampled_from(["mon", "sat", "holiday"]), min_size=1, max_size=3),
                opens=st.sampled_from(["08:00", "09:30"]),
                closes=st.sampled_from(["17:00", "21:00"]),
            ),
            max_size=2,
        )
    ),
    facilities=optional(st.lists(tricky, max_size=3)),
)
activities = st.builds(
    Activity,
    id=ids,
    project_id=ids,
    title=tricky,
    start=datetimes,
    end=datetimes,
    quota=optional(st.integers(1, 10_000)),
    checkin_points=optional(
        st.lists(
            st.builds(
                CheckinPoint,
                kind=st.sampled_from(["in", "out", "both"]),
                lat=optional(finite),
                lng=optional(finite),
                radius_m=optional(st.integers(0, 5000)),
            ),
            max_size=2,
        )
    ),
)
everything = st.one_of(entities, rich_volunteers, stations, activities)


def write_read(objects: list[Entity], target: Path, **config: Any) -> list[Entity]:
    connector = get_connector("tabular")(config)
    writer = connector.open_writer(str(target))
    for obj in objects:
        writer.write(obj)
    writer.close()
    back: list[Entity] = []
    for record in get_connector("tabular")(config).read(str(target)):
        assert not record.problems, record.problems
        assert record.data is not None
        back.append(ENTITY_MODELS[record.data["type"]].model_validate(record.data))
    return back


def _key(obj: Entity) -> tuple[str, str]:
    return obj.type, obj.model_dump_json()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(everything, min_size=1, max_size=6))
def test_csv_folder_round_trip_is_exact(objects: list[Entity]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = write_read(objects, Path(tmp) / "out")
    assert sorted(map(_key, back)) == sorted(map(_key, objects))
    # Same type, same order: rows come back in the order they were written.
    for kind in {o.type for o in objects}:
        assert [o for o in back if o.type == kind] == [o for o in objects if o.type == kind]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(everything, min_size=1, max_size=5))
def test_xlsx_round_trip_is_exact(objects: list[Entity]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = write_read(objects, Path(tmp) / "out.xlsx")
    assert sorted(map(_key, back)) == sorted(map(_key, objects))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=5))
def test_list_items_join_and_split_back(items: list[str]) -> None:
    if items == [""]:
        return  # the one list the rule cannot tell from "absent"; items are never empty
    assert flat.split_items(flat.join_items(items)) == items


def test_hours_and_dates_round_trip_through_a_single_csv(tmp_path: Path) -> None:
    from volunteer_standard.models import ServiceRecord

    record = ServiceRecord.model_validate(
        {
            "type": "service_record",
            "id": "r1",
            "volunteer_id": "v1",
            "organization_id": "o1",
            "start": "2024-03-05T09:00:00+08:00",
            "end": "2024-03-05T10:30:00+08:00",
            "hours": "1.50",
            "status": "effective",
        }
    )
    target = tmp_path / "service_records.csv"
    assert write_read([record], target) == [record]
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["id", "volunteer_id", "organization_id"]
    assert "1.50" in rows[1]


def test_layout_rules_are_as_documented(tmp_path: Path) -> None:
    volunteer = Volunteer(
        id="v1",
        volunteer_no="N1",
        name="测试",
        residence=Address(),
        skills=[],
        service_regions=["110105", "320102"],
        identifiers=[Identifier(scheme="nvsi", value="x;y")],
        extensions={"tabular": {"序号": "1"}},
    )
    row = flat.flatten(volunteer.model_dump(mode="json", exclude_none=True), "volunteer")
    assert row == {
        "id": "v1",
        "identifiers/0/scheme": "nvsi",
        "identifiers/0/value": "x;y",
        "extensions": '{"tabular":{"序号":"1"}}',
        "volunteer_no": "N1",
        "name": "测试",
        "residence": "{}",
        "service_regions": "110105;320102",
        "skills": "[]",
    }
    assert write_read([volunteer], tmp_path / "t") == [volunteer]


def test_column_order_follows_the_models() -> None:
    names = ["name", "id", "identifiers/1/value", "identifiers/0/value", "identifiers/0/scheme"]
    assert flat.ordered("volunteer", names) == [
        "id",
        "identifiers/0/scheme",
        "identifiers/0/value",
        "identifiers/1/value",
        "name",
    ]


def test_unknown_columns_stop_the_run_with_suggestions(tmp_path: Path) -> None:
    (tmp_path / "volunteers.csv").write_text("id,volunteer_no,nmae\nv1,N1,x\n", encoding="utf-8")
    connector = get_connector("tabular")()
    with pytest.raises(ConnectorError, match=r"'nmae' \(did you mean 'name'\?\)"):
        list(connector.read(str(tmp_path)))


def test_files_not_named_after_a_type_are_refused(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("id\nv1\n", encoding="utf-8")
    with pytest.raises(ConnectorError, match="not named after an entity type"):
        list(get_connector("tabular")().read(str(tmp_path)))


def test_a_single_file_can_name_its_type_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,volunteer_no,name\nv1,N1,张三\n", encoding="utf-8")
    (record,) = get_connector("tabular")({"entity": "volunteer"}).read(str(path))
    assert record.data == {"type": "volunteer", "id": "v1", "volunteer_no": "N1", "name": "张三"}
    assert str(record.location) == f"{path}:2"


def test_bad_cells_are_precise_problems(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text(
        "id,name,team_type,member_count,emergency_team\no1,A,2,many,perhaps\no2,B,2,3,true\n",
        encoding="utf-8",
    )
    first, second = get_connector("tabular")().read(str(tmp_path))
    assert [(p.code, p.field) for p in first.problems] == [
        ("TAB130", "member_count"),
        ("TAB130", "emergency_team"),
    ]
    assert "row 2, column 'member_count': expected a whole number, got 'many'" in (
        first.problems[0].message
    )
    assert second.problems == [] and second.data is not None
    assert second.data["member_count"] == 3 and second.data["emergency_team"] is True


def test_template_columns_resolve() -> None:
    for kind in ENTITY_MODELS:
        for name in flat.template_columns(kind):
            flat.column(kind, name)
