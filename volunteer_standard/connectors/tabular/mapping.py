"""Mapping files: how a regional export's columns become the standard's fields and back.

A mapping is YAML or TOML (see docs/tabular.md for the full reference)::

    version: 1
    encoding: gb18030            # optional; otherwise sniffed
    timezone: "+08:00"           # for date-times without an offset
    entities:
      - type: volunteer
        file: volunteers.csv     # in a folder of CSV files (or: sheet: 志愿者)
        fields:
          id: 志愿者编号                         # shorthand for {column: 志愿者编号}
          gender: {column: 性别}                # code list inferred from the field
          birth_date: {column: 出生日期, format: "%Y/%-m/%-d"}
          residence.region_code: {columns: [所在省, 所在市, 所在区]}
          political_status: {column: 政治面貌, values: {党员: "01"}}
          id_document.type: {constant: "01"}

What to do with a column follows from the field it maps to (a date, hours, a code of
which code list, a region code), so most fields need only their column. Loading checks the
whole mapping against the models and reports every mistake with its place in the file.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from volunteer_standard import codelists
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty, json_cell
from volunteer_standard.connectors.tabular.introspect import (
    Json,
    ListOf,
    Obj,
    Scalar,
    Step,
    model_node,
    parse_path,
    resolve,
)
from volunteer_standard.connectors.tabular.transforms import (
    DEFAULT_SEPARATORS,
    FALSE_WORDS,
    TRUE_WORDS,
    TransformError,
    check_format,
    format_datetime,
    format_datetime_text,
    format_hours,
    halfwidth,
    iso_datetime,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_integer,
    parse_number,
    parse_timezone,
    region_index,
    trim,
)
from volunteer_standard.errors import VstdError
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS

Kind = Literal[
    "text", "code", "integer", "number", "boolean", "date", "datetime", "hours", "region"
]
NUMERIC_KINDS = frozenset({"integer", "number", "hours"})


class MappingError(VstdError):
    """The mapping file is unusable; the message lists every problem with its place."""


class FieldSpec(BaseModel):
    """How one field of the standard is read from (and written to) the table."""

    model_config = ConfigDict(extra="forbid")

    column: str | None = Field(None, description="The column holding the value.")
    columns: list[str] | None = Field(
        None,
        description="Several columns: 省/市/区 names for a region code, or parts joined by "
        "a space (a date column and a time column).",
    )
    template: str | None = Field(
        None, description="Text built from columns, e.g. 'SR-{记录编号}' (inverted on write)."
    )
    constant: Any = Field(None, description="A fixed value in the standard's form.")
    default: Any = Field(None, description="Value (standard's form) when the cell is empty.")
    kind: Kind | None = Field(None, description="Override the transform inferred from the field.")
    codelist: str | None = Field(None, description="Code list whose labels the cells hold.")
    values: dict[str, Any] | None = Field(
        None, description="Label → value in the standard (first label per value is written)."
    )
    format: str | None = Field(
        None, description="Date/date-time format written (and tried first when reading)."
    )
    formats: list[str] = Field(default_factory=list, description="More formats accepted.")
    unit: Literal["hours", "minutes"] = Field("hours", description="Unit of an hours column.")
    decimals: int | None = Field(None, ge=0, le=2, description="Decimals of hours written.")
    split: bool | str | list[str] | None = Field(
        None, description="Separators of several values in one cell (list fields)."
    )
    join: str | None = Field(None, description="Separator used when writing a list.")
    halfwidth: bool | None = Field(
        None, description="Full-width → half-width (default: on except for text)."
    )
    trim: bool = Field(True, description="Strip surrounding spaces.")
    timezone: str | None = Field(None, description="Time zone of naive date-times.")
    municipality_city: str = Field(
        "same", description="City written for 直辖市: 'same' (北京市), '市辖区' or ''."
    )
    true_values: list[str] | None = None
    false_values: list[str] | None = None
    optional: bool = Field(False, description="The column may be missing from the file.")


class EntitySpec(BaseModel):
    """One table (a CSV file or a sheet) holding one entity type."""

    model_config = ConfigDict(extra="forbid")

    type: str
    file: str | None = Field(None, description="File in a folder source (CSV or XLSX).")
    sheet: str | None = Field(None, description="Sheet in a workbook.")
    header_row: int = Field(1, ge=1, description="Row of the header (1-based).")
    columns: list[str] | None = Field(
        None, description="Column order when writing (the export's full header)."
    )
    ignore: list[str] = Field(default_factory=list, description="Columns dropped on read.")
    fields: dict[str, FieldSpec]

    @field_validator("fields", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value


class MappingSpec(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    title: str | None = None
    encoding: str | None = Field(None, description="Encoding of the export (default: sniffed).")
    delimiter: str | None = Field(None, description="CSV delimiter (default: sniffed).")
    timezone: str = Field("+08:00", description="Time zone of date-times without an offset.")
    extensions_namespace: str = Field(
        "tabular", pattern=r"^[a-z][a-z0-9_-]{0,39}$", description="Where unmapped columns go."
    )
    keep_unmapped: bool = Field(True, description="Keep unmapped columns under extensions.")
    entities: list[EntitySpec] = Field(min_length=1)


# -- compiled rules ------------------------------------------------------------------------


@dataclass
class FieldRule:
    """One compiled field: its path in the object, its columns and its transform."""

    path: str
    steps: list[Step]
    kind: Kind
    is_list: bool
    columns: list[str]
    template: str | None
    template_columns: list[str]
    constant: Any
    has_constant: bool
    default: Any
    codelist: str | None
    read_map: dict[str, Any]
    write_map: dict[str, str]
    labels: list[str]
    formats: list[str]
    out_format: str | None
    unit: str
    decimals: int | None
    separators: tuple[str, ...]
    joiner: str
    to_halfwidth: bool
    trim: bool
    tz: tzinfo
    municipality_city: str
    true_words: tuple[str, ...]
    false_words: tuple[str, ...]
    optional: bool
    required: bool

    # -- reading -----------------------------------------------------------------------
    def read(self, cells: Mapping[str, Cell]) -> Any:
        """The standard value for this field from a row's cells (``None`` when absent)."""
        if self.template is not None:
            parts = {c: self._clean(cells.get(c, "")) for c in self.template_columns}
            if any(not cell_text(v) for v in parts.values()):
                return self.default
            return self.template.format_map({k: cell_text(v) for k, v in parts.items()})
        if not self.columns:
            return self.constant
        values = [self._clean(cells.get(c, "")) for c in self.columns]
        if all(is_empty(v) for v in values):
            return self.default
        if self.kind == "region" and len(self.columns) > 1:
            index = region_index()
            return index.code_for(*(cell_text(v) for v in values))
        if len(values) == 1:
            value: Cell = values[0]
        else:
            value = " ".join(cell_text(v) for v in values if not is_empty(v))
        if self.is_list:
            items = _split(cell_text(value), self.separators)
            return [self._scalar(item) for item in items]
        return self._scalar(value)

    def _clean(self, cell: Cell) -> Cell:
        if isinstance(cell, str):
            if self.trim:
                cell = trim(cell)
            if self.to_halfwidth:
                cell = halfwidth(cell)
        return cell

    def _scalar(self, value: Cell) -> Any:
        if self.read_map:
            key = value if isinstance(value, str) else cell_text(value)
            if key in self.read_map:
                return self.read_map[key]
            folded = key.casefold()
            if folded in self.read_map:
                return self.read_map[folded]
            if self.kind == "code":
                raise TransformError(self._unknown_label(key))
        kind = self.kind
        if kind in ("text", "code"):
            return cell_text(value)
        if kind == "date":
            return parse_date(value, self.formats).isoformat()
        if kind == "datetime":
            return iso_datetime(parse_datetime(value, self.tz, self.formats))
        if kind == "hours":
            return parse_hours(value, self.unit)
        if kind == "integer":
            return parse_integer(value)
        if kind == "number":
            return parse_number(value)
        if kind == "boolean":
            return parse_bool(value, self.true_words, self.false_words)
        if kind == "region":
            return region_index().code_for_text(cell_text(value))
        raise AssertionError(kind)

    def _unknown_label(self, value: str) -> str:
        shown = self.labels[:40]
        more = f" … ({len(self.labels)} in all)" if len(self.labels) > 40 else ""
        close = difflib.get_close_matches(value, self.labels, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        what = f"code list {self.codelist}" if self.codelist else "the value map"
        allowed = ", ".join(shown) + more
        return f"unknown value {value!r} for {self.path} ({what}); allowed: {allowed}{hint}"

    # -- writing -----------------------------------------------------------------------
    def write(self, value: Any) -> dict[str, Cell]:
        """Cells for this field's value: the inverse of :meth:`read`."""
        if not self.columns and self.template is None:
            return {}
        if value is None:
            return {}
        if self.template is not None:
            return self._untemplate(str(value))
        if self.kind == "region" and len(self.columns) > 1:
            try:
                names = region_index().names_for(str(value), self.municipality_city)
            except TransformError:
                return {self.columns[0]: str(value)}
            return dict(zip(self.columns, names[: len(self.columns)], strict=False))
        if self.is_list and isinstance(value, list):
            text: Cell = self.joiner.join(cell_text(self._unscalar(v)) for v in value)
        else:
            text = self._unscalar(value)
        if len(self.columns) == 1:
            return {self.columns[0]: text}
        pieces = cell_text(text).split(" ", len(self.columns) - 1)
        return dict(zip(self.columns, pieces, strict=False))

    def _unscalar(self, value: Any) -> Cell:
        key = _key(value)
        if key in self.write_map:
            return self.write_map[key]
        kind = self.kind
        try:
            if kind == "date" and self.out_format:
                from datetime import date

                return format_datetime_text(date.fromisoformat(str(value)), self.out_format)
            if kind == "datetime":
                from datetime import datetime

                moment = datetime.fromisoformat(str(value))
                return format_datetime(moment, self.tz, self.out_format)
            if kind == "hours":
                return format_hours(str(value), self.unit, self.decimals)
        except (ValueError, TransformError):
            return str(value)
        if kind == "region" and self.out_format == "names":
            try:
                names = region_index().names_for(str(value), "")
            except TransformError:
                return str(value)
            return "".join(dict.fromkeys(n for n in names if n))
        if isinstance(value, bool):
            return self.true_words[0] if value else self.false_words[0]
        if isinstance(value, int | float):
            return value
        return str(value)

    def _untemplate(self, value: str) -> dict[str, Cell]:
        assert self.template is not None
        pattern = ""
        for literal, name, _spec, _conv in string.Formatter().parse(self.template):
            pattern += re.escape(literal)
            if name is not None:
                group = f"g{self.template_columns.index(name)}"
                seen = f"(?P={group})" if f"(?P<{group}>" in pattern else f"(?P<{group}>.+?)"
                pattern += seen
        match = re.fullmatch(pattern, value, re.DOTALL)
        if match is None:
            return {self.template_columns[0]: value}
        return {c: match.group(f"g{i}") for i, c in enumerate(self.template_columns)}


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split(text: str, separators: Sequence[str]) -> list[str]:
    from volunteer_standard.connectors.tabular.transforms import split_values

    return split_values(text, separators)


@dataclass
class EntityMapping:
    """The compiled mapping of one table."""

    type: str
    file: str | None
    sheet: str | None
    header_row: int
    columns: list[str] | None
    ignore: frozenset[str]
    rules: list[FieldRule]
    namespace: str
    keep_unmapped: bool
    mapped_columns: list[str] = field(default_factory=list)

    @property
    def table_name(self) -> str:
        """Sheet name when writing a workbook (the mapping's sheet or the collection)."""
        return self.sheet or COLLECTIONS[self.type]

    @property
    def file_name(self) -> str:
        return self.file or f"{COLLECTIONS[self.type]}.csv"

    def output_columns(self, seen_extra: Sequence[str] = ()) -> list[str]:
        """The header written: ``columns`` if given, else mapped columns in mapping order;
        then columns kept under extensions, in the order first seen."""
        base = list(self.columns or self.mapped_columns)
        for col in [*self.mapped_columns, *seen_extra]:
            if col not in base:
                base.append(col)
        return base

    def numeric_columns(self) -> frozenset[str]:
        return frozenset(
            c for r in self.rules if r.kind in NUMERIC_KINDS and not r.is_list for c in r.columns
        )


@dataclass
class TabularMapping:
    """A loaded, checked mapping."""

    spec: MappingSpec
    entities: list[EntityMapping]
    source: str = "<mapping>"

    def for_type(self, kind: str) -> EntityMapping | None:
        return next((e for e in self.entities if e.type == kind), None)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.type for e in self.entities))


# -- loading -------------------------------------------------------------------------------


def load_mapping(path: str | Path) -> TabularMapping:
    """Read and check a mapping file (``.yaml``/``.yml``/``.toml``/``.json``)."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the mapping: {exc.strerror or exc}") from None
    suffix = location.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            import json

            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # yaml/toml/json syntax errors carry line numbers
        detail = " ".join(str(exc).replace('"<unicode string>", ', "").split())
        raise MappingError(f"{path}: not valid {suffix.lstrip('.') or 'yaml'}: {detail}") from None
    return mapping_from_dict(data, str(path))


def mapping_from_dict(data: Any, source: str = "<mapping>") -> TabularMapping:
    """Check a mapping given as a dict (as read from YAML/TOML)."""
    if not isinstance(data, Mapping):
        raise MappingError(f"{source}: a mapping must be an object with an 'entities' list")
    try:
        spec = MappingSpec.model_validate(data)
    except ValidationError as exc:
        raise MappingError(
            f"{source}: " + "; ".join(_describe(e, data) for e in exc.errors())
        ) from None
    errors: list[str] = []
    entities = [_compile_entity(spec, i, e, errors) for i, e in enumerate(spec.entities)]
    if errors:
        raise MappingError(f"{source}: " + "; ".join(errors))
    return TabularMapping(spec, entities, source)


def _describe(error: Any, data: Any) -> str:
    loc = _where(error["loc"])
    if error["type"] == "extra_forbidden":
        name = str(error["loc"][-1])
        options = (
            FieldSpec.model_fields
            if "fields" in error["loc"]
            else EntitySpec.model_fields
            if "entities" in error["loc"]
            else MappingSpec.model_fields
        )
        close = difflib.get_close_matches(name, options, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{loc}: unknown option{hint}"
    return f"{loc}: {error['msg']}"


def _where(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "function-after[_shorthand(), dict[str,FieldSpec]]"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _compile_entity(
    spec: MappingSpec, index: int, entity: EntitySpec, errors: list[str]
) -> EntityMapping:
    where = f"entities[{index}]"
    if entity.type not in ENTITY_MODELS:
        close = difflib.get_close_matches(entity.type, ENTITY_MODELS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(
            f"{where}.type: {entity.type!r} is not an entity type{hint}; "
            f"one of {', '.join(ENTITY_MODELS)}"
        )
        return EntityMapping(
            entity.type, entity.file, entity.sheet, 1, None, frozenset(), [], "", True
        )
    root = model_node(ENTITY_MODELS[entity.type])
    try:
        default_tz = parse_timezone(spec.timezone)
    except ValueError as exc:
        errors.append(f"timezone: {exc}")
        default_tz = parse_timezone("+08:00")
    rules: list[FieldRule] = []
    for path, fspec in entity.fields.items():
        rule = _compile_field(root, path, fspec, default_tz, f"{where}.fields.{path}", errors)
        if rule is not None:
            rules.append(rule)
    mapped = {r.steps[0] for r in rules if r.steps}
    for name in sorted(root.required - mapped):
        errors.append(
            f"{where}.fields: the required field {name!r} of {entity.type} is not mapped "
            "(give it a column, a template or a constant)"
        )
    _check_nested_required(root, rules, where, errors)
    mapped_columns: list[str] = []
    for rule in rules:
        for col in [*rule.columns, *rule.template_columns]:
            if col not in mapped_columns:
                mapped_columns.append(col)
    if entity.columns is not None:
        missing = [c for c in mapped_columns if c not in entity.columns]
        if missing:
            errors.append(f"{where}.columns: mapped columns missing from the list: {missing}")
    return EntityMapping(
        type=entity.type,
        file=entity.file,
        sheet=entity.sheet,
        header_row=entity.header_row,
        columns=entity.columns,
        ignore=frozenset(entity.ignore),
        rules=rules,
        namespace=spec.extensions_namespace,
        keep_unmapped=spec.keep_unmapped,
        mapped_columns=mapped_columns,
    )


def _check_nested_required(
    root: Obj, rules: Sequence[FieldRule], where: str, errors: list[str]
) -> None:
    """A nested object that is mapped at all needs its required fields mapped too
    (``id_document.number`` without ``id_document.type`` would fail on every row)."""
    paths = [tuple(r.steps) for r in rules]
    seen: set[tuple[Step, ...]] = set()
    for steps in paths:
        for cut in range(1, len(steps)):
            prefix = steps[:cut]
            if prefix in seen:
                continue
            seen.add(prefix)
            try:
                node = resolve(root, list(prefix))
            except KeyError:
                continue
            if not isinstance(node, Obj):
                continue
            for name in sorted(node.required):
                if not any(p[: cut + 1] == (*prefix, name) for p in paths):
                    shown = _show_path(prefix)
                    errors.append(
                        f"{where}.fields: {shown}.{name} is required when {shown} is mapped"
                    )


def _show_path(steps: Sequence[Step]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else ("." if out else "") + step
    return out


def _compile_field(
    root: Obj, path: str, spec: FieldSpec, default_tz: tzinfo, where: str, errors: list[str]
) -> FieldRule | None:
    try:
        steps = parse_path(path)
        node = resolve(root, steps)
    except (ValueError, KeyError) as exc:
        errors.append(f"{where}: {exc.args[0]}")
        return None
    if steps == ["type"]:
        errors.append(f"{where}: the type is set by the entity; remove this field")
        return None
    sources = [
        name
        for name, given in (
            ("column", spec.column is not None),
            ("columns", spec.columns is not None),
            ("template", spec.template is not None),
            ("constant", "constant" in spec.model_fields_set),
        )
        if given
    ]
    if len(sources) != 1:
        errors.append(
            f"{where}: give exactly one of column, columns, template or constant"
            + (f" (got {', '.join(sources)})" if sources else "")
        )
        return None
    is_list = isinstance(node, ListOf)
    leaf = node.item if isinstance(node, ListOf) else node
    if isinstance(leaf, Obj | ListOf):
        errors.append(
            f"{where}: {path} is an object or a list of objects; map its fields instead "
            f"(e.g. {path}.{next(iter(leaf.children)) if isinstance(leaf, Obj) else '…'})"
        )
        return None
    scalar = leaf if isinstance(leaf, Scalar) else Scalar("text")
    if isinstance(leaf, Json) and len(steps) < 3:
        errors.append(f"{where}: map extensions as extensions.<namespace>.<key>")
        return None
    kind: Kind = spec.kind or _kind(scalar, spec)
    codelist = spec.codelist or scalar.codelist
    if codelist is not None:
        try:
            codelists.get(codelist)
        except KeyError as exc:
            errors.append(f"{where}.codelist: {exc.args[0]}")
            return None
    for fmt in [*([spec.format] if spec.format and spec.format != "names" else []), *spec.formats]:
        try:
            check_format(fmt)
        except ValueError as exc:
            errors.append(f"{where}.format: {exc}")
    try:
        tz = parse_timezone(spec.timezone) if spec.timezone else default_tz
    except ValueError as exc:
        errors.append(f"{where}.timezone: {exc}")
        tz = default_tz
    if spec.unit == "minutes" and kind != "hours":
        errors.append(f"{where}.unit: only hours fields have a unit")
    columns = [spec.column] if spec.column is not None else list(spec.columns or [])
    if spec.columns is not None and not spec.columns:
        errors.append(f"{where}.columns: list at least one column")
    if kind == "region" and len(columns) > 3:
        errors.append(f"{where}.columns: a region takes at most 3 columns (省, 市, 区)")
    template_columns: list[str] = []
    if spec.template is not None:
        try:
            for _lit, name, fspec, conv in string.Formatter().parse(spec.template):
                if name is None:
                    continue
                if not name or fspec or conv:
                    raise ValueError("use plain {column name} placeholders")
                if name not in template_columns:
                    template_columns.append(name)
        except ValueError as exc:
            errors.append(f"{where}.template: {exc}")
            return None
        if not template_columns:
            errors.append(f"{where}.template: name at least one {{column}}")
            return None
    read_map, write_map, labels = _label_maps(codelist if kind == "code" else None, spec)
    if kind == "code" and codelist is None and not spec.values:
        kind = "text"
    separators: tuple[str, ...]
    if isinstance(spec.split, str):
        separators = (spec.split,)
    elif isinstance(spec.split, list):
        separators = tuple(spec.split)
    else:
        separators = DEFAULT_SEPARATORS
    if spec.split not in (None, False) and not is_list:
        errors.append(f"{where}.split: {path} holds one value, not a list")
    return FieldRule(
        path=path,
        steps=steps,
        kind=kind,
        is_list=is_list,
        columns=columns,
        template=spec.template,
        template_columns=template_columns,
        constant=spec.constant,
        has_constant="constant" in spec.model_fields_set,
        default=spec.default,
        codelist=codelist if kind == "code" else None,
        read_map=read_map,
        write_map=write_map,
        labels=labels,
        formats=[f for f in [spec.format, *spec.formats] if f and f != "names"],
        out_format=spec.format,
        unit=spec.unit,
        decimals=spec.decimals,
        separators=separators,
        joiner=spec.join if spec.join is not None else separators[0],
        to_halfwidth=spec.halfwidth if spec.halfwidth is not None else kind not in ("text",),
        trim=spec.trim,
        tz=tz,
        municipality_city=spec.municipality_city,
        true_words=tuple(spec.true_values or TRUE_WORDS),
        false_words=tuple(spec.false_values or FALSE_WORDS),
        optional=spec.optional,
        required=len(steps) == 1 and steps[0] in root.required,
    )


def _kind(scalar: Scalar, spec: FieldSpec) -> Kind:
    if scalar.region:
        return "region"
    if scalar.codelist or spec.codelist:
        return "code"
    return {
        "text": "text",
        "date": "date",
        "datetime": "datetime",
        "decimal": "hours",
        "integer": "integer",
        "number": "number",
        "boolean": "boolean",
    }[scalar.kind]  # type: ignore[return-value]


def _label_maps(
    codelist: str | None, spec: FieldSpec
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """``label → value`` for reading, ``value → label`` for writing, labels for messages.

    Explicit ``values`` come first and win; a code list adds its Chinese labels, its codes
    and its English labels (matched without case).
    """
    read: dict[str, Any] = {}
    write: dict[str, str] = {}
    labels: list[str] = []
    for label, value in (spec.values or {}).items():
        read[label] = value
        write.setdefault(_key(value), label)
        labels.append(label)
    if codelist is not None:
        codes = codelists.get(codelist)
        for entry in codes.codes:
            read.setdefault(entry.label_zh, entry.code)
            read.setdefault(entry.code, entry.code)
            read.setdefault(entry.label_en.casefold(), entry.code)
            write.setdefault(entry.code, entry.label_zh)
            if not entry.deprecated and entry.label_zh not in labels:
                labels.append(entry.label_zh)
    return read, write, labels


def drop_down_labels(rule: FieldRule) -> list[str]:
    """The labels a template offers for a column: what the writer writes, one per value."""
    if rule.kind == "boolean" and not rule.write_map:
        return [rule.true_words[0], rule.false_words[0]]
    if not rule.write_map:
        return []
    if rule.codelist is not None:
        codes = codelists.get(rule.codelist)
        out = [rule.write_map[c.code] for c in codes.codes if not c.deprecated]
        extra = [v for k, v in rule.write_map.items() if k not in codes]
        return list(dict.fromkeys([*out, *extra]))
    return list(dict.fromkeys(rule.write_map.values()))


def unmapped_value(cell: Cell) -> Any:
    """A cell kept under extensions: JSON-safe, as read."""
    return json_cell(cell)


__all__ = [
    "EntityMapping",
    "EntitySpec",
    "FieldRule",
    "FieldSpec",
    "MappingError",
    "MappingSpec",
    "TabularMapping",
    "drop_down_labels",
    "load_mapping",
    "mapping_from_dict",
]
