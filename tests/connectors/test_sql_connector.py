"""The sql connector: incremental bookmarks, batched upserts, table creation, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import MINIMAL
from tests.connectors.sql_support import count, execute, fresh_schema, sqlite_url
from volunteer_standard.connectors import Checkpoint, ConnectorError, SourceRecord
from volunteer_standard.connectors.sql import SqlConnector, resolve
from volunteer_standard.connectors.sql.config import SqlConfig
from volunteer_standard.models import ENTITY_MODELS, ServiceRecord, Volunteer
from volunteer_standard.testing import read_objects, write_objects


def record(i: int, minute: int) -> ServiceRecord:
    """A service record entered at 09:<minute>; several share a minute (ties)."""
    data = MINIMAL["service_record"] | {
        "id": f"rec-{i:04d}",
        "recorded_at": f"2024-03-05T12:{minute:02d}:00+08:00",
    }
    return ServiceRecord.model_validate(data)


def volunteer(i: int, **extra: Any) -> Volunteer:
    return Volunteer.model_validate(MINIMAL["volunteer"] | {"id": f"vol-{i:04d}"} | extra)


def ids(items: list[Any]) -> list[str]:
    return [i.data["id"] for i in items if isinstance(i, SourceRecord) and i.data]


INCREMENTAL = {"incremental_column": "recorded_at", "batch_size": 2}


# -- incremental reads ---------------------------------------------------------------------


def test_bookmark_breaks_ties_by_id_and_never_skips_a_row(tmp_path: Path) -> None:
    db = str(tmp_path / "in.db")
    # 7 records on 3 timestamps, written out of order.
    first = [
        record(i, minute) for i, minute in [(5, 1), (1, 1), (3, 2), (2, 2), (4, 2), (7, 3), (6, 3)]
    ]
    write_objects(SqlConnector({"create_tables": True}), db, first)
    items = list(SqlConnector(INCREMENTAL).read(db))
    assert ids(items) == [
        "rec-0001",
        "rec-0005",
        "rec-0002",
        "rec-0003",
        "rec-0004",
        "rec-0006",
        "rec-0007",
    ]
    checkpoints = [i.state for i in items if isinstance(i, Checkpoint)]
    assert checkpoints, "an incremental read yields checkpoints"
    # A run that stopped after the second checkpoint (4 rows, in the middle of a tie at
    # minute 2) continues with exactly the rest: nothing lost, nothing read twice.
    middle = json.loads(json.dumps(checkpoints[1]))
    assert middle["sql"]["service_records"]["key"] == "rec-0003"
    rest = ids(list(SqlConnector(INCREMENTAL).read(db, middle)))
    assert rest == ["rec-0004", "rec-0006", "rec-0007"]
    # After a full run nothing is new; rows added later — one on the bookmark's own
    # timestamp with a larger id — are read, and only they.
    final = json.loads(json.dumps(checkpoints[-1]))
    assert ids(list(SqlConnector(INCREMENTAL).read(db, final))) == []
    write_objects(SqlConnector({}), db, [record(8, 3), record(9, 4), record(0, 2)])
    assert ids(list(SqlConnector(INCREMENTAL).read(db, final))) == ["rec-0008", "rec-0009"]


def test_incremental_read_through_a_real_timestamp_column(tmp_path: Path) -> None:
    """A regional table with a TIMESTAMP column: the bookmark keeps the value's type."""
    db = tmp_path / "regional.db"
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "version: 1\nentities:\n  - type: volunteer\n    fields:\n"
        "      id: vid\n      volunteer_no: vno\n      name: xm\n",
        encoding="utf-8",
    )
    execute(
        sqlite_url(db),
        "CREATE TABLE vols (vid TEXT PRIMARY KEY, vno TEXT, xm TEXT, changed TIMESTAMP)",
        "INSERT INTO vols VALUES ('v1','N1','甲','2024-01-01 10:00:00'),"
        "('v2','N2','乙','2024-01-01 10:00:00'),('v3','N3','丙','2024-01-02 08:00:00')",
    )
    config = {
        "mapping": str(mapping),
        "tables": ["vols"],
        "incremental_column": "changed",
        "batch_size": 1,
    }
    items = list(SqlConnector(config).read(str(db)))
    assert ids(items) == ["v1", "v2", "v3"]
    state = json.loads(json.dumps(next(i.state for i in items if isinstance(i, Checkpoint))))
    assert ids(list(SqlConnector(config).read(str(db), state))) == ["v2", "v3"]


def test_incremental_needs_the_column(tmp_path: Path) -> None:
    db = str(tmp_path / "in.db")
    write_objects(SqlConnector({"create_tables": True}), db, [volunteer(1)])
    with pytest.raises(ConnectorError, match="no column 'changed'"):
        list(SqlConnector({"incremental_column": "changed"}).read(db))


# -- writing -------------------------------------------------------------------------------


def test_upsert_by_id_replaces_rows_and_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "out.db")
    config = {"create_tables": True, "batch_size": 3}
    write_objects(SqlConnector(config), db, [volunteer(i, remarks="old") for i in range(10)])
    write_objects(SqlConnector(config), db, [volunteer(i) for i in range(5, 15)])
    back = {o.id: o for o in read_objects(SqlConnector({}), db)}
    assert len(back) == 15
    assert back["vol-0001"].remarks == "old"
    assert back["vol-0007"].remarks is None, "a re-written row is replaced, not merged"


def test_a_failed_batch_is_rolled_back_and_earlier_batches_stay(tmp_path: Path) -> None:
    db = tmp_path / "out.db"
    execute(
        sqlite_url(db),
        "CREATE TABLE volunteers (id VARCHAR(128) PRIMARY KEY, volunteer_no TEXT, "
        "name TEXT CHECK (length(name) < 20))",
    )
    writer = SqlConnector({"batch_size": 2}).open_writer(str(db))
    writer.write(volunteer(1))
    writer.write(volunteer(2))  # batch 1 committed
    writer.write(volunteer(3))
    with pytest.raises(ConnectorError, match="the database refused") as caught:
        writer.write(volunteer(4, name="Personal-Name-Too-Long"))
    assert "Personal" not in str(caught.value), "statement parameters never appear in errors"
    writer.close()
    assert count(sqlite_url(db), "volunteers") == 2


def test_tables_are_created_only_when_asked(tmp_path: Path) -> None:
    db = str(tmp_path / "out.db")
    with pytest.raises(ConnectorError, match="create_tables = true"):
        write_objects(SqlConnector({}), db, [volunteer(1)])


def test_more_list_items_add_columns(tmp_path: Path) -> None:
    db = str(tmp_path / "out.db")
    one = volunteer(1, identifiers=[{"scheme": "a", "value": "1"}])
    three = volunteer(2, identifiers=[{"scheme": s, "value": s} for s in "abc"])
    write_objects(SqlConnector({"create_tables": True}), db, [one])
    write_objects(SqlConnector({"create_tables": True}), db, [three])
    back = {o.id: o for o in read_objects(SqlConnector({}), db)}
    assert back["vol-0002"] == three and back["vol-0001"] == one
    four = volunteer(3, identifiers=[{"scheme": s, "value": s} for s in "abcd"])
    with pytest.raises(ConnectorError, match="lacks the columns identifiers/3/scheme"):
        write_objects(SqlConnector({}), db, [four])


def test_table_prefix_and_selected_tables(tmp_path: Path) -> None:
    db = str(tmp_path / "out.db")
    write_objects(
        SqlConnector({"create_tables": True, "table_prefix": "vs_"}),
        db,
        [volunteer(1), record(1, 1)],
    )
    tables = (
        create_engine(sqlite_url(Path(db)))
        .connect()
        .execute(text("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"))
        .scalars()
        .all()
    )
    assert tables == ["vs_service_records", "vs_volunteers"]
    only = read_objects(SqlConnector({"table_prefix": "vs_", "tables": ["volunteer"]}), db)
    assert [o.id for o in only] == ["vol-0001"]


def test_query_in_the_flat_layout(tmp_path: Path) -> None:
    db = str(tmp_path / "out.db")
    write_objects(SqlConnector({"create_tables": True}), db, [volunteer(i) for i in range(4)])
    config = {"query": "SELECT * FROM volunteers WHERE id > 'vol-0001'", "entity": "volunteer"}
    assert [o.id for o in read_objects(SqlConnector(config), db)] == ["vol-0002", "vol-0003"]


def test_postgres_upsert_and_incremental(vstd_postgres_url: str) -> None:
    schema = fresh_schema(vstd_postgres_url)
    config: dict[str, Any] = {"url": vstd_postgres_url, "create_tables": True, "batch_size": 2}
    write_objects(SqlConnector(config), schema, [record(i, i % 3) for i in range(7)])
    write_objects(SqlConnector(config), schema, [record(i, i % 3) for i in range(7)])
    assert count(vstd_postgres_url, f"{schema}.service_records") == 7
    reader = {"url": vstd_postgres_url, **INCREMENTAL}
    items = list(SqlConnector(reader).read(schema))
    assert ids(items) == [f"rec-{i:04d}" for i in (0, 3, 6, 1, 4, 2, 5)]
    middle = json.loads(json.dumps([i.state for i in items if isinstance(i, Checkpoint)][1]))
    assert ids(list(SqlConnector(reader).read(schema, middle))) == [
        "rec-0004",
        "rec-0002",
        "rec-0005",
    ]


# -- locations and errors --------------------------------------------------------------------

SECRET = "S3cret-Pa55"


def test_locations_resolve() -> None:
    plain = SqlConfig()
    assert resolve("out.db", plain, for_writing=True).url.get_backend_name() == "sqlite"
    configured = SqlConfig(url=f"postgresql+psycopg://etl:{SECRET}@db.example/vol")  # type: ignore[arg-type]
    db = resolve("staging", configured)
    assert db.schema == "staging" and SECRET not in db.label and "***" in db.label
    assert resolve("default", configured).schema is None


@pytest.mark.parametrize(
    ("location", "config", "words"),
    [
        (f"postgresql://etl:{SECRET}@h/db", {}, "must not hold a password"),
        ("x", {"url": f"postgresql://etl:{SECRET}@h:notaport/db"}, "malformed"),
        ("x", {"url": "nosuchdialect://etl:pw@h/db"}, "unknown database type"),
        ("x", {"url": f"postgresql+psycopg://etl:{SECRET}@127.0.0.1:1/db"}, "cannot reach"),
        ("missing.db", {}, "no such database file"),
    ],
)
def test_errors_are_clear_in_both_languages_and_hide_the_password(
    tmp_path: Path, location: str, config: dict[str, Any], words: str
) -> None:
    with pytest.raises(ConnectorError) as caught:
        list(
            SqlConnector(config).read(
                str(tmp_path / location) if location.endswith(".db") else location
            )
        )
    error = caught.value
    assert words in error.message("en")
    assert error.message("zh") != error.message("en") and not error.message("zh").isascii()
    assert SECRET not in error.message("en") + error.message("zh") + repr(error)


def test_missing_table_is_named(tmp_path: Path) -> None:
    db = str(tmp_path / "in.db")
    write_objects(SqlConnector({"create_tables": True}), db, [volunteer(1)])
    with pytest.raises(ConnectorError, match="no flat-layout table 'projects'"):
        list(SqlConnector({"tables": ["project"]}).read(db))
    with pytest.raises(ConnectorError, match="table nope does not exist"):
        list(_mapped(tmp_path, tables=["nope"]).read(db))


def _mapped(tmp_path: Path, **config: Any) -> SqlConnector:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "version: 1\nentities:\n  - type: volunteer\n    fields:\n"
        "      id: vid\n      volunteer_no: vno\n      name: xm\n",
        encoding="utf-8",
    )
    return SqlConnector({"mapping": str(mapping), **config})


def test_config_repr_and_schema_hide_the_url() -> None:
    config = SqlConfig(url=f"postgresql://etl:{SECRET}@h/db")  # type: ignore[arg-type]
    assert SECRET not in repr(config) and SECRET not in str(config.model_dump())
    assert "writeOnly" in json.dumps(SqlConnector.describe()["config_schema"])


def test_every_entity_type_is_readable_and_writable() -> None:
    assert set(SqlConnector.reads) == set(SqlConnector.writes) == set(ENTITY_MODELS)


def test_the_generic_upsert_deletes_then_inserts(tmp_path: Path) -> None:
    """Databases without ON CONFLICT (MySQL, SQL Server, Oracle, 达梦) take this path."""
    from sqlalchemy import Column, MetaData, String, Table

    from volunteer_standard.connectors.sql.writer import upsert

    engine = create_engine(sqlite_url(tmp_path / "g.db"))
    table = Table("t", MetaData(), Column("id", String, primary_key=True), Column("v", String))
    with engine.begin() as conn:
        table.create(conn)
        upsert(conn, table, "id", [{"id": "a", "v": "1"}, {"id": "b", "v": "2"}], native=False)
        upsert(conn, table, "id", [{"id": "b"}, {"id": "c", "v": "3"}], native=False)
        rows = conn.execute(table.select().order_by(table.c.id)).all()
    assert [tuple(r) for r in rows] == [("a", "1"), ("b", None), ("c", "3")]


def test_a_missing_driver_says_what_to_install() -> None:
    import importlib.util

    if importlib.util.find_spec("pymysql") is not None:
        pytest.skip("PyMySQL is installed here")
    connector = SqlConnector({"url": f"mysql+pymysql://etl:{SECRET}@h/db"})
    with pytest.raises(ConnectorError) as caught:
        list(connector.read("default"))
    message = caught.value.message("en")
    assert "is not installed" in message and "volunteer-standard[mysql]" in message
    assert SECRET not in message + caught.value.message("zh")
