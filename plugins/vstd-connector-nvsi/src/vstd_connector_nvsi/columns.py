"""NVSI 2.0 coded columns ↔ fields of the standard, built from the package's data files.

The national system (全国志愿服务信息系统 2.0) names its columns ``alb<table><nnnn>``.
``data/tables.toml`` lists the tables (volunteers, hours, training, awards, evaluations),
``data/columns.csv`` their columns and ``data/codes.csv`` the NVSI code lists that differ
from the standard's, so a wrong label or code is corrected in a data file, not in code.
Each :class:`Column` says which field of the standard a column fills
and how a value is translated each way. Columns not listed here are not lost: the reader
keeps them under ``extensions["nvsi"]`` and the writer puts them back.

Sources: the column labels and code lists of the NVSI front-end code, as collected in the
project's research notes (``domain.md`` §4b/§4c).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
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


def area(code: str, label: str, field: str) -> Column:
    """An 18-digit NVSI area id → ``<field>.region_code`` (+ ``.area_id`` when finer)."""

    def read(value: Any, problems: list[Problem]) -> Fields:
        region, finer = read_area(value)
        return {f"{field}.region_code": region, f"{field}.area_id": finer}

    def write(data: Mapping[str, Any]) -> Any:
        return write_area(
            get_path(data, f"{field}.region_code"), get_path(data, f"{field}.area_id")
        )

    return Column(code, label, read, write)


def region_list(code: str, label: str, field: str) -> Column:
    """One 18-digit area id ↔ a list of one region code (several: no NVSI column)."""

    def read(value: Any, problems: list[Problem]) -> Fields:
        region, _finer = read_area(value)
        return {field: [region] if region else None}

    def write(data: Mapping[str, Any]) -> Any:
        regions = get_path(data, field)
        if isinstance(regions, list) and len(regions) == 1:
            return write_area(regions[0], None)
        return None  # several regions: kept by the carry object

    return Column(code, label, read, write)


def score(code: str, label: str, field: str) -> Column:
    """An evaluation score: NVSI may write ``"5"`` or ``5``; the standard holds a number."""

    def read(value: Any, problems: list[Problem]) -> Fields:
        raw = _text(value)
        return {field: int(raw) if raw is not None and raw.isdigit() else raw}

    return Column(code, label, read, lambda d: get_path(d, field))


# -- the data files ------------------------------------------------------------------------


def _data(name: str) -> str:
    return resources.files("vstd_connector_nvsi").joinpath("data", name).read_text("utf-8")


@cache
def code_maps() -> dict[str, ValueMap]:
    """The NVSI code lists of ``data/codes.csv`` as value maps, checked against the
    standard's code lists when loaded."""
    rows: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(_data("codes.csv"))):
        rows.setdefault(row["map"], []).append(row)
    return {
        name: ValueMap(
            {r["nvsi"]: r["standard"] for r in found},
            name=name,
            codelist=found[0]["codelist"] or None,
        )
        for name, found in rows.items()
    }


_FACTORIES: dict[str, Callable[[str, str, str], Column]] = {
    "text": text,
    "listed": listed,
    "hours": hours,
    "date": date,
    "datetime": datetime,
    "area": area,
    "region_list": region_list,
    "score": score,
}


def _column(row: Mapping[str, str]) -> Column:
    code, label, field, kind, codes = (
        row["code"],
        row["label"],
        row["field"],
        row["kind"],
        row["codes"],
    )
    if kind == "coded":
        values = (
            _identity(codes[1:], name=f"{label} ({code})")
            if codes.startswith("=")
            else code_maps()[codes]
        )
        return coded(code, label, field, values)
    return _FACTORIES[kind](code, label, field)


@dataclass(frozen=True)
class Table:
    """One NVSI table: the entity it fills, fixed fields, columns and bookmark column."""

    name: str
    entity: str
    title: str
    columns: tuple[Column, ...]
    constants: Mapping[str, Any]
    bookmark: str | None = None

    @property
    def codes(self) -> frozenset[str]:
        """The NVSI (``alb…``) column codes: they tell a row's table."""
        return frozenset(c.code for c in self.columns if c.code.startswith("alb"))


@cache
def tables() -> dict[str, Table]:
    """Every table of ``data/tables.toml`` with its columns from ``data/columns.csv``."""
    spec = tomllib.loads(_data("tables.toml"))
    columns: dict[str, list[Column]] = {name: [] for name in spec}
    for row in csv.DictReader(io.StringIO(_data("columns.csv"))):
        columns[row["table"]].append(_column(row))
    return {
        name: Table(
            name,
            table["entity"],
            table.get("title", name),
            tuple(columns[name]),
            dict(table.get("constants", {})),
            table.get("bookmark"),
        )
        for name, table in spec.items()
    }


def volunteer_columns() -> list[Column]:
    """LPB01 志愿者表 columns the connector translates."""
    return list(tables()["volunteer"].columns)


def hours_columns() -> list[Column]:
    """志愿者时长表 columns (albx0172–albx0187) the connector translates."""
    return list(tables()["service_record"].columns)
