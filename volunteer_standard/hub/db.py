"""The hub's database: table definitions, engine creation and migrations.

The tables are SQLAlchemy Core (no ORM): the hub mostly moves JSON documents and counts,
and Core keeps every statement visible. Alembic migrations bundled in
``hub/migrations`` create and evolve them; :func:`migrate` runs them on start, so a fresh
SQLite file or an empty PostgreSQL database needs no setup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
)

metadata = MetaData()

#: One row: the hub's change counter. Updating it takes a row lock (PostgreSQL) or the
#: write lock (SQLite) until commit, so feed positions are handed out in commit order.
clock = Table(
    "hub_clock",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

#: The current state of every record a source system submitted (one row per key).
records = Table(
    "records",
    metadata,
    Column("entity_type", String(32), primary_key=True),
    Column("item_id", String(320), primary_key=True),  # "<source system>/<record id>"
    Column("source_system", String(64), nullable=False),
    Column("record_id", String(256), nullable=False),
    Column("region", String(12), nullable=False),
    Column("volunteer_ref", String(256), nullable=True),  # the volunteer a record is about
    Column("modified", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", JSON, nullable=True),
    Column("sensitive", Boolean, nullable=False, default=False),
)
Index("ix_records_feed", records.c.entity_type, records.c.modified, records.c.item_id)
Index("ix_records_volunteer", records.c.source_system, records.c.volunteer_ref)

#: Results of submitted items by client-supplied idempotency key.
submissions = Table(
    "submissions",
    metadata,
    Column("source_system", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("result", JSON, nullable=False),
    Column("at", BigInteger, nullable=False),
)

#: API tokens: only the SHA-256 of each token is stored.
tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("source_system", String(64), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

#: Source systems seen by the hub, with the time of their last submit.
systems = Table(
    "systems",
    metadata,
    Column("source_system", String(64), primary_key=True),
    Column("last_sync", BigInteger, nullable=False),
    Column("accepted", BigInteger, nullable=False, default=0),
    Column("rejected", BigInteger, nullable=False, default=0),
)

#: Data quality: issues by source system, day (Beijing time) and rule code.
quality = Table(
    "quality",
    metadata,
    Column("source_system", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("code", String(16), primary_key=True),
    Column("count", BigInteger, nullable=False),
)

#: Identity resolution: keyed pseudonym of the ID number → a source system's volunteer.
identity_links = Table(
    "identity_links",
    metadata,
    Column("source_system", String(64), primary_key=True),
    Column("volunteer_id", String(256), primary_key=True),
    Column("person", String(64), nullable=False, index=True),
)

#: Time-bank / service-points ledger; amounts in hundredths of a point.
ledger = Table(
    "ledger",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("person", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("cents", BigInteger, nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("counterparty", String(64), nullable=True),
    Column("memo", String(200), nullable=True),
    Column("sources", JSON, nullable=False),
    Column("key", String(200), nullable=True, unique=True),
)

#: Who read sensitive fields, when, and which records (never the values themselves).
audit = Table(
    "audit",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("token_name", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(32), nullable=True),
    Column("item_ids", JSON, nullable=False),
)

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin): pysqlite's implicit
    # transactions would start too late to hold the write lock.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN (IMMEDIATE): two submits never deadlock on a
    # lock upgrade. Readers use a plain BEGIN and read a WAL snapshot without waiting.
    if conn.get_execution_options().get("hub_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 (the driver the ``postgres`` extra installs)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the hub's connection settings."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database to the latest schema (creates it when empty)."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (``None`` when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
    return rev


def head_revision(engine: Engine) -> str | None:
    """The newest revision bundled with this version of the hub."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
