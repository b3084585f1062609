"""Rows to records: the per-row translation of a mapping, reusable by any row source.

A CSV file, a sheet or a database query all give rows of named cells. :class:`RowTranslator`
turns one such row into the standard's records through a compiled mapping, so every source
of rows shares one mapping language and one set of problem codes (see ``connector``).

Usage::

    translator = RowTranslator(mapping)
    translator.check_columns(header, label)   # ConnectorError if mapped columns are missing
    for row in rows:
        yield from translator.translate(cells, location, raw, problems)
    yield from translator.finish()            # records held back until the end (if any)

Several entities from one row (a ledger: volunteer, organization and service record on
every row) are a unit: when one of them cannot be translated, every record of the row
carries the problems, so the whole row goes to the reject file and comes back whole once
fixed. Entities read from a shared table are deduplicated (see ``dedup``).
"""

from __future__ import annotations

import difflib
import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from volunteer_standard.connectors.base import ConnectorError, Problem, SourceRecord
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty, json_cell
from volunteer_standard.connectors.tabular.dedup import Conflict, Deduplicator
from volunteer_standard.connectors.tabular.ids import id_problem, is_id_path, plainly_valid_id
from volunteer_standard.connectors.tabular.introspect import model_node
from volunteer_standard.connectors.tabular.mapping import (
    PSEUDO_COLUMNS,
    EntityMapping,
    FieldRule,
    TabularMapping,
)
from volunteer_standard.connectors.tabular.transforms import TransformError
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.text import Text, default_lang

log = logging.getLogger("volunteer_standard.tabular")

#: Problem code of a failed transform, by the rule's kind (TAB119 for the others).
KIND_CODES = {
    "code": "TAB110",
    "date": "TAB111",
    "datetime": "TAB112",
    "hours": "TAB113",
    "integer": "TAB113",
    "number": "TAB113",
    "region": "TAB114",
    "boolean": "TAB116",
}

#: Columns a source-layout reject file adds (Chinese and English headers). Read back, the
#: row column gives ``{_row}`` and the file column ``{_file}``, so fixed rows keep their ids.
ROW_COLUMNS = ("原行号", "source row")
FILE_COLUMNS = ("原文件", "source file")
REASON_COLUMNS = ("问题说明", "reasons")
ADDED_COLUMNS = frozenset((*ROW_COLUMNS, *FILE_COLUMNS, *REASON_COLUMNS))

#: Checks a row's records as a unit (structure and per-record rules) before they are let out.
RowCheck = Callable[[Sequence[dict[str, Any]], Location], list[Problem]]


class RowTranslator:
    """Translate rows of named cells into records, entity by entity, through a mapping.

    ``entities`` are the entity mappings read from each row (default: all of the
    mapping's). ``problems`` given to :meth:`translate` are the row's own problems (bad
    bytes, mojibake …); they travel with the records so that the row is rejected. ``check``
    (optional) runs on a row's records before they are let out, so that a record failing
    the rules takes its whole row to the reject file. ``known`` holds, by entity type, the
    ids already written by an earlier run: those records are not written again.
    """

    def __init__(
        self,
        mapping: TabularMapping,
        entities: Sequence[EntityMapping] | None = None,
        *,
        check: RowCheck | None = None,
        known: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.mapping = mapping
        self.entities = list(mapping.entities if entities is None else entities)
        self.check = check
        shared = len(self.entities) > 1
        everything = set().union(*(set(e.mapped_columns) | e.ignore for e in self.entities))
        everything |= ADDED_COLUMNS
        # In a shared table the unmapped columns belong to the last (one-per-row) entity.
        self._mapped = [
            everything if shared else set(e.mapped_columns) | e.ignore | ADDED_COLUMNS
            for e in self.entities
        ]
        self._keeps = [not shared or i == len(self.entities) - 1 for i in range(len(self.entities))]
        known = known or {}
        self._dedup = [
            Deduplicator(e, known.get(e.type, frozenset()))
            if shared or e.key is not None or e.type in known
            else None
            for e in self.entities
        ]
        self._no_dedup = all(d is None for d in self._dedup)
        # ``_row``/``_file`` are added to a row's cells only when something reads them.
        self._pseudo = any(_reads_pseudo_columns(e) for e in self.entities)
        self._plans = [
            _EntityPlan(e, mapped, keep)
            for e, mapped, keep in zip(self.entities, self._mapped, self._keeps, strict=True)
        ]
        self.conflicts: list[Conflict] = []

    def missing_columns(self, header: Sequence[str]) -> list[str]:
        """Columns the mapping needs (not marked optional) that the header lacks."""
        present = set(header)
        missing = [
            c
            for entity in self.entities
            for r in entity.rules
            if not r.optional
            for c in [*r.columns, *r.template_columns]
            if c not in present
        ]
        return list(dict.fromkeys(missing))

    def check_columns(self, header: Sequence[str], label: str) -> None:
        """Raise :class:`ConnectorError` naming the missing columns (and close matches)."""
        missing = self.missing_columns(header)
        if not missing or any(c in header for c in ROW_COLUMNS):
            # A reject file lists only the columns its rows have: a missing one is empty.
            return
        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, header, n=1, cutoff=0.5)
            hints.append(f"{name!r}" + (f" (found {close[0]!r}?)" if close else ""))
        raise ConnectorError(
            f"{label}: columns named in the mapping are missing: {', '.join(hints)}; "
            f"the header is: {', '.join(h for h in header if h)}"
        )

    def use_header(self, header: Sequence[str]) -> None:
        """The cells of every row to come are named after ``header`` (in its order, the
        names unique, a short row missing the last ones): unmapped columns are found once."""
        for plan in self._plans:
            plan.use_header(header)

    def translate(
        self,
        cells: Mapping[str, Cell],
        location: Location,
        raw: dict[str, Any],
        problems: list[Problem],
    ) -> list[SourceRecord]:
        """The records of one row (one per entity mapping, repeats merged)."""
        context = _with_pseudo_columns(cells, location) if self._pseudo else cells
        line = location.line
        datas = []
        for plan in self._plans:
            data = plan.data(context, line, problems)
            plan.check_ids(data, line, problems)
            datas.append(data)
        checked: list[Any] | None = None
        if not problems and self.check is not None:
            problems.extend(self.check(datas, location))
            # What the conversion's own checks found, when they did the row check.
            checked = None if problems else getattr(self.check, "checked", None)
        if (problems or self._no_dedup) and checked is None:
            return [SourceRecord(data, location, raw, problems) for data in datas]
        found = checked or [None] * len(datas)
        if problems or self._no_dedup:
            pairs = zip(datas, found, strict=True)
            return [_record(d, location, raw, problems, f) for d, f in pairs]
        return list(self._deduplicated(datas, found, context, location, raw, problems))

    def _deduplicated(
        self,
        datas: list[dict[str, Any]],
        checked: list[Any],
        cells: Mapping[str, Cell],
        location: Location,
        raw: dict[str, Any],
        problems: list[Problem],
    ) -> Iterator[SourceRecord]:
        row = location.line or 0
        verdicts = [
            d.classify(data, row, cells) if d is not None else None
            for d, data in zip(self._dedup, datas, strict=True)
        ]
        rejected = [v.conflict for v in verdicts if v is not None and v.reject]
        if rejected:
            problems.extend(c.problem() for c in rejected if c is not None)
            for data in datas:
                yield SourceRecord(data, location, raw, problems)
            return
        for dedup, verdict, data, found in zip(self._dedup, verdicts, datas, checked, strict=True):
            if dedup is None or verdict is None:
                yield _record(data, location, raw, problems, found)
                continue
            if verdict.conflict is not None:
                self.conflicts.append(verdict.conflict)
                log.warning("%s", verdict.conflict.text().get(default_lang()))
            if dedup.accept(verdict, data, location, raw):
                yield _record(data, location, raw, problems, found)

    def finish(self) -> Iterator[SourceRecord]:
        """Records held back until every row is read (``on_conflict = "last"``)."""
        close = getattr(self.check, "close", None)
        if callable(close):
            close()
        for dedup in self._dedup:
            if dedup is not None:
                for data, location, raw in dedup.held():
                    yield SourceRecord(data, location, raw, [])
                dedup.close()


@dataclass(slots=True)
class CheckedRecord(SourceRecord):
    """A record the conversion's own checks already checked, with what they found (see
    ``engine.judge``): the engine uses it instead of checking the record again."""

    checked: Any = None


def _record(
    data: dict[str, Any],
    location: Location,
    raw: dict[str, Any],
    problems: list[Problem],
    checked: Any,
) -> SourceRecord:
    if checked is None:
        return SourceRecord(data, location, raw, problems)
    return CheckedRecord(data, location, raw, problems, checked)


def _reads_pseudo_columns(entity: EntityMapping) -> bool:
    """Whether a rule or the key of ``entity`` reads ``_row`` or ``_file``."""
    named = {
        *(entity.key or ()),
        *(c for r in entity.rules for c in r.columns),
        *(n for r in entity.rules for _l, _k, names in r.template_parts for n in names),
    }
    return not PSEUDO_COLUMNS.isdisjoint(named)


def _with_pseudo_columns(cells: Mapping[str, Cell], location: Location) -> dict[str, Cell]:
    """The cells plus ``_row`` and ``_file``: from the reject-file columns when re-read."""
    context = dict(cells)
    row = _first_filled(cells, ROW_COLUMNS)
    # A row number read back from Excel may come as 12.0 (a number) or "12.0" (retyped).
    context["_row"] = (
        cell_text(row).strip().removesuffix(".0") if row is not None else str(location.line or "")
    )
    file = _first_filled(cells, FILE_COLUMNS)
    context["_file"] = file_stem(cell_text(file) if file is not None else location.file)
    return context


def _first_filled(cells: Mapping[str, Cell], names: Sequence[str]) -> Cell | None:
    for name in names:
        if name in cells and not is_empty(cells[name]):
            return cells[name]
    return None


@functools.lru_cache(maxsize=64)
def file_stem(label: str) -> str:
    """``data/台账.csv`` → ``台账``; ``book.xlsx#Sheet1`` → ``book``."""
    return Path(label.split("#", 1)[0]).stem


#: How many valid ids an entity remembers (forgotten all at once when full).
_VALID_IDS = 16384
#: Values set as they are (no ``{}``/``[]`` marker to merge, nothing to turn into a list).
_PLAIN = frozenset({str, int, float, bool})


class _EntityPlan:
    """One entity's share of a row, with what depends only on the mapping worked out once:
    each rule's path as a tuple, which rules hold ids, whether lists need rebuilding."""

    def __init__(self, entity: EntityMapping, mapped: set[str], keep: bool) -> None:
        self.entity = entity
        self.type = entity.type
        self.mapped = mapped
        self.keep = entity.keep_unmapped and keep
        self.root = model_node(ENTITY_MODELS[entity.type])
        self.rules = [
            (
                rule,
                rule.reader,
                tuple(rule.steps),
                rule.steps[0] if len(rule.steps) == 1 and isinstance(rule.steps[0], str) else None,
                rule.required and bool(rule.columns or rule.template_columns),
            )
            for rule in entity.rules
        ]
        # Lists come from ``[i]`` steps, or from a list field given a dict as its value.
        self.indexed = any(isinstance(s, int) for r in entity.rules for s in r.steps)
        self.list_paths = frozenset(tuple(r.steps) for r in entity.rules if r.is_list)
        self.id_rules = [
            (r, r.steps[0] if len(r.steps) == 1 and isinstance(r.steps[0], str) else None)
            for r in entity.rules
            if is_id_path(r.path) and (r.columns or r.template_columns)
        ]
        self.unmapped: dict[tuple[str, ...], list[str]] = {}
        #: The unmapped columns of the header every row has (see ``use_header``).
        self.header_unmapped: list[str] | None = None
        #: Ids already found valid (references repeat on every row of their entity).
        self.valid_ids: set[str] = set()

    def data(
        self, cells: Mapping[str, Cell], row: int | None, problems: list[Problem]
    ) -> dict[str, Any]:
        """The entity's fields from the row's cells; failures go to ``problems``."""
        data: dict[str, Any] = {"type": self.type}
        restore = self.indexed
        for rule, read, steps, top, required in self.rules:
            try:
                value = read(cells)
            except TransformError as exc:
                problems.append(_transform_problem(rule, row, exc))
                continue
            if value is None:
                if required:
                    problems.append(_empty_problem(rule, row))
                continue
            if top is not None and value.__class__ in _PLAIN:
                data[top] = value
                continue
            if isinstance(value, dict) and steps in self.list_paths:
                restore = True
            flat.set_path(data, steps, value)
        if self.keep:
            self._keep_unmapped(data, cells)
        return flat.restore_lists(data, self.root) if restore else data

    def use_header(self, header: Sequence[str]) -> None:
        self.header_unmapped = self._unmapped_of(header)

    def _unmapped_of(self, header: Sequence[str]) -> list[str]:
        return [h for h in header if h and h not in self.mapped and h not in PSEUDO_COLUMNS]

    def _keep_unmapped(self, data: dict[str, Any], cells: Mapping[str, Cell]) -> None:
        """Unmapped cells under ``extensions.<namespace>`` (the columns found once per
        header)."""
        names = self.header_unmapped
        if names is None:
            header = tuple(cells)
            names = self.unmapped.get(header)
            if names is None:
                names = self._unmapped_of(header)
                if len(self.unmapped) >= 64:
                    self.unmapped.clear()
                self.unmapped[header] = names
        extra: dict[str, Any] = {}
        for name in names:
            cell = cells.get(name)
            if cell.__class__ is str:
                if cell.strip():
                    extra[name] = cell
            elif cell is not None and not is_empty(cell):
                extra[name] = json_cell(cell)
        if not extra:
            return
        if "extensions" not in data:  # the usual case: no mapped extension field
            data["extensions"] = {self.entity.namespace: extra}
            return
        ext = data["extensions"]
        ns = ext.setdefault(self.entity.namespace, {})
        if isinstance(ns, dict):
            for key, value in extra.items():
                ns.setdefault(key, value)

    def check_ids(self, data: dict[str, Any], row: int | None, problems: list[Problem]) -> None:
        """Ids that break the id rule: say what an id may contain, and how to derive one."""
        valid = self.valid_ids
        for rule, top in self.id_rules:
            value = data.get(top) if top is not None else _get_path(data, rule.steps)
            if value.__class__ is str:
                if value in valid:
                    continue
                if plainly_valid_id(value):  # the usual id, settled by one expression
                    if len(valid) >= _VALID_IDS:
                        valid.clear()
                    valid.add(value)
                    continue
            for item in value if isinstance(value, list) else (value,):
                if not isinstance(item, str) or item in valid:
                    continue
                why = id_problem(item)
                if why is None:
                    if len(valid) >= _VALID_IDS:
                        valid.clear()
                    valid.add(item)
                    continue
                where = ", ".join(rule.columns or rule.template_columns)
                problems.append(
                    Problem(
                        "TAB117",
                        Text(f"第 {row} 行，列 {where}：", f"row {row}, column {where}: ") + why,
                        (rule.columns or rule.template_columns)[0],
                    )
                )
                break


def _get_path(data: Any, steps: Sequence[Any]) -> Any:
    for step in steps:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _transform_problem(rule: FieldRule, row: int | None, exc: TransformError) -> Problem:
    where = ", ".join(repr(c) for c in rule.columns or rule.template_columns)
    return Problem(
        KIND_CODES.get(rule.kind, "TAB119"),
        Text(f"第 {row} 行，列 {where}：", f"row {row}, column {where}: ") + exc.text,
        (rule.columns or rule.template_columns or [rule.path])[0],
    )


def _empty_problem(rule: FieldRule, row: int | None) -> Problem:
    cols = ", ".join(repr(c) for c in rule.columns or rule.template_columns)
    return Problem(
        "TAB115",
        Text(
            f"第 {row} 行，列 {cols}：为空，但 {rule.path} 是必填项",
            f"row {row}, column {cols}: empty, but {rule.path} is required",
        ),
        (rule.columns or rule.template_columns)[0],
    )


__all__ = [
    "ADDED_COLUMNS",
    "FILE_COLUMNS",
    "KIND_CODES",
    "REASON_COLUMNS",
    "ROW_COLUMNS",
    "CheckedRecord",
    "RowCheck",
    "RowTranslator",
    "file_stem",
]
