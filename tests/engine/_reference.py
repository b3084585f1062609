"""The convert path as it was before it was optimised (issue 13), kept verbatim as the
reference the optimised code must match byte for byte (see test_convert_identical.py).

:func:`reference_path` patches these functions in place of the optimised ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from volunteer_standard import engine, privacy
from volunteer_standard.connectors.base import Checkpoint, RecordWriter
from volunteer_standard.connectors.tabular import connector, flat, writers
from volunteer_standard.connectors.tabular.flat import (
    EMPTY_LIST,
    EMPTY_OBJECT,
    SEP,
    FlatValue,
    join_items,
)
from volunteer_standard.connectors.tabular.introspect import (
    Json,
    ListOf,
    Node,
    Obj,
    Scalar,
    model_node,
)
from volunteer_standard.connectors.tabular.writers import csv_text
from volunteer_standard.io import writer as io_writer
from volunteer_standard.io.reader import InputError
from volunteer_standard.io.rejects import RejectSink
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, Entity
from volunteer_standard.text import Text

# -- io/writer.py ----------------------------------------------------------------------------


def dump_record(obj: BaseModel | dict[str, Any]) -> bytes:
    data = obj.model_dump(mode="json", exclude_none=True) if isinstance(obj, BaseModel) else obj
    return orjson.dumps(data)


def jsonl_write(self: Any, obj: BaseModel | dict[str, Any]) -> None:
    self._out.write(dump_record(obj) + b"\n")
    self.count += 1


def package_write(self: Any, obj: BaseModel | dict[str, Any]) -> None:
    data = obj.model_dump(mode="json", exclude_none=True) if isinstance(obj, BaseModel) else obj
    kind = data.get("type")
    if kind not in ENTITY_MODELS:
        raise ValueError(f"cannot write an object of unknown type {kind!r}")
    spool = self._files.get(kind)
    if spool is None:
        spool = self._files[kind] = (Path(self._spool.name) / f"{kind}.jsonl").open("wb")
    spool.write(orjson.dumps(data) + b"\n")
    self._counts[kind] = self._counts.get(kind, 0) + 1
    self.count += 1


def package_close(self: Any) -> None:
    for handle in self._files.values():
        handle.close()
    out, atomic = io_writer._open_out(self._target)
    try:
        meta = orjson.dumps(self.metadata.model_dump(mode="json", exclude_none=True))
        out.write(b'{\n"metadata": ' + meta)
        for kind in ENTITY_MODELS:
            if kind not in self._files:
                continue
            out.write(b',\n"' + COLLECTIONS[kind].encode() + b'": [\n')
            with (Path(self._spool.name) / f"{kind}.jsonl").open("rb") as lines:
                first = True
                for line in lines:
                    if not first:
                        out.write(b",\n")
                    out.write(line.rstrip(b"\n"))
                    first = False
            out.write(b"\n]")
        out.write(b"\n}\n")
        if atomic is not None:
            atomic.commit()
        else:
            out.flush()
    except BaseException:
        if atomic is not None:
            atomic.discard()
        raise
    finally:
        self._spool.cleanup()


# -- connectors/tabular/flat.py ---------------------------------------------------------------


def _scalar_out(node: Scalar, value: Any) -> FlatValue:
    if node.kind in ("integer", "number", "boolean") and isinstance(value, bool | int | float):
        return value
    return str(value)


def flatten(data: dict[str, Any], entity: str) -> dict[str, FlatValue]:
    out: dict[str, FlatValue] = {}
    _flatten_obj(model_node(ENTITY_MODELS[entity]), data, "", out)
    return out


def _flatten_obj(node: Obj, data: dict[str, Any], prefix: str, out: dict[str, FlatValue]) -> None:
    wrote = False
    for name, child in node.children.items():
        if name in data and data[name] is not None:
            _flatten(child, data[name], prefix + name, out)
            wrote = True
    if not wrote and prefix:
        out[prefix.removesuffix(SEP)] = EMPTY_OBJECT


def _flatten(node: Node, value: Any, path: str, out: dict[str, FlatValue]) -> None:
    if isinstance(node, Obj):
        _flatten_obj(node, value, path + SEP, out)
    elif isinstance(node, Json):
        out[path] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif isinstance(node, ListOf):
        if not value:
            out[path] = EMPTY_LIST
        elif isinstance(node.item, Scalar):
            out[path] = join_items(str(_scalar_out(node.item, v)) for v in value)
        else:
            for index, item in enumerate(value):
                _flatten(node.item, item, f"{path}{SEP}{index}", out)
    else:
        out[path] = _scalar_out(node, value)


# -- connectors/tabular/connector.py and writers.py -------------------------------------------


def row_of(self: Any, obj: Entity) -> dict[str, Any]:
    return dict(flatten(obj.model_dump(mode="json", exclude_none=True), obj.type))


def csv_write(self: Any, row: dict[str, Any]) -> None:
    self._writer.writerow(
        [
            "" if (v := row.get(c)) is None else csv_text(v, num)
            for c, num in zip(self._header, self._numeric, strict=True)
        ]
    )


def check_encodable(
    codec: Any, encoding: str, table: str, row: int, values: dict[str, Any]
) -> None:
    if codec is None:
        return
    for column, value in values.items():
        if isinstance(value, str) and not value.isascii():
            try:
                codec.encode(value)
            except UnicodeEncodeError:
                raise writers.ConnectorError(
                    Text(
                        "表 {table} 第 {row} 行“{column}”列的值无法用 {encoding} 编码保存；"
                        "未写出任何内容，请改用 UTF-8 或 GB18030",
                        "table {table}, row {row}, column {column!r}: the value cannot be "
                        "written in {encoding}; nothing was written (use UTF-8 or GB18030)",
                    ).format(table=table, row=row, column=column, encoding=encoding)
                ) from None


def table_write(self: Any, obj: Entity) -> None:
    table = self.layout.table_of(obj)
    spool = self._spools.get(table)
    if spool is None:
        if self.fmt == "csv" and self.target.suffix.lower() == ".csv" and self._spools:
            raise writers.ConnectorError(
                f"{self.target}: one CSV file holds one table; got {table!r} after "
                f"{next(iter(self._spools))!r} (write to a folder or an .xlsx file)"
            )
        path = Path(self._dir.name) / f"{len(self._spools)}.jsonl"
        spool = self._spools[table] = writers._Spool(path.open("w+b"))
    row = self.layout.row_of(obj)
    if self._codec is not None:
        check_encodable(self._codec, self.encoding, table, spool.count + 2, row)
    spool.columns.update(dict.fromkeys(row))
    spool.file.write(orjson.dumps(row) + b"\n")
    spool.count += 1


# -- privacy.py --------------------------------------------------------------------------------


def scrub_text(text: str, style: Any = "6+4") -> str:
    text = privacy._ID_RE.sub(lambda m: privacy.mask_id(m.group(0), style), text)
    text = privacy._PHONE_RE.sub(lambda m: privacy.mask_phone(m.group(0)), text)
    return privacy._EMAIL_RE.sub(lambda m: privacy.mask_email(m.group(0)), text)


def privacy_text(self: Any, value: str) -> str:
    if self.mode == "raw":
        return value
    if self.mode == "pseudonymized":
        value = privacy._ID_RE.sub(lambda m: self.pseudonym(m.group(0)), value)
        return privacy._PHONE_RE.sub(lambda m: self.pseudonym(m.group(0)), value)
    return scrub_text(value, self.id_mask)


def privacy_model(self: Any, obj: BaseModel) -> BaseModel:
    changes: dict[str, Any] = {}
    for name, info in type(obj).model_fields.items():
        current = getattr(obj, name)
        if current is None:
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        marked = extra.get("x-sensitivity") in ("personal", "sensitive")
        if (
            marked
            and self.mode == "masked"
            and getattr(obj, f"{name}_visibility", None) == "public"
        ):
            continue
        new = self._field(name, current, marked, changes)
        if new is not current:
            changes[name] = new
    return obj.model_copy(update=changes) if changes else obj


# -- engine.py --------------------------------------------------------------------------------


def pump(
    plan: Any,
    summary: Any,
    sink: RejectSink,
    writer: RecordWriter,
    state: Mapping[str, Any] | None,
    progress: Callable[[Any], None] | None,
    every: int,
    on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    checker = engine.RecordChecker()
    try:
        for record in engine.read_checked(plan.reader, plan.source, state):
            if isinstance(record, Checkpoint):
                summary.state = dict(record.state)
                if on_checkpoint is not None:
                    engine._durable_checkpoint(writer, sink, summary.state, on_checkpoint)
                continue
            summary.read += 1
            verdict = engine.judge(record, plan, checker)
            if not verdict.ok:
                if plan.on_invalid == "fail":
                    engine._fail_on(record, verdict)
                if not (plan.on_invalid == "keep" and verdict.obj is not None):
                    engine._reject(plan, summary, sink, record, verdict)
                    engine._maybe_progress(summary, progress, every)
                    continue
                summary.kept_invalid += 1
            assert verdict.obj is not None
            writer.write(plan.privacy.entity(verdict.obj))
            summary.written += 1
            summary.written_by_type[verdict.obj.type] += 1
            engine._maybe_progress(summary, progress, every)
    except InputError as exc:
        raise engine.ConnectorError(exc.text) from None


@contextmanager
def reference_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside the block, ``engine.convert`` runs the code as it was before optimising."""
    with monkeypatch.context() as patch:
        patch.setattr(io_writer, "dump_record", dump_record)
        patch.setattr(io_writer.JsonlWriter, "write", jsonl_write)
        patch.setattr(io_writer.PackageWriter, "write", package_write)
        patch.setattr(io_writer.PackageWriter, "close", package_close)
        patch.setattr(flat, "flatten", flatten)
        patch.setattr(connector.FlatLayout, "row_of", row_of)
        patch.setattr(writers.CsvTable, "write", csv_write)
        patch.setattr(writers, "_check_encodable", check_encodable)
        patch.setattr(writers.TableWriter, "write", table_write)
        patch.setattr(engine, "_pump", pump)
        patch.setattr(privacy, "scrub_text", scrub_text)
        patch.setattr(privacy.Privacy, "text", privacy_text)
        patch.setattr(privacy.Privacy, "_model", privacy_model)
        yield
