"""The ``sql`` connector: any relational database through SQLAlchemy.

* Without a mapping, the standard's flat layout as tables (one per entity type, see
  :mod:`.flat_tables`): ``standard → sql → standard`` is exact.
* With a mapping (the tabular connector's language), a regional system's own tables or
  a query: column ↔ field, value maps, transforms, several entity types from one row.

Reads stream through server-side cursors and, with ``incremental_column``, continue after
a ``(modified, key)`` bookmark (:mod:`.incremental`), yielding a :class:`Checkpoint` after
each batch. Writes go in batches, one transaction each, upserted by key (:mod:`.writer`).

Problem codes (reject file): ``TAB130`` a flat-layout value does not fit its column; the
mapping's codes ``TAB110``–``TAB119`` as in the tabular connector.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, RowMapping, String, Table, Text
from sqlalchemy.schema import CreateSchema

from volunteer_standard.connectors.base import (
    Checkpoint,
    CheckResult,
    Connector,
    ConnectorError,
    Problem,
    ReadItem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.sql import flat_tables
from volunteer_standard.connectors.sql.config import SqlConfig
from volunteer_standard.connectors.sql.database import Database, resolve
from volunteer_standard.connectors.sql.incremental import Mark
from volunteer_standard.connectors.sql.reader import (
    BOOKMARK,
    RowSource,
    query_source,
    require_columns,
    stream,
    table_source,
)
from volunteer_standard.connectors.sql.writer import (
    BatchWriter,
    Row,
    TableSet,
    Target,
    add_columns,
    existing_columns,
    missing_table,
)
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import json_cell
from volunteer_standard.connectors.tabular.connector import MappedLayout
from volunteer_standard.connectors.tabular.mapping import (
    EntityMapping,
    MappingError,
    TabularMapping,
    load_mapping,
)
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.connectors.tabular.transforms import parse_timezone
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS, Entity
from volunteer_standard.text import Text as Msg

STATE_KEY = "sql"


class SqlConnector(Connector):
    """Relational databases (SQLite, PostgreSQL, MySQL, SQL Server, Oracle, 达梦 …)."""

    name = "sql"
    title = "Relational databases through SQLAlchemy (flat layout or a mapping)"
    version = "1.0"
    reads = tuple(ENTITY_MODELS)
    writes = tuple(ENTITY_MODELS)
    config_model = SqlConfig

    @property
    def settings(self) -> SqlConfig:
        assert isinstance(self.config, SqlConfig)
        return self.config

    def mapping(self) -> TabularMapping | None:
        """The configured mapping, loaded and checked (``None``: the flat layout)."""
        if self.settings.mapping is None:
            return None
        try:
            return load_mapping(Path(self.settings.mapping))
        except MappingError as exc:
            raise ConnectorError(exc.text) from None

    def database(self, location: str, *, for_writing: bool = False) -> Database:
        """The database ``location`` names (see :func:`.database.resolve`)."""
        return resolve(location, self.settings, for_writing=for_writing)

    # -- check ---------------------------------------------------------------------------
    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        try:
            self.mapping()
            db = self.database(location, for_writing=for_writing)
            if db.is_sqlite_file and for_writing:
                path = Path(db.url.database or ".")
                if not path.parent.is_dir():
                    return CheckResult(False, f"{path.parent} is not a folder")
                if not path.exists():  # connecting would create it: say so instead
                    return CheckResult(True, f"{location}: a new SQLite database")
            engine = db.connect()
            try:
                names = db.table_names(engine)
            finally:
                engine.dispose()
        except ConnectorError as exc:
            return CheckResult(False, str(exc))
        flat_read = (
            not for_writing and self.settings.query is None and self.settings.mapping is None
        )
        if flat_read and not any(
            flat_tables.entity_of_table(n, self.settings.table_prefix) for n in names
        ):
            return CheckResult(False, f"{db.label}: no tables of the flat layout")
        return CheckResult(True, f"{db.label}: reachable, {len(names)} tables")

    # -- reading -------------------------------------------------------------------------
    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        settings = self.settings
        mapping = self.mapping()
        db = self.database(source)
        engine = db.connect()
        marks: dict[str, Any] = dict((state or {}).get(STATE_KEY) or {})
        tz = parse_timezone(
            settings.timezone or (mapping.spec.timezone if mapping else None) or "+08:00"
        )
        try:
            if mapping is None:
                plan = self._flat_plan(db, engine)
                for entity, src in plan:
                    flat_rows = _FlatDecoder(entity, src, db, tz)
                    yield from self._read_source(db, engine, src, "id", flat_rows, marks)
            else:
                for entities, src in self._mapped_plan(db, engine, mapping):
                    translator = RowTranslator(mapping, entities)
                    translator.check_columns(list(src.columns), f"{db.label}#{src.name}")
                    key = settings.key_column or _mapped_key(entities)
                    mapped_rows = _MappedDecoder(translator, db, src)
                    yield from self._read_source(db, engine, src, key, mapped_rows, marks)
                    yield from translator.finish()
        finally:
            engine.dispose()

    def _read_source(
        self,
        db: Database,
        engine: Engine,
        src: RowSource,
        key: str | None,
        decoder: _Decoder,
        marks: dict[str, Any],
    ) -> Iterator[ReadItem]:
        settings = self.settings
        modified = settings.incremental_column
        key = settings.key_column or key
        if key is not None and key not in src.columns:
            key = None if modified is None else key
        if modified is not None and key is None:
            raise db.error(
                Msg(
                    "{where}：增量读取需要唯一键列（key_column）来区分同一时间修改的行",
                    "{where}: incremental reads need a unique key column (key_column) to "
                    "order rows changed at the same time",
                )
            )
        require_columns(db, src, [modified, key])
        mark = Mark.from_json(marks.get(src.name)) if modified else None
        last: Mark | None = None
        for count, row in stream(
            db,
            engine,
            src,
            batch_size=settings.batch_size,
            key=key,
            modified=modified,
            mark=mark,
        ):
            yield from decoder.decode(count, row)
            if modified is not None and key is not None and row[BOOKMARK] is not None:
                last = Mark(row[BOOKMARK], row[key])
            if last is not None and count % settings.batch_size == 0:
                marks[src.name] = last.to_json()
                yield Checkpoint({STATE_KEY: dict(marks)})
        if modified is not None:
            if last is not None:
                marks[src.name] = last.to_json()
            yield Checkpoint({STATE_KEY: dict(marks)})

    def _flat_plan(self, db: Database, engine: Engine) -> list[tuple[str, RowSource]]:
        settings = self.settings
        prefix = settings.table_prefix
        if settings.query is not None:
            if settings.entity is None:
                raise ConnectorError(
                    Msg(
                        "没有映射时，query 需要同时给出 entity（结果行的对象类型）",
                        "without a mapping, 'query' needs 'entity' (the type of its rows)",
                    )
                )
            return [(settings.entity, query_source(db, engine, settings.query))]
        present = db.table_names(engine)
        chosen: dict[str, str] = {}
        if settings.tables:
            for name in settings.tables:
                entity = (
                    name if name in ENTITY_MODELS else flat_tables.entity_of_table(name, prefix)
                )
                table = flat_tables.table_name(entity, prefix) if entity else name
                if entity is None or table not in present:
                    close = difflib.get_close_matches(table, present, n=1)
                    raise db.error(
                        Msg(
                            "{where}：没有平面布局的表 {table}{hint}",
                            "{where}: no flat-layout table {table}{hint}",
                        ),
                        table=repr(table),
                        hint=f" ({close[0]}?)" if close else "",
                    )
                chosen[entity] = table
        else:
            for name in present:
                entity = flat_tables.entity_of_table(name, prefix)
                if entity is not None and name == flat_tables.table_name(entity, prefix):
                    chosen[entity] = name
            if not chosen:
                raise db.error(
                    Msg(
                        "{where}：没有平面布局的表（如 {prefix}volunteers）；读其他表请给出映射",
                        "{where}: no tables of the flat layout (such as {prefix}volunteers); "
                        "give a mapping to read other tables",
                    ),
                    prefix=prefix,
                )
        order = list(ENTITY_MODELS)
        return [
            (entity, table_source(db, engine, chosen[entity]))
            for entity in sorted(chosen, key=order.index)
        ]

    def _mapped_plan(
        self, db: Database, engine: Engine, mapping: TabularMapping
    ) -> Iterator[tuple[list[EntityMapping], RowSource]]:
        settings = self.settings
        if settings.query is not None:
            yield list(mapping.entities), query_source(db, engine, settings.query)
            return
        if settings.tables:
            if len(settings.tables) != 1:
                raise ConnectorError(
                    Msg(
                        "有映射时 tables 只能给一个表（各对象类型都从它的行读出）",
                        "with a mapping, 'tables' names one table (every entity type is read "
                        "from its rows)",
                    )
                )
            yield list(mapping.entities), table_source(db, engine, settings.tables[0])
            return
        for entity in mapping.entities:
            yield [entity], table_source(db, engine, entity.table_name)

    # -- writing -------------------------------------------------------------------------
    def open_writer(self, target: str) -> RecordWriter:
        settings = self.settings
        mapping = self.mapping()
        db = self.database(target, for_writing=True)
        engine = db.connect()
        tables: TableSet
        if mapping is None:
            tables = FlatTables(db, settings)
        else:
            tables = MappedTables(db, settings, mapping)
            # Only the mapped types can be written: the engine rejects the others (VS103).
            setattr(self, "writes", mapping.types)  # noqa: B010 - instance override of a ClassVar
        return BatchWriter(db, engine, tables, settings.batch_size)


# -- row decoding --------------------------------------------------------------------------


class _Decoder:
    """Turns one database row into the records it holds."""

    def decode(self, number: int, row: RowMapping) -> Iterator[SourceRecord]:
        raise NotImplementedError  # pragma: no cover - interface


def _raw(row: RowMapping) -> dict[str, Any]:
    """The row's non-empty values, JSON-safe (for the reject file)."""
    # str(): column names may be str subclasses (quoted_name), which JSON writers refuse.
    return {
        str(k): json_cell(v) for k, v in row.items() if v is not None and v != "" and k != BOOKMARK
    }


class _FlatDecoder(_Decoder):
    def __init__(self, entity: str, src: RowSource, db: Database, tz: Any) -> None:
        unknown = [
            c for c in flat_tables.unknown_columns(entity, src.columns) if c not in ("type",)
        ]
        if unknown:
            known = flat.template_columns(entity)
            described = ", ".join(
                repr(u) + (f" ({c[0]}?)" if (c := difflib.get_close_matches(u, known, n=1)) else "")
                for u in unknown
            )
            raise db.error(
                Msg(
                    "{where}#{table}：这些列不是 {entity} 的字段路径：{cols}",
                    "{where}#{table}: columns that are not field paths of {entity}: {cols}",
                ),
                table=src.name,
                entity=entity,
                cols=described,
            )
        self.entity = entity
        self.names = [c for c in src.columns if c != "type"]
        self.decoder = flat.RowDecoder(entity, [flat.column(entity, n) for n in self.names], tz)
        self.label = f"{db.label}#{src.name}"

    def decode(self, number: int, row: RowMapping) -> Iterator[SourceRecord]:
        cells = ["" if (v := row[n]) is None else v for n in self.names]
        data, bad = self.decoder.decode(cells)
        problems = [
            Problem(
                "TAB130",
                Msg("第 {row} 行，列 {col!r}：{msg}", "row {row}, column {col!r}: {msg}").format(
                    row=number, col=c, msg=m
                ),
                c,
                {"row": str(number), "column": c},
            )
            for c, m in bad
        ]
        found = row.get("type")
        if found not in (None, "", self.entity):
            problems.append(
                Problem(
                    "TAB130",
                    Msg(
                        "第 {row} 行，列 'type'：{found!r} 不属于 {entity} 表",
                        "row {row}, column 'type': {found!r} in a {entity} table",
                    ).format(row=number, found=found, entity=self.entity),
                    "type",
                )
            )
        yield SourceRecord(data, Location(self.label, number, ""), _raw(row), problems)


class _MappedDecoder(_Decoder):
    def __init__(self, translator: RowTranslator, db: Database, src: RowSource) -> None:
        self.translator = translator
        self.label = f"{db.label}#{src.name}"

    def decode(self, number: int, row: RowMapping) -> Iterator[SourceRecord]:
        cells = {str(k): ("" if v is None else v) for k, v in row.items() if k != BOOKMARK}
        yield from self.translator.translate(cells, Location(self.label, number, ""), _raw(row), [])


def _mapped_key(entities: Iterable[EntityMapping]) -> str | None:
    """The column ``id`` is read from (the upsert and tie-break key), when it is one column
    (alone or in a template such as ``SR-{记录编号}``)."""
    for entity in entities:
        for rule in entity.rules:
            if rule.path != "id":
                continue
            if len(rule.columns) == 1:
                return rule.columns[0]
            if rule.template is not None and len(rule.template_columns) == 1:
                return rule.template_columns[0]
    return None


# -- writing tables ------------------------------------------------------------------------


class _Tables(TableSet):
    def __init__(self, db: Database, settings: SqlConfig) -> None:
        self.db = db
        self.settings = settings
        self.metadata = MetaData(schema=db.schema)
        self.targets: dict[str, Target] = {}

    def create_schema(self, conn: Connection) -> None:
        """Create the configured schema when tables may be created and it is missing."""
        if self.db.schema is not None and self.settings.create_tables:
            conn.execute(CreateSchema(self.db.schema, if_not_exists=True))

    def _check_names(self, conn: Connection, table: str, names: Iterable[str]) -> None:
        limit = conn.dialect.max_identifier_length
        long = [n for n in names if len(n.encode()) > limit]
        if long:
            raise self.db.error(
                Msg(
                    "{where}：{table} 的列名超过数据库允许的 {limit} 字节：{cols}",
                    "{where}: column names of {table} longer than the database's {limit} bytes: "
                    "{cols}",
                ),
                table=table,
                limit=limit,
                cols=", ".join(long[:5]),
            )


class FlatTables(_Tables):
    """The flat layout's tables, created and widened on demand when allowed."""

    def route(self, obj: Entity) -> tuple[str, Row]:
        row: Row = dict(flat.flatten(obj.model_dump(mode="json", exclude_none=True), obj.type))
        return obj.type, row

    def target(self, name: str, conn: Connection, columns: Iterable[str]) -> Target:
        wanted = list(columns)
        found = self.targets.get(name)
        table_name = flat_tables.table_name(name, self.settings.table_prefix)
        if found is None:
            existing = existing_columns(conn, table_name, self.db.schema)
            if existing is None:
                if not self.settings.create_tables:
                    raise missing_table(self.db, table_name)
                self.create_schema(conn)
                names = set(flat_tables.template(name)) | set(wanted)
                self._check_names(conn, table_name, names)
                table = flat_tables.define(
                    self.metadata, name, names, prefix=self.settings.table_prefix
                )
                table.create(conn)
            else:
                known = [n for n in existing if not flat_tables.unknown_columns(name, [n])]
                if flat_tables.KEY not in existing:
                    raise self.db.error(
                        Msg("{where}：{table} 没有 id 列", "{where}: {table} has no id column"),
                        table=table_name,
                    )
                table = flat_tables.define(
                    self.metadata, name, known, prefix=self.settings.table_prefix
                )
            found = self.targets[name] = Target(table, flat_tables.KEY)
        new = [n for n in wanted if n not in found.table.c]
        if new:
            if not self.settings.create_tables:
                raise self.db.error(
                    Msg(
                        "{where}：{table} 缺少列 {cols}；设 create_tables = true 可自动添加",
                        "{where}: {table} lacks the columns {cols}; set create_tables = true to "
                        "add them",
                    ),
                    table=table_name,
                    cols=", ".join(new[:5]),
                )
            self._check_names(conn, table_name, new)
            add_columns(
                conn,
                found.table,
                {n: flat_tables.column_type(name, n) for n in flat.ordered(name, new)},
            )
        return found


class MappedTables(_Tables):
    """A mapping's tables: rows in the regional layout (``sheet`` names the table)."""

    def __init__(self, db: Database, settings: SqlConfig, mapping: TabularMapping) -> None:
        super().__init__(db, settings)
        self.layout = MappedLayout(mapping)
        self.mapping = mapping

    def route(self, obj: Entity) -> tuple[str, Row]:
        return self.layout.table_of(obj), dict(self.layout.row_of(obj))

    def target(self, name: str, conn: Connection, columns: Iterable[str]) -> Target:
        found = self.targets.get(name)
        entity = self.mapping.entities[int(name)]
        table_name = entity.table_name
        key = self.settings.key_column or _mapped_key([entity])
        if key is None:
            raise self.db.error(
                Msg(
                    "{where}：映射没有把 id 映射到单独一列，写入需要 key_column",
                    "{where}: the mapping does not map id to one column; set key_column to write",
                )
            )
        if found is None:
            existing = existing_columns(conn, table_name, self.db.schema)
            if existing is None:
                if not self.settings.create_tables:
                    raise missing_table(self.db, table_name)
                self.create_schema(conn)
                names = [key, *(c for c in entity.output_columns() if c != key)]
                self._check_names(conn, table_name, names)
                table = Table(
                    table_name,
                    self.metadata,
                    *(
                        _column(n, String(255) if n == key else Text(), primary_key=n == key)
                        for n in names
                    ),
                )
                table.create(conn)
            else:
                with_types = Table(table_name, MetaData(schema=self.db.schema), autoload_with=conn)
                table = with_types
            found = self.targets[name] = Target(table, key)
        new = [n for n in columns if n not in found.table.c]
        if new:
            if not self.settings.create_tables:
                raise self.db.error(
                    Msg(
                        "{where}：{table} 缺少列 {cols}",
                        "{where}: {table} lacks the columns {cols}",
                    ),
                    table=table_name,
                    cols=", ".join(new[:5]),
                )
            add_columns(conn, found.table, {n: Text() for n in new})
        return found


def _column(name: str, sql_type: Any, *, primary_key: bool = False) -> Any:
    from sqlalchemy import Column

    return Column(name, sql_type, primary_key=primary_key)


__all__ = ["FlatTables", "MappedTables", "SqlConnector"]
