"""The catalogue of issue codes: stable ids, severities and messages in Chinese and English.

Codes never change meaning once published; new checks get new codes. Messages are
templates filled from the issue's parameters (``{field}``, ``{expected}``, ``{value}``…).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from volunteer_standard import codes
from volunteer_standard.registry import REGISTRY
from volunteer_standard.text import Lang

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class IssueType:
    """One kind of problem the validator reports."""

    code: str
    name: str
    severity: Severity
    category: str
    message_zh: str
    message_en: str
    hint_zh: str
    hint_en: str
    source: str = ""

    def message(self, lang: Lang) -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def hint(self, lang: Lang) -> str:
        return self.hint_zh if lang == "zh" else self.hint_en


_STRUCTURE: list[IssueType] = [
    IssueType(
        codes.JSON_SYNTAX,
        "json-syntax",
        "error",
        "structure",
        "该行不是合法的 JSON：{detail}",
        "the line is not valid JSON: {detail}",
        "每行必须是一个完整的 JSON 对象；检查引号、逗号和括号。",
        "each line must be one complete JSON object; check quotes, commas and brackets.",
    ),
    IssueType(
        codes.NOT_AN_OBJECT,
        "not-an-object",
        "error",
        "structure",
        "记录必须是 JSON 对象，实际为 {detail}",
        "a record must be a JSON object, found {detail}",
        '把每条记录写成 {"type": …, "id": …} 形式的对象。',
        'write every record as an object such as {"type": …, "id": …}.',
    ),
    IssueType(
        codes.MISSING_TYPE,
        "missing-type",
        "error",
        "structure",
        "记录缺少 type 字段",
        "the record has no 'type' field",
        'JSON Lines 中每条记录都要写明 type，如 "volunteer"、"service_record"。',
        'every JSON Lines record needs a \'type\' such as "volunteer" or "service_record".',
    ),
    IssueType(
        codes.UNKNOWN_TYPE,
        "unknown-type",
        "error",
        "structure",
        "未知的对象类型 {value}；可用类型：{expected}",
        "unknown record type {value}; known types: {expected}",
        "检查 type 的拼写；标准之外的数据放在 extensions 中。",
        "check the spelling of 'type'; data outside the standard goes under 'extensions'.",
    ),
    IssueType(
        codes.UNKNOWN_COLLECTION,
        "unknown-collection",
        "error",
        "structure",
        "数据包中出现未知的数组 {value}；可用：{expected}",
        "unknown array {value} in the package; known arrays: {expected}",
        "数据包的顶层只能有 metadata 和各类型的数组（volunteers、projects …）。",
        "a package holds only 'metadata' and the per-type arrays (volunteers, projects …).",
    ),
    IssueType(
        codes.TYPE_MISMATCH,
        "type-mismatch",
        "error",
        "structure",
        "记录的 type 为 {value}，但位于 {expected} 数组中",
        "the record's type is {value} but it sits in the {expected} array",
        "把记录移到对应类型的数组，或改正 type。",
        "move the record to the array of its type, or correct its 'type'.",
    ),
    IssueType(
        codes.REQUIRED,
        "required",
        "error",
        "structure",
        "缺少必填字段 {field}",
        "required field {field} is missing",
        "补充该字段；数据字典见 docs/data-model.md。",
        "add the field; see docs/data-model.md for what it holds.",
    ),
    IssueType(
        codes.WRONG_TYPE,
        "wrong-type",
        "error",
        "structure",
        "字段 {field} 的数据类型不对：应为 {expected}",
        "field {field} has the wrong JSON type: expected {expected}",
        "不要把数字写成字符串或把字符串写成数字；列表要写成 JSON 数组。",
        "do not quote numbers or leave strings unquoted; lists must be JSON arrays.",
    ),
    IssueType(
        codes.FORMAT,
        "format",
        "error",
        "structure",
        "字段 {field} 格式不对：{expected}{value}",
        "field {field} is badly formatted: {expected}{value}",
        "日期用 YYYY-MM-DD，时间用带时区的 ISO 8601（如 2024-03-05T09:00:00+08:00）。",
        "dates are YYYY-MM-DD, times ISO 8601 with an offset (2024-03-05T09:00:00+08:00).",
    ),
    IssueType(
        codes.OUT_OF_RANGE,
        "out-of-range",
        "error",
        "structure",
        "字段 {field} 超出范围：{expected}",
        "field {field} is out of range: {expected}",
        "检查数值或长度的上下限。",
        "check the value's or the text's limits.",
    ),
    IssueType(
        codes.UNKNOWN_FIELD,
        "unknown-field",
        "error",
        "structure",
        "标准中没有字段 {field}",
        "the standard has no field {field}",
        "检查拼写；标准之外的数据放到 extensions.<命名空间> 下，不会丢失。",
        "check the spelling; keep data outside the standard under extensions.<namespace>.",
    ),
    IssueType(
        codes.HOURS_FORMAT,
        "hours-format",
        "error",
        "structure",
        '字段 {field} 的时长格式不对：应为最多两位小数的字符串，如 "1.50"{value}',
        'field {field}: hours must be a string with at most 2 decimals such as "1.50"{value}',
        "时长是精确小数，用字符串表示，不要用浮点数。",
        "hours are exact decimals written as strings, never floating-point numbers.",
    ),
    IssueType(
        codes.INVALID_VALUE,
        "invalid-value",
        "error",
        "structure",
        "字段 {field} 的值无效：{expected}",
        "field {field} has an invalid value: {expected}",
        "按数据字典改正该值。",
        "correct the value as the data dictionary describes.",
    ),
    IssueType(
        codes.CODE_NOT_IN_CLOSED_LIST,
        "code-not-in-closed-list",
        "error",
        "codes",
        "字段 {field} 的代码 {value} 不在封闭代码表 {codelist} 中{label_hint}",
        "field {field}: code {value} is not in the closed code list {codelist}{label_hint}",
        "使用代码表中的代码（见 vstd codelists show <代码表>），不要用中文名称。",
        "use a code of the list (see vstd codelists show <list>), not its label.",
    ),
    IssueType(
        codes.CODE_NOT_IN_OPEN_LIST,
        "code-not-in-open-list",
        "warning",
        "codes",
        "字段 {field} 的代码 {value} 不在开放代码表 {codelist} 中",
        "field {field}: code {value} is not in the open code list {codelist}",
        "开放代码表允许新代码；若是常用代码，请提交到代码表。",
        "open lists accept new codes; propose common ones for the list.",
    ),
    IssueType(
        codes.CODE_DEPRECATED,
        "code-deprecated",
        "warning",
        "codes",
        "字段 {field} 的代码 {value} 在代码表 {codelist} 中已弃用",
        "field {field}: code {value} of code list {codelist} is deprecated",
        "改用代码表推荐的新代码。",
        "use the code that replaces it.",
    ),
    IssueType(
        codes.SCHEMA_VERSION_UNSUPPORTED,
        "schema-version",
        "error",
        "package",
        "不支持的标准版本 {value}（支持 {expected}）",
        "unsupported schema_version {value} (supported: {expected})",
        "按 1.x 版本标准输出数据。",
        "produce data for version 1.x of the standard.",
    ),
    IssueType(
        codes.FIELD_NEWER_THAN_VERSION,
        "field-newer-than-version",
        "error",
        "package",
        "字段 {field} 是 {expected} 版新增的，但数据声明的标准版本是 {value}",
        "field {field} was added in version {expected}, but the data declares version {value}",
        "用 vstd upgrade 把数据升级到当前版本，或删去该字段。",
        "upgrade the data with 'vstd upgrade', or remove the field.",
    ),
    IssueType(
        codes.VERSION_NEWER_THAN_TOOLKIT,
        "version-newer-than-toolkit",
        "warning",
        "package",
        "数据声明的标准版本 {value} 比本工具支持的 {expected} 新",
        "the data declares version {value}, newer than {expected} that this toolkit knows",
        "升级 volunteer-standard；本工具不认识的新字段会被报告为错误。",
        "upgrade volunteer-standard; fields this toolkit does not know are reported as errors.",
    ),
    IssueType(
        codes.PACKAGE_METADATA,
        "package-metadata",
        "error",
        "package",
        "数据包元数据 {field} 有误：{expected}",
        "package metadata {field}: {expected}",
        "metadata 需要 schema_version、publisher.name 和 generated_at。",
        "metadata needs schema_version, publisher.name and generated_at.",
    ),
    IssueType(
        codes.PACKAGE_METADATA_MISSING,
        "package-metadata-missing",
        "warning",
        "package",
        "数据包缺少 metadata",
        "the package has no metadata",
        "加上 metadata（发布者、生成时间、标准版本），便于追溯。",
        "add metadata (publisher, generated_at, schema_version) so the data can be traced.",
    ),
    IssueType(
        codes.EXTENSION_UNDECLARED,
        "extension-undeclared",
        "warning",
        "package",
        "扩展命名空间 {value} 未在 metadata.extensions 中声明",
        "extension namespace {value} is not declared in metadata.extensions",
        "在 metadata.extensions 中声明命名空间及其文档地址。",
        "declare the namespace and its documentation in metadata.extensions.",
    ),
]

# -- data safety (issue 12): input that every JSON tool would not read the same way ------
_SAFETY: list[IssueType] = [
    IssueType(
        codes.DUPLICATE_KEY,
        "duplicate-key",
        "error",
        "structure",
        "同一对象中键 {value} 出现了不止一次",
        "the key {value} appears more than once in the same object",
        "删除重复的键：不同系统读取同一条记录时可能取不同的值。",
        "remove the repeated key: two systems reading this record could take different values.",
    ),
    IssueType(
        codes.VALUE_BEYOND_LIMITS,
        "value-beyond-limits",
        "error",
        "structure",
        "记录超出安全限制：{detail}",
        "the record exceeds a safety limit: {detail}",
        "整数不超过 64 位，字符串是合法的 Unicode，嵌套不超过 254 层，单条记录不超过限制大小"
        "（见 docs/safety.zh.md）。",
        "integers within 64 bits, valid Unicode strings, at most 254 levels of nesting "
        "and records within the size limit (see docs/safety.md).",
    ),
]

#: The structural codes (VS1xx) and other codes registered by the library's own modules.
STRUCTURE: dict[str, IssueType] = {item.code: item for item in _STRUCTURE + _SAFETY}

#: The hook whose rule classes contribute their issue types to the catalogue.
_RULES_HOOK = "register_rules"


class Catalogue(Mapping[str, IssueType]):
    """Every issue code: the structural ones and those of the registered rules.

    A live view over the one registry: a rule registered by a plugin (or at run time)
    brings its codes with it, and a plugin that is unloaded takes them away.
    """

    def __init__(self) -> None:
        self._seen: object = None
        self._state: tuple[int, int] = (-1, -1)
        self._merged: dict[str, IssueType] = dict(STRUCTURE)

    def _all(self) -> dict[str, IssueType]:
        kind = REGISTRY.kinds().get(_RULES_HOOK)
        if kind is None:
            return STRUCTURE
        entries = kind.entries()
        # Looked up once per issue found: rebuilt only when the rules or the structural
        # codes changed, not summed over every rule each time.
        state = (kind.changes, len(STRUCTURE))
        if entries is not self._seen or state != self._state:
            merged = dict(STRUCTURE)
            for entry in entries.values():
                for item in getattr(entry.value, "issue_types", ()):
                    merged.setdefault(item.code, item)
            self._merged, self._seen, self._state = merged, entries, state
        return self._merged

    def __getitem__(self, code: str) -> IssueType:
        return self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, code: object) -> bool:
        return code in self._all()


CATALOGUE = Catalogue()


def register(item: IssueType) -> None:
    """Add a structural issue type (the library's own modules); a code is registered once.

    Rules bring their codes through the registry (``register_rules``), not through here.
    """
    existing = STRUCTURE.get(item.code)
    if existing is not None and existing != item:
        raise ValueError(f"issue code {item.code} is already registered")
    STRUCTURE[item.code] = item


def lookup(code: str) -> IssueType:
    """The issue type of ``code`` (``KeyError`` when no module or rule defines it)."""
    return CATALOGUE[code]
