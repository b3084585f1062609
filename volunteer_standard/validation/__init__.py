"""Validation: structure, identifiers, business rules and reports.

What a plugin author needs is here: :class:`Rule` and :func:`register_rule` to add rules,
:class:`Issue` and :class:`Location` to read what they report.
"""

from volunteer_standard.io.reader import Location
from volunteer_standard.text import Lang
from volunteer_standard.validation.catalogue import CATALOGUE, IssueType, Severity
from volunteer_standard.validation.report import REPORT_FORMAT_VERSION, Issue, Report
from volunteer_standard.validation.rules import RecordRef, Rule, RuleContext, register_rule
from volunteer_standard.validation.validate import validate

__all__ = [
    "CATALOGUE",
    "REPORT_FORMAT_VERSION",
    "Issue",
    "IssueType",
    "Lang",
    "Location",
    "RecordRef",
    "Report",
    "Rule",
    "RuleContext",
    "Severity",
    "register_rule",
    "validate",
]
