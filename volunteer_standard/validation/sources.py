"""Validate any source a connector reads (a spreadsheet through its mapping), not only JSON.

``validate(path, source_connector="tabular", source_config="mapping.toml")`` reads the
source with the connector and checks every record it gives. A record the connector could
not translate (a bad date in a cell …) is reported as ``VC100`` with the connector's own
reason; issues found in translated records are placed at their cell: the location is the
file (and sheet) and row, and the pointer starts with the column in brackets when the
connector can name it (``台账.xlsx#Sheet1:12 [手机号码]/phone``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from volunteer_standard.connectors.base import Checkpoint, Connector, SourceRecord, load_config
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.text import as_text
from volunteer_standard.validation.catalogue import CATALOGUE, IssueType, register
from volunteer_standard.validation.report import Issue

SOURCE_PROBLEM = IssueType(
    "VC100",
    "source-untranslatable",
    "error",
    "source",
    "{detail}",
    "{detail}",
    "按原因修改源文件中的这个单元格（或映射），然后重新校验。",
    "fix the cell in the source file (or the mapping) as the reason says, then validate again.",
)
if SOURCE_PROBLEM.code not in CATALOGUE:
    register(SOURCE_PROBLEM)


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
    """Records from a connector as raw records, and issues placed at their source cell."""

    def __init__(self, connector: Connector, source: str) -> None:
        self.connector = connector
        self.source = source

    def records(self, emit: Callable[[Issue], None]) -> Iterator[tuple[RawRecord, bool]]:
        """``(raw record, translated)``; untranslatable ones are reported through ``emit``."""
        reported: tuple[str, int | None] | None = None
        for item in self.connector.read(self.source):
            if isinstance(item, Checkpoint):
                continue
            raw = RawRecord(item.data, item.location)
            if item.problems or item.data is None:
                # The records of one source row share their problems: report them once.
                at = (item.location.file, item.location.line)
                if at != reported:
                    reported = at
                    for issue in problems_as_issues(item, self._column):
                        emit(issue)
                yield raw, False
            else:
                yield raw, True

    def _column(self, entity_type: str, pointer: str) -> str | None:
        if not isinstance(self.connector, LocatesColumns):
            return None
        return self.connector.column_of(entity_type, pointer)

    def locate(self, issue: Issue) -> Issue:
        """The issue with its source column in front of the pointer, when known."""
        if not isinstance(self.connector, LocatesColumns) or issue.entity_type is None:
            return issue
        column = self.connector.column_of(issue.entity_type, issue.path)
        if column is None:
            return issue
        where = issue.location
        return dataclasses.replace(
            issue, location=Location(where.file, where.line, f"[{column}]{where.pointer}")
        )


def problems_as_issues(
    record: SourceRecord, column_of: Callable[[str, str], str | None] | None = None
) -> list[Issue]:
    """A connector's translation problems as ``VC100`` issues at their cell."""
    kind = record.data.get("type") if isinstance(record.data, dict) else None
    out = []
    for problem in record.problems:
        text = as_text(problem.message)
        where = record.location
        column = problem.field
        if column and column.startswith("/") and column_of is not None:
            column = column_of(problem.params.get("entity_type", ""), column) or column
        pointer = f"[{column}]" if column else ""
        out.append(
            Issue(
                SOURCE_PROBLEM.code,
                Location(where.file, where.line, pointer),
                "",
                kind if isinstance(kind, str) else None,
                None,
                {"detail": f"{problem.code} {text.en}", "detail_zh": f"{problem.code} {text.zh}"},
            )
        )
    return out


__all__ = ["SOURCE_PROBLEM", "ConnectorSource", "LocatesColumns", "open_connector"]
