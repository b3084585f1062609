"""Round-trip fidelity of the zyh connector, measured as fields preserved / fields total.

Two directions over the fixture sample: the standard's service records written to the
API and read back (what a hub loses by parking hours on the platform), and the platform's
items read into the standard and turned back into items (what the standard loses of the
platform's data; the platform's own fields travel in ``extensions["zyh"]``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vstd_connector_zyh import ZyhConnector
from zyh_support import DATA, zyh_config

from volunteer_standard.connectors.http.items import ItemMapper
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.testing import read_objects, sample_entities, write_objects
from volunteer_standard.testing.fake_api import FakeApi


@pytest.fixture
def api(zyh_api: FakeApi) -> FakeApi:
    zyh_api.reset()
    return zyh_api


def test_standard_to_zyh_to_standard(api: FakeApi, tmp_path: Path) -> None:
    connector = ZyhConnector(zyh_config(api.url, endpoints=["hours"]))
    expected = sample_entities(["service_record"])
    write_objects(connector, tmp_path / "upload", expected)
    back = {
        o.id: o.model_dump(mode="json", exclude_none=True)
        for o in read_objects(connector, tmp_path / "upload")
    }
    total = preserved = 0
    for obj in expected:
        original = obj.model_dump(mode="json", exclude_none=True)
        for key, value in original.items():
            if key == "type":
                continue
            total += 1
            preserved += back[obj.id].get(key) == value
    print(f"\nzyh service_record round trip: {preserved}/{total} = {preserved / total:.1%}")
    assert len(back) == len(expected)
    # Lost: provenance, identifiers, evidence, source_system, extensions (README).
    assert preserved / total >= 0.85


def test_zyh_to_standard_to_zyh() -> None:
    api = ZyhConnector().api()
    total = preserved = 0
    for name in ("volunteers", "activities", "hours"):
        mapper = ItemMapper(api.endpoint_map(name))
        model = ENTITY_MODELS[mapper.mapping.type]
        for n, line in enumerate((DATA / f"{name}.jsonl").open(encoding="utf-8")):
            item = json.loads(line)
            record = mapper.record(item, Location(name, n + 1))
            assert not record.problems
            obj = model.model_validate(record.data)
            again = mapper.item(obj)
            for key, value in item.items():
                total += 1
                preserved += again.get(key) == value
    print(f"\nzyh items round trip: {preserved}/{total} = {preserved / total:.1%}")
    assert preserved == total
