"""Helpers shared by the sql connector's tests."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from sqlalchemy import create_engine, text

from volunteer_standard.connectors.sql import Database, SqlConnector


def schema_for(location: str) -> str:
    """A PostgreSQL schema name standing for a kit location (a temporary path)."""
    return "k_" + hashlib.sha1(location.encode()).hexdigest()[:16]


class PgAtPath(SqlConnector):
    """Test adapter: the conformance kit names inputs and outputs by temporary paths; in
    PostgreSQL each path becomes its own schema of the test database (``url`` configured),
    so the kit's inputs stay apart exactly as its files do."""

    def database(self, location: str, *, for_writing: bool = False) -> Database:
        return super().database(schema_for(location), for_writing=for_writing)


def fresh_schema(url: str) -> str:
    """A new empty schema in the PostgreSQL test database."""
    name = "t_" + secrets.token_hex(6)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return name


def execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def count(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(found)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
