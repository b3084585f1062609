"""The shared PostgreSQL fixture gives a database of its own (or skips clearly)."""

from __future__ import annotations

import pytest


def test_fixture_gives_an_empty_database(vstd_postgres_url: str) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(vstd_postgres_url)
    try:
        with engine.connect() as conn:
            name = conn.execute(sqlalchemy.text("select current_database()")).scalar_one()
    finally:
        engine.dispose()
    # a database of its own (other tests of the session may have created tables in it)
    assert name.startswith("vstd_test_")
