"""Property test: standard → sql (flat layout) → standard is exact, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connectors.sql_support import fresh_schema
from tests.connectors.test_tabular_flat import everything
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.models import Entity
from volunteer_standard.testing import comparable, read_objects, sample_entities, write_objects


def _key(obj: Entity) -> tuple[str, str]:
    return obj.type, obj.model_dump_json()


def _unique(objects: list[Entity]) -> list[Entity]:
    """One object per (type, id): a table holds one row per key (the last write wins)."""
    seen: dict[tuple[str, str], Entity] = {}
    for obj in objects:
        seen[(obj.type, obj.id)] = obj
    return list(seen.values())


def _no_negative_zero(value: Any) -> bool:
    """SQLite stores a REAL that is a whole number as an integer, so -0.0 reads back 0.0."""
    if isinstance(value, float):
        return not (value == 0 and math.copysign(1, value) < 0)
    if isinstance(value, dict):
        return all(_no_negative_zero(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_negative_zero(v) for v in value)
    return True


sqlite_safe = everything.filter(lambda o: _no_negative_zero(o.model_dump()))


def round_trip(objects: list[Entity], location: str, **config: Any) -> list[Entity]:
    write_objects(
        SqlConnector({"create_tables": True, "batch_size": 3, **config}), location, objects
    )
    return read_objects(SqlConnector(config), location)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sqlite_safe, min_size=1, max_size=6))
def test_sqlite_round_trip_is_exact(objects: list[Entity]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(objects, str(Path(tmp) / "out.db"))
    assert sorted(map(_key, back)) == sorted(map(_key, _unique(objects)))


def test_postgres_round_trip_is_exact(vstd_postgres_url: str) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(everything, min_size=1, max_size=6))
    def check(objects: list[Entity]) -> None:
        schema = fresh_schema(vstd_postgres_url)
        back = round_trip(objects, schema, url=vstd_postgres_url)
        assert sorted(map(_key, back)) == sorted(map(_key, _unique(objects)))

    check()


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf value of a JSON document by its path (the unit of 'a field')."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{path}/{key}"))
        return out or {path: {}}
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(_leaves(item, f"{path}/{index}"))
        return out or {path: []}
    return {path: value}


def fidelity(expected: list[Entity], back: list[Entity]) -> tuple[int, int]:
    """(fields preserved, fields total) over ``expected``: leaf values read back equal."""
    got = {(o.type, o.id): _leaves(comparable(o)) for o in back}
    preserved = total = 0
    for obj in expected:
        want = _leaves(comparable(obj))
        have = got.get((obj.type, obj.id), {})
        total += len(want)
        preserved += sum(1 for path, value in want.items() if path in have and have[path] == value)
    return preserved, total


def _sample_fidelity(location: str, config: dict[str, Any], label: str) -> None:
    expected = sample_entities()
    write_objects(SqlConnector({**config, "create_tables": True}), location, expected)
    preserved, total = fidelity(expected, read_objects(SqlConnector(config), location))
    print(f"\n{label}: {preserved:,} / {total:,} fields preserved over {len(expected)} records")
    assert preserved == total


def test_sample_fidelity_on_sqlite(tmp_path: Path) -> None:
    _sample_fidelity(str(tmp_path / "sample.db"), {}, "SQLite")


def test_sample_fidelity_on_postgres(vstd_postgres_url: str) -> None:
    schema = fresh_schema(vstd_postgres_url)
    _sample_fidelity(schema, {"url": vstd_postgres_url}, "PostgreSQL")


def test_fidelity_counts_lost_and_changed_fields() -> None:
    obj = sample_entities(["volunteer"])[0]
    changed = obj.model_copy(update={"name": obj.name + "x", "remarks": None})
    preserved, total = fidelity([obj], [changed])
    assert total - preserved == 1 + (obj.remarks is not None)
