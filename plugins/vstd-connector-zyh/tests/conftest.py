"""A real fake 志愿汇 API: a server process on 127.0.0.1 serving the fixture pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vstd_connector_zyh import API_FILE
from zyh_support import CLIENT_ID, CLIENT_SECRET

from volunteer_standard.testing.fake_api import FakeApi


@pytest.fixture(scope="module")
def zyh_api() -> Iterator[FakeApi]:
    """One server per test module; call ``reset()`` between tests that inject faults."""
    with FakeApi(str(API_FILE), "/", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as api:
        yield api
