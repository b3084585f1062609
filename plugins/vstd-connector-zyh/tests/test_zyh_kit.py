"""The conformance kit of volunteer-standard, pointed at the zyh connector and a real
HTTP server process serving the fixture pages (the folder path is the URL path)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
from vstd_connector_zyh import API_FILE, ZyhConnector
from zyh_support import CLIENT_ID, CLIENT_SECRET, DATA, zyh_config

from volunteer_standard.testing import ConnectorAcceptanceTests
from volunteer_standard.testing.fake_api import FakeApi

#: Fields of a service record the API has no place for (see the README), and the
#: modification time, which the platform stamps itself when it stores a record.
NOT_HELD = frozenset(
    {"provenance", "identifiers", "evidence", "source_system", "extensions", "modified"}
)


class TestZyhConnector(ConnectorAcceptanceTests):
    connector = ZyhConnector
    sample_input = DATA
    expected_count = 370
    roundtrip_exclude: ClassVar[dict[str, frozenset[str]]] = {"service_record": NOT_HELD}

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _server(cls) -> Iterator[None]:
        """The kit's inputs are folders; the server serves each folder as an API."""
        with FakeApi(str(API_FILE), "/", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as api:
            cls.config = zyh_config(api.url)
            yield
