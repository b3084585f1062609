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
import functools
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from volunteer_standard import codelists
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty, json_cell
from volunteer_standard.connectors.tabular.ids import (
    DEFAULT_KEY_ENV,
    ID_NUMBER_HEADERS,
    IdKeyMissing,
    id_key,
    is_id_path,
    keyed_digest,
)
from volunteer_standard.connectors.tabular.introspect import (
    Json,
    ListOf,
    Node,
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
    compiled_format,
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
from volunteer_standard.io.config import ConfigError, read_config
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS
from volunteer_standard.text import Text

Kind = Literal[
    "text", "code", "integer", "number", "boolean", "date", "datetime", "hours", "region"
]
NUMERIC_KINDS = frozenset({"integer", "number", "hours"})


class MappingError(VstdError):
    """The mapping file is unusable; the message lists every problem with its place.

    ``problems`` holds each problem on its own (in both languages), without the source.
    """

    def __init__(self, message: Text | str, problems: Sequence[Text] = ()) -> None:
        super().__init__(message)
        self.problems: list[Text] = list(problems)


def _at(where: str, zh: str, en: str) -> Text:
    """A problem at ``where`` (a place in the mapping file) in both languages."""
    return Text(f"{where}：{zh}", f"{where}: {en}")


def _problems(source: str, problems: Sequence[Text]) -> MappingError:
    """One error listing every problem, prefixed with the mapping's source."""
    message = Text(
        f"{source}：" + "；".join(p.zh for p in problems),
        f"{source}: " + "; ".join(p.en for p in problems),
    )
    return MappingError(message, problems)


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
    sensitive: bool = Field(
        False, description="The column holds personal data (privacy modes mask or drop it)."
    )


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
    sensitive: list[str] = Field(
        default_factory=list,
        description="Unmapped columns that hold personal data (kept, but marked sensitive).",
    )
    key: list[str] | None = Field(
        None,
        description="Columns whose values identify the entity across rows (default: its id "
        "when several entities are read from one table). Repeats are merged.",
    )
    on_conflict: Literal["first", "last", "reject"] = Field(
        "first",
        description="Repeats with the same key but different values: keep the first, keep "
        "the last, or reject the later row.",
    )
    fields: dict[str, FieldSpec]

    @field_validator("key", mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("fields", mode="before")
    @classmethod
    def _shorthand(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, Mapping):
            root = ENTITY_MODELS.get(str(info.data.get("type")))
            flat_fields = _dotted(value, model_node(root)) if root is not None else value
            return {k: {"column": v} if isinstance(v, str) else v for k, v in flat_fields.items()}
        return value


def _dotted(fields: Mapping[str, Any], root: Obj, prefix: str = "") -> dict[str, Any]:
    """Field paths flattened: TOML reads ``id_document.type = …`` as a nested table.

    A table at a path that is an object of the model (``id_document``) is a level of the
    path; any other table is the field's spec (``{column = "姓名"}``).
    """
    out: dict[str, Any] = {}
    for name, value in fields.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping) and _is_level(root, path, value):
            out.update(_dotted(value, root, f"{path}."))
        else:
            out[path] = value
    return out


def _is_level(root: Obj, path: str, value: Mapping[str, Any]) -> bool:
    """An object of the model, or free JSON (extensions) given as a table of keys."""
    try:
        node = resolve(root, parse_path(path))
    except (ValueError, KeyError):
        return False
    if isinstance(node, Obj):
        return True
    return isinstance(node, Json) and not set(value) <= set(FieldSpec.model_fields)


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
    id_key_env: str = Field(
        DEFAULT_KEY_ENV, description="Environment variable holding the key of {digest:…} ids."
    )
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
    sensitive: bool = False
    #: The template cut into (literal, placeholder kind, columns); kind is "column",
    #: "pseudo" (``_row``/``_file``) or "digest".
    template_parts: list[tuple[str, str | None, tuple[str, ...]]] = field(default_factory=list)
    digest_key: bytes | None = None
    #: Values already read, by cell text (see :meth:`read`); bounded, cleared when full.
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its reader (a closure) and memo: both are rebuilt on first use,
        so a mapping can travel to worker processes."""
        state = dict(self.__dict__)
        state.pop("reader", None)
        state["_memo"] = {}
        return state

    # -- reading -----------------------------------------------------------------------
    def read(self, cells: Mapping[str, Cell]) -> Any:
        """The standard value for this field from a row's cells (``None`` when absent)."""
        return self.reader(cells)

    @functools.cached_property
    def reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        """:meth:`read` as one function, chosen once from the field's options.

        Exports repeat the same labels, dates and place names on row after row, and a
        transformed field's value depends on its cells' text alone: a value read once is
        remembered (immutable values only; failures are never remembered, so each failing
        row gets its own message). Plain text columns are only trimmed.
        """
        if self.template is not None:
            if any(kind == "digest" for _l, kind, _n in self.template_parts):
                return self._digest_reader()
            return self._template_reader()
        if not self.columns:
            constant = self.constant
            return lambda _cells: constant
        plain = self.kind == "text" and not self.is_list and not self.read_map
        if plain and len(self.columns) == 1:
            return self._text_reader()
        if self.is_list and len(self.columns) == 1:
            return self._list_reader()
        if self.kind == "text" or self.is_list:
            return self._read
        return self._memo_reader()

    def _read_template(self, cells: Mapping[str, Cell]) -> Any:
        built = self._render(cells)
        return self.default if built is None else built

    def _digest_reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        """:meth:`_read_template` for templates with a keyed digest, remembered by the
        cells they read (a ledger repeats a person's or a team's cells on row after row);
        not when ``_row`` is read, which no other row repeats."""
        names = [n for _l, kind, found in self.template_parts if kind for n in found]
        slow, memo = self._read_template, self._memo
        if "_row" in names:
            return slow

        def read_digest(cells: Mapping[str, Cell]) -> Any:
            key = tuple([cells.get(n, "") for n in names])
            for part in key:
                if part.__class__ is not str:
                    return slow(cells)
            found = memo.get(key, _UNSEEN)
            if found is not _UNSEEN:
                return found
            value = slow(cells)
            if value is None or value.__class__ in _IMMUTABLE:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = value
            return value

        return read_digest

    def _template_reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        """:meth:`_render` for templates of columns and ``_row``/``_file`` only."""
        parts = [
            (literal, names[0] if kind else None) for literal, kind, names in self.template_parts
        ]
        clean, default, trimmed, narrowed = self._clean, self.default, self.trim, self.to_halfwidth

        def read(cells: Mapping[str, Cell]) -> Any:
            out = ""
            for literal, name in parts:
                if name is None:
                    out += literal
                    continue
                value = cells.get(name, "")
                if value.__class__ is str:  # _clean, inlined for text
                    if trimmed:
                        value = trim(value)
                    if narrowed:
                        value = halfwidth(value)
                else:
                    value = cell_text(clean(value))
                if not value.strip():
                    return default
                out += literal + value
            return out

        return read

    def _text_reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        column, default, slow = self.columns[0], self.default, self._read
        trimmed, narrowed = self.trim, self.to_halfwidth

        def read(cells: Mapping[str, Cell]) -> Any:
            cell = cells.get(column, "")
            if cell.__class__ is not str:
                return slow(cells)
            if trimmed:
                cell = trim(cell)
            if narrowed:
                cell = halfwidth(cell)
            return cell if cell.strip() else default

        return read

    def _list_reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        """A list field of one column: the items remembered as a tuple, each caller
        given a list of its own."""
        memo, slow, column = self._memo, self._read, self.columns[0]

        def read_list(cells: Mapping[str, Cell]) -> Any:
            key = cells.get(column, "")
            if key.__class__ is not str:
                return slow(cells)
            found = memo.get(key, _UNSEEN)
            if found is not _UNSEEN:
                return found if found is None else list(found)
            value = slow(cells)
            if value is None or (
                value.__class__ is list and all(v.__class__ in _IMMUTABLE for v in value)
            ):
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = value if value is None else tuple(value)
            return value

        return read_list

    def _memo_reader(self) -> Callable[[Mapping[str, Cell]], Any]:
        memo, slow, miss, columns = self._memo, self._read, self._memo_miss(), self.columns

        def remember(key: Any, value: Any) -> Any:
            if value is None or value.__class__ in _IMMUTABLE:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = value
            return value

        if len(columns) == 1:
            column = columns[0]

            def read_one(cells: Mapping[str, Cell]) -> Any:
                key = cells.get(column, "")
                if key.__class__ is not str:
                    return slow(cells)
                found = memo.get(key, _UNSEEN)
                return remember(key, miss(cells)) if found is _UNSEEN else found

            return read_one

        def read_several(cells: Mapping[str, Cell]) -> Any:
            key = tuple([cells.get(c, "") for c in columns])
            for part in key:
                if part.__class__ is not str:
                    return slow(cells)
            found = memo.get(key, _UNSEEN)
            return remember(key, slow(cells)) if found is _UNSEEN else found

        return read_several

    def _memo_miss(self) -> Callable[[Mapping[str, Cell]], Any]:
        """How a text cell not remembered is read: :meth:`_read`, or for a date or date-time
        text matching the field's first format, that format's compiled expression alone
        (what :meth:`_read` would find first, without its many steps)."""
        slow = self._read
        compiled = compiled_format(self.formats[0]) if self.formats else None
        if (
            compiled is None
            or self.kind not in ("date", "datetime")
            or self.read_map
            or len(self.columns) != 1
        ):
            return slow
        column, match, tz = self.columns[0], compiled.regex.match, self.tz
        as_date = self.kind == "date"
        y, mo, d, h, mi, sec = compiled.groups
        # A fixed offset is written the same on every date-time: formatted once.
        suffix = datetime(2000, 1, 1, tzinfo=tz).isoformat()[19:] if type(tz) is timezone else None

        def read_dated(cells: Mapping[str, Cell]) -> Any:
            text = trim(cast("str", cells.get(column, "")))  # a text cell (see read_one)
            if not text.isascii():
                text = halfwidth(text)
            found = match(text)
            if found is None or found.end() != len(text):
                return slow(cells)
            values = found.groups()
            parts = (
                1900 if y is None else int(values[y - 1]),
                1 if mo is None else int(values[mo - 1]),
                1 if d is None else int(values[d - 1]),
                0 if h is None else int(values[h - 1]),
                0 if mi is None else int(values[mi - 1]),
                0 if sec is None else int(values[sec - 1]),
            )
            try:
                moment = datetime(*parts)  # checks that the day and time exist
            except ValueError:
                return slow(cells)
            if as_date:
                return _ISO_DATE(*parts[:3])  # date.isoformat()
            if suffix is None:
                return iso_datetime(moment.replace(tzinfo=tz))
            return _ISO_DATETIME(*parts, suffix)  # iso_datetime

        return read_dated

    def _read(self, cells: Mapping[str, Cell]) -> Any:
        """The value read the plain way: the cells cleaned, then transformed."""
        if len(self.columns) == 1:
            return self._read_cell(self._clean(cells.get(self.columns[0], "")))
        values = [self._clean(cells.get(c, "")) for c in self.columns]
        if all(is_empty(v) for v in values):
            return self.default
        if self.kind == "region":
            return region_index().code_for(*(cell_text(v) for v in values))
        return self._transform(" ".join(cell_text(v) for v in values if not is_empty(v)))

    def _read_cell(self, cell: Cell) -> Any:
        plain = self.kind == "text" and not self.is_list and not self.read_map
        if plain and isinstance(cell, str):  # a plain text column: trimmed, nothing more
            return cell if cell.strip() else self.default
        if is_empty(cell):
            return self.default
        return self._transform(cell)

    def _transform(self, value: Cell) -> Any:
        if self.is_list:
            return [self._scalar(item) for item in _split(cell_text(value), self.separators)]
        return self._scalar(value)

    def _render(self, cells: Mapping[str, Cell]) -> str | None:
        """The template filled from the row; ``None`` when one of its cells is empty."""
        out: list[str] = []
        for literal, kind, names in self.template_parts:
            out.append(literal)
            if kind is None:
                continue
            values = [cell_text(self._clean(cells.get(n, ""))) for n in names]
            if any(not v.strip() for v in values):
                return None
            if kind == "digest":
                assert self.digest_key is not None
                out.append(keyed_digest(values, self.digest_key))
            else:
                out.append(values[0])
        return "".join(out)

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

    def _unknown_label(self, value: str) -> Text:
        shown = self.labels[:40]
        more = f" … ({len(self.labels)} in all)" if len(self.labels) > 40 else ""
        close = difflib.get_close_matches(value, self.labels, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        what = f"code list {self.codelist}" if self.codelist else "the value map"
        allowed = ", ".join(shown) + more
        hint_zh = f"；是否为 {'、'.join(close)}？" if close else ""
        what_zh = f"代码表 {self.codelist}" if self.codelist else "取值对照表"
        return Text(
            f"{self.path} 的值 {value!r} 不在{what_zh}中；可用：{'、'.join(shown)}{more}{hint_zh}",
            f"unknown value {value!r} for {self.path} ({what}); allowed: {allowed}{hint}",
        )

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
        """Cells from an id built by the template (digests and ``_row`` cannot be inverted)."""
        pattern = ""
        names: list[str] = []
        for literal, kind, columns in self.template_parts:
            pattern += re.escape(literal)
            if kind != "column":
                pattern += ".+?" if kind is not None else ""
                continue
            name = columns[0]
            if name in names:
                pattern += f"(?P=g{names.index(name)})"
            else:
                pattern += f"(?P<g{len(names)}>.+?)"
                names.append(name)
        match = re.fullmatch(pattern, value, re.DOTALL)
        if match is None:
            return {names[0]: value} if names else {}
        return {c: match.group(f"g{i}") for i, c in enumerate(names)}


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
    key: list[str] | None = None
    on_conflict: Literal["first", "last", "reject"] = "first"
    sensitive_columns: frozenset[str] = frozenset()

    @property
    def table_key(self) -> tuple[str | None, str | None, int]:
        """Entities with the same file, sheet and header row are read from one table."""
        return (self.file, self.sheet, self.header_row)

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

    @property
    def sensitive_columns(self) -> frozenset[str]:
        """Columns marked ``sensitive`` (fields or unmapped): privacy modes honour them."""
        return frozenset(c for e in self.entities for c in e.sensitive_columns)

    def table_groups(self) -> list[list[EntityMapping]]:
        """The entities grouped by the table they are read from, in mapping order."""
        groups: dict[tuple[str | None, str | None, int], list[EntityMapping]] = {}
        for entity in self.entities:
            groups.setdefault(entity.table_key, []).append(entity)
        return list(groups.values())


# -- loading -------------------------------------------------------------------------------


def load_mapping(path: str | Path) -> TabularMapping:
    """Read and check a mapping file (``.yaml``/``.yml``/``.toml``/``.json``)."""
    try:
        data = read_config(path)
    except ConfigError as exc:
        raise MappingError(exc.text) from None
    return mapping_from_dict(data, str(path))


def mapping_from_dict(data: Any, source: str = "<mapping>") -> TabularMapping:
    """Check a mapping given as a dict (as read from YAML/TOML)."""
    if not isinstance(data, Mapping):
        raise MappingError(
            Text(
                f"{source}：映射必须是一个含 entities 列表的对象",
                f"{source}: a mapping must be an object with an 'entities' list",
            )
        )
    try:
        spec = MappingSpec.model_validate(data)
    except ValidationError as exc:
        raise _problems(source, [_describe(e, data) for e in exc.errors()]) from None
    errors: list[Text] = []
    entities = [_compile_entity(spec, i, e, errors) for i, e in enumerate(spec.entities)]
    _check_ids(spec, entities, errors)
    if errors:
        raise _problems(source, errors)
    return TabularMapping(spec, entities, source)


#: Chinese for the pydantic errors a mapping file commonly has (``{…}`` from the error's
#: context); other errors read "取值无效" with pydantic's own words.
_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "literal_error": "取值应为 {expected}",
    "too_short": "至少需要 {min_length} 项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值表）",
    "model_type": "应为对象（键值表）",
    "model_attributes_type": "应为对象（键值表）",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_pattern_mismatch": "不符合格式 {pattern}",
}


def _describe(error: Any, data: Any) -> Text:
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
        hint_zh = f"（是否为 {close[0]!r}？）" if close else ""
        return Text(f"{loc.zh}：未知的键{hint_zh}", f"{loc.en}: unknown option{hint}")
    template = _PYDANTIC_ZH.get(error["type"])
    context = {k: str(v).replace(" or ", " 或 ") for k, v in (error.get("ctx") or {}).items()}
    try:
        zh = template.format(**context) if template else None
    except (KeyError, IndexError, ValueError):
        zh = None
    return Text(f"{loc.zh}：{zh or '取值无效：' + str(error['msg'])}", f"{loc.en}: {error['msg']}")


def _where(loc: Sequence[Any]) -> Text:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "function-after[_shorthand(), dict[str,FieldSpec]]"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return Text(out, out) if out else Text("（顶层）", "(top level)")


def _compile_entity(
    spec: MappingSpec, index: int, entity: EntitySpec, errors: list[Text]
) -> EntityMapping:
    where = f"entities[{index}]"
    if entity.type not in ENTITY_MODELS:
        close = difflib.get_close_matches(entity.type, ENTITY_MODELS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        hint_zh = f"（是否为 {close[0]!r}？）" if close else ""
        errors.append(
            _at(
                f"{where}.type",
                f"{entity.type!r} 不是实体类型{hint_zh}；可选：{'、'.join(ENTITY_MODELS)}",
                f"{entity.type!r} is not an entity type{hint}; one of {', '.join(ENTITY_MODELS)}",
            )
        )
        return EntityMapping(
            entity.type, entity.file, entity.sheet, 1, None, frozenset(), [], "", True
        )
    root = model_node(ENTITY_MODELS[entity.type])
    try:
        default_tz = parse_timezone(spec.timezone)
    except ValueError as exc:
        errors.append(_timezone_problem("timezone", spec.timezone, exc))
        default_tz = parse_timezone("+08:00")
    rules: list[FieldRule] = []
    for path, fspec in entity.fields.items():
        rule = _compile_field(root, path, fspec, default_tz, f"{where}.fields.{path}", errors)
        if rule is not None:
            rules.append(rule)
    mapped = {r.steps[0] for r in rules if r.steps}
    for name in sorted(root.required - mapped):
        errors.append(
            _at(
                f"{where}.fields",
                f"{entity.type} 的必填字段 {name!r} 没有映射"
                "（请给它 column、template 或 constant）",
                f"the required field {name!r} of {entity.type} is not mapped "
                "(give it a column, a template or a constant)",
            )
        )
    _check_nested_required(root, rules, where, errors)
    mapped_columns = list(
        dict.fromkeys(c for r in rules for c in [*r.columns, *r.template_columns])
    )
    if entity.columns is not None:
        missing = [c for c in mapped_columns if c not in entity.columns]
        if missing:
            errors.append(
                _at(
                    f"{where}.columns",
                    f"已映射的列不在列表中：{missing}",
                    f"mapped columns missing from the list: {missing}",
                )
            )
    sensitive = {c for r in rules if r.sensitive for c in r.columns} | set(entity.sensitive)
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
        key=entity.key,
        on_conflict=entity.on_conflict,
        sensitive_columns=frozenset(sensitive),
    )


def _check_nested_required(
    root: Obj, rules: Sequence[FieldRule], where: str, errors: list[Text]
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
            for name in _missing_required(root, prefix, paths):
                shown = _show_path(prefix)
                errors.append(
                    _at(
                        f"{where}.fields",
                        f"映射了 {shown} 时，{shown}.{name} 为必填",
                        f"{shown}.{name} is required when {shown} is mapped",
                    )
                )


def _missing_required(
    root: Obj, prefix: tuple[Step, ...], paths: Sequence[tuple[Step, ...]]
) -> list[str]:
    try:
        node = resolve(root, list(prefix))
    except KeyError:
        return []
    if not isinstance(node, Obj):
        return []
    cut = len(prefix)
    return [
        name
        for name in sorted(node.required)
        if not any(p[: cut + 1] == (*prefix, name) for p in paths)
    ]


def _show_path(steps: Sequence[Step]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else ("." if out else "") + step
    return out


#: Template placeholders that are not columns: the row number and the file name.
PSEUDO_COLUMNS = frozenset({"_row", "_file"})

#: Values a field rule may hand out again from its memo (nothing a caller could change).
_IMMUTABLE = frozenset({str, int, float, bool})
#: ``date.isoformat()`` and ``iso_datetime`` (whole seconds, an offset) from their numbers.
_ISO_DATE = "{:04d}-{:02d}-{:02d}".format
_ISO_DATETIME = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format
_MEMO_SIZE = 16384
_UNSEEN = object()


def _compile_field(
    root: Obj, path: str, spec: FieldSpec, default_tz: tzinfo, where: str, errors: list[Text]
) -> FieldRule | None:
    target = _field_target(root, path, spec, where, errors)
    if target is None:
        return None
    steps, is_list, scalar = target
    kind: Kind = spec.kind or _kind(scalar, spec)
    codelist = spec.codelist or scalar.codelist
    if codelist is not None and not _known_codelist(codelist, where, errors):
        return None
    tz = _field_checks(spec, kind, is_list, path, default_tz, where, errors)
    columns = [spec.column] if spec.column is not None else list(spec.columns or [])
    parts = _template_parts(spec.template, where, errors)
    if parts is None:
        return None
    read_map, write_map, labels = _label_maps(codelist if kind == "code" else None, spec)
    if kind == "code" and codelist is None and not spec.values:
        kind = "text"
    return FieldRule(
        path=path,
        steps=steps,
        kind=kind,
        is_list=is_list,
        columns=columns,
        template=spec.template,
        template_columns=_template_columns(parts),
        constant=spec.constant,
        has_constant="constant" in spec.model_fields_set,
        default=spec.default,
        codelist=codelist if kind == "code" else None,
        read_map=read_map,
        write_map=write_map,
        labels=labels,
        tz=tz,
        required=len(steps) == 1 and steps[0] in root.required,
        template_parts=parts,
        **_options(spec, kind),
    )


def _template_columns(parts: Sequence[tuple[str, str | None, tuple[str, ...]]]) -> list[str]:
    """The real columns a template reads (its ``{column}`` and ``{digest:…}`` ones)."""
    found = (c for _l, k, names in parts if k in ("column", "digest") for c in names)
    return list(dict.fromkeys(c for c in found if c not in PSEUDO_COLUMNS))


def _options(spec: FieldSpec, kind: Kind) -> dict[str, Any]:
    """The field options that are copied from the spec (with their defaults filled)."""
    separators = _separators(spec.split)
    return {
        "formats": [f for f in [spec.format, *spec.formats] if f and f != "names"],
        "out_format": spec.format,
        "unit": spec.unit,
        "decimals": spec.decimals,
        "separators": separators,
        "joiner": spec.join if spec.join is not None else separators[0],
        "to_halfwidth": spec.halfwidth if spec.halfwidth is not None else kind != "text",
        "trim": spec.trim,
        "municipality_city": spec.municipality_city,
        "true_words": tuple(spec.true_values or TRUE_WORDS),
        "false_words": tuple(spec.false_values or FALSE_WORDS),
        "optional": spec.optional,
        "sensitive": spec.sensitive,
    }


def _field_target(
    root: Obj, path: str, spec: FieldSpec, where: str, errors: list[Text]
) -> tuple[list[Step], bool, Scalar] | None:
    """The field's path steps, whether it is a list, and its scalar type; or ``None``."""
    try:
        steps = parse_path(path)
        node = resolve(root, steps)
    except (ValueError, KeyError) as exc:
        errors.append(_at(where, _path_problem_zh(root, path), str(exc.args[0])))
        return None
    if steps == ["type"]:
        errors.append(
            _at(
                where,
                "类型由实体的 type 决定，请删除这个字段",
                "the type is set by the entity; remove this field",
            )
        )
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
            _at(
                where,
                "column、columns、template、constant 须给且只给一个"
                + (f"（现在给了 {'、'.join(sources)}）" if sources else ""),
                "give exactly one of column, columns, template or constant"
                + (f" (got {', '.join(sources)})" if sources else ""),
            )
        )
        return None
    leaf = node.item if isinstance(node, ListOf) else node
    if isinstance(leaf, Obj | ListOf):
        example = f"{path}.{next(iter(leaf.children)) if isinstance(leaf, Obj) else '…'}"
        errors.append(
            _at(
                where,
                f"{path} 是对象或对象列表，请改为映射它的字段（例如 {example}）",
                f"{path} is an object or a list of objects; map its fields instead "
                f"(e.g. {example})",
            )
        )
        return None
    if isinstance(leaf, Json) and len(steps) < 3:
        errors.append(
            _at(
                where,
                "扩展字段请按 extensions.<命名空间>.<键> 映射",
                "map extensions as extensions.<namespace>.<key>",
            )
        )
        return None
    return steps, isinstance(node, ListOf), leaf if isinstance(leaf, Scalar) else Scalar("text")


def _known_codelist(name: str, where: str, errors: list[Text]) -> bool:
    try:
        codelists.get(name)
    except KeyError as exc:
        close = difflib.get_close_matches(name, codelists.names(), n=3)
        hint = f"；是否为 {'、'.join(close)}？" if close else ""
        errors.append(_at(f"{where}.codelist", f"未知的代码表 {name!r}{hint}", str(exc.args[0])))
        return False
    return True


def _path_problem_zh(root: Obj, path: str) -> str:
    """Why ``path`` is not a field of ``root``, in Chinese (as ``parse_path``/``resolve``
    say it in English)."""
    try:
        steps = parse_path(path)
    except ValueError:
        return f"字段路径 {path!r} 有误（请用字段名、点号和 [0] 这样的列表下标）"
    node: Node = root
    walked: list[str] = []
    for step in steps:
        where = f"{'.'.join(walked)} " if walked else "该实体"
        if isinstance(step, int):
            if not isinstance(node, ListOf) or not walked:
                return f"{where}不是列表，不能用 [{step}]"
            node = node.item
            walked[-1] += f"[{step}]"
            continue
        if isinstance(node, Json):
            walked.append(step)
            continue
        if not isinstance(node, Obj):
            return f"{where}没有下级字段，不能用 .{step}"
        if step not in node.children:
            close = difflib.get_close_matches(step, node.children, n=3)
            hint = f"；是否为 {'、'.join(close)}？" if close else ""
            return f"{where}没有字段 {step!r}{hint}"
        node = node.children[step]
        walked.append(step)
    return f"字段路径 {path!r} 无效"


def _timezone_problem(where: str, text: str, exc: ValueError) -> Text:
    """A time zone ``parse_timezone`` refused, in both languages."""
    if re.fullmatch(r"\s*[+-]\d{2}:?\d{2}\s*", text):
        zh = f"时差超出范围：{text!r}"
    else:
        zh = f"未知的时区 {text!r}（请用 +08:00 这样的时差或 Asia/Shanghai 这样的时区名）"
    return _at(where, zh, str(exc))


def _format_problem(where: str, fmt: str, exc: ValueError) -> Text:
    """A date format ``check_format`` refused, in both languages."""
    bad = next(
        (m.group(0) for m in re.finditer(r"%(-?)(.)", fmt) if m.group(2) not in "YmdHMS%"), ""
    )
    return _at(
        where,
        f"{fmt!r} 中的格式符 {bad} 不受支持（请用 %Y %m %d %H %M %S；不要前导零时用 %-m %-d %-H）",
        str(exc),
    )


def _field_checks(
    spec: FieldSpec,
    kind: Kind,
    is_list: bool,
    path: str,
    default_tz: tzinfo,
    where: str,
    errors: list[Text],
) -> tzinfo:
    """Check the options that depend on the field's kind; return its time zone."""
    for fmt in [*([spec.format] if spec.format and spec.format != "names" else []), *spec.formats]:
        try:
            check_format(fmt)
        except ValueError as exc:
            errors.append(_format_problem(f"{where}.format", fmt, exc))
    tz = default_tz
    try:
        tz = parse_timezone(spec.timezone) if spec.timezone else default_tz
    except ValueError as exc:
        errors.append(_timezone_problem(f"{where}.timezone", spec.timezone or "", exc))
    if spec.unit == "minutes" and kind != "hours":
        errors.append(_at(f"{where}.unit", "只有时长字段才有单位", "only hours fields have a unit"))
    if spec.columns is not None and not spec.columns:
        errors.append(_at(f"{where}.columns", "请至少列出一列", "list at least one column"))
    if kind == "region" and len(spec.columns or []) > 3:
        errors.append(
            _at(
                f"{where}.columns",
                "地区最多取 3 列（省、市、区）",
                "a region takes at most 3 columns (省, 市, 区)",
            )
        )
    if spec.split not in (None, False) and not is_list:
        errors.append(
            _at(
                f"{where}.split",
                f"{path} 只有一个值，不是列表，不能拆分",
                f"{path} holds one value, not a list",
            )
        )
    return tz


def _template_parts(
    template: str | None, where: str, errors: list[Text]
) -> list[tuple[str, str | None, tuple[str, ...]]] | None:
    """The template as (literal, placeholder kind, columns); ``None`` if it is unusable."""
    if template is None:
        return []
    parts: list[tuple[str, str | None, tuple[str, ...]]] = []
    try:
        for literal, name, fspec, conv in string.Formatter().parse(template):
            parts.append((literal, *_placeholder(name, fspec, conv)))
    except MappingError as exc:
        errors.append(_at(f"{where}.template", exc.text.zh, exc.text.en))
        return None
    except ValueError as exc:
        errors.append(
            _at(
                f"{where}.template",
                "模板无法解析：花括号须成对（字面的花括号写作 {{ 或 }}）",
                str(exc),
            )
        )
        return None
    if not any(kind is not None for _l, kind, _n in parts):
        errors.append(
            _at(f"{where}.template", "模板中至少要有一个 {列名}", "name at least one {column}")
        )
        return None
    return parts


def _placeholder(
    name: str | None, fspec: str | None, conv: str | None
) -> tuple[str | None, tuple[str, ...]]:
    if name is None:
        return None, ()
    if name == "digest" and fspec and not conv:
        columns = tuple(c.strip() for c in fspec.split(",") if c.strip())
        if not columns:
            raise MappingError(
                Text(
                    "请写出要生成摘要的列：{digest:列1,列2}",
                    "name the digested columns: {digest:column1,column2}",
                )
            )
        return "digest", columns
    if not name or fspec or conv:
        raise MappingError(
            Text(
                "占位符只能是 {列名}、{_row}、{_file} 或 {digest:列,…}",
                "use plain {column name} placeholders, {_row}, {_file} or {digest:column,…}",
            )
        )
    return ("pseudo" if name in PSEUDO_COLUMNS else "column"), (name,)


def _separators(split: bool | str | list[str] | None) -> tuple[str, ...]:
    if isinstance(split, str):
        return (split,)
    if isinstance(split, list):
        return tuple(split)
    return DEFAULT_SEPARATORS


def _id_number_columns(entities: Sequence[EntityMapping]) -> set[str]:
    """Columns holding ID numbers: mapped to ``id_document.number`` or named like one."""
    found = {
        c
        for e in entities
        for r in e.rules
        if r.path.endswith("id_document.number")
        for c in r.columns
    }
    found |= {
        c
        for e in entities
        for r in e.rules
        for c in [*r.columns, *r.template_columns]
        if c in ID_NUMBER_HEADERS
    }
    return found


def _check_ids(spec: MappingSpec, entities: Sequence[EntityMapping], errors: list[Text]) -> None:
    """Refuse ids made of ID numbers in clear; give ``{digest:…}`` templates their key."""
    clear = _id_number_columns(entities)
    key: bytes | None = None
    for index, entity in enumerate(entities):
        for rule in entity.rules:
            where = f"entities[{index}].fields.{rule.path}"
            plain = [
                *rule.columns,
                *(n for _l, k, ns in rule.template_parts if k == "column" for n in ns),
            ]
            leaked = [c for c in plain if c in clear]
            if leaked and is_id_path(rule.path):
                errors.append(
                    _at(
                        where,
                        f"编号绝不能是明文身份证号（{leaked[0]!r}）；"
                        f'请用带密钥的摘要生成：template = "V-{{digest:{leaked[0]}}}"',
                        f"an id must never be an ID number in clear ({leaked[0]!r}); "
                        f'derive it with a keyed digest: template = "V-{{digest:{leaked[0]}}}"',
                    )
                )
            if any(k == "digest" for _l, k, _n in rule.template_parts):
                if key is None:
                    try:
                        key = id_key(spec.id_key_env)
                    except IdKeyMissing as exc:
                        errors.append(_at(f"{where}.template", exc.text.zh, exc.text.en))
                        return
                rule.digest_key = key


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
        for alias, code in codelists.aliases(codelist).items():
            read.setdefault(alias, code)
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
