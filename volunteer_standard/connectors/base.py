"""The connector contract: one system's data read into, and written from, the standard.

A connector declares what it reads and writes and a pydantic configuration model; it reads
``SourceRecord``s (a standard-shaped dict, where it came from, and the untranslated source
fields) and writes validated standard objects. Validation, rejects and counting are the
engine's job, so a vendor connector stays short.
"""

from __future__ import annotations

import dataclasses
import os
from abc import ABC
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from volunteer_standard.errors import VstdError
from volunteer_standard.io.config import ConfigError, read_config
from volunteer_standard.io.reader import Location
from volunteer_standard.models import Entity
from volunteer_standard.text import Lang, Text, as_text


class ConnectorError(VstdError):
    """A connector cannot run: bad configuration, unreachable source, unwritable target."""


class ConnectorConfig(BaseModel):
    """Base of connector configurations.

    Secrets are ``SecretStr`` fields: they are read from a config file or from the
    environment (``VSTD_<CONNECTOR>_<FIELD>``), never from the command line, and never
    appear in ``repr`` or logs.
    """

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a source record could not be translated (it goes to the reject file).

    ``message`` is a :class:`Text` (zh and en); a plain string is accepted from older
    plugins and shown as is in both languages. ``params`` carries the values a program may
    need (column, row, expected) so that nobody parses the message.
    """

    code: str
    message: Text | str
    field: str | None = None
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def text(self, lang: Lang = "en") -> str:
        """The message in ``lang``."""
        return as_text(self.message).get(lang)


@dataclass(slots=True)
class SourceRecord:
    """One record read from a source.

    ``data`` is the record in the standard's shape (not yet validated; ``None`` when it
    could not be translated at all), ``raw`` the source fields as read, ``problems`` what
    went wrong while translating.
    """

    data: dict[str, Any] | None
    location: Location
    raw: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A bookmark that ``read`` yields between records (Singer's STATE message).

    Once every record yielded before it has been written durably, a later run may resume
    from ``state``. The engine saves the last checkpoint only after the output it
    describes is complete, so a crash never saves a bookmark past unwritten records.
    """

    state: dict[str, Any]


#: What ``Connector.read`` yields: records, and now and then a checkpoint.
ReadItem = SourceRecord | Checkpoint


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Outcome of ``Connector.check``."""

    ok: bool
    message: str


class RecordWriter(Protocol):
    """Writes standard objects to one target; ``close`` finishes the output."""

    def write(self, obj: Entity) -> None: ...

    def close(self) -> None: ...


class Connector(ABC):
    """Base class of connectors. Subclasses set the class attributes and override
    ``read`` and/or ``open_writer``."""

    name: ClassVar[str]
    title: ClassVar[str]
    version: ClassVar[str] = "1.0"
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    config_model: ClassVar[type[ConnectorConfig]] = ConnectorConfig

    def __init__(self, config: ConnectorConfig | Mapping[str, Any] | None = None) -> None:
        if isinstance(config, ConnectorConfig):
            self.config = config
        else:
            self.config = load_config(type(self), values=dict(config or {}))

    # -- lifecycle ---------------------------------------------------------------------
    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        """Tell whether ``location`` can be read (or written) with this configuration."""
        if location == "-":
            return CheckResult(True, "standard stream")
        path = Path(location)
        if for_writing:
            parent = path.parent if str(path.parent) else Path(".")
            if parent.is_dir() and os.access(parent, os.W_OK):
                return CheckResult(True, f"{location} can be written")
            return CheckResult(False, f"{parent} is not a writable folder")
        if path.exists() and os.access(path, os.R_OK):
            return CheckResult(True, f"{location} is readable")
        return CheckResult(False, f"{location} does not exist or is not readable")

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        """Yield the records of ``source``; continue after ``state`` when given.

        An incremental connector yields a :class:`Checkpoint` after the records it covers
        (at least once, after the last record); the engine saves it once they are written.
        """
        raise ConnectorError(f"connector {self.name!r} cannot read")

    def bytes_read(self) -> int | None:
        """How much of the source ``read`` has consumed so far, in bytes, for a progress
        display (rate, time left); ``None`` (the default) when the connector cannot say."""
        return None

    def open_writer(self, target: str) -> RecordWriter:
        """Open ``target`` for writing standard objects."""
        raise ConnectorError(f"connector {self.name!r} cannot write")

    def keeps_standard_form(self) -> bool:
        """Whether this connector writes the standard's own lossless form (then personal
        data is written as it is by default; otherwise ``vstd convert`` masks it unless
        ``--privacy raw`` is asked for)."""
        return False

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """Name, version, entity types and the configuration's JSON Schema."""
        return {
            "name": cls.name,
            "title": cls.title,
            "version": cls.version,
            "reads": list(cls.reads),
            "writes": list(cls.writes),
            "config_schema": cls.config_model.model_json_schema(),
        }


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        loaded = read_config(path)
    except ConfigError as exc:
        raise ConnectorError(exc.text) from None
    return loaded if isinstance(loaded, dict) else {}


def load_config(
    connector: type[Connector],
    path: str | Path | None = None,
    *,
    values: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectorConfig:
    """Build a connector's configuration from a file (TOML, YAML or JSON), explicit values
    and, for secret fields, environment variables ``VSTD_<CONNECTOR>_<FIELD>``."""
    data: dict[str, Any] = {}
    if path is not None:
        data.update(_read_config_file(Path(path)))
    data.update(values or {})
    env = os.environ if environ is None else environ
    prefix = f"VSTD_{connector.name.upper().replace('-', '_')}_"
    for field_name, info in connector.config_model.model_fields.items():
        if field_name in data:
            continue
        annotation = str(info.annotation)
        if "SecretStr" in annotation:
            value = env.get(prefix + field_name.upper())
            if value is not None:
                data[field_name] = value
    try:
        return connector.config_model.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(config)'}: {e['msg']}" for e in exc.errors()
        )
        raise ConnectorError(f"invalid configuration for {connector.name!r}: {details}") from None


__all__ = [
    "CheckResult",
    "Checkpoint",
    "Connector",
    "ConnectorConfig",
    "ConnectorError",
    "Problem",
    "ReadItem",
    "RecordWriter",
    "SecretStr",
    "SourceRecord",
    "load_config",
]
