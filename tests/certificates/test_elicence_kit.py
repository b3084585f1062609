"""The conformance kit pointed at the built-in elicence connector."""

from __future__ import annotations

from pathlib import Path

from volunteer_standard.connectors.elicence import ElicenceConnector
from volunteer_standard.models import Certificate
from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects


class TestElicenceConnector(ConnectorAcceptanceTests):
    connector = ElicenceConnector
    sample_input = "licences.jsonl"
    expected_count = 10

    def make_sample(self, folder: Path) -> Path:
        target = folder / "licences.jsonl"
        certificates = [c for c in sample_entities(["certificate"]) if isinstance(c, Certificate)]
        write_objects(self.new_connector(), target, certificates)
        return target
