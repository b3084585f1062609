"""Issues and the validation report.

A report keeps counts and the first few examples of each issue code, never every issue:
memory stays bounded on inputs with millions of problems. To see every issue as it is
found, pass ``on_issue`` to :func:`volunteer_standard.validate`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from volunteer_standard.io.reader import Location
from volunteer_standard.text import Lang, Text
from volunteer_standard.validation.catalogue import Severity, lookup

REPORT_FORMAT_VERSION = "1.0"


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in one record."""

    code: str
    location: Location
    path: str = ""
    entity_type: str | None = None
    record_id: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    severity_override: Severity | None = None

    @property
    def severity(self) -> Severity:
        return self.severity_override or lookup(self.code).severity

    @property
    def pointer(self) -> str:
        """JSON pointer of the offending value within the whole input."""
        return self.location.pointer + self.path

    def message(self, lang: Lang = "en") -> str:
        params = _Default(self.params)
        if lang == "zh":
            for key, value in self.params.items():
                if key.endswith("_zh"):
                    params[key[:-3]] = value
        if "field" not in self.params:
            params["field"] = self.path or "(record)"
        return lookup(self.code).message(lang).format_map(params)

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        item = lookup(self.code)
        return {
            "code": self.code,
            "name": item.name,
            "severity": self.severity,
            "message": self.message(lang),
            "file": self.location.file,
            "line": self.location.line,
            "pointer": self.pointer,
            "entity_type": self.entity_type,
            "record_id": self.record_id,
        }


@dataclass
class Report:
    """The outcome of validating one input."""

    source: str
    records: int = 0
    records_by_type: Counter[str] = field(default_factory=Counter)
    issues_by_code: Counter[str] = field(default_factory=Counter)
    issues_by_type: Counter[str] = field(default_factory=Counter)
    issues_by_severity: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Issue]] = field(default_factory=dict)
    max_examples: int = 5
    input_error: str | None = None
    #: The same in both languages (``input_error`` is its English text).
    input_error_text: Text | None = None
    profile: str | None = None
    format: str | None = None
    suppressed: int = 0

    def add(self, issue: Issue) -> None:
        self.issues_by_code[issue.code] += 1
        self.issues_by_type[issue.entity_type or "(none)"] += 1
        self.issues_by_severity[issue.severity] += 1
        bucket = self.examples.setdefault(issue.code, [])
        if len(bucket) < self.max_examples:
            bucket.append(issue)

    @property
    def errors(self) -> int:
        return self.issues_by_severity["error"]

    @property
    def warnings(self) -> int:
        return self.issues_by_severity["warning"]

    @property
    def valid(self) -> bool:
        """True when the input was read and has no errors (warnings are allowed)."""
        return self.input_error is None and self.errors == 0

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid data, 2 unusable input."""
        if self.input_error is not None:
            return 2
        return 0 if self.errors == 0 else 1

    def input_error_in(self, lang: Lang) -> str | None:
        """Why the input was unusable, in ``lang``."""
        if self.input_error_text is not None:
            return self.input_error_text.get(lang)
        return self.input_error

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """The stable machine-readable summary (see docs/report-format.md)."""
        codes = []
        for code, count in sorted(self.issues_by_code.items()):
            item = lookup(code)
            examples = self.examples.get(code, [])
            codes.append(
                {
                    "code": code,
                    "name": item.name,
                    "severity": examples[0].severity if examples else item.severity,
                    "count": count,
                    "hint": item.hint(lang),
                    "examples": [i.to_dict(lang) for i in examples],
                }
            )
        return {
            "report_version": REPORT_FORMAT_VERSION,
            "source": self.source,
            "format": self.format,
            "profile": self.profile,
            "valid": self.valid,
            "exit_code": self.exit_code,
            "input_error": self.input_error,
            "records": self.records,
            "records_by_type": dict(sorted(self.records_by_type.items())),
            "errors": self.errors,
            "warnings": self.warnings,
            "suppressed": self.suppressed,
            "issues_by_type": dict(sorted(self.issues_by_type.items())),
            "issues_by_code": codes,
        }
