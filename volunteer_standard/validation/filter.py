"""The profile filter: which issues a profile reports, and at which severity.

``validate()`` and the conversion engine call the same function, so that a record a
profile accepts in validation is never rejected in conversion, nor the other way round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from volunteer_standard.profiles import Profile
from volunteer_standard.validation.report import Issue

#: ``None`` when the profile does not report the issue (disabled or ignored).
IssueFilter = Callable[[Issue], Issue | None]


def profile_filter(profile: Profile) -> IssueFilter:
    """An issue as ``profile`` reports it (its severity override applied), or ``None`` when
    the profile disables it."""
    enabled = profile.enabled_codes()
    severities = profile.severities()

    def apply(issue: Issue) -> Issue | None:
        code = issue.code
        if code not in enabled:
            return None
        override = severities.get(code)
        if override is not None and override != issue.severity:
            return dataclasses.replace(issue, severity_override=override)
        return issue

    return apply


__all__ = ["IssueFilter", "profile_filter"]
