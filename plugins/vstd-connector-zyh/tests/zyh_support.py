"""Shared constants and helpers of the zyh tests (synthetic credentials, fast options)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CLIENT_ID = "zyh-test-client"
#: A synthetic secret: tests check that it never shows up in messages or files.
CLIENT_SECRET = "s3cret-Zyh-test-0123456789"


def zyh_config(url: str, **extra: Any) -> dict[str, Any]:
    """Connector options for the fake server: fast retries so tests stay quick."""
    return {
        "base_url": url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "backoff": 0.01,
        "max_backoff": 0.05,
        "timeout": 5.0,
        **extra,
    }
