"""The ``tabular`` connector: CSV files and XLSX workbooks, with or without a mapping.

* With a mapping (``mapping = "mapping.yaml"`` in the connector config), a regional export
  is read column by column into the standard, and written back in the same layout.
* Without one, the standard's own flat layout is read and written (see ``flat``).

Every data row becomes one record with its location ``file:row`` (``file#sheet:row`` in a
workbook; the header is row 1). A cell that cannot be translated makes the record carry a
precise problem (row, column, value, what was expected) so that it lands in the reject
file; the run goes on.

Problem codes (reject file):

=======  ===============================================================
TAB100   bytes not valid in the file's encoding
TAB101   text looks garbled by a wrong decoding (mojibake)
TAB110   unknown label for a code list or value map
TAB111   not a date
TAB112   not a date-time
TAB113   not a number / hours / minutes
TAB114   unknown region names
TAB115   a required field's column is empty
TAB116   not yes/no
TAB119   other transform failure
TAB120   the row cannot be parsed as CSV
TAB121   the row has more cells than the header
TAB130   a flat-layout cell does not fit its column
=======  ===============================================================
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import Field

from volunteer_standard.connectors.base import (
    CheckResult,
    Connector,
    ConnectorConfig,
    ConnectorError,
    Problem,
    RecordWriter,
    SourceRecord,
)
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty, json_cell
from volunteer_standard.connectors.tabular.encoding import cell_verdict, normalise_encoding
from volunteer_standard.connectors.tabular.mapping import (
    EntityMapping,
    MappingError,
    TabularMapping,
    load_mapping,
)
from volunteer_standard.connectors.tabular.mojibake import Garbled
from volunteer_standard.connectors.tabular.options import EntityTypeName, TimezoneName
from volunteer_standard.connectors.tabular.readers import (
    Row,
    Table,
    read_csv,
    read_sheet,
    sheet_names,
)
from volunteer_standard.connectors.tabular.rowcheck import SharedCheck, row_check
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.connectors.tabular.sensitive import SensitiveScan
from volunteer_standard.connectors.tabular.transforms import parse_timezone
from volunteer_standard.connectors.tabular.writers import CellOut, TableWriter
from volunteer_standard.io.reader import InputError, Location, iter_raw
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, Entity
from volunteer_standard.text import Text

_CSV_SUFFIXES = (".csv", ".tsv")


class TabularConfig(ConnectorConfig):
    """Configuration of the ``tabular`` connector (all optional)."""

    mapping: str | None = Field(
        None,
        description="Mapping file (YAML/TOML). A relative path is looked up in the working "
        "directory, then in the source or target folder (and its parent), then its file name "
        "in that folder. Without it: the flat layout.",
    )
    format: Literal["auto", "csv", "xlsx"] = Field(
        "auto", description="auto: XLSX for .xlsx paths, CSV otherwise."
    )
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"] = Field(
        "auto",
        description="CSV encoding. Reading: auto sniffs UTF-8 (BOM or not), GB18030/GBK and "
        "UTF-16. Writing: auto is the mapping's encoding, else UTF-8 with a BOM (for Excel).",
    )
    delimiter: str | None = Field(
        None, min_length=1, max_length=1, description="CSV delimiter (default: sniffed / ',')."
    )
    sheet: str | None = Field(None, description="Read only this sheet of a workbook.")
    entity: EntityTypeName | None = Field(
        None, description="Entity type of a single flat-layout file whose name does not say."
    )
    timezone: TimezoneName | None = Field(
        None, description="Time zone of date-times without an offset (default +08:00)."
    )
    mojibake: Literal["reject", "ignore"] = Field(
        "reject", description="Reject rows whose text looks garbled by a wrong decoding."
    )
    ignore_sheets: list[str] = Field(
        default_factory=list, description="Sheets to skip (hidden and '_' sheets always are)."
    )
    existing: list[str] = Field(
        default_factory=list,
        description="Earlier outputs of the same mapping (JSON Lines or a JSON package): "
        "records whose ids are already there are not written again, so converting a fixed "
        "reject file adds only what was missing.",
    )
    row_rules: str = Field(
        "national",
        description="When one row gives several records (a ledger), the rules they must all "
        "pass before leaving the connector, so that a bad row is rejected whole: a profile "
        "name or file, 'structure', or 'none'.",
    )


class TabularConnector(Connector):
    """CSV and XLSX: regional exports through a mapping, or the standard's flat layout."""

    name = "tabular"
    title = "CSV / XLSX tables (mapping file or the standard's flat layout)"
    version = "1.0"
    reads = tuple(ENTITY_MODELS)
    writes = tuple(ENTITY_MODELS)
    config_model = TabularConfig

    def keeps_standard_form(self) -> bool:
        """Without a mapping, the standard's flat layout (lossless); with one, another
        system's layout."""
        return self.settings.mapping is None

    def sensitive_columns(self, source: str) -> frozenset[str]:
        """Source columns the mapping marks sensitive: privacy modes treat them as such
        wherever they travel (extensions, reject files)."""
        mapping = self.mapping(source) if self.settings.mapping is not None else None
        return mapping.sensitive_columns if mapping is not None else frozenset()

    @property
    def settings(self) -> TabularConfig:
        assert isinstance(self.config, TabularConfig)
        return self.config

    # -- configuration -----------------------------------------------------------------
    def mapping(self, near: str | None = None) -> TabularMapping | None:
        """The configured mapping (``None`` for the flat layout), loaded and checked."""
        given = self.settings.mapping
        if given is None:
            return None
        path = Path(given)
        if not path.is_absolute() and not path.exists() and near is not None:
            base = Path(near)
            folder = base if base.is_dir() else base.parent
            for candidate in (folder / path, base.parent / path, folder / path.name):
                if candidate.exists():
                    path = candidate
                    break
        try:
            return load_mapping(path)
        except MappingError as exc:
            raise ConnectorError(exc.text) from None

    def _tz_name(self, mapping: TabularMapping | None) -> str:
        if self.settings.timezone:
            return self.settings.timezone
        return mapping.spec.timezone if mapping else "+08:00"

    def check(self, location: str, *, for_writing: bool = False) -> CheckResult:
        try:
            self.mapping(location)
        except ConnectorError as exc:
            return CheckResult(False, str(exc))
        return super().check(location, for_writing=for_writing)

    # -- reading -----------------------------------------------------------------------
    def share_record_checks(self, profile: str, check: SharedCheck) -> None:
        """The conversion's own checks of one record under ``profile``, for the next
        :meth:`read`: a ledger row checked with ``row_rules`` equal to ``profile`` is
        checked by them, and its records carry what they found (checked once, not twice)."""
        self._shared: tuple[str, SharedCheck] | None = (profile, check)

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[SourceRecord]:
        if source == "-":
            raise ConnectorError("the tabular connector reads files and folders, not stdin")
        path = Path(source)
        if not path.exists():
            raise ConnectorError(f"{source}: no such file or folder")
        mapping = self.mapping(source)
        self._read_with = mapping
        shared: tuple[str, SharedCheck] | None = getattr(self, "_shared", None)
        self._shared = None  # for this read only
        if mapping is not None:
            for entity, table in self._mapped_tables(path, mapping):
                yield from self._read_mapped(entity, table, mapping, shared)
        else:
            for kind, table in self._flat_tables(path):
                yield from self._read_flat(kind, table, mapping)

    def _encoding(self, mapping: TabularMapping | None) -> str:
        if self.settings.encoding != "auto":
            return self.settings.encoding
        if mapping is not None and mapping.spec.encoding:
            return normalise_encoding(mapping.spec.encoding)
        return "auto"

    def _delimiter(self, mapping: TabularMapping | None) -> str | None:
        return self.settings.delimiter or (mapping.spec.delimiter if mapping else None)

    def _open(self, path: Path, mapping: TabularMapping | None, header_row: int = 1) -> Table:
        return read_csv(
            path,
            encoding=self._encoding(mapping),
            delimiter=self._delimiter(mapping),
            header_row=header_row,
        )

    def _is_xlsx(self, path: Path) -> bool:
        if self.settings.format != "auto":
            return self.settings.format == "xlsx"
        return path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods")

    def _visible_sheets(self, path: Path) -> list[str]:
        skip = set(self.settings.ignore_sheets)
        return [
            n
            for n, visible in sheet_names(path)
            if visible and not n.startswith("_") and n not in skip
        ]

    # flat layout
    def _flat_tables(self, path: Path) -> Iterator[tuple[str, Table]]:
        order = list(ENTITY_MODELS)
        if path.is_dir():
            found: dict[str, Path] = {}
            for child in sorted(path.iterdir()):
                if child.suffix.lower() not in _CSV_SUFFIXES:
                    continue
                kind = flat.entity_for_name(child.name)
                if kind is None:
                    raise ConnectorError(
                        f"{child}: not named after an entity type (expected files such as "
                        f"{', '.join(f'{c}.csv' for c in list(COLLECTIONS.values())[:3])} …); "
                        "give a mapping to read other layouts"
                    )
                if kind in found:
                    raise ConnectorError(
                        f"{path}: two files for {kind}: {found[kind].name}, {child.name}"
                    )
                found[kind] = child
            if not found:
                raise ConnectorError(f"{path}: no CSV files named after entity types")
            for kind in sorted(found, key=order.index):
                yield kind, self._open(found[kind], None)
        elif self._is_xlsx(path):
            sheets = [self.settings.sheet] if self.settings.sheet else self._visible_sheets(path)
            kinds: dict[str, str] = {}
            for sheet in sheets:
                kind = flat.entity_for_name(sheet) or (
                    self.settings.entity if len(sheets) == 1 else None
                )
                if kind is None:
                    raise ConnectorError(
                        f"{path}#{sheet}: the sheet is not named after an entity type "
                        f"(e.g. volunteers, service_records); set 'entity' or 'ignore_sheets'"
                    )
                kinds[sheet] = kind
            for sheet in sorted(kinds, key=lambda s: order.index(kinds[s])):
                yield kinds[sheet], read_sheet(path, sheet)
        else:
            kind = self.settings.entity or flat.entity_for_name(path.name)
            if kind is None:
                raise ConnectorError(
                    f"{path}: the file name does not say which entity type it holds; "
                    "name it after the type (volunteers.csv) or set 'entity' in the config"
                )
            yield kind, self._open(path, None)

    def _read_flat(
        self, kind: str, table: Table, mapping: TabularMapping | None
    ) -> Iterator[SourceRecord]:
        tz = parse_timezone(self._tz_name(mapping))
        columns: list[flat.Column | None] = []
        unknown: list[str] = []
        seen: set[str] = set()
        for name in table.header:
            if name in seen and name:
                raise ConnectorError(f"{table.label}: the column {name!r} appears twice")
            seen.add(name)
            if not name or name == "type":
                columns.append(None)
                continue
            try:
                columns.append(flat.column(kind, name))
            except KeyError:
                unknown.append(name)
                columns.append(None)
        if unknown:
            known = flat.template_columns(kind)
            described = ", ".join(
                f"{u!r}"
                + (
                    f" (did you mean {c[0]!r}?)"
                    if (c := difflib.get_close_matches(u, known, n=1))
                    else ""
                )
                for u in unknown
            )
            raise ConnectorError(
                f"{table.label}: columns that are not field paths of {kind}: {described}"
            )
        decoder = flat.RowDecoder(kind, columns, tz)
        type_at = table.header.index("type") if "type" in table.header else None
        screen = self._screen(table.header)
        for row in table.rows:
            problems = screen(row)
            if problems is None:
                continue  # blank
            if type_at is not None and type_at < len(row.cells):
                found = cell_text(row.cells[type_at]).strip()
                if found and found != kind:
                    problems.append(
                        Problem(
                            "TAB130",
                            f"row {row.number}, column 'type': {found!r} in a {kind} table",
                            "type",
                        )
                    )
            data, bad = decoder.decode(row.cells)
            problems.extend(
                Problem("TAB130", f"row {row.number}, column {c!r}: {m}", c) for c, m in bad
            )
            yield SourceRecord(
                data, Location(table.label, row.number, ""), _raw(table.header, row), problems
            )

    @functools.cached_property
    def _garble_check(self) -> _GarbleCheck:
        return _GarbleCheck()

    def _screen(self, header: Sequence[str]) -> Callable[[Row], list[Problem] | None]:
        """:meth:`_row_problems` for the rows of one table, ``None`` for a blank row; the
        usual row (text cells, no more than the header, no NUL, read without trouble)
        settled with one join of its cells."""
        width = len(header)
        garbled = self._garble_check.problems if self.settings.mojibake == "reject" else None
        slow = self._row_problems

        def screen(row: Row) -> list[Problem] | None:
            cells = row.cells
            try:
                text = "".join(cells)  # type: ignore[arg-type]
            except TypeError:  # numbers or dates from a workbook
                text = None
            if text is None or row.problems or len(cells) > width or "\x00" in text:
                return None if row.is_blank() and not row.problems else slow(row, header)
            if not text.strip():
                return None
            return [] if garbled is None or text.isascii() else garbled(row, header)

        return screen

    def _row_problems(self, row: Row, header: Sequence[str]) -> list[Problem]:
        text = _text_of(row.cells)
        ascii_only = text.isascii() and "\x00" not in text
        if ascii_only and not row.problems and len(row.cells) <= len(header):
            return []
        problems: list[Problem] = []
        if "\x00" in text:
            problems.append(
                Problem("TAB100", f"row {row.number}: NUL characters: the file is damaged")
            )
        for found in row.problems:
            where = Text(f"第 {row.number} 行：", f"row {row.number}: ")
            problems.append(Problem(found.code, where + found.text))
        extra = row.cells[len(header) :]
        if any(not is_empty(c) for c in extra):
            problems.append(
                Problem(
                    "TAB121",
                    f"row {row.number} has {len(row.cells)} cells but the header has "
                    f"{len(header)} columns (a stray delimiter or a missing header?)",
                )
            )
        if self.settings.mojibake == "reject" and not row.problems:
            problems.extend(self._garble_check.problems(row, header))
        return problems

    # mapping
    def _mapped_tables(
        self, path: Path, mapping: TabularMapping
    ) -> Iterator[tuple[list[EntityMapping], Table]]:
        groups = mapping.table_groups()
        if path.is_dir():
            for group in groups:
                entity = group[0]
                if entity.file is None:
                    index = mapping.entities.index(entity)
                    raise ConnectorError(
                        f"{mapping.source}: entities[{index}] ({entity.type}) needs 'file' to be "
                        "read from a folder"
                    )
                file = path / entity.file
                if not file.exists():
                    raise ConnectorError(f"{file}: no such file ({entity.type}'s file)")
                yield group, self._mapped_table(file, entity, mapping)
            return
        if self._is_xlsx(path):
            for group in groups:
                yield group, self._mapped_table(path, group[0], mapping)
            return
        matching = [
            g for g in groups if g[0].file is not None and Path(g[0].file).name == path.name
        ]
        if not matching:
            if len(groups) != 1:
                raise ConnectorError(
                    f"{path}: no entity of the mapping has file: {path.name!r} "
                    f"(files: {', '.join(str(e.file) for e in mapping.entities)})"
                )
            matching = groups
        for group in matching:
            yield group, self._mapped_table(path, group[0], mapping)

    def _mapped_table(self, path: Path, entity: EntityMapping, mapping: TabularMapping) -> Table:
        if self._is_xlsx(path):
            sheet = (
                self.settings.sheet
                if len(mapping.table_groups()) == 1 and self.settings.sheet
                else entity.sheet
            )
            if sheet is None:
                visible = self._visible_sheets(path)
                if not visible:
                    raise ConnectorError(f"{path}: the workbook has no visible sheet")
                sheet = visible[0]
            return read_sheet(path, sheet, header_row=entity.header_row)
        return self._open(path, mapping, entity.header_row)

    def _read_mapped(
        self,
        entities: list[EntityMapping],
        table: Table,
        mapping: TabularMapping,
        shared: tuple[str, SharedCheck] | None = None,
    ) -> Iterator[SourceRecord]:
        header = _unique(table.header)
        check = row_check(self.settings.row_rules, shared) if len(entities) > 1 else None
        translator = RowTranslator(mapping, entities, check=check, known=self._known_ids())
        translator.check_columns(header, table.label)
        translator.use_header(header)
        notices = SensitiveScan(mapping, entities, header)
        look = notices.look if notices.columns else None
        label, translate, screen = table.label, translator.translate, self._screen(header)
        for row in table.rows:
            problems = screen(row)
            if problems is None:
                continue  # blank
            named: dict[str, Cell] = dict(zip(header, row.cells, strict=False))
            if look is not None:
                look(named)
                if notices.found is not None:
                    look = None
            location = Location(label, row.number, "")
            yield from translate(named, location, _raw(header, row), problems)
        notices.report(label)
        yield from translator.finish()

    def column_of(self, entity_type: str, path: str) -> str | None:
        """The source column a field of a record read last came from (``/phone`` → 手机号)."""
        mapping: TabularMapping | None = getattr(self, "_read_with", None)
        if mapping is None:
            return None
        steps = [s for s in path.split("/") if s]
        for entity in mapping.entities:
            if entity.type != entity_type:
                continue
            for rule in entity.rules:
                named = [str(s) for s in rule.steps]
                if named and named == steps[: len(named)]:
                    found = rule.columns or rule.template_columns
                    return found[0] if found else None
        return None

    def _known_ids(self) -> dict[str, frozenset[str]]:
        """Ids by entity type in the ``existing`` outputs (read once per table)."""
        found: dict[str, set[str]] = {}
        for path in self.settings.existing:
            try:
                for raw in iter_raw(path):
                    data = raw.data
                    if isinstance(data, dict) and isinstance(data.get("id"), str):
                        found.setdefault(str(data.get("type")), set()).add(data["id"])
            except (OSError, InputError) as exc:
                raise ConnectorError(f"{path}: cannot read the existing output: {exc}") from None
        return {kind: frozenset(ids) for kind, ids in found.items()}

    # -- writing -----------------------------------------------------------------------
    def open_writer(self, target: str) -> RecordWriter:
        if target == "-":
            raise ConnectorError("the tabular connector writes files and folders, not stdout")
        mapping = self.mapping(target)
        path = Path(target)
        fmt = self.settings.format
        if fmt == "auto":
            fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        encoding: str = self.settings.encoding
        if encoding == "auto":
            encoding = (
                normalise_encoding(mapping.spec.encoding)
                if mapping and mapping.spec.encoding
                else "utf-8-sig"
            )
        elif encoding == "gbk":
            encoding = "gb18030"
        layout: FlatLayout | MappedLayout
        if mapping is not None:
            layout = MappedLayout(mapping)
            # Only the mapped types can be written: the engine rejects the others (VS103).
            setattr(self, "writes", mapping.types)  # noqa: B010 - instance override of a ClassVar
        else:
            layout = FlatLayout()
        return TableWriter(
            target,
            layout,
            fmt=fmt,
            encoding=encoding,
            delimiter=self._delimiter(mapping) or ",",
        )


#: How many cells a mojibake check remembers (each memo forgotten all at once when full).
_REMEMBERED = 32768


class _GarbleCheck:
    """TAB101 for each cell that looks garbled (mojibake), with the probable original.

    Exports repeat names and labels on row after row: the cells already found fine (or
    not) are remembered, so that a row whose text cells were all seen before costs a few
    set lookups. Cells found fine are remembered in two generations: when the current one
    is full it becomes the previous one, and a cell met again there moves back, so that
    cells seen once (a service's description) do not push out the names that recur.
    """

    def __init__(self) -> None:
        self.fine: set[str] = set()
        self.fine_before: set[str] = set()
        self.flagged: dict[str, Garbled | str] = {}

    def _verdict(self, cell: str) -> Garbled | str | None:
        if cell in self.fine:
            return None
        if cell in self.fine_before:
            self._fine(cell)
            return None
        found = self.flagged.get(cell)
        if found is not None:
            return found
        verdict = cell_verdict(cell)
        if verdict is None:
            self._fine(cell)
        else:
            if len(self.flagged) >= _REMEMBERED:
                self.flagged.clear()
            self.flagged[cell] = verdict
        return verdict

    def _fine(self, cell: str) -> None:
        if len(self.fine) >= _REMEMBERED:
            self.fine_before, self.fine = self.fine, set()
        self.fine.add(cell)

    def problems(self, row: Row, header: Sequence[str]) -> list[Problem]:
        fine = self.fine
        texts = cast("list[str]", row.cells)  # from a CSV file; a workbook's fail below
        try:
            unseen = [c for c in itertools.filterfalse(str.isascii, texts) if c not in fine]
        except TypeError:  # numbers and dates from a workbook
            unseen = [c for c in row.cells if isinstance(c, str) and not c.isascii()]
        if not any([self._verdict(c) is not None for c in unseen]):  # noqa: C419 - check all
            return []
        problems = []
        for name, cell in zip(header, row.cells, strict=False):
            if not isinstance(cell, str) or cell.isascii():
                continue
            verdict = self._verdict(cell)
            if verdict is None:
                continue
            where = Text(
                f"第 {row.number} 行，列 {name!r}：", f"row {row.number}, column {name!r}: "
            )
            if isinstance(verdict, Garbled):
                problems.append(Problem("TAB101", where + f"{cell!r} " + verdict.text(), name))
            else:
                problems.append(Problem("TAB101", where + f"{cell!r} " + _hint_text(verdict), name))
        return problems


#: The English hints of ``encoding.damage_hint``, in Chinese (the quoted part carried over).
_HINTS_ZH = (
    (
        re.compile(r"contains (.+): characters were already lost by a wrong decoding"),
        "含有 {0}：保存此文件之前，字符已因错误的解码而丢失",
    ),
    (
        re.compile(r"looks like UTF-8 text decoded as GBK; probably (.+)"),
        "像是按 GBK 解码的 UTF-8 文本；原文可能是 {0}",
    ),
    (
        re.compile(r"looks like UTF-8 text decoded as Latin-1; probably (.+)"),
        "像是按 Latin-1 解码的 UTF-8 文本；原文可能是 {0}",
    ),
)


def _hint_text(hint: str) -> Text:
    """A mojibake hint in both languages."""
    for pattern, zh in _HINTS_ZH:
        found = pattern.match(hint)
        if found is not None:
            return Text(zh.format(found.group(1)), hint)
    return Text(hint, hint)


def _unique(header: Sequence[str]) -> list[str]:
    """Header names, with repeats renamed ``name (2)`` so that no cell is lost."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in header:
        if name in seen and name:
            seen[name] += 1
            out.append(f"{name} ({seen[name]})")
        else:
            seen[name] = 1
            out.append(name)
    return out


def _text_of(cells: Sequence[Cell]) -> str:
    """The row's text cells run together, for quick whole-row checks (ASCII, NUL)."""
    try:
        return "".join(cells)  # type: ignore[arg-type]
    except TypeError:
        return "".join(c for c in cells if isinstance(c, str))


def _raw(header: Sequence[str], row: Row) -> dict[str, Any]:
    """The row's non-empty cells by column name, JSON-safe (for the reject file)."""
    raw: dict[str, Any] = {
        name or "(no header)": cell if cell.__class__ is str else json_cell(cell)
        for name, cell in zip(header, row.cells, strict=False)
        if cell != ""
    }
    for index in range(len(header), len(row.cells)):
        cell = row.cells[index]
        if cell != "":
            raw[f"(column {index + 1})"] = cell if isinstance(cell, str) else json_cell(cell)
    return raw


class FlatLayout:
    """Rows of the flat layout: one table per entity type."""

    def table_of(self, obj: Entity) -> str:
        return obj.type

    def row_of(self, obj: Entity) -> dict[str, CellOut]:
        data = obj.__pydantic_serializer__.to_python(obj, mode="json", exclude_none=True)
        return flat.flatten(data, obj.type)  # a new dict, the writer's to keep

    def tables(self, seen: Sequence[str]) -> list[str]:
        order = list(ENTITY_MODELS)
        return sorted(seen, key=order.index)

    def header(self, table: str, seen_columns: Sequence[str]) -> list[str]:
        return flat.ordered(table, seen_columns)

    def file_name(self, table: str) -> str:
        return f"{COLLECTIONS[table]}.csv"

    def sheet_name(self, table: str) -> str:
        return COLLECTIONS[table]

    def numeric(self, table: str) -> frozenset[str]:
        return frozenset()

    def hours(self, table: str) -> frozenset[str]:
        return frozenset()


class MappedLayout:
    """Rows in a regional export's layout, as its mapping describes."""

    def __init__(self, mapping: TabularMapping) -> None:
        self.mapping = mapping

    def _entity(self, table: str) -> EntityMapping:
        return self.mapping.entities[int(table)]

    def table_of(self, obj: Entity) -> str:
        for index, entity in enumerate(self.mapping.entities):
            if entity.type == obj.type:
                return str(index)
        raise ConnectorError(f"the mapping {self.mapping.source} has no table for {obj.type}")

    def row_of(self, obj: Entity) -> dict[str, CellOut]:
        entity = self._entity(self.table_of(obj))
        data = obj.model_dump(mode="json", exclude_none=True)
        row: dict[str, Any] = {}
        for rule in entity.rules:
            for column, cell in rule.write(_get(data, rule.steps)).items():
                if row.get(column) in (None, ""):
                    row[column] = json_cell(cell)
        kept = (data.get("extensions") or {}).get(entity.namespace)
        if isinstance(kept, dict):
            mapped = set(entity.mapped_columns)
            for key, value in kept.items():
                if key not in mapped and key not in row and value is not None:
                    row[key] = value if isinstance(value, str | int | float | bool) else str(value)
        return row

    def tables(self, seen: Sequence[str]) -> list[str]:
        return sorted(seen, key=int)

    def header(self, table: str, seen_columns: Sequence[str]) -> list[str]:
        entity = self._entity(table)
        return entity.output_columns([c for c in seen_columns if c not in entity.mapped_columns])

    def file_name(self, table: str) -> str:
        return self._entity(table).file_name

    def sheet_name(self, table: str) -> str:
        return self._entity(table).table_name

    def numeric(self, table: str) -> frozenset[str]:
        return self._entity(table).numeric_columns()

    def hours(self, table: str) -> frozenset[str]:
        entity = self._entity(table)
        return frozenset(
            c for r in entity.rules if r.kind == "hours" and r.unit == "hours" for c in r.columns
        )


def _get(data: Any, steps: Sequence[Any]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[step] if isinstance(step, int) else data.get(step)
        if data is None:
            return None
    return data
