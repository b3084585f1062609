"""``validate()``: stream an input through the checks and return a report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from volunteer_standard.io.reader import Format, InputError, Location, iter_raw
from volunteer_standard.validation.report import Issue, Report
from volunteer_standard.validation.structure import RecordChecker


def validate(
    source: str | Path | IO[bytes],
    *,
    fmt: Format | None = None,
    on_issue: Callable[[Issue], None] | None = None,
    max_examples: int = 5,
    name: str | None = None,
) -> Report:
    """Validate a JSON package or JSON Lines input (path, ``"-"`` for stdin, or a stream).

    The input is read once, record by record; memory does not grow with its size. Every
    issue is passed to ``on_issue`` as it is found; the report keeps counts and the first
    ``max_examples`` issues of each code. Unusable input is reported in
    ``report.input_error`` (exit code 2), never raised.
    """
    if name is not None:
        label = name
    elif isinstance(source, (str, Path)):
        label = "<stdin>" if str(source) == "-" else str(source)
    else:
        label = "<stream>"
    report = Report(source=label, max_examples=max_examples)
    checker = RecordChecker()

    def emit(issue: Issue) -> None:
        report.add(issue)
        if on_issue is not None:
            on_issue(issue)

    try:
        for raw in iter_raw(source, fmt=fmt, name=name):
            if report.format is None:
                report.format = "jsonl" if raw.collection is None else "package"
            kind, _obj = checker.check(raw, emit)
            if raw.collection != "metadata":
                report.records += 1
                report.records_by_type[kind or "(unknown)"] += 1
    except InputError as exc:
        report.input_error = str(exc)
        return report
    if report.format == "package" and not checker.saw_metadata:
        emit(Issue("VS141", Location(label), ""))
    return report
