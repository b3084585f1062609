"""Empty templates for data entry: the right headers, and drop-down lists for coded columns.

A region that collects data in spreadsheets gets a workbook whose headers match its
mapping (or the flat layout) exactly, whose coded columns offer only the labels the
connector reads back (from a hidden ``_lists`` sheet, since Excel limits inline lists to
255 characters), and whose text columns are formatted as text so that Excel keeps the
leading zeros of codes and ID numbers. A CSV template is the header row alone, in UTF-8
with a BOM so that Excel opens it with the right encoding.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from volunteer_standard import codelists
from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import neutralise
from volunteer_standard.connectors.tabular.introspect import ListOf, Scalar
from volunteer_standard.connectors.tabular.mapping import (
    NUMERIC_KINDS,
    EntityMapping,
    FieldRule,
    TabularMapping,
    drop_down_labels,
    load_mapping,
)
from volunteer_standard.connectors.tabular.transforms import format_datetime_text, region_index
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS

TemplateFormat = Literal["xlsx", "csv"]
_LAST_ROW = 1_048_575
_LISTS = "_lists"


@dataclass
class _Column:
    """What the template knows about one column."""

    header: str
    choices: list[str]
    several: bool = False
    numeric: bool = False
    hint: str | None = None


@dataclass
class _Sheet:
    name: str
    file: str
    columns: list[_Column]


def _rule_hint(rule: FieldRule) -> str | None:
    example = datetime(2024, 3, 5, 9, 30)
    if rule.kind == "date":
        return f"日期 date, e.g. {format_datetime_text(example, rule.out_format or '%Y-%m-%d')}"
    if rule.kind == "datetime":
        shown = format_datetime_text(example, rule.out_format or "%Y-%m-%d %H:%M:%S")
        return f"日期时间 date-time, e.g. {shown}"
    if rule.kind == "hours":
        return "分钟 minutes (whole number)" if rule.unit == "minutes" else "小时 hours, e.g. 1.50"
    if rule.is_list:
        return f"可多选，用“{rule.joiner}”分隔 several values, separated by {rule.joiner}"
    return None


def _mapping_sheets(mapping: TabularMapping) -> list[_Sheet]:
    sheets: list[_Sheet] = []
    for entity in mapping.entities:
        sheets.append(_Sheet(entity.table_name, entity.file_name, _mapping_columns(entity)))
    return sheets


def _mapping_columns(entity: EntityMapping) -> list[_Column]:
    by_column: dict[str, _Column] = {}
    for rule in entity.rules:
        for position, name in enumerate(rule.columns):
            if name in by_column:
                continue
            choices = drop_down_labels(rule)
            if rule.kind == "region" and len(rule.columns) > 1 and position == 0:
                choices = region_index().province_names()
            elif rule.kind == "region":
                choices = []
            by_column[name] = _Column(
                name,
                choices,
                several=rule.is_list,
                numeric=rule.kind in NUMERIC_KINDS,
                hint=_rule_hint(rule),
            )
    return [by_column.get(name, _Column(name, [])) for name in entity.output_columns()]


def _flat_sheets(types: Sequence[str]) -> list[_Sheet]:
    sheets: list[_Sheet] = []
    for kind in types:
        columns: list[_Column] = []
        for name in flat.template_columns(kind):
            node = flat.column(kind, name).node
            several = isinstance(node, ListOf)
            leaf = node.item if isinstance(node, ListOf) else node
            choices: list[str] = []
            numeric = False
            hint = None
            if isinstance(leaf, Scalar):
                numeric = leaf.kind in ("integer", "number")
                if leaf.codelist:
                    choices = list(codelists.get(leaf.codelist).active_codes())
                    labels = codelists.get(leaf.codelist)
                    hint = "; ".join(f"{c} {labels.label(c)}" for c in choices)
                elif leaf.choices:
                    choices = list(leaf.choices)
                elif leaf.kind == "boolean":
                    choices = ["true", "false"]
                elif leaf.kind == "date":
                    hint = "YYYY-MM-DD"
                elif leaf.kind == "datetime":
                    hint = "YYYY-MM-DDTHH:MM:SS+08:00"
                elif leaf.kind == "decimal":
                    hint = '"1.50"'
            if several:
                hint = f"{hint + '. ' if hint else ''}several values separated by ;"
            columns.append(_Column(name, choices, several=several, numeric=numeric, hint=hint))
        sheets.append(_Sheet(COLLECTIONS[kind], f"{COLLECTIONS[kind]}.csv", columns))
    return sheets


def write_template(
    target: str | Path,
    *,
    mapping: str | Path | TabularMapping | None = None,
    fmt: TemplateFormat | None = None,
    types: Sequence[str] | None = None,
) -> list[Path]:
    """Write an empty template for ``mapping`` (or the flat layout) and return the files.

    ``fmt`` defaults to XLSX unless ``target`` ends in ``.csv``. A CSV template with
    several tables is a folder with one file per table.
    """
    loaded = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    if loaded is not None:
        sheets = _mapping_sheets(loaded)
    else:
        chosen = list(types or ENTITY_MODELS)
        unknown = [t for t in chosen if t not in ENTITY_MODELS]
        if unknown:
            raise ConnectorError(f"not entity types: {', '.join(unknown)}")
        sheets = _flat_sheets(chosen)
    path = Path(target)
    kind: TemplateFormat = fmt or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
    if kind == "xlsx":
        _write_xlsx(path, sheets)
        return [path]
    return _write_csv(path, sheets)


def _write_csv(path: Path, sheets: list[_Sheet]) -> list[Path]:
    if path.suffix.lower() == ".csv":
        if len(sheets) != 1:
            raise ConnectorError(
                f"{path}: the template has {len(sheets)} tables; give a folder for CSV files"
            )
        files = [(path, sheets[0])]
    else:
        path.mkdir(parents=True, exist_ok=True)
        files = [(path / s.file.rsplit("/", 1)[-1], s) for s in sheets]
    written: list[Path] = []
    for file, sheet in files:
        if file.suffix.lower() != ".csv":
            file = file.with_suffix(".csv")
        with file.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerow([neutralise(c.header) for c in sheet.columns])
        written.append(file)
    return written


def _write_xlsx(path: Path, sheets: list[_Sheet]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    lists: list[list[str]] = []
    list_ref: dict[tuple[str, ...], str] = {}
    layouts: list[tuple[Any, _Sheet]] = []
    used: set[str] = set()
    for sheet in sheets:
        name = sheet.name[:31]
        if name in used:
            raise ConnectorError(f"two tables would share the sheet name {name!r}")
        used.add(name)
        layouts.append((book.add_worksheet(name), sheet))
    store = (
        book.add_worksheet(_LISTS) if any(c.choices for s in sheets for c in s.columns) else None
    )
    for ws, sheet in layouts:
        ws.freeze_panes(1, 0)
        for col, column in enumerate(sheet.columns):
            width = max(10, min(40, len(column.header.encode("gbk", "replace")) + 4))
            ws.set_column(col, col, width, None if column.numeric else text)
            ws.write_string(0, col, neutralise(column.header), header)
            if column.choices and store is not None:
                key = tuple(column.choices)
                if key not in list_ref:
                    index = len(lists)
                    lists.append(column.choices)
                    letter = xlsxwriter.utility.xl_col_to_name(index)
                    list_ref[key] = f"='{_LISTS}'!${letter}$2:${letter}${len(column.choices) + 1}"
                    store.write_string(0, index, column.header)
                    for row, choice in enumerate(column.choices, start=1):
                        store.write_string(row, index, choice)
                validation: dict[str, Any] = {
                    "validate": "list",
                    "source": list_ref[key],
                    "error_type": "warning" if column.several else "stop",
                    "error_message": "请从下拉列表选择 Choose a value from the list",
                }
                if column.hint:
                    validation["input_message"] = column.hint[:255]
                ws.data_validation(1, col, _LAST_ROW, col, validation)
            elif column.hint:
                ws.data_validation(
                    1, col, _LAST_ROW, col, {"validate": "any", "input_message": column.hint[:255]}
                )
    if store is not None:
        store.hide()
    book.close()
