"""The sql connector passes the conformance kit, on SQLite (incremental) and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.connectors.sql_support import PgAtPath, execute, schema_for, sqlite_url
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.testing import ConnectorAcceptanceTests, sample_entities, write_objects
from volunteer_standard.testing.kit import Variant


class _SqlKit(ConnectorAcceptanceTests):
    roundtrip_targets = ("roundtrip.db",)
    garble = False  # a database is no text file: the malformed inputs are made below

    def make_sample(self, folder: Path) -> Path:
        target = folder / "sample.db"
        write_objects(self.new_connector(), target, sample_entities())
        return target

    def url_of(self, location: Path) -> str:
        raise NotImplementedError

    def _variants(self, tmp_path: Path, sample: Path) -> Iterator[Variant]:
        # A sample whose values do not fit: a date that is none, and (in SQLite, which keeps
        # any value in any column) text in a whole-number column.
        broken = tmp_path / "broken.db"
        write_objects(self.new_connector(), broken, sample_entities())
        statements = [
            "UPDATE volunteers SET birth_date = 'not-a-date' WHERE id IN "
            "(SELECT id FROM volunteers ORDER BY id LIMIT 2)"
        ]
        if self.url_of(broken).startswith("sqlite"):
            statements.append(
                "UPDATE activities SET quota = 'many' WHERE id IN "
                "(SELECT id FROM activities ORDER BY id LIMIT 1)"
            )
        execute(self.url_of(broken), *statements)
        yield Variant("bad_values", broken, "values that do not fit their columns", 400)


class TestSqlKitSqlite(_SqlKit):
    """SQLite, read incrementally (every flat table has ``id``; the kit then checks that a
    re-run with the saved state continues rather than starting over)."""

    connector = SqlConnector
    config: ClassVar[dict[str, Any]] = {
        "create_tables": True,
        "batch_size": 200,
        "incremental_column": "id",
    }

    def url_of(self, location: Path) -> str:
        return sqlite_url(location)


class TestSqlKitPostgres(_SqlKit):
    connector = PgAtPath
    check_registered = False  # the adapter is not registered; SqlConnector is (above)
    pg_url: ClassVar[str]

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def _server(cls, vstd_postgres_url: str) -> None:
        cls.pg_url = vstd_postgres_url

    def new_connector(self) -> PgAtPath:
        return PgAtPath({"url": self.pg_url, "create_tables": True, "batch_size": 200})

    def url_of(self, location: Path) -> str:
        return self.pg_url  # tables are addressed through the schema below

    def make_input(self, n: int, path: Path) -> Path:
        target = super().make_input(n, path)
        # The data lives in a schema; the kit sizes inputs by their files: a small marker
        # keeps the memory test's allowance at its floor (512 KiB).
        target.write_text(schema_for(str(target)), encoding="utf-8")
        return target

    def _variants(self, tmp_path: Path, sample: Path) -> Iterator[Variant]:
        broken = tmp_path / "broken.db"
        write_objects(self.new_connector(), broken, sample_entities())
        schema = schema_for(str(broken))
        execute(
            self.pg_url,
            f"UPDATE {schema}.volunteers SET birth_date = 'not-a-date' WHERE id IN "
            f"(SELECT id FROM {schema}.volunteers ORDER BY id LIMIT 2)",
        )
        yield Variant("bad_values", broken, "a date that is none", 400)
