"""Per-record validation of submitted records, through the library's own checks.

A submitted record passes the same structural checks as ``vstd validate`` and the
per-record rules of the hub's profile; cross-record rules need a whole dataset and are
left to ``vstd validate`` on a source system's export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.models import Entity
from volunteer_standard.profiles import Profile
from volunteer_standard.validation import Issue
from volunteer_standard.validation.rules.engine import RuleEngine
from volunteer_standard.validation.structure import RecordChecker
from volunteer_standard.validation.validate import clock


def issue_json(issue: Issue) -> dict[str, Any]:
    """An issue as the API reports it: code, rule name, severity, path, zh and en message."""
    data = issue.to_dict("en")
    return {
        "code": issue.code,
        "name": data["name"],
        "severity": issue.severity,
        "path": issue.path,
        "message": {"zh": issue.message("zh"), "en": issue.message("en")},
    }


class BatchChecker:
    """Checks the records of one batch; use as a context manager per batch."""

    def __init__(self, profile: Profile, source: str) -> None:
        self._issues: list[Issue] = []
        self._checker = RecordChecker()
        self._enabled = profile.enabled_codes()
        self._severities = profile.severities()
        today, now = clock()
        self._rules = RuleEngine(
            profile, source=source, today=today, now=now, emit=self._issues.append
        )
        self._source = source

    def check(self, data: Any, index: int) -> tuple[Entity | None, list[Issue]]:
        """The valid model (``None`` when there are errors) and the issues found."""
        self._issues.clear()
        raw = RawRecord(data, Location(self._source, None, f"/items/{index}/record"))
        kind, obj = self._checker.check(raw, self._issues.append)
        if obj is not None:
            self._rules.record(raw, kind, obj)
        issues: list[Issue] = []
        for issue in self._issues:
            if issue.code not in self._enabled:
                continue
            override = self._severities.get(issue.code)
            if override is not None and override != issue.severity:
                issue = dataclasses.replace(issue, severity_override=override)
            issues.append(issue)
        if any(i.severity == "error" for i in issues):
            obj = None
        return obj, issues

    def close(self) -> None:
        self._rules.close()


@contextmanager
def batch_checker(profile: Profile, source: str) -> Iterator[BatchChecker]:
    checker = BatchChecker(profile, source)
    try:
        yield checker
    finally:
        checker.close()
