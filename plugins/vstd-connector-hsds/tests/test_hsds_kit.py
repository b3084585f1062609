"""The conformance kit of volunteer-standard, pointed at the hsds connector (both forms)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from vstd_connector_hsds import HsdsConnector

from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects

TYPES = ("organization", "project", "station", "activity")


class TestHsdsJson(ConnectorAcceptanceTests):
    connector = HsdsConnector
    config: ClassVar = {"form": "json"}
    sample_input = "hsds"
    roundtrip_targets = ("hsds",)
    expected_count = len(sample_entities(TYPES))
    memory_records = 200  # each record goes through the lossless codec: keep the test short

    def make_sample(self, folder: Path) -> Path:
        target = folder / "hsds"
        write_objects(self.new_connector(), target, sample_entities(TYPES))
        return target


class TestHsdsCsv(TestHsdsJson):
    config: ClassVar = {"form": "csv"}
