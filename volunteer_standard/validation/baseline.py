"""Baselines: accepted issues, so that only new issues fail a run (as linters' baselines do).

An issue is keyed by its code, entity type, record id and the JSON pointer *inside* the
record, never by line number or array position: inserting or reordering records does not
turn old issues into new ones. Issues of records without an id fall back to their line. Each
key carries a count, so a second identical issue on the same field is new.

Format (``baseline_version`` "1")::

    {"baseline_version": "1", "tool": "vstd 0.1.0",
     "issues": [{"code": "VR306", "entity_type": "service_record", "record_id": "sr-1",
                 "path": "/hours", "count": 1}, ...]}
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from volunteer_standard.errors import VstdError
from volunteer_standard.io.atomic import write_text
from volunteer_standard.validation.report import Issue

BASELINE_VERSION = "1"

Key = tuple[str, str, str, str]


class BaselineError(VstdError, ValueError):
    """The baseline file cannot be read or is not a baseline."""


def issue_key(issue: Issue) -> Key:
    """The line-independent identity of an issue."""
    if issue.record_id is not None:
        return (issue.code, issue.entity_type or "", issue.record_id, issue.path)
    where = issue.pointer
    if issue.location.line is not None:
        where = f"@{issue.location.line}{where}"
    return (issue.code, issue.entity_type or "", "", where)


class Baseline:
    """Accepted issues with counts; :meth:`absorb` consumes one per matching issue."""

    def __init__(self, counts: Counter[Key] | None = None) -> None:
        self.counts: Counter[Key] = counts if counts is not None else Counter()

    def __len__(self) -> int:
        return sum(self.counts.values())

    def absorb(self, issue: Issue) -> bool:
        """True when ``issue`` is accepted by the baseline (and uses up one count)."""
        key = issue_key(issue)
        left = self.counts.get(key, 0)
        if left <= 0:
            return False
        self.counts[key] = left - 1
        return True

    def add(self, issue: Issue) -> None:
        self.counts[issue_key(issue)] += 1

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise BaselineError(f"{path}: not JSON: {exc}") from None
        if not isinstance(doc, dict) or doc.get("baseline_version") != BASELINE_VERSION:
            raise BaselineError(
                f"{path}: not a vstd baseline (expected baseline_version {BASELINE_VERSION!r})"
            )
        counts: Counter[Key] = Counter()
        items = doc.get("issues")
        if not isinstance(items, list):
            raise BaselineError(f"{path}: 'issues' must be a list")
        for n, item in enumerate(items):
            try:
                key = (
                    str(item["code"]),
                    str(item.get("entity_type") or ""),
                    str(item.get("record_id") or ""),
                    str(item.get("path", "")),
                )
                count = int(item.get("count", 1))
            except (KeyError, TypeError, ValueError, AttributeError):
                raise BaselineError(f"{path}: issues[{n}] is not a baseline entry") from None
            counts[key] += count
        return cls(counts)

    def to_dict(self) -> dict[str, Any]:
        from volunteer_standard._version import __version__

        issues = [
            {
                "code": code,
                "entity_type": kind or None,
                "record_id": rid or None,
                "path": path,
                "count": count,
            }
            for (code, kind, rid, path), count in sorted(self.counts.items())
            if count > 0
        ]
        return {
            "baseline_version": BASELINE_VERSION,
            "tool": f"vstd {__version__}",
            "issues": issues,
        }

    def write(self, path: str | Path) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        write_text(path, text + "\n")  # atomic: an interrupted run keeps the old baseline
