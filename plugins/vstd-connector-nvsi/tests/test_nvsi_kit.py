"""The conformance kit of volunteer-standard, pointed at the nvsi connector."""

from __future__ import annotations

from pathlib import Path

from vstd_connector_nvsi import NvsiConnector

from volunteer_standard.testing import ConnectorAcceptanceTests

DATA = Path(__file__).parent / "data"


class TestNvsiConnector(ConnectorAcceptanceTests):
    connector = NvsiConnector
    sample_input = DATA / "nvsi-sample.jsonl"
    expected_count = 36
    malformed_inputs = (DATA / "nvsi-malformed.jsonl",)
