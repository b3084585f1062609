"""The ``standard`` connector: the standard's own JSON package and JSON Lines forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from volunteer_standard import codes
from volunteer_standard.connectors.base import (
    Connector,
    ConnectorConfig,
    Problem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.io.position import open_source, position_of
from volunteer_standard.io.reader import RawRecord, iter_raw
from volunteer_standard.io.writer import JsonlWriter, PackageWriter, dump_record
from volunteer_standard.models import COLLECTION_TYPES, ENTITY_MODELS, Entity
from volunteer_standard.models.package import PackageMetadata
from volunteer_standard.text import Text


class StandardConfig(ConnectorConfig):
    """Which form to read or write; ``auto`` decides from the file name."""

    form: Literal["auto", "jsonl", "package"] = "auto"


class _Writer:
    def __init__(self, inner: JsonlWriter | PackageWriter) -> None:
        self.inner = inner

    #: Encodes a record as ``write_encoded`` takes it (a plain function: worker processes
    #: encode, the main process writes in order; see ``volunteer_standard.parallel``).
    encode = staticmethod(dump_record)

    def write(self, obj: Entity) -> None:
        self.inner.write(obj)

    def write_encoded(self, kind: str, data: bytes) -> None:
        """Write a record that ``encode`` made (``kind``: its entity type)."""
        self.inner.write_encoded(kind, data)

    def close(self) -> None:
        self.inner.close()

    def abort(self) -> None:
        """Drop the output (atomic: the previous file, if any, is left as it was)."""
        self.inner.abort()


class StandardConnector(Connector):
    """JSON package (``.json``) and JSON Lines (``.jsonl``), exactly as the standard defines."""

    name = "standard"
    title = "volunteer-standard JSON package / JSON Lines"
    version = "1.0"
    reads = tuple(ENTITY_MODELS)
    writes = tuple(ENTITY_MODELS)
    config_model = StandardConfig

    def keeps_standard_form(self) -> bool:
        return True

    def _form(self, location: str) -> Literal["jsonl", "package"] | None:
        assert isinstance(self.config, StandardConfig)
        if self.config.form != "auto":
            return self.config.form
        suffix = Path(location).suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".jsonlines"):
            return "jsonl"
        if suffix == ".json":
            return "package"
        return None

    _where: Callable[[], int | None] | None = None

    def bytes_read(self) -> int | None:
        return None if self._where is None else self._where()

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        stream, label, owned = open_source(source)  # here, so that its position can be read
        self._where = position_of(stream)
        try:
            yield from self._records(iter_raw(stream, fmt=self._form(source), name=label))
        finally:
            if owned:
                end = self._where()
                self._where = lambda: end  # the position it had, once closed
                stream.close()

    def _records(self, raws: Iterator[RawRecord]) -> Iterator[SourceRecord]:
        for raw in raws:
            record = source_record(raw)
            if record is not None:
                yield record

    def open_writer(self, target: str) -> RecordWriter:
        if self._form(target) == "package":
            return _Writer(PackageWriter(target, _metadata()))
        return _Writer(JsonlWriter(target))


def source_record(raw: RawRecord) -> SourceRecord | None:
    """What :meth:`StandardConnector.read` yields for one record of the reader (``None``
    for a package's metadata); parallel conversion uses it for the records it reads."""
    if raw.collection == "metadata":
        return None
    if raw.error is not None:
        return SourceRecord(None, raw.location, _raw_of(raw.data), [_problem(raw)])
    data = raw.data
    if not isinstance(data, dict):
        return SourceRecord(  # the value is kept for the reject file: nothing lost
            None,
            raw.location,
            {"value": data},
            [Problem(codes.NOT_AN_OBJECT, "the record is not a JSON object")],
        )
    if raw.collection is not None:
        kind = COLLECTION_TYPES.get(raw.collection)
        if kind is None:
            problem = Problem(
                codes.UNKNOWN_COLLECTION, f"unknown array {raw.collection!r} in the package"
            )
            return SourceRecord(data, raw.location, None, [problem])
        if "type" not in data:
            data = {"type": kind, **data}
        elif data["type"] != kind:
            problem = Problem(
                codes.TYPE_MISMATCH,
                f"type {data['type']!r} sits in the {raw.collection} array",
            )
            return SourceRecord(data, raw.location, None, [problem])
    return SourceRecord(data, raw.location, None)


def _problem(raw: RawRecord) -> Problem:
    """The reader's verdict as a problem with the same code ``validate`` reports."""
    from volunteer_standard.validation.catalogue import lookup

    item = lookup(raw.code)
    params = {"detail": raw.error or "", "value": raw.error or ""}
    message = Text(item.message_zh.format_map(params), item.message_en.format_map(params))
    return Problem(raw.code, message, params=params)


def _raw_of(data: Any) -> dict[str, Any]:
    """What a reject file keeps of an unreadable record: the record, or its text."""
    return data if isinstance(data, dict) else {"text": data}


def _metadata() -> PackageMetadata:
    from datetime import UTC, datetime

    from volunteer_standard.models.package import Publisher

    return PackageMetadata(
        publisher=Publisher(name="volunteer-standard", system="vstd convert"),
        generated_at=datetime.now(UTC),
    )
