"""Rows to records: the per-row translation of a mapping, reusable by any row source.

A CSV file, a sheet or a database query all give rows of named cells. :class:`RowTranslator`
turns one such row into the standard's records through a compiled mapping, so every source
of rows shares one mapping language and one set of problem codes (see ``connector``).

Usage::

    translator = RowTranslator(mapping)
    translator.check_columns(header)          # ConnectorError if mapped columns are missing
    for row in rows:
        yield from translator.translate(cells, location, raw, problems)
    yield from translator.finish()            # records held back until the end (if any)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from volunteer_standard.connectors.base import ConnectorError, Problem, SourceRecord
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import Cell, is_empty, json_cell
from volunteer_standard.connectors.tabular.introspect import model_node
from volunteer_standard.connectors.tabular.mapping import EntityMapping, FieldRule, TabularMapping
from volunteer_standard.connectors.tabular.transforms import TransformError
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS

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


class RowTranslator:
    """Translate rows of named cells into records, entity by entity, through a mapping.

    ``entities`` are the entity mappings read from each row (default: all of the
    mapping's). ``problems`` given to :meth:`translate` are the row's own problems (bad
    bytes, mojibake …); they travel with the records so that the row is rejected.
    """

    def __init__(
        self, mapping: TabularMapping, entities: Sequence[EntityMapping] | None = None
    ) -> None:
        self.mapping = mapping
        self.entities = list(mapping.entities if entities is None else entities)
        self._mapped = [set(e.mapped_columns) | e.ignore for e in self.entities]

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
        if not missing:
            return
        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, header, n=1, cutoff=0.5)
            hints.append(f"{name!r}" + (f" (found {close[0]!r}?)" if close else ""))
        raise ConnectorError(
            f"{label}: columns named in the mapping are missing: {', '.join(hints)}; "
            f"the header is: {', '.join(h for h in header if h)}"
        )

    def translate(
        self,
        cells: Mapping[str, Cell],
        location: Location,
        raw: dict[str, Any],
        problems: list[Problem],
    ) -> Iterator[SourceRecord]:
        """The records of one row (one per entity mapping)."""
        for entity, mapped in zip(self.entities, self._mapped, strict=True):
            data = _entity_data(entity, mapped, cells, location.line, problems)
            yield SourceRecord({"type": entity.type, **data}, location, raw, problems)

    def finish(self) -> Iterator[SourceRecord]:
        """Records held back until every row is read (none yet: each row stands alone)."""
        return iter(())


def _entity_data(
    entity: EntityMapping,
    mapped: set[str],
    cells: Mapping[str, Cell],
    row: int | None,
    problems: list[Problem],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for rule in entity.rules:
        try:
            value = rule.read(cells)
        except TransformError as exc:
            problems.append(_transform_problem(rule, row, exc))
            continue
        if value is None:
            if rule.required and (rule.columns or rule.template_columns):
                problems.append(_empty_problem(rule, row))
            continue
        flat.set_path(data, tuple(rule.steps), value)
    if entity.keep_unmapped:
        _keep_unmapped(data, entity, mapped, cells)
    restored: dict[str, Any] = flat.restore_lists(data, model_node(ENTITY_MODELS[entity.type]))
    return restored


def _transform_problem(rule: FieldRule, row: int | None, exc: TransformError) -> Problem:
    where = ", ".join(repr(c) for c in rule.columns or rule.template_columns)
    return Problem(
        KIND_CODES.get(rule.kind, "TAB119"),
        f"row {row}, column {where}: {exc}",
        (rule.columns or rule.template_columns or [rule.path])[0],
    )


def _empty_problem(rule: FieldRule, row: int | None) -> Problem:
    cols = ", ".join(repr(c) for c in rule.columns or rule.template_columns)
    return Problem(
        "TAB115",
        f"row {row}, column {cols}: empty, but {rule.path} is required",
        (rule.columns or rule.template_columns)[0],
    )


def _keep_unmapped(
    data: dict[str, Any], entity: EntityMapping, mapped: set[str], cells: Mapping[str, Cell]
) -> None:
    extra = {h: json_cell(c) for h, c in cells.items() if h and h not in mapped and not is_empty(c)}
    if not extra:
        return
    ext = data.setdefault("extensions", {})
    ns = ext.setdefault(entity.namespace, {})
    if isinstance(ns, dict):
        for key, value in extra.items():
            ns.setdefault(key, value)


__all__ = ["KIND_CODES", "RowTranslator"]
