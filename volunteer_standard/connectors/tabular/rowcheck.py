"""Rows checked as units: a row's records pass the structure and the profile's rules together.

When a ledger row gives a volunteer, a team and a service record, the engine would reject
the bad record alone (say the 25-hour service) and keep the others; the fixed row, read
again, would then duplicate them. Checking the row's records before they leave the
connector keeps the row whole: all of it is written, or all of it goes to the reject file.

In a conversion whose profile is the row check's, the conversion's own checks do it (see
``engine.check_record``): each record then leaves with what they found, and the engine does
not check it again. Otherwise (``vstd validate``, another profile) the row check has its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from volunteer_standard.connectors.base import Problem
from volunteer_standard.connectors.tabular.rows import RowCheck
from volunteer_standard.io.reader import Location, RawRecord
from volunteer_standard.text import Text
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.structure import RecordChecker

#: One record's data and location → its entity type, valid object (or ``None``) and issues.
SharedCheck = Callable[[Any, Location], tuple[str | None, Any, list[Issue]]]


def row_check(
    profile: str | None, shared: tuple[str, SharedCheck] | None = None
) -> RowCheck | None:
    """A check running the structure and ``profile``'s per-record rules (``"none"``: off);
    ``shared``'s check when ``shared`` is for the same profile."""
    if profile in (None, "none"):
        return None
    if shared is not None and shared[0] == profile:
        return _SharedRowChecker(shared[1])
    from volunteer_standard.profiles import load_profile
    from volunteer_standard.validation.per_record import per_record_rules
    from volunteer_standard.validation.validate import clock

    checker = RecordChecker()
    found: list[Issue] = []
    rules: Any = None
    if profile != "structure":
        prof = load_profile(profile)
        severities = prof.severities()
        enabled = prof.enabled_codes()
        today, now = clock()

        def keep(issue: Issue) -> None:
            if issue.code not in enabled:
                return
            override = severities.get(issue.code)
            if override is not None and override != issue.severity:
                issue = dataclasses.replace(issue, severity_override=override)
            found.append(issue)

        rules = per_record_rules(prof, source="row-check", today=today, now=now, emit=keep)

    return _RowChecker(checker, rules, found)


class _RowChecker:
    """The check itself; :meth:`close` frees the rule engine."""

    #: What the check found for each record of the last row (only a shared check keeps it).
    checked: list[tuple[str | None, Any, list[Issue]]] | None = None

    def __init__(self, checker: RecordChecker, rules: Any, found: list[Issue]) -> None:
        self.checker = checker
        self.rules = rules
        self.found = found

    def __call__(self, datas: Sequence[dict[str, Any]], location: Location) -> list[Problem]:
        problems: list[Problem] = []
        for data in datas:
            self.found.clear()
            raw = RawRecord(data, location)
            kind, obj = self.checker.check(raw, self.found.append)
            if self.rules is not None and obj is not None:
                self.rules.record(raw, kind, obj)
            problems.extend(_problem(i) for i in self.found if i.severity == "error")
        return problems

    def close(self) -> None:
        if self.rules is not None:
            self.rules.close()


class _SharedRowChecker:
    """The row checked by the conversion's own checks; what they found is kept in
    ``checked`` for the records to carry."""

    def __init__(self, check: SharedCheck) -> None:
        self.check = check
        self.checked: list[tuple[str | None, Any, list[Issue]]] | None = None

    def __call__(self, datas: Sequence[dict[str, Any]], location: Location) -> list[Problem]:
        check = self.check
        self.checked = checked = [check(data, location) for data in datas]
        return [_problem(i) for _k, _o, issues in checked for i in issues if i.severity == "error"]


def _problem(issue: Issue) -> Problem:
    what = f"{issue.entity_type or ''}{issue.pointer}"
    return Problem(
        issue.code,
        Text(f"{what}：{issue.message('zh')}", f"{what}: {issue.message('en')}"),
        issue.pointer or None,
        {"entity_type": issue.entity_type or "", "pointer": issue.pointer},
    )


__all__ = ["SharedCheck", "row_check"]
