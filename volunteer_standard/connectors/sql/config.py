"""Configuration of the ``sql`` connector.

The connection URL is a secret (it may hold a password): it comes from a config file or
the environment (``VSTD_SQL_URL``), never from the command line, and is only ever shown
with its password masked.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, SecretStr

from volunteer_standard.connectors.base import ConnectorConfig
from volunteer_standard.connectors.tabular.options import EntityTypeName, TimezoneName


class SqlConfig(ConnectorConfig):
    """Configuration of the ``sql`` connector (all optional)."""

    url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL of the database, e.g. postgresql+psycopg://user:pw@host/db. "
        "A secret: put it in the config file or VSTD_SQL_URL. Then the location argument names "
        "a schema ('default' for the URL's own). Without it the location is a SQLite file or a "
        "URL without a password.",
    )
    db_schema: str | None = Field(
        None,
        description="Schema of the tables (PostgreSQL, SQL Server …) when the location does "
        "not name one.",
    )
    table_prefix: str = Field(
        "",
        pattern=r"^[A-Za-z0-9_]*$",
        description="Prefix of the flat layout's table names (vstd_ → vstd_volunteers).",
    )
    tables: list[str] | None = Field(
        None,
        description="Flat layout: the tables (or entity types) to read; default every flat "
        "table present. Mapped: the one table whose rows the mapping reads.",
    )
    query: str | None = Field(
        None,
        description="Read the rows of this SELECT instead of tables (with a mapping; or with "
        "'entity' in the flat layout).",
    )
    entity: EntityTypeName | None = Field(
        None, description="Flat layout: entity type of the rows of 'query'."
    )
    mapping: str | None = Field(
        None,
        description="Mapping file (YAML/TOML, the tabular connector's language). Without it: "
        "the standard's flat layout, one table per entity type.",
    )
    create_tables: bool = Field(
        False,
        description="Create missing target tables (and, in the flat layout, add columns for "
        "more list items) from the layout or the mapping.",
    )
    batch_size: int = Field(
        1000, ge=1, le=1_000_000, description="Rows per write transaction and per read fetch."
    )
    incremental_column: str | None = Field(
        None,
        description="Column holding each row's modification time: read only rows after the "
        "saved bookmark (--state).",
    )
    key_column: str | None = Field(
        None,
        description="Unique key: breaks ties on the same modification time and is the upsert "
        "key (default: id in the flat layout, the column 'id' maps to with a mapping).",
    )
    timezone: TimezoneName | None = Field(
        None, description="Time zone of date-times without an offset (default +08:00)."
    )

    model_config = ConfigDict(extra="forbid")


__all__ = ["SqlConfig"]
