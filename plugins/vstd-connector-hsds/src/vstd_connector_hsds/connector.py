"""The ``hsds`` connector: Open Referral HSDS 3.0, JSON and CSV forms, both directions.

A dataset is a folder. In the JSON form it holds ``organizations``, ``services`` and
``locations`` files (``.ndjson``/``.jsonl``: one object per line, as an HSDS API streams
with ``format=ndjson``; or ``.json``: one object, an array, or an API page with
``contents``). In the CSV form it holds HSDS's tables (``organizations.csv``,
``services.csv``, ``locations.csv``, ``phones.csv``, ``attributes.csv`` …).

Nothing is lost either way (:class:`~volunteer_standard.connectors.helpers.patch.
LosslessCodec`): an HSDS object's parts without a place in the standard are kept under
``extensions["hsds"]`` as a JSON Patch, so exporting it again gives the object back; a
standard record's fields without a place in HSDS travel in a ``vstd-carry`` attribute
(turn off with ``keep_standard_fields = false`` for a clean publication, at the price of
those fields: the carry holds *every* such field, personal ones such as a leader's name
included).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from volunteer_standard.connectors import (
    Checkpoint,
    CheckResult,
    Connector,
    ConnectorConfig,
    ConnectorError,
    Problem,
    ReadItem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.helpers import BAD_JSON, BAD_SHAPE, iter_jsonl
from volunteer_standard.connectors.helpers.patch import LosslessCodec, Operation
from volunteer_standard.io.reader import Location
from volunteer_standard.models import Entity
from vstd_connector_hsds import mapping
from vstd_connector_hsds.tabular import TableReader, TableWriter, table_file

#: Extension namespace of the HSDS parts the standard has no place for.
NAMESPACE = "hsds"
#: HSDS object type of each standard entity type the connector handles.
HSDS_TYPE = {
    "organization": "organization",
    "project": "service",
    "station": "location",
    "activity": "location",
}
#: File stems of the JSON form, in reading order (referenced objects first).
JSON_FILES = {"organizations": "organization", "services": "service", "locations": "location"}
_JSON_SUFFIXES = (".ndjson", ".jsonl", ".json")


class HsdsConfig(ConnectorConfig):
    """Options of the ``hsds`` connector."""

    form: Literal["auto", "json", "csv"] = Field(
        "auto",
        description="json (NDJSON files per object type) or csv (HSDS tables). auto: "
        "reading tells by the files; writing uses json.",
    )
    keep_standard_fields: bool = Field(
        True,
        description="Write standard fields HSDS has no place for in a 'vstd-carry' attribute, "
        "so that standard → HSDS → standard is exact. Off for a clean publication.",
    )
    offset: str = Field(
        mapping.DEFAULT_OFFSET,
        pattern=r"^[+-][0-9]{2}:[0-9]{2}$",
        description="UTC offset given to HSDS dates and times, which have none.",
    )


def codecs(offset: str = mapping.DEFAULT_OFFSET) -> dict[str, LosslessCodec]:
    """The lossless codec of each HSDS top-level type."""

    def location_to(d: dict[str, Any]) -> dict[str, Any]:
        if d.get("type") == "activity":
            return mapping.activity_to_hsds(d)
        return mapping.station_to_hsds(d)

    return {
        "organization": LosslessCodec(
            NAMESPACE, mapping.organization_to_hsds, mapping.organization_from_hsds
        ),
        "service": LosslessCodec(
            NAMESPACE, mapping.project_to_hsds, lambda o: mapping.project_from_hsds(o, offset)
        ),
        "location": LosslessCodec(
            NAMESPACE, location_to, lambda o: mapping.location_from_hsds(o, offset)
        ),
    }


def take_carry(obj: dict[str, Any]) -> tuple[dict[str, Any], list[Operation] | None, str | None]:
    """Split the carry attribute off an HSDS object: (object, carry, problem)."""
    attributes = obj.get("attributes")
    if not isinstance(attributes, list):
        return obj, None, None
    kept, carried = [], []
    for item in attributes:
        term = item.get("taxonomy_term") if isinstance(item, dict) else None
        if isinstance(term, dict) and item.get("link_type") == mapping.CARRY:
            carried.append(item)
        else:
            kept.append(item)
    if not carried:
        return obj, None, None
    rest = {k: v for k, v in obj.items() if k != "attributes"}
    if kept:
        rest["attributes"] = kept
    try:
        carry = json.loads(carried[0].get("value") or "[]")
    except ValueError:
        return rest, None, "the vstd-carry attribute is not valid JSON"
    if not isinstance(carry, list):
        return rest, None, "the vstd-carry attribute is not a JSON Patch array"
    return rest, carry, None


def to_record(
    kind: str, obj: Any, location: Location, codec: Mapping[str, LosslessCodec]
) -> SourceRecord:
    """A source record of one HSDS object of type ``kind``."""
    if not isinstance(obj, dict):
        problem = Problem(BAD_SHAPE, f"{location}: an HSDS {kind} must be a JSON object")
        return SourceRecord(None, location, {"value": obj}, [problem])
    plain, carry, why = take_carry(obj)
    if why is not None:
        return SourceRecord(None, location, obj, [Problem(BAD_SHAPE, f"{location}: {why}")])
    return SourceRecord(codec[kind].import_(plain, carry), location, obj)


class HsdsConnector(Connector):
    """Open Referral HSDS 3.0 (JSON and CSV): organizations, services, locations."""

    name = "hsds"
    title = "Open Referral HSDS 3.0 (JSON / CSV tables)"
    version = "0.1.0"
    reads = ("organization", "project", "station", "activity")
    writes = ("organization", "project", "station", "activity")
    config_model = HsdsConfig

    @property
    def options(self) -> HsdsConfig:
        assert isinstance(self.config, HsdsConfig)
        return self.config

    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        if for_writing:
            return super().check(location, for_writing=True)
        path = Path(location)
        if not path.is_dir():
            return CheckResult(False, f"{location} is not a folder of HSDS files")
        if _form_of(path) is None:
            return CheckResult(
                False, f"{location} holds no HSDS organizations, services or locations"
            )
        return CheckResult(True, f"{location} holds HSDS {_form_of(path)} files")

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        folder = Path(source)
        if not folder.is_dir():
            raise ConnectorError(f"{source}: not a folder of HSDS files")
        form = self.options.form if self.options.form != "auto" else _form_of(folder)
        if form is None:
            raise ConnectorError(f"{source}: no HSDS organizations, services or locations found")
        codec = codecs(self.options.offset)
        if form == "csv":
            yield from _read_csv(folder, codec)
        else:
            yield from _read_json(folder, codec)
        yield Checkpoint({})

    def open_writer(self, target: str) -> RecordWriter:
        form: Literal["json", "csv"] = "csv" if self.options.form == "csv" else "json"
        return HsdsWriter(
            Path(target), form, self.options.keep_standard_fields, codecs(self.options.offset)
        )


def _form_of(folder: Path) -> Literal["json", "csv"] | None:
    if any((folder / table_file(kind)).is_file() for kind in JSON_FILES.values()):
        return "csv"
    for stem in JSON_FILES:
        if any((folder / f"{stem}{suffix}").is_file() for suffix in _JSON_SUFFIXES):
            return "json"
    return None


def _read_json(folder: Path, codec: Mapping[str, LosslessCodec]) -> Iterator[SourceRecord]:
    for stem, kind in JSON_FILES.items():
        for suffix in _JSON_SUFFIXES:
            path = folder / f"{stem}{suffix}"
            if not path.is_file():
                continue
            if suffix == ".json":
                yield from _read_json_document(path, kind, codec)
                continue
            for line in iter_jsonl(path):
                if line.problem is not None:
                    yield SourceRecord(None, line.location, {"text": line.text}, [line.problem])
                else:
                    yield to_record(kind, line.value, line.location, codec)


def _read_json_document(
    path: Path, kind: str, codec: Mapping[str, LosslessCodec]
) -> Iterator[SourceRecord]:
    """A ``.json`` file: one object, an array, or an API page (``contents``). Held in
    memory: such files are API responses of one page."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        where = Location(str(path), 1)
        yield SourceRecord(None, where, None, [Problem(BAD_JSON, f"{path}: not valid JSON: {exc}")])
        return
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, pointer = document["contents"], "/contents"
    elif isinstance(document, list):
        items, pointer = document, ""
    else:
        items, pointer = [document], None
    for i, item in enumerate(items):
        where = Location(str(path), None, f"{pointer}/{i}" if pointer is not None else "/")
        yield to_record(kind, item, where, codec)


def _read_csv(folder: Path, codec: Mapping[str, LosslessCodec]) -> Iterator[SourceRecord]:
    tables = TableReader(folder)
    try:
        for kind in JSON_FILES.values():
            path = str(folder / table_file(kind))
            for line, row, problem in tables.rows(kind):
                where = Location(path, line)
                if problem is not None:
                    yield SourceRecord(
                        None, where, row, [Problem(BAD_SHAPE, f"{where}: {problem}")]
                    )
                    continue
                yield to_record(kind, tables.nest(kind, row), where, codec)
        for file, line, row, why in tables.leftovers():
            where = Location(file, line)
            yield SourceRecord(None, where, row, [Problem(BAD_SHAPE, f"{where}: {why}")])
    finally:
        tables.close()


class HsdsWriter:
    """Writes standard objects as an HSDS folder (JSON or CSV form), atomically: into a
    temporary folder beside the target, renamed into place on close."""

    def __init__(
        self,
        target: Path,
        form: Literal["json", "csv"],
        keep_standard_fields: bool,
        codec: Mapping[str, LosslessCodec],
    ) -> None:
        self.target = target
        self.form = form
        self.keep = keep_standard_fields
        self.codec = codec
        parent = target.parent if str(target.parent) else Path(".")
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
        self._json: dict[str, Any] = {}
        self._tables = TableWriter(self._tmp) if form == "csv" else None

    def hsds_object(self, obj: Entity) -> tuple[str, dict[str, Any]]:
        """(HSDS type, object) of one standard object, with its carry when kept."""
        kind = HSDS_TYPE.get(obj.type)
        if kind is None:
            raise ConnectorError(f"the hsds connector does not write {obj.type!r}")
        data = obj.model_dump(mode="json", exclude_none=True)
        out, carry = self.codec[kind].export(data)
        if carry and self.keep:
            attribute = mapping.attribute(
                out["id"],
                kind,
                mapping.CARRY,
                mapping.carry_term(),
                json.dumps(carry, ensure_ascii=False),
            )
            out["attributes"] = [*out.get("attributes", []), attribute]
        return kind, out

    def write(self, obj: Entity) -> None:
        kind, out = self.hsds_object(obj)
        if self._tables is not None:
            self._tables.write(kind, out)
            return
        stem = next(s for s, k in JSON_FILES.items() if k == kind)
        handle = self._json.get(stem)
        if handle is None:
            handle = self._json[stem] = (self._tmp / f"{stem}.ndjson").open("w", encoding="utf-8")
        handle.write(json.dumps(out, ensure_ascii=False) + "\n")

    def close(self) -> None:
        for handle in self._json.values():
            handle.close()
        if self._tables is not None:
            self._tables.close()
        _replace_folder(self._tmp, self.target)


def _replace_folder(tmp: Path, target: Path) -> None:
    os.chmod(tmp, 0o755)  # mkdtemp makes it owner-only; the output is a publication
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    else:
        tmp.rename(target)
