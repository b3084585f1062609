"""Validate records that come from elsewhere than a JSON file (a spreadsheet, a database).

``validate(path, records=source)`` checks the records a :class:`RecordSource` gives. The
source says which records it could not translate (their reasons become ``VC100`` issues)
and where an issue sits in its own terms (a cell: ``台账.xlsx#Sheet1:12 [手机号码]/phone``).
Connectors provide such sources (``volunteer_standard.connectors.validating``); this
module knows nothing of connectors, so that validation stays below them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.text import Text, as_text
from volunteer_standard.validation.catalogue import STRUCTURE, IssueType, register
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
if SOURCE_PROBLEM.code not in STRUCTURE:
    register(SOURCE_PROBLEM)


class RecordSource(Protocol):
    """Where ``validate`` takes its records from, when not from a JSON file."""

    def records(self, emit: Callable[[Issue], None]) -> Iterator[tuple[RawRecord, bool]]:
        """``(raw record, translated)``; untranslatable records' reasons go to ``emit``."""
        ...

    def locate(self, issue: Issue) -> Issue:
        """The issue placed in the source's terms (a cell), or as it is."""
        ...


class SourceProblem(Protocol):
    """A reason a record could not be translated (a connector's ``Problem``)."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> Text | str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def params(self) -> Mapping[str, str]: ...


def problem_issue(
    problem: SourceProblem,
    location: Location,
    entity_type: str | None,
    column_of: Callable[[str, str], str | None] | None = None,
) -> Issue:
    """A ``VC100`` issue at the problem's cell (its column in brackets)."""
    text = as_text(problem.message)
    column = problem.field
    if column and column.startswith("/") and column_of is not None:
        column = column_of(problem.params.get("entity_type", ""), column) or column
    pointer = f"[{column}]" if column else ""
    return Issue(
        SOURCE_PROBLEM.code,
        Location(location.file, location.line, pointer),
        "",
        entity_type,
        None,
        {"detail": f"{problem.code} {text.en}", "detail_zh": f"{problem.code} {text.zh}"},
    )


def entity_type_of(data: Any) -> str | None:
    kind = data.get("type") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) else None


__all__ = ["SOURCE_PROBLEM", "RecordSource", "SourceProblem", "entity_type_of", "problem_issue"]
