"""Reading streams: peak memory does not grow with the table (server-side cursors).

Measured with the kit's ``peak_read_memory`` (tracemalloc) at two sizes, ten times apart,
on SQLite and PostgreSQL; ``-s`` prints the figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.connectors.sql_support import fresh_schema
from volunteer_standard.connectors.sql import SqlConnector
from volunteer_standard.testing import peak_read_memory, sample_entities, write_objects

pytestmark = pytest.mark.slow

SMALL, LARGE = 500, 5_000


def _fill(location: str, n: int, config: dict[str, Any]) -> None:
    template = sample_entities(["volunteer"])[0]
    objects = (template.model_copy(update={"id": f"{template.id}-{i}"}) for i in range(n))
    write_objects(
        SqlConnector({**config, "create_tables": True, "batch_size": 2000}), location, objects
    )


def _measure(small: str, large: str, config: dict[str, Any], label: str) -> None:
    reader = {**config, "batch_size": 500}
    peak_read_memory(SqlConnector(reader), small)  # warm up: imports, caches, code lists
    n_small, peak_small = peak_read_memory(SqlConnector(reader), small)
    n_large, peak_large = peak_read_memory(SqlConnector(reader), large)
    assert (n_small, n_large) == (SMALL, LARGE)
    print(
        f"\n{label}: peak {peak_small:,} B for {SMALL:,} rows, {peak_large:,} B for {LARGE:,} rows"
    )
    assert peak_large - peak_small < 512 * 1024, "the reader keeps rows it has yielded"


def test_sqlite_read_memory_is_flat(tmp_path: Path) -> None:
    small, large = str(tmp_path / "small.db"), str(tmp_path / "large.db")
    _fill(small, SMALL, {})
    _fill(large, LARGE, {})
    _measure(small, large, {}, "SQLite")


def test_postgres_read_memory_is_flat(vstd_postgres_url: str) -> None:
    config = {"url": vstd_postgres_url}
    small, large = fresh_schema(vstd_postgres_url), fresh_schema(vstd_postgres_url)
    _fill(small, SMALL, config)
    _fill(large, LARGE, config)
    _measure(small, large, config, "PostgreSQL")
