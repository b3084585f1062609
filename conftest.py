"""Fixtures for every test folder (tests/ and each plugin's tests)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _language_of_one_test() -> Any:
    """``--lang`` sets VSTD_LANG for the rest of a vstd process; in the test process, each
    test starts from the environment it was given."""
    import os

    saved = os.environ.get("VSTD_LANG")
    yield
    if saved is None:
        os.environ.pop("VSTD_LANG", None)
    else:
        os.environ["VSTD_LANG"] = saved
