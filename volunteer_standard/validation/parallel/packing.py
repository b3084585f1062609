"""Issues as plain tuples between processes.

Why: a batch of a large input can carry tens of thousands of issues, and unpickling a
frozen, slotted dataclass (``Issue``, with its ``Location``) goes through a Python
``__setstate__`` per object; a tuple of strings and numbers unpickles in C, and the main
process rebuilds the issue with its constructor, about twice as fast overall.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from volunteer_standard.io.reader import Location
from volunteer_standard.validation.report import Issue

#: An issue's fields in a fixed order, with its location's three fields first.
Packed = tuple[Any, ...]

_FIELDS = ("code", "location", "path", "entity_type", "record_id", "params", "severity_override")
if tuple(f.name for f in fields(Issue)) != _FIELDS:  # pragma: no cover - a guard for changes
    raise ImportError("Issue's fields changed: update volunteer_standard.validation.parallel")


def pack(issue: Issue) -> Packed:
    """``issue`` as a tuple of plain values."""
    loc = issue.location
    return (
        loc.file,
        loc.line,
        loc.pointer,
        issue.code,
        issue.path,
        issue.entity_type,
        issue.record_id,
        issue.params,
        issue.severity_override,
    )


def unpack(packed: Packed) -> Issue:
    """The issue that :func:`pack` made ``packed`` from."""
    file, line, pointer, code, path, entity_type, record_id, params, severity = packed
    return Issue(
        code=code,
        location=Location(file, line, pointer),
        path=path,
        entity_type=entity_type,
        record_id=record_id,
        params=params,
        severity_override=severity,
    )
