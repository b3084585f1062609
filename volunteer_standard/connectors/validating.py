"""Validate what a connector reads: ``vstd validate --from tabular --from-config m.toml x.xlsx``.

:func:`validate_source` reads the source with the connector and validates every record it
gives (:func:`volunteer_standard.validation.validate.validate` with a record source): a
spreadsheet is checked through its mapping, each issue at its file, sheet, row and column;
cells the mapping cannot translate are reported as ``VC100`` with the connector's reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from volunteer_standard.connectors.base import Checkpoint, Connector, load_config
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.validation.report import Issue, Report
from volunteer_standard.validation.sources import entity_type_of, problem_issue
from volunteer_standard.validation.validate import validate


@runtime_checkable
class LocatesColumns(Protocol):
    """A connector that knows which source column a field of a record came from."""

    def column_of(self, entity_type: str, path: str) -> str | None: ...


def open_connector(
    spec: str | Connector, config: str | Path | Mapping[str, Any] | None
) -> Connector:
    """The connector with its configuration; a tabular mapping file may stand for its config."""
    from volunteer_standard.connectors.registry import get_connector

    if isinstance(spec, Connector):
        return spec
    cls = get_connector(spec)
    if isinstance(config, str | Path):
        if cls.name == "tabular" and _is_mapping_file(Path(config)):
            return cls({"mapping": str(config)})
        return cls(load_config(cls, config))
    return cls(config)


def _is_mapping_file(path: Path) -> bool:
    from volunteer_standard.connectors.base import _read_config_file

    try:
        data = _read_config_file(path)
    except Exception:  # an unreadable file is reported by load_config with its reason
        return False
    return isinstance(data, Mapping) and "entities" in data


class ConnectorSource:
    """A connector's records as a record source for ``validate``."""

    def __init__(self, connector: Connector, source: str) -> None:
        self.connector = connector
        self.source = source

    def records(self, emit: Callable[[Issue], None]) -> Iterator[tuple[RawRecord, bool]]:
        reported: tuple[str, int | None] | None = None
        for item in self.connector.read(self.source):
            if isinstance(item, Checkpoint):
                continue
            raw = RawRecord(item.data, item.location)
            if not item.problems and item.data is not None:
                yield raw, True
                continue
            # The records of one source row share their problems: report them once.
            at = (item.location.file, item.location.line)
            if at != reported:
                reported = at
                kind = entity_type_of(item.data)
                for problem in item.problems:
                    emit(problem_issue(problem, item.location, kind, self._column))
            yield raw, False

    def _column(self, entity_type: str, pointer: str) -> str | None:
        if not isinstance(self.connector, LocatesColumns):
            return None
        return self.connector.column_of(entity_type, pointer)

    def locate(self, issue: Issue) -> Issue:
        """The issue with its source column in front of the pointer, when known."""
        if issue.entity_type is None:
            return issue
        column = self._column(issue.entity_type, issue.path)
        if column is None:
            return issue
        where = issue.location
        return dataclasses.replace(
            issue, location=Location(where.file, where.line, f"[{column}]{where.pointer}")
        )


def validate_source(
    source: str | Path,
    source_connector: str | Connector,
    source_config: str | Path | Mapping[str, Any] | None = None,
    **options: Any,
) -> Report:
    """Validate what ``source_connector`` reads from ``source`` (options as ``validate``)."""
    connector = open_connector(source_connector, source_config)
    return validate(source, records=ConnectorSource(connector, str(source)), **options)


__all__ = ["ConnectorSource", "LocatesColumns", "open_connector", "validate_source"]
