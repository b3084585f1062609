"""Render reports for people (text) and machines (JSON); HTML lives in :mod:`.html`.

The text report is read on terminals: the grouped summary wraps at 80 columns, counting
Chinese characters as two columns, so that a data steward can read it without a pager.
Issue lines stay one per issue, unwrapped, so that ``grep`` and ``cut`` keep working.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from volunteer_standard import labels
from volunteer_standard.text import Lang
from volunteer_standard.validation.catalogue import IssueType, Severity, lookup
from volunteer_standard.validation.report import REPORT_FORMAT_VERSION, Issue, Report

#: Terminal width the text summary is laid out for.
WIDTH = 80
#: Examples per rule in the text summary (the report keeps more; HTML shows them all).
TEXT_EXAMPLES = 3
#: Longest record id shown in text and HTML; ids come from data and may be huge.
MAX_ID_CHARS = 60

_LABELS: dict[str, dict[Lang, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
    "summary": {"zh": "校验结果", "en": "Validation summary"},
    "records": {"zh": "记录数", "en": "records"},
    "valid": {"zh": "通过：没有错误", "en": "VALID: no errors"},
    "invalid": {"zh": "未通过", "en": "INVALID"},
    "by_type": {"zh": "按对象类型", "en": "Issues by entity type"},
    "records_by_type": {"zh": "各类型记录数", "en": "Records by type"},
    "hint": {"zh": "修改建议", "en": "How to fix"},
    "unusable": {"zh": "无法读取输入", "en": "unusable input"},
    "errors": {"zh": "错误", "en": "errors"},
    "warnings": {"zh": "警告", "en": "warnings"},
    "suppressed": {"zh": "已忽略", "en": "suppressed"},
    "profile": {"zh": "规则配置", "en": "Profile"},
    "format": {"zh": "输入格式", "en": "Input format"},
    "no_issues": {"zh": "没有发现问题。", "en": "No issues found."},
    "(none)": {"zh": "（无类型）", "en": "(no type)"},
    "(unknown)": {"zh": "（无类型）", "en": "(no type)"},
    "jsonl": {"zh": "JSON Lines", "en": "JSON Lines"},
    "package": {"zh": "JSON 数据包", "en": "JSON package"},
}

_SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


def label(key: str, lang: Lang) -> str:
    """A fixed UI word in the report language."""
    return _LABELS[key][lang]


def type_label(kind: str, lang: Lang) -> str:
    """An entity type for people: the Chinese title in zh, the ``type`` value in en."""
    if kind in ("(none)", "(unknown)"):
        return label(kind, lang)
    if lang == "zh":
        return labels.entity_type(kind, lang)
    return kind


def format_label(fmt: str | None, lang: Lang) -> str:
    """``jsonl``/``package`` as words; other values (plugins) as they are."""
    if fmt in ("jsonl", "package"):
        return label(fmt, lang)
    return fmt or ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """Escape control characters: data must not move the cursor or split a report line."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def short_id(record_id: str) -> str:
    """A record id cut to :data:`MAX_ID_CHARS`, so one odd id cannot flood a report."""
    if len(record_id) <= MAX_ID_CHARS:
        return record_id
    return record_id[: MAX_ID_CHARS - 1] + "…"


def where(issue: Issue) -> str:
    """``file:line`` of an issue (``file`` alone when the input has no lines)."""
    loc = issue.location
    return loc.file if loc.line is None else f"{loc.file}:{loc.line}"


def issue_line(issue: Issue, lang: Lang) -> str:
    """``file:line pointer: severity CODE message`` — one line per issue, grep-friendly."""
    place = where(issue)
    pointer = issue.pointer
    if pointer:
        place += f" {pointer}"
    sev = label(issue.severity, lang)
    return clean(f"{place}: {sev} {issue.code} {issue.message(lang)}")


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """All issues of one code in a report, as the text and HTML summaries show them."""

    code: str
    item: IssueType
    severity: Severity
    count: int
    examples: list[Issue]


def rule_groups(report: Report) -> list[RuleGroup]:
    """Codes in the order a steward fixes them: errors first, then most frequent first.

    The severity comes from the kept examples when there are any, so that a profile's
    severity override shows, else from the catalogue.
    """
    groups = []
    for code, count in report.issues_by_code.items():
        item = lookup(code)
        examples = report.examples.get(code, [])
        severity = examples[0].severity if examples else item.severity
        groups.append(RuleGroup(code, item, severity, count, examples))
    groups.sort(key=lambda g: (_SEVERITY_ORDER.get(g.severity, 9), -g.count, g.code))
    return groups


def types_by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Entity types, most issues first; ties by name so that output is deterministic."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def types_by_name(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Entity types by their ``type`` value; records without a type come last."""
    return sorted(counts.items(), key=lambda kv: (kv[0].startswith("("), kv[0]))


# -- terminal layout ------------------------------------------------------------------------

_NO_LINE_START = set("，。、；：！？）》」』】,.;:!?)]}%")
_NO_LINE_END = set("（《「『【([{")


def char_width(ch: str) -> int:
    """Terminal columns of one character: CJK and full-width forms take two."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal columns of a string."""
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Split into breakable units: words, single CJK characters and spaces.

    Punctuation that may not start a line is glued to the unit before it, and opening
    brackets to the unit after, the usual Chinese line-breaking rule.
    """
    raw: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                raw.append(word)
                word = ""
            raw.append(" ")
        elif char_width(ch) == 2:
            if word:
                raw.append(word)
                word = ""
            raw.append(ch)
        else:
            word += ch
    if word:
        raw.append(word)
    merged: list[str] = []
    for tok in raw:
        glue_back = tok[0] in _NO_LINE_START and merged[-1:] != [" "]
        glue_forward = merged[-1:] != [] and merged[-1][-1] in _NO_LINE_END and tok != " "
        if merged and (glue_back or glue_forward):
            merged[-1] += tok
        else:
            merged.append(tok)
    return merged


def wrap(text: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """Greedy word wrap by display width; ``first``/``rest`` prefix the first/other lines.

    A unit wider than the line (a long path) gets a line of its own rather than being cut.
    """
    lines: list[str] = []
    line, used, prefix = first, display_width(first), first
    for tok in _tokens(clean(text)):
        w = display_width(tok)
        if tok == " ":
            if line != prefix:
                line += " "
                used += 1
            continue
        if used + w > width and line.strip() != prefix.strip():
            lines.append(line.rstrip())
            prefix = rest
            line, used = rest, display_width(rest)
        line += tok
        used += w
    lines.append(line.rstrip())
    return lines


def wrap_items(items: list[str], sep: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """Wrap a list only between items, so that ``志愿者 6`` is never split in two."""
    lines: list[str] = []
    line = first
    for i, item in enumerate(items):
        piece = clean(item) + (sep if i < len(items) - 1 else "")
        if line.strip() != first.strip() and display_width(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = rest
        line += piece
    lines.append(line.rstrip())
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


# -- text summary ---------------------------------------------------------------------------


def _counts_line(report: Report, lang: Lang) -> str:
    verdict = label("valid", lang) if report.valid else label("invalid", lang)
    sep = "，" if lang == "zh" else ", "
    parts = [
        f"{label('records', lang)} {report.records}",
        f"{label('errors', lang)} {report.errors}",
        f"{label('warnings', lang)} {report.warnings}",
    ]
    if report.suppressed:
        parts.append(f"{label('suppressed', lang)} {report.suppressed}")
    return f"{verdict} — {sep.join(parts)}"


def _rules_heading(n: int, lang: Lang) -> str:
    return f"按规则（{n} 条）" if lang == "zh" else f"Issues by rule ({n})"


def _examples_heading(shown: int, total: int, lang: Lang) -> str:
    if lang == "zh":
        return f"示例（共 {total} 处，列出 {shown} 处）：" if total > shown else "示例："
    return f"Examples ({shown} of {total}):" if total > shown else "Examples:"


def _example_lines(issue: Issue, lang: Lang) -> list[str]:
    head = where(issue)
    if issue.pointer:
        head += f" {issue.pointer}"
    if issue.record_id is not None:
        head += f"  id={short_id(issue.record_id)}"
    return [clean(f"  - {head}"), *wrap(issue.message(lang), "    ", "    ")]


def summary_text(report: Report, lang: Lang) -> str:
    """The grouped summary for an 80-column terminal.

    Rules come errors first, most frequent first; each has its count, a hint and the
    first examples with file, line, JSON pointer and record id, then counts per type.
    """
    if report.input_error is not None:
        return clean(f"{label('unusable', lang)}: {report.input_error_in(lang)}")
    colon = "：" if lang == "zh" else ": "
    lines = [
        clean(f"== {label('summary', lang)}{colon}{report.source} =="),
        _counts_line(report, lang),
    ]
    if report.profile:
        lines.append(clean(f"{label('profile', lang)}{colon}{report.profile}"))
    if report.records_by_type:
        items = [f"{type_label(k, lang)} {v}" for k, v in types_by_name(report.records_by_type)]
        sep = "，" if lang == "zh" else ", "
        lines += wrap_items(items, sep, f"{label('records_by_type', lang)}{colon}", "  ")
    groups = rule_groups(report)
    if not groups:
        lines.append(label("no_issues", lang))
        return "\n".join(lines)
    lines.append("")
    lines.append(f"-- {_rules_heading(len(groups), lang)} --")
    for group in groups:
        sev = label(group.severity, lang)
        lines.append(clean(f"{group.code} {group.item.name} [{sev}] × {group.count}"))
        lines += wrap(group.item.hint(lang), f"  {label('hint', lang)}{colon}", "    ")
        shown = group.examples[:TEXT_EXAMPLES]
        if shown:
            lines.append("  " + _examples_heading(len(shown), group.count, lang))
            for example in shown:
                lines += _example_lines(example, lang)
    lines.append("")
    lines.append(f"-- {label('by_type', lang)} --")
    rows = [(type_label(k, lang), v) for k, v in types_by_count(report.issues_by_type)]
    name_width = max(display_width(name) for name, _ in rows)
    count_width = max(len(str(v)) for _, v in rows)
    for name, count in rows:
        lines.append(clean(f"  {_pad(name, name_width)}  {count:>{count_width}}"))
    return "\n".join(lines)


# -- JSON -----------------------------------------------------------------------------------


def issue_json(issue: Issue, lang: Lang) -> str:
    """One issue of the ``issues`` array (docs/report-format.md)."""
    return json.dumps(issue.to_dict(lang), ensure_ascii=False)


def report_json(report: Report, lang: Lang) -> dict[str, Any]:
    """The ``summary`` object of the JSON report (docs/report-format.md)."""
    return report.to_dict(lang)


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


class JsonReportStream:
    """The JSON report written as it is found: the issues one by one, the summary at the end
    (docs/report-format.md), so a report of millions of issues never sits in memory."""

    def __init__(self, out: TextIO | _Writable, lang: Lang) -> None:
        self.out = out
        self.lang = lang
        self.count = 0
        out.write(f'{{"report_version": "{REPORT_FORMAT_VERSION}", "issues": [\n')

    def issue(self, issue: Issue) -> None:
        self.out.write(("" if self.count == 0 else ",\n") + issue_json(issue, self.lang))
        self.count += 1

    def finish(self, report: Report) -> None:
        summary = json.dumps(report_json(report, self.lang), ensure_ascii=False, indent=1)
        self.out.write(f'\n],\n"summary": {summary}\n}}\n')
