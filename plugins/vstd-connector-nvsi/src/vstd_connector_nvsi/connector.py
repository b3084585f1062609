"""The ``nvsi`` connector: NVSI 2.0 coded-column exports as JSON Lines.

Each line is one row of an NVSI table: volunteers (``albp…`` columns), service hours
(``albx0172``–``albx0187``), training (``albx0282``–``albx0297``), awards (``albx0352``–
``albx0363``) or evaluations (``albx0463``–``albx0470`` by a team, ``albx0503``–``albx0508``
by a volunteer); a file may mix them. The tables and columns are data
(``data/tables.toml``, ``data/columns.csv``, ``data/codes.csv``). Nothing is lost in
either direction:

* NVSI → standard → NVSI: columns without a place in the standard are kept under
  ``extensions["nvsi"]``, and a value the standard writes differently (``"1.5"`` hours,
  legacy 证件类型 ``"6"``) is kept there too, so the row comes back as it was read.
* standard → NVSI → standard: fields with no NVSI column (ids, provenance, consents …) are
  written in a ``vstd`` object on the row (turn off with ``keep_standard_fields = false``
  for a clean NVSI file, at the price of losing them).

Incremental: hour rows are bookmarked on ``albx0178`` (录入日期); a re-run with the saved
state skips hour rows recorded at or before the bookmark. The volunteer table has no change
date and is read in full every time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

import orjson
from pydantic import Field, ValidationError

from volunteer_standard.connectors import (
    Checkpoint,
    Connector,
    ConnectorConfig,
    Problem,
    ReadItem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.helpers import (
    BAD_SHAPE,
    Bookmark,
    iter_files,
    iter_jsonl,
)
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS, Entity
from vstd_connector_nvsi.columns import Table, set_path, tables

#: Extension namespace of the untranslated NVSI columns.
NAMESPACE = "nvsi"
#: Key of the object that carries standard fields without an NVSI column.
CARRY = "vstd"
#: Key of the row id (NVSI's own table keys are not in the published column lists).
ID = "id"

_TABLES: dict[str, Table] = tables()
_ENTITIES = tuple(dict.fromkeys(t.entity for t in _TABLES.values()))
_BOOKMARK = "recorded_at"
#: Tables whose volunteer column holds the 志愿者编号 (not the standard's volunteer id).
_BY_NUMBER = frozenset(
    t.name
    for t in _TABLES.values()
    if any(c.label == "志愿者编号" and c.code != "albp0029" for c in t.columns)
)
_ABSENT = object()
TableName = Literal[
    "auto",
    "volunteer",
    "service_record",
    "training",
    "award",
    "evaluation_by_team",
    "evaluation_by_volunteer",
]


class NvsiConfig(ConnectorConfig):
    """Options of the ``nvsi`` connector."""

    encoding: Literal["auto", "utf-8", "gb18030"] = Field(
        "auto",
        description="Encoding of the files read (auto: UTF-8, with or without BOM, "
        "or GB18030). Files are always written as UTF-8.",
    )
    keep_standard_fields: bool = Field(
        True,
        description="Write standard fields that have no NVSI column in a 'vstd' object, so "
        "that standard → NVSI → standard is exact.",
    )
    table: TableName = Field(
        "auto", description="Which table the rows belong to (auto: told by their columns)."
    )


def table_for(data: Mapping[str, Any]) -> Table | None:
    """The table a standard object (or a carry object) is written to: the first table of
    its entity whose constants it matches (evaluations: by direction)."""
    for table in _TABLES.values():
        if table.entity == data.get("type") and all(
            data.get(k) == v for k, v in table.constants.items()
        ):
            return table
    return None


def _table_of(row: Mapping[str, Any], forced: str) -> Table | None:
    if forced != "auto":
        return _TABLES[forced]
    keys = set(row)
    found = [
        t
        for t in _TABLES.values()
        if (t.name == "volunteer" and any(str(k).startswith("albp") for k in keys))
        or (t.name != "volunteer" and t.codes & keys)
    ]
    if len(found) == 1:
        return found[0]
    carried = row.get(CARRY)
    return table_for(carried) if isinstance(carried, Mapping) else None


def columns_of(table: Table, data: Mapping[str, Any]) -> dict[str, Any]:
    """The NVSI columns of a standard-shaped dict (without extensions or carry)."""
    row: dict[str, Any] = {}
    if table.name != "volunteer" or data.get("id") != data.get("volunteer_no"):
        row[ID] = data.get("id")
    for column in table.columns:
        value = column.write(data)
        if value is not None:
            row[column.code] = value
    return {k: v for k, v in row.items() if v is not None}


def data_of(table: Table, row: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """A standard-shaped dict from one NVSI row (before the carry object is applied)."""
    problems: list[Problem] = []
    data: dict[str, Any] = {"type": table.entity, **table.constants}
    for column in table.columns:
        if column.code in row:
            for path, value in column.read(row[column.code], problems).items():
                if value is not None:
                    set_path(data, path, value)
    row_id = row.get(ID)
    if row_id is not None:
        data["id"] = row_id if isinstance(row_id, str) else str(row_id)
    elif table.name == "volunteer":
        if "volunteer_no" in data:
            data["id"] = data["volunteer_no"]  # 志愿者编号 is the public key across systems
    else:
        problems.append(Problem(BAD_SHAPE, f"the {table.name} row has no {ID!r}", ID))
    # Keep what the standard cannot say: unknown columns, and values the writer would
    # write differently, so that NVSI → standard → NVSI gives the row back unchanged.
    written = columns_of(table, data)
    kept = {k: v for k, v in row.items() if k != CARRY and written.get(k, _ABSENT) != v}
    if kept:
        data["extensions"] = {NAMESPACE: kept}
    return data, problems


class NvsiConnector(Connector):
    """NVSI 2.0 coded-column exports (JSON Lines): volunteers, hours, training, awards,
    evaluations."""

    name = "nvsi"
    title = "全国志愿服务信息系统 2.0 coded-column export (JSON Lines)"
    version = "0.2.0"
    reads = _ENTITIES
    writes = _ENTITIES
    config_model = NvsiConfig

    @property
    def options(self) -> NvsiConfig:
        assert isinstance(self.config, NvsiConfig)
        return self.config

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        bookmark = Bookmark(state, _BOOKMARK)
        for path in iter_files(source, ("*.jsonl", "*.ndjson")):
            for line in iter_jsonl(path, self.options.encoding):
                if line.problem is not None:
                    yield SourceRecord(None, line.location, {"text": line.text}, [line.problem])
                    continue
                record = self._record(line.value, line.location)
                if record is None:
                    continue
                recorded = record.data.get(_BOOKMARK) if record.data else None
                if record.data and record.data.get("type") == "service_record":
                    if not bookmark.is_new(recorded):
                        continue  # read by an earlier run
                    if not record.problems:
                        bookmark.observe(recorded)
                yield record
        # Only now, after the last record was handed on (Singer's rule).
        yield Checkpoint(bookmark.to_state(state))

    def _record(self, row: Any, location: Location) -> SourceRecord | None:
        if not isinstance(row, dict):
            problem = Problem(BAD_SHAPE, f"{location}: the line is not a JSON object")
            return SourceRecord(None, location, {"value": row}, [problem])
        table = _table_of(row, self.options.table)
        if table is None:
            problem = Problem(
                BAD_SHAPE,
                f"{location}: not a row of one NVSI table (volunteer albp…, hours "
                "albx0172–0187, training albx0282–0297, award albx0352–0363, evaluation "
                "albx0463–0470 / albx0503–0508)",
            )
            return SourceRecord(None, location, row, [problem])
        data, problems = data_of(table, row)
        carried = row.get(CARRY)
        if isinstance(carried, dict):
            data.update(carried)
        elif carried is not None:
            problems.append(Problem(BAD_SHAPE, f"{location}: {CARRY!r} is not an object", CARRY))
        return SourceRecord(data, location, row, problems)

    def open_writer(self, target: str) -> RecordWriter:
        return NvsiWriter(target, keep_standard_fields=self.options.keep_standard_fields)


class NvsiWriter:
    """Writes standard objects as NVSI rows, one JSON object per line.

    Hour and team-evaluation rows name the volunteer by 志愿者编号 (``albx0175``,
    ``albx0470``); the writer remembers the number of each volunteer it wrote (memory grows
    with volunteers, not with records).
    """

    def __init__(self, target: str, *, keep_standard_fields: bool = True) -> None:
        self.keep = keep_standard_fields
        self._numbers: dict[str, str] = {}
        self._out: IO[bytes] = Path(target).open("wb")  # noqa: SIM115 - closed in close()

    def write(self, obj: Entity) -> None:
        dumped = obj.model_dump(mode="json", exclude_none=True)
        table = table_for(dumped)
        if table is None:
            raise ValueError(f"the nvsi connector does not write {obj.type!r}")
        if table.name == "volunteer":
            self._numbers[obj.id] = dumped["volunteer_no"]
        shaped = dict(dumped)
        if table.name in _BY_NUMBER and "volunteer_id" in dumped:
            shaped["volunteer_id"] = self._numbers.get(
                dumped["volunteer_id"], dumped["volunteer_id"]
            )
        row = columns_of(table, shaped)
        extra = (dumped.get("extensions") or {}).get(NAMESPACE)
        if isinstance(extra, dict):
            row.update(extra)
        if self.keep:
            carry = _carry(table, row, dumped)
            if carry:
                row[CARRY] = carry
        self._out.write(orjson.dumps(row) + b"\n")

    def close(self) -> None:
        self._out.close()


def _carry(table: Table, row: dict[str, Any], dumped: dict[str, Any]) -> dict[str, Any]:
    """The standard fields that reading ``row`` would not give back as they were."""
    back, _problems = data_of(table, row)
    model = ENTITY_MODELS[table.entity]
    with contextlib.suppress(ValidationError):  # if invalid, compare the raw dict
        back = model.model_validate(back).model_dump(mode="json", exclude_none=True)
    carry = {k: v for k, v in dumped.items() if back.get(k) != v}
    carry.update({k: None for k in back if k not in dumped})
    return carry
