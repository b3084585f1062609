"""Validation: structure, identifiers, business rules and reports."""

from volunteer_standard.text import Lang
from volunteer_standard.validation.catalogue import CATALOGUE, IssueType, Severity
from volunteer_standard.validation.report import REPORT_FORMAT_VERSION, Issue, Report
from volunteer_standard.validation.validate import validate

__all__ = [
    "CATALOGUE",
    "REPORT_FORMAT_VERSION",
    "Issue",
    "IssueType",
    "Lang",
    "Report",
    "Severity",
    "validate",
]
