"""Render reports for people (text) and machines (JSON)."""

from __future__ import annotations

import json
from typing import Any

from volunteer_standard.validation.catalogue import Lang, lookup
from volunteer_standard.validation.report import Issue, Report

_LABELS: dict[str, dict[Lang, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
    "summary": {"zh": "校验结果", "en": "Validation summary"},
    "records": {"zh": "记录数", "en": "records"},
    "valid": {"zh": "通过：没有错误", "en": "VALID: no errors"},
    "invalid": {"zh": "未通过", "en": "INVALID"},
    "by_code": {"zh": "按问题代码", "en": "by issue code"},
    "by_type": {"zh": "按对象类型", "en": "by entity type"},
    "hint": {"zh": "修改建议", "en": "how to fix"},
    "unusable": {"zh": "无法读取输入", "en": "unusable input"},
    "errors": {"zh": "错误", "en": "errors"},
    "warnings": {"zh": "警告", "en": "warnings"},
}


def label(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


def issue_line(issue: Issue, lang: Lang) -> str:
    """``file:line pointer: severity CODE message`` — one line per issue, grep-friendly."""
    where = issue.location.file
    if issue.location.line is not None:
        where += f":{issue.location.line}"
    pointer = issue.pointer
    if pointer:
        where += f" {pointer}"
    sev = label(issue.severity, lang)
    return f"{where}: {sev} {issue.code} {issue.message(lang)}"


def summary_text(report: Report, lang: Lang) -> str:
    """The grouped summary: counts per code with a hint and examples, counts per type."""
    lines: list[str] = []
    if report.input_error is not None:
        return f"{label('unusable', lang)}: {report.input_error}"
    verdict = label("valid", lang) if report.valid else label("invalid", lang)
    lines.append(f"== {label('summary', lang)}: {report.source} ==")
    lines.append(
        f"{verdict} — {label('records', lang)} {report.records}, "
        f"{label('errors', lang)} {report.errors}, {label('warnings', lang)} {report.warnings}"
    )
    if report.records_by_type:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(report.records_by_type.items()))
        lines.append(f"{label('records', lang)}: {parts}")
    if report.issues_by_code:
        lines.append(f"-- {label('by_code', lang)} --")
        for code, count in sorted(report.issues_by_code.items()):
            item = lookup(code)
            lines.append(f"{code} {item.name} [{label(item.severity, lang)}] × {count}")
            lines.append(f"    {label('hint', lang)}: {item.hint(lang)}")
            for example in report.examples.get(code, [])[:3]:
                lines.append(f"    e.g. {issue_line(example, lang)}")
        lines.append(f"-- {label('by_type', lang)} --")
        for kind, count in sorted(report.issues_by_type.items()):
            lines.append(f"{kind}: {count}")
    return "\n".join(lines)


def issue_json(issue: Issue, lang: Lang) -> str:
    return json.dumps(issue.to_dict(lang), ensure_ascii=False)


def report_json(report: Report, lang: Lang) -> dict[str, Any]:
    return report.to_dict(lang)
