"""NVSI 2.0 coded columns ↔ fields of the standard.

The national system (全国志愿服务信息系统 2.0) names its columns ``alb<table><nnnn>``: the
volunteer table ``albp`` (LPB01) and the service-hour table (志愿者时长表, ``albx0172``
to ``albx0187``). Each :class:`Column` says which field of the standard a column fills
and how a value is translated each way. Columns not listed here are not lost: the reader
keeps them under ``extensions["nvsi"]`` and the writer puts them back.

Sources: the column labels and code lists of the NVSI front-end code, as collected in the
project's research notes (``domain.md`` §4b/§4c).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from volunteer_standard.connectors import Problem
from volunteer_standard.connectors.helpers import ValueMap

#: A translated value per field path ("id_document.type"); ``None`` means "leave out".
Fields = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One NVSI column: its code, its label, how to read it and how to write it."""

    code: str
    label: str
    read: Callable[[Any, list[Problem]], Fields]
    write: Callable[[Mapping[str, Any]], Any]


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; ``None`` when any step is missing."""
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for ``"a.b"``, creating the inner objects."""
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# -- value translations ---------------------------------------------------------------------

_DATE_FORMS = re.compile(r"^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$")
_NVSI_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$")
_BEIJING_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\+08:00$")


def read_date(value: Any) -> str | None:
    """NVSI dates come as ``2024-03-05``, ``2024/03/05`` or ``20240305``."""
    text = _text(value)
    if text is None:
        return None
    found = _DATE_FORMS.match(text)
    return f"{found[1]}-{found[2]}-{found[3]}" if found else text


def read_datetime(value: Any) -> str | None:
    """``2024-03-05 09:00:00`` in Beijing time → ``2024-03-05T09:00:00+08:00``; anything
    else is passed on unchanged for validation to judge."""
    text = _text(value)
    if text is None:
        return None
    found = _NVSI_DATETIME.match(text)
    return f"{found[1]}T{found[2]}+08:00" if found else text


def write_datetime(value: Any) -> Any:
    """The NVSI form when the time is in Beijing time to the second; ISO 8601 otherwise."""
    if not isinstance(value, str):
        return value
    found = _BEIJING_DATETIME.match(value)
    return f"{found[1]} {found[2]}" if found else value


def read_area(value: Any) -> tuple[str | None, str | None]:
    """An 18-digit NVSI area id → (six-digit region code, the full area id when it is finer
    than a county)."""
    text = _text(value)
    if text is None:
        return None, None
    if not text.isdigit() or len(text) < 6:
        return text, None  # validation reports it
    finer = text[6:].strip("0")
    return text[:6], (text if finer else None)


def write_area(region: Any, area: Any) -> str | None:
    if isinstance(area, str) and area.isdigit():
        return area.ljust(18, "0")
    if isinstance(region, str) and region.isdigit() and len(region) == 6:
        return region + "0" * 12
    return None


# -- column factories ------------------------------------------------------------------------


def text(code: str, label: str, field: str) -> Column:
    return Column(
        code,
        label,
        lambda v, p: {field: _text(v)},
        lambda d: get_path(d, field),
    )


def coded(code: str, label: str, field: str, values: ValueMap) -> Column:
    return Column(
        code,
        label,
        lambda v, p: {field: values.code(v, p, field=code)},
        lambda d: values.label(get_path(d, field)),
    )


def listed(code: str, label: str, field: str) -> Column:
    """A comma-separated list of codes of an open code list, kept as written."""

    def read(value: Any, problems: list[Problem]) -> Fields:
        raw = _text(value)
        parts = [p.strip() for p in raw.split(",")] if raw else []
        return {field: [p for p in parts if p] or None}

    def write(data: Mapping[str, Any]) -> Any:
        values = get_path(data, field)
        return ",".join(values) if isinstance(values, list) and values else None

    return Column(code, label, read, write)


def write_hours(value: Any) -> Any:
    """Hours as NVSI and the standard write them: a string with two decimals ("1.50")."""
    if isinstance(value, str):
        try:
            return f"{Decimal(value).quantize(Decimal('0.01'))}"
        except InvalidOperation:
            return value
    return value


def hours(code: str, label: str, field: str) -> Column:
    return Column(
        code, label, lambda v, p: {field: _text(v)}, lambda d: write_hours(get_path(d, field))
    )


def date(code: str, label: str, field: str) -> Column:
    return Column(code, label, lambda v, p: {field: read_date(v)}, lambda d: get_path(d, field))


def datetime(code: str, label: str, field: str) -> Column:
    return Column(
        code,
        label,
        lambda v, p: {field: read_datetime(v)},
        lambda d: write_datetime(get_path(d, field)),
    )


def _identity(codelist: str, *, name: str) -> ValueMap:
    """NVSI uses the standard's codes for this list: accept exactly those codes."""
    from volunteer_standard import codelists

    return ValueMap({c: c for c in codelists.get(codelist).all_codes()}, name=name)


def _residence_area() -> Column:
    def read(value: Any, problems: list[Problem]) -> Fields:
        region, area = read_area(value)
        return {"residence.region_code": region, "residence.area_id": area}

    def write(data: Mapping[str, Any]) -> Any:
        return write_area(
            get_path(data, "residence.region_code"), get_path(data, "residence.area_id")
        )

    return Column("albp0028", "现居区域", read, write)


def _service_region() -> Column:
    def read(value: Any, problems: list[Problem]) -> Fields:
        region, _area = read_area(value)
        return {"service_regions": [region] if region else None}

    def write(data: Mapping[str, Any]) -> Any:
        regions = data.get("service_regions")
        if isinstance(regions, list) and len(regions) == 1:
            return write_area(regions[0], None)
        return None  # several regions: no NVSI column holds them (kept by the carry object)

    return Column("albp0020", "服务区域", read, write)


# -- the code lists of NVSI that differ from the standard's (domain.md §4c) ------------------

#: 录入状态 albx0174: 0 申请中, 1 未签退, 2 已生效, 3 已删除, 4 已拒绝, 5 录入失败.
HOURS_STATUS = ValueMap(
    {"0": "pending", "1": "open", "2": "effective", "3": "deleted", "4": "rejected", "5": "failed"},
    name="录入状态 (albx0174)",
    codelist="hours_record_status",
)
#: 录入方式 albx0173: 0 强制签退, 1 团体录入, 2 个人申请, 3 人脸识别, 4 快速打卡 (the standard's
#: codes 5–7 have no NVSI value).
ENTRY_METHOD = ValueMap(
    {"0": "0", "1": "1", "2": "2", "3": "3", "4": "4"},
    name="录入方式 (albx0173)",
    codelist="hours_entry_method",
)
#: 时长类型 albx0187: 1 信用时长, 2 荣誉时长.
HOURS_TYPE = ValueMap({"1": "1", "2": "2"}, name="时长类型 (albx0187)", codelist="hours_type")
#: 证件类型 albp0004; legacy one-digit codes 6, 7 and 9 still occur in old records.
ID_TYPE = ValueMap(
    {
        **{c: c for c in ("01", "02", "03", "04", "05", "06", "07", "08", "99")},
        "6": "06",
        "7": "07",
        "9": "99",
    },
    name="证件类型 (albp0004)",
    codelist="id_document_type",
)
#: albp0094: 1 正常, 0 已迁移 (other statuses of the standard have no NVSI value).
VOLUNTEER_STATUS = ValueMap(
    {"1": "active", "0": "transferred"}, name="状态 (albp0094)", codelist="volunteer_status"
)


GENDER = _identity("gender", name="性别 (albp0006)")
POLITICAL = _identity("political_status", name="政治面貌 (albp0007)")
REAL_NAME = _identity("real_name_status", name="实名认证 (albp0063)")
STAR_LEVEL = _identity("star_level", name="星级 (albp0026)")


def volunteer_columns() -> list[Column]:
    """LPB01 志愿者表 columns the connector translates."""
    return [
        text("albp0029", "志愿者编号", "volunteer_no"),
        text("albp0003", "姓名", "name"),
        coded("albp0004", "证件类型", "id_document.type", ID_TYPE),
        text("albp0005", "证件号码", "id_document.number"),
        coded("albp0006", "性别", "gender", GENDER),
        date("albp0014", "出生日期", "birth_date"),
        text("albp0002", "国籍", "nationality"),
        coded("albp0007", "政治面貌", "political_status", POLITICAL),
        text("albp0008", "民族", "ethnicity"),
        text("albp0017", "学历", "education"),
        text("albp0018", "从业状况", "employment_status"),
        text("albp0010", "手机号码", "phone"),
        text("albp0081", "邮箱", "email"),
        text("albp0013", "详细地址", "residence.address"),
        _residence_area(),
        _service_region(),
        listed("albp0021", "服务类别", "service_categories"),
        listed("albp0039", "个人特长", "skills"),
        listed("albp0035", "可服务时间", "availability"),
        date("albp0034", "注册日期", "registered_on"),
        coded("albp0063", "实名认证", "real_name_verified", REAL_NAME),
        coded("albp0026", "星级", "star_level", STAR_LEVEL),
        coded("albp0094", "状态", "status", VOLUNTEER_STATUS),
    ]


def hours_columns() -> list[Column]:
    """志愿者时长表 columns (albx0172–albx0187) the connector translates."""
    return [
        hours("albx0172", "服务时长", "hours"),
        coded("albx0173", "录入方式", "entry_method", ENTRY_METHOD),
        coded("albx0174", "录入状态", "status", HOURS_STATUS),
        text("albx0175", "志愿者编号", "volunteer_id"),
        text("albx0176", "项目", "project_id"),
        text("albx0177", "队伍", "organization_id"),
        datetime("albx0178", "录入日期", "recorded_at"),
        datetime("albx0181", "开始时间", "start"),
        datetime("albx0182", "结束时间", "end"),
        coded("albx0187", "时长类型", "hours_type", HOURS_TYPE),
    ]
