"""A throw-away PostgreSQL database per test session, or a clear skip.

Tests that need a real server take the ``vstd_postgres_url`` fixture. Where no server answers
(a developer's laptop) they skip with the reason; where ``VSTD_REQUIRE_POSTGRES=1`` is set
(``.ci/run`` sets it) an unreachable server fails the run instead, so CI never passes by
skipping. The server is found through ``VSTD_TEST_POSTGRES_URL`` (a SQLAlchemy URL of an
existing database the tests may connect to; default: the local ``postgres`` user over
TCP on 127.0.0.1:5432, database ``postgres``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The URL of the database the fixture connects to in order to create its own."""
    return os.environ.get("VSTD_TEST_POSTGRES_URL", DEFAULT_URL)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _libpq(url: str) -> str:
    """The URL as libpq reads it (without a SQLAlchemy ``+driver`` suffix)."""
    scheme, _, rest = url.partition("://")
    return scheme.split("+", 1)[0] + "://" + rest


def _required() -> bool:
    return os.environ.get("VSTD_REQUIRE_POSTGRES", "") not in ("", "0")


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"PostgreSQL is required (VSTD_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"no PostgreSQL server: {reason} (set VSTD_TEST_POSTGRES_URL to use one)")


@pytest.fixture(scope="session")
def vstd_postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) of a new, empty database, dropped
    after the session."""
    try:
        import psycopg
    except ImportError:
        _unavailable(
            "the psycopg driver is not installed (pip install 'volunteer-standard[postgres]')"
        )
        raise AssertionError("unreachable") from None
    admin = _libpq(admin_url())
    name = f"vstd_test_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        _unavailable(f"cannot create a test database: {type(exc).__name__}")
    url = _with_database(admin, name)
    try:
        yield "postgresql+psycopg://" + url.partition("://")[2]
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


__all__ = ["DEFAULT_URL", "admin_url", "vstd_postgres_url"]
