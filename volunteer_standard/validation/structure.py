"""Structural checks of one record: JSON shape, type, fields, formats and code lists.

These are exactly the checks the published JSON Schema expresses, done through the pydantic
models, plus warnings the schema cannot express (open and deprecated codes).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from volunteer_standard import codelists, versions
from volunteer_standard import codes as issue_code
from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.io.reader import RawRecord
from volunteer_standard.models import COLLECTION_TYPES, ENTITY_MODELS, Entity, PackageMetadata
from volunteer_standard.models._types import CodeListRef, precise_error
from volunteer_standard.models.introspect import codelist_fields, sensitive_fields, values_at
from volunteer_standard.validation.extensions import extension_schemas
from volunteer_standard.validation.report import Issue
from volunteer_standard.validation.verdict import is_clean

_FORMAT_ERRORS: dict[str, tuple[str, str]] = {
    "date_format": ("expected a date YYYY-MM-DD", "应为 YYYY-MM-DD 格式的日期"),
    "date_value": ("not a calendar date", "不是真实存在的日期"),
    "date_type": ("expected a date YYYY-MM-DD", "应为 YYYY-MM-DD 格式的日期"),
    "datetime_format": (
        "expected an ISO 8601 date-time with offset, e.g. 2024-03-05T09:00:00+08:00",
        "应为带时区的 ISO 8601 时间，如 2024-03-05T09:00:00+08:00",
    ),
    "datetime_value": ("not a valid date-time", "不是有效的时间"),
    "datetime_naive": (
        "the date-time needs a UTC offset such as +08:00",
        "时间缺少时区，如 +08:00",
    ),
    "datetime_type": ("expected an ISO 8601 date-time string", "应为 ISO 8601 时间字符串"),
}
_RANGE_ZH = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
}
_KINDS: dict[str, tuple[str, str]] = {
    "string": ("a string", "字符串"),
    "integer": ("an integer", "整数"),
    "number": ("a number", "数字"),
    "boolean": ("true or false", "true 或 false"),
    "array": ("an array", "数组"),
    "object": ("an object", "对象"),
    "null": ("null", "null"),
}
_JSON_TYPES = {
    "string_type": "string",
    "int_type": "integer",
    "float_type": "number",
    "bool_type": "boolean",
    "list_type": "array",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "int_from_float": "integer",
}


def _json_kind(value: Any) -> str:
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


#: orjson's and json's syntax errors in Chinese; the position ("line 1 column 7 (char 6)")
#: follows as 第 1 行第 7 列.
_JSON_ERRORS_ZH = (
    ("unexpected end of data", "数据意外结束（缺少引号、括号或值）"),
    ("trailing comma is not allowed", "末尾多了逗号"),
    ("unexpected character, expected a string key", "此处应为带引号的键名"),
    ("unexpected content after document", "一行中有多余内容（每行只能有一个对象）"),
    ("invalid escaped sequence in string", "字符串中的转义序列无效"),
    ("unexpected control character in string", "字符串中有控制字符"),
    ("invalid literal", "无效的字面量（应为 true、false 或 null）"),
    ("invalid number", "无效的数字"),
    ("unexpected character", "意外的字符"),
    ("Expecting value", "此处缺少值"),
    ("Expecting property name enclosed in double quotes", "此处应为带双引号的键名"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Extra data", "一行中有多余内容（每行只能有一个对象）"),
)
_POSITION = re.compile(r"line ([0-9]+) column ([0-9]+)(?: \(char [0-9]+\))?")


def json_error_params(detail: str) -> dict[str, str]:
    """The JSON-syntax issue's ``detail`` in English as the parser said it, and in Chinese."""
    zh = next((z for en, z in _JSON_ERRORS_ZH if detail.startswith(en)), "JSON 语法错误")
    where = _POSITION.search(detail)
    if where is not None:
        zh += f"：第 {where.group(1)} 行第 {where.group(2)} 列"
    return {"detail": detail, "detail_zh": zh}


def _bi(params: dict[str, str], key: str, en: str, zh: str) -> None:
    params[key] = en
    params[f"{key}_zh"] = zh


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _is_sensitive(model: type[BaseModel], loc: tuple[int | str, ...]) -> bool:
    path = tuple(p for p in loc if isinstance(p, str))
    sensitive = sensitive_fields(model)
    return any(path[: len(s)] == s for s in sensitive)


def _code_fields(model: type[BaseModel]) -> dict[tuple[str, ...], str]:
    return dict(codelist_fields(model))


#: pydantic's own error types, in both languages (VS119 keeps pydantic's words otherwise).
_PYDANTIC_ZH: dict[str, str] = {
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "bool_parsing": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数部分",
    "decimal_parsing": "应为数字",
    "float_parsing": "应为数字",
    "url_parsing": "不是有效的网址",
    "url_scheme": "网址应以 http:// 或 https:// 开头",
    "dict_type": "应为对象",
    "list_type": "应为数组",
    "value_error": "取值无效",
    "assertion_error": "取值无效",
    "union_tag_invalid": "对象类型无效",
    "missing_argument": "缺少参数",
}


@dataclass(frozen=True, slots=True)
class _PydanticError:
    """One pydantic error, with what the translators need."""

    err: Any
    path: str
    value: str
    value_zh: str
    codelist: str | None

    @property
    def ctx(self) -> dict[str, Any]:
        return dict(self.err.get("ctx") or {})


def _missing(e: _PydanticError, params: dict[str, str]) -> str:
    return issue_code.REQUIRED


def _extra(e: _PydanticError, params: dict[str, str]) -> str:
    return issue_code.UNKNOWN_FIELD


def _hours(e: _PydanticError, params: dict[str, str]) -> str:
    params.update(value=e.value, value_zh=e.value_zh)
    return issue_code.HOURS_FORMAT


def _closed_code(e: _PydanticError, params: dict[str, str]) -> str:
    ctx = e.ctx
    params["value"] = repr(e.err.get("input", ""))
    params["codelist"] = str(ctx.get("codelist", e.codelist or ""))
    code = ctx.get("code")
    value = e.err.get("input")
    if code is None and e.codelist is not None and isinstance(value, str):
        code = CodeListRef(e.codelist).label_of(value)
    if code is not None:
        _bi(
            params,
            "label_hint",
            f"; it is the label of code {code!r}",
            f"；它是代码 {code!r} 的名称",
        )
    return issue_code.CODE_NOT_IN_CLOSED_LIST


def _pattern(e: _PydanticError, params: dict[str, str]) -> str:
    if e.codelist:
        _bi(
            params,
            "expected",
            "codes are 1-40 letters, digits, '_', '.' or '-'",
            "代码应为 1-40 位字母、数字或 _ . -",
        )
    else:
        pattern = str(e.ctx.get("pattern", ""))
        _bi(params, "expected", f"must match {pattern}", f"应符合 {pattern}")
    params.update(value=e.value, value_zh=e.value_zh)
    return issue_code.FORMAT


def _format(e: _PydanticError, params: dict[str, str]) -> str:
    _bi(params, "expected", *_FORMAT_ERRORS[e.err["type"]])
    params.update(value=e.value, value_zh=e.value_zh)
    return issue_code.FORMAT


def _range(e: _PydanticError, params: dict[str, str]) -> str:
    _bi(params, "expected", e.err["msg"], _RANGE_ZH[e.err["type"]].format(**e.ctx))
    return issue_code.OUT_OF_RANGE


def _json_type(e: _PydanticError, params: dict[str, str]) -> str:
    want, found = _KINDS[_JSON_TYPES[e.err["type"]]], _KINDS[_json_kind(e.err.get("input"))]
    _bi(params, "expected", f"{want[0]}, found {found[0]}", f"{want[1]}，实际为{found[1]}")
    return issue_code.WRONG_TYPE


def _other(e: _PydanticError, params: dict[str, str]) -> str:
    zh = _PYDANTIC_ZH.get(e.err["type"], "取值不符合要求")
    expected = e.ctx.get("expected")
    _bi(
        params,
        "expected",
        e.err["msg"],
        zh.format(expected=expected) if expected is not None else zh,
    )
    return issue_code.INVALID_VALUE


_TRANSLATORS = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "hours_format": _hours,
    "hours_type": _hours,
    "code_closed": _closed_code,
    **dict.fromkeys(_FORMAT_ERRORS, _format),
    **dict.fromkeys(_RANGE_ZH, _range),
    **dict.fromkeys(_JSON_TYPES, _json_type),
}


def _translator(etype: str, codelist: str | None) -> Any:
    if etype == "string_pattern_mismatch":
        closed = codelist is not None and codelists.get(codelist).closed
        return _closed_code if closed else _pattern
    return _TRANSLATORS.get(etype, _other)


def _pydantic_issues(
    exc: ValidationError, model: type[BaseModel], raw: RawRecord, kind: str | None, rid: str | None
) -> Iterator[Issue]:
    """pydantic's errors as issues of the catalogue, with parameters in both languages;
    values of sensitive fields are never repeated."""
    codes = _code_fields(model)
    for err in exc.errors(include_url=False):
        precise = precise_error(err["type"], err.get("input"))
        if precise is not None:  # a natively validated type: the reference's own words
            err = {**err, "type": precise[0], "msg": precise[1], "ctx": precise[2]}
        loc = err["loc"]
        if err["type"] == "none_required":
            continue  # errors inside a union are reported per branch; "null" adds noise
        path = _pointer(tuple(p for p in loc if not (isinstance(p, str) and "[" in p)))
        show = not _is_sensitive(model, loc) and isinstance(err.get("input"), (str, int))
        error = _PydanticError(
            err,
            path,
            f" (got {err['input']!r})" if show else "",
            f"（实际为 {err['input']!r}）" if show else "",
            codes.get(tuple("*" if isinstance(p, int) else p for p in loc)),
        )
        params = {"field": path or "(record)"}
        code = _translator(err["type"], error.codelist)(error, params)
        yield _issue(code, raw, path=path, kind=kind, rid=rid, params=params)


@functools.cache
def _warning_fields(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Code fields that can produce warnings: open lists, or lists with deprecated codes.

    Closed lists without deprecated codes are fully enforced by the model, so the hot
    path skips them.
    """
    out = []
    for path, name in codelist_fields(model):
        codes = codelists.get(name)
        if not codes.closed or any(c.deprecated for c in codes.codes):
            out.append((path, name))
    return tuple(out)


def _code_warnings(
    data: dict[str, Any], model: type[BaseModel], raw: RawRecord, kind: str, rid: str | None
) -> Iterator[Issue]:
    for path, name in _warning_fields(model):
        if path[0] not in data:
            continue
        codes = codelists.get(name)
        for pointer, value in values_at(data, path):
            if not isinstance(value, str):
                continue
            entry = codes.get(value)
            if entry is None:
                if not codes.closed:
                    params = {"field": pointer, "value": repr(value), "codelist": name}
                    yield _issue(
                        issue_code.CODE_NOT_IN_OPEN_LIST,
                        raw,
                        path=pointer,
                        kind=kind,
                        rid=rid,
                        params=params,
                    )
            elif entry.deprecated:
                params = {"field": pointer, "value": repr(value), "codelist": name}
                yield _issue(
                    issue_code.CODE_DEPRECATED, raw, path=pointer, kind=kind, rid=rid, params=params
                )


def _issue(
    code: str,
    raw: RawRecord,
    *,
    path: str = "",
    kind: str | None = None,
    rid: str | None = None,
    params: dict[str, str] | None = None,
) -> Issue:
    """An issue about the record ``raw`` (at ``path`` inside it)."""
    return Issue(
        code=code,
        location=raw.location,
        path=path,
        entity_type=kind,
        record_id=rid,
        params=params or {},
    )


def _major(version: str) -> str:
    return version.split(".", 1)[0]


class RecordChecker:
    """Checks records one by one; keeps only what package-level checks need."""

    def __init__(self, *, models: bool = True) -> None:
        """``models=False``: the caller needs no model of a valid record (no rule reads
        one), so a clean record is recognised by its verdict validator
        (:mod:`~volunteer_standard.validation.verdict`) and comes back as ``(kind, None)``
        like an invalid one; only its issues tell them apart."""
        self.models = models
        self.metadata: PackageMetadata | None = None
        self.declared_extensions: set[str] | None = None
        self.saw_metadata = False
        self._warned_namespaces: set[str] = set()
        self._warned_versions: set[str] = set()

    def check(
        self, raw: RawRecord, emit: Callable[[Issue], None]
    ) -> tuple[str | None, Entity | None]:
        """Check one raw record, emitting issues; return its entity type and model if valid."""
        if not self.models and raw.collection is None and raw.error is None:
            kind = self._clean_line(raw, emit)
            if kind is not None:
                return kind, None
        return self._check_full(raw, emit)

    def _check_full(
        self, raw: RawRecord, emit: Callable[[Issue], None]
    ) -> tuple[str | None, Entity | None]:
        """:meth:`check` for any record: the envelope (syntax, collection, type), then
        the entity."""
        if raw.error is not None:
            emit(_issue(raw.code, raw, params={**json_error_params(raw.error), "value": raw.error}))
            return None, None
        if raw.collection == "metadata":
            self._check_metadata(raw, emit)
            return None, None
        data = raw.data
        expected: str | None = None
        if raw.collection is not None:
            expected = COLLECTION_TYPES.get(raw.collection)
            if expected is None:
                emit(
                    _issue(
                        issue_code.UNKNOWN_COLLECTION,
                        raw,
                        params={
                            "value": repr(raw.collection),
                            "expected": ", ".join(["metadata", *COLLECTION_TYPES]),
                        },
                    )
                )
                return None, None
        if not isinstance(data, dict):
            kind_en, kind_zh = _KINDS[_json_kind(data)]
            emit(
                _issue(
                    issue_code.NOT_AN_OBJECT,
                    raw,
                    kind=expected,
                    params={"detail": kind_en, "detail_zh": kind_zh},
                )
            )
            return expected, None
        rid = data.get("id") if isinstance(data.get("id"), str) else None
        kind = data.get("type")
        if kind is None:
            if expected is None:
                emit(_issue(issue_code.MISSING_TYPE, raw, rid=rid))
                return None, None
            kind = expected
            data = {"type": kind, **data}
        elif kind not in ENTITY_MODELS:
            emit(
                _issue(
                    issue_code.UNKNOWN_TYPE,
                    raw,
                    path="/type",
                    kind=expected,
                    rid=rid,
                    params={
                        "value": repr(kind),
                        "expected": ", ".join(ENTITY_MODELS),
                    },
                )
            )
            return None, None
        elif expected is not None and kind != expected:
            emit(
                _issue(
                    issue_code.TYPE_MISMATCH,
                    raw,
                    path="/type",
                    kind=expected,
                    rid=rid,
                    params={
                        "value": repr(kind),
                        "expected": str(raw.collection),
                    },
                )
            )
            return kind, None
        return kind, self._check_entity(data, raw, kind, rid, emit)

    def _check_entity(
        self,
        data: dict[str, Any],
        raw: RawRecord,
        kind: str,
        rid: str | None,
        emit: Callable[[Issue], None],
    ) -> Entity | None:
        """The record as a ``kind``: its version, its model, code warnings, extensions."""
        model = ENTITY_MODELS[kind]
        self._check_version(data, raw, kind, rid, emit)
        version = data.get("schema_version")
        if isinstance(version, str) and _major(version) != _major(SCHEMA_VERSION):
            emit(
                _issue(
                    issue_code.SCHEMA_VERSION_UNSUPPORTED,
                    raw,
                    path="/schema_version",
                    kind=kind,
                    rid=rid,
                    params={
                        "value": repr(version),
                        "expected": f"{_major(SCHEMA_VERSION)}.x",
                    },
                )
            )
        if not self.models and is_clean(kind, data):
            self._check_extensions(data, raw, kind, rid, emit)
            return None
        try:
            obj = model.model_validate(data)
        except ValidationError as exc:
            for issue in _pydantic_issues(exc, model, raw, kind, rid):
                emit(issue)
            obj = None
        for issue in _code_warnings(data, model, raw, kind, rid):
            emit(issue)
        self._check_extensions(data, raw, kind, rid, emit)
        return obj

    def _clean_line(self, raw: RawRecord, emit: Callable[[Issue], None]) -> str | None:
        """The type of a clean JSON Lines record of this version, once its extensions are
        checked (``None``: check it the full way). The bulk of any input takes this path."""
        data = raw.data
        if data.__class__ is not dict:
            return None
        kind = data.get("type")
        if (
            kind.__class__ is not str
            or data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION
            or not is_clean(kind, data)
        ):
            return None
        if "extensions" in data:
            rid = data.get("id")
            self._check_extensions(data, raw, kind, rid if isinstance(rid, str) else None, emit)
        return kind

    def _check_version(
        self,
        data: dict[str, Any],
        raw: RawRecord,
        kind: str,
        rid: str | None,
        emit: Callable[[Issue], None],
    ) -> None:
        """Validate a record against the version it declares (its own, or its package's):
        a field added in a later version is an error there (VS131)."""
        declared = data.get("schema_version")
        if not isinstance(declared, str) and self.metadata is not None:
            declared = self.metadata.schema_version
        if not isinstance(declared, str) or declared == SCHEMA_VERSION:
            return
        try:
            mine, theirs = versions.parse(SCHEMA_VERSION), versions.parse(declared)
        except ValueError:
            return  # the model reports the malformed version
        if theirs[0] != mine[0]:
            return  # VS130
        if theirs > mine:
            if declared not in self._warned_versions:
                self._warned_versions.add(declared)
                emit(
                    _issue(
                        issue_code.VERSION_NEWER_THAN_TOOLKIT,
                        raw,
                        path="/schema_version",
                        kind=kind,
                        rid=rid,
                        params={"value": declared, "expected": SCHEMA_VERSION},
                    )
                )
            return
        for key, added in sorted(versions.fields_unknown_to(declared, kind, set(data)).items()):
            emit(
                _issue(
                    issue_code.FIELD_NEWER_THAN_VERSION,
                    raw,
                    path=f"/{key}",
                    kind=kind,
                    rid=rid,
                    params={"field": key, "expected": added, "value": declared},
                )
            )

    def _check_metadata(self, raw: RawRecord, emit: Callable[[Issue], None]) -> None:
        self.saw_metadata = True
        try:
            self.metadata = PackageMetadata.model_validate(raw.data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                emit(
                    _issue(
                        issue_code.PACKAGE_METADATA,
                        raw,
                        path=_pointer(err["loc"]),
                        params={
                            "field": _pointer(err["loc"]) or "metadata",
                            "expected": err["msg"],
                        },
                    )
                )
            return
        version = self.metadata.schema_version
        if _major(version) != _major(SCHEMA_VERSION):
            emit(
                _issue(
                    issue_code.SCHEMA_VERSION_UNSUPPORTED,
                    raw,
                    path="/schema_version",
                    params={
                        "value": repr(version),
                        "expected": f"{_major(SCHEMA_VERSION)}.x",
                    },
                )
            )
        self.declared_extensions = {e.namespace for e in self.metadata.extensions or []}

    def _check_extensions(
        self,
        data: dict[str, Any],
        raw: RawRecord,
        kind: str,
        rid: str | None,
        emit: Callable[[Issue], None],
    ) -> None:
        ext = data.get("extensions")
        if not isinstance(ext, dict) or not ext:
            return
        schemas = extension_schemas()
        for namespace, value in ext.items():
            if self.declared_extensions is not None and namespace not in self.declared_extensions:
                emit(
                    _issue(
                        issue_code.EXTENSION_UNDECLARED,
                        raw,
                        path=f"/extensions/{namespace}",
                        kind=kind,
                        rid=rid,
                        params={"value": repr(namespace)},
                    )
                )
            registered = schemas.get(namespace)
            if registered is None:
                continue
            for pointer, detail in registered.errors(value):
                emit(
                    _issue(
                        issue_code.EXTENSION_INVALID,
                        raw,
                        path=f"/extensions/{namespace}{pointer}",
                        kind=kind,
                        rid=rid,
                        params={"namespace": namespace, "detail": detail},
                    )
                )
