"""Property test: any valid objects written by the ``standard`` connector read back equal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connectors.strategies import entities
from volunteer_standard.connectors import get_connector
from volunteer_standard.models import ENTITY_MODELS, Entity


def _round_trip(objects: list[Entity], suffix: str) -> list[Entity]:
    connector = get_connector("standard")()
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / f"out{suffix}")
        writer = connector.open_writer(target)
        for obj in objects:
            writer.write(obj)
        writer.close()
        back = []
        for record in connector.read(target):
            assert not record.problems and record.data is not None
            back.append(ENTITY_MODELS[record.data["type"]].model_validate(record.data))
    return back


def _key(obj: Entity) -> str:
    return obj.model_dump_json()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entities, min_size=1, max_size=8))
def test_jsonl_round_trip_is_exact(objects: list[Entity]) -> None:
    assert _round_trip(objects, ".jsonl") == objects


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entities, min_size=1, max_size=8))
def test_package_round_trip_is_exact_up_to_grouping(objects: list[Entity]) -> None:
    back = _round_trip(objects, ".json")
    assert sorted(map(_key, back)) == sorted(map(_key, objects))


def test_package_records_in_unknown_or_wrong_arrays_are_rejected(tmp_path: Path) -> None:
    from volunteer_standard import convert

    summary = convert("examples/broken-package.json", str(tmp_path / "out.jsonl"))
    assert summary.balanced
    assert {"VS104", "VS105"} <= set(summary.reject_codes)


def test_convert_applies_the_profiles_per_record_rules(tmp_path: Path) -> None:
    import json

    from tests.conftest import MINIMAL
    from volunteer_standard import convert

    bad = MINIMAL["service_record"] | {"end": "2024-03-05T08:00:00+08:00", "hours": "0.50"}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    plain = convert(str(source), str(tmp_path / "a.jsonl"), profile="structure")
    assert plain.written == 1
    default = convert(str(source), str(tmp_path / "d.jsonl"))  # national, as validate
    assert default.rejected == 1
    ruled = convert(str(source), str(tmp_path / "b.jsonl"), profile="national")
    assert ruled.rejected == 1
    assert "VR301" in ruled.reject_codes
