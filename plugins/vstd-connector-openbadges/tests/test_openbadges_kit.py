"""The conformance kit of volunteer-standard, pointed at the openbadges connector.

The kit demands an exact round trip of every field, so it runs with ``holder = "plain"``;
the default (hashed holder) is measured in ``test_openbadges_mapping.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from keyfiles import ISSUER_KEY
from vstd_connector_openbadges import OpenBadgesConnector

from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects

TYPES = ("certificate", "service_record")


class TestOpenBadgesConnector(ConnectorAcceptanceTests):
    connector = OpenBadgesConnector
    config: ClassVar = {"private_key": str(ISSUER_KEY), "holder": "plain"}
    sample_input = "credentials.jwt"
    expected_count = len(sample_entities(TYPES))
    memory_records = 200

    def make_sample(self, folder: Path) -> Path:
        target = folder / "credentials.jwt"
        write_objects(self.new_connector(), target, sample_entities(TYPES))
        return target
