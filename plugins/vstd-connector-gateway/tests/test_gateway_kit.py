"""The volunteer-standard conformance kit, pointed at the gateway connector.

The kit was written for files; the gateway's source and target are a URL. This class
serves the sample from a local gateway and overrides only the checks that build file
paths (missing input, writable target, round trip, malformed input, memory) with the same
checks made against URLs. Every other check of the kit runs unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from gateway_testkit import Keys, client_config, server_settings, session_keys
from vstd_connector_gateway import GatewayConnector, load_profile
from vstd_connector_gateway.fields import item_of
from vstd_connector_gateway.server import LocalGateway

from volunteer_standard.testing import (
    ConnectorAcceptanceTests,
    convert_malformed,
    malformed_failures,
    peak_read_memory,
    read_objects,
    sample_entities,
    write_objects,
)

#: Standard fields the gateway's member and hours items have no place for (README lists
#: them; test_gateway_fidelity measures what share of the sample they are).
NOT_CARRIED = {
    "volunteer": (
        "provenance",
        "extensions",
        "nationality",
        "employment_status",
        "service_regions",
        "skills",
        "languages",
        "availability",
        "volunteer_types",
        "registration_region",
        "real_name_verified",
        "status",
        "emergency_contact",
        "consents",
        "organization_ids",
        "guardian",
        "identifiers",
        "remarks",
        "schema_version",
    ),
    "service_record": (
        "provenance",
        "extensions",
        "activity_id",
        "entry_method",
        "service_category",
        "recorded_by",
        "evidence",
        "source_system",
        "identifiers",
        "remarks",
        "schema_version",
    ),
}


def _gateway_items(type_: str, objects: list[Any]) -> list[dict[str, Any]]:
    entity = load_profile().entity(type_)
    return [item_of(entity, o.model_dump(mode="json", exclude_none=True)) for o in objects]


def _load(gateway: LocalGateway, n_volunteers: int | None = None) -> int:
    volunteers = sample_entities(["volunteer"])[:n_volunteers]
    records = sample_entities(["service_record"])[: (n_volunteers or 0) * 3 or None]
    gateway.load("volunteer", _gateway_items("volunteer", volunteers))
    gateway.load("service_record", _gateway_items("service_record", records))
    return len(volunteers) + len(records)


def _settings(keys: Keys) -> Any:
    return server_settings(keys, platform_private_key=None)


class TestGatewayConnector(ConnectorAcceptanceTests):
    connector = GatewayConnector
    sample_input = "gateway"  # the sample is a URL: see the ``sample`` fixture
    expected_count = 350  # the bundled sample's 50 volunteers and 300 service records
    roundtrip_exclude = NOT_CARRIED
    # SM2 personal fields are left to the protocol tests (pure-Python SM2 is slow).
    config: ClassVar[dict[str, Any]] = {
        **client_config(session_keys(), platform_public_key=None),
        "page_size": 100,
    }

    @pytest.fixture(scope="class")
    @classmethod
    def sample(cls, keys: Keys) -> Iterator[str]:
        with LocalGateway(_settings(keys)) as gateway:
            _load(gateway)
            yield gateway.url

    # -- the kit's file-path checks, made against URLs ------------------------------------
    def test_check_reports_missing_input(self, tmp_path: Path, sample: Any) -> None:
        result = self.new_connector().check("http://127.0.0.1:9/nothing-listens-here")
        assert not result.ok and result.message
        assert not self.new_connector().check(str(tmp_path / "a-file")).ok

    def test_check_for_writing(self, tmp_path: Path, sample: Any) -> None:  # type: ignore[override]
        result = self.new_connector().check(str(sample), for_writing=True)
        assert result.ok, result.message

    def test_write_read_round_trip(self, tmp_path: Path, keys: Keys) -> None:  # type: ignore[override]
        expected = sample_entities(self.claimed_types())
        with LocalGateway(_settings(keys)) as gateway:
            write_objects(self.new_connector(), gateway.url, expected)
            back = read_objects(self.new_connector(), gateway.url)
        self._assert_same(expected, back, "gateway")

    def test_malformed_input_gives_precise_rejects(self, tmp_path: Path, keys: Keys) -> None:  # type: ignore[override]
        with LocalGateway(_settings(keys)) as gateway:
            written = _load(gateway, 3)
            gateway.load("volunteer", [[1, 2, 3], "not an object"])
            gateway.load("service_record", [{"out_id": "sr-bad", "uid": "v", "hours": "x"}])
            outcome = convert_malformed(
                self.new_connector(),
                gateway.url,  # type: ignore[arg-type]
                tmp_path / "malformed",
            )
        assert not malformed_failures(outcome, written)
        assert outcome.summary is not None and outcome.summary.rejected == 3
        assert all(r["file"].startswith("http://127.0.0.1") for r in outcome.rejects)

    def test_memory_is_flat(self, tmp_path: Path, keys: Keys) -> None:  # type: ignore[override]
        n = 200
        peaks: list[tuple[int, int, int]] = []
        for size in (n, 4 * n):
            with LocalGateway(_settings(keys)) as gateway:
                items = _gateway_items("volunteer", sample_entities(["volunteer"])[:1]) * size
                gateway.load(
                    "volunteer", [{**item, "out_id": f"v-{i}"} for i, item in enumerate(items)]
                )
                connector = GatewayConnector({**type(self).config, "read_types": ["volunteer"]})
                peak_read_memory(connector, gateway.url)  # warm-up
                count, peak = peak_read_memory(connector, gateway.url)
                peaks.append((count, peak, len(json.dumps(items, ensure_ascii=False))))
        (small_count, small_peak, small_bytes), (large_count, large_peak, large_bytes) = peaks
        assert (small_count, large_count) == (n, 4 * n)
        allowed = max((large_bytes - small_bytes) // 4, 512 * 1024)
        assert large_peak - small_peak <= allowed
