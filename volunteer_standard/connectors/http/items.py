"""API items ↔ standard records, through the tabular connector's mapping language.

An item is a JSON object; its keys play the part of a table's columns (nested objects are
flattened to ``a.b`` keys, lists of plain values to ``a,b``). Reading gives a
:class:`SourceRecord` with every problem named; writing inverts the same rules, so one
field map serves both directions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from volunteer_standard.connectors.base import Problem, SourceRecord
from volunteer_standard.connectors.helpers.problems import BAD_VALUE, MISSING_VALUE
from volunteer_standard.connectors.tabular import flat
from volunteer_standard.connectors.tabular.cells import Cell, is_empty, json_cell
from volunteer_standard.connectors.tabular.introspect import model_node
from volunteer_standard.connectors.tabular.mapping import EntityMapping
from volunteer_standard.connectors.tabular.transforms import TransformError
from volunteer_standard.io.reader import Location
from volunteer_standard.models import ENTITY_MODELS, Entity
from volunteer_standard.text import Text


def flatten_item(item: Mapping[str, Any], prefix: str = "") -> dict[str, Cell]:
    """``{"a": {"b": 1}, "c": [1, 2]}`` → ``{"a.b": 1, "c": "1,2"}``; nulls are left out."""
    out: dict[str, Cell] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if value is None:
            continue
        if isinstance(value, Mapping):
            out.update(flatten_item(value, name + "."))
        elif isinstance(value, list):
            if all(isinstance(v, str | int | float | bool) for v in value):
                out[name] = ",".join(str(v) for v in value)
        elif isinstance(value, str | int | float | bool):
            out[name] = value
    return out


def dig(body: Any, path: str) -> Any:
    """The value at a dotted path (``""`` is the body itself); ``None`` when absent."""
    for key in path.split(".") if path else []:
        body = body.get(key) if isinstance(body, Mapping) else None
    return body


def unflatten_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` → ``{"a": {"b": 1}}``: the inverse of :func:`flatten_item`."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        here = out
        *parents, last = key.split(".")
        for part in parents:
            inner = here.get(part)
            if not isinstance(inner, dict):
                inner = here[part] = {}
            here = inner
        here[last] = value
    return out


def _get(data: Any, steps: Sequence[Any]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return None
            data = data[step]
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
        if data is None:
            return None
    return data


class ItemMapper:
    """One endpoint's field map, applied to items in both directions."""

    def __init__(self, mapping: EntityMapping) -> None:
        self.mapping = mapping
        self._root = model_node(ENTITY_MODELS[mapping.type])
        self._mapped = set(mapping.mapped_columns) | mapping.ignore

    def record(self, item: Mapping[str, Any], location: Location) -> SourceRecord:
        """The standard record of one item, with a problem per unusable value."""
        cells = flatten_item(item)
        problems: list[Problem] = []
        data: dict[str, Any] = {}
        for rule in self.mapping.rules:
            columns = rule.columns or rule.template_columns
            try:
                value = rule.read(cells)
            except TransformError as exc:
                problems.append(
                    Problem(
                        BAD_VALUE,
                        Text(
                            f"{location}：字段 {', '.join(columns)} 的值无法转换：{exc}",
                            f"{location}: field {', '.join(columns)}: {exc}",
                        ),
                        columns[0] if columns else rule.path,
                        {"key": columns[0] if columns else "", "field": rule.path},
                    )
                )
                continue
            if value is None:
                if rule.required and columns:
                    problems.append(
                        Problem(
                            MISSING_VALUE,
                            Text(
                                f"{location}：{', '.join(columns)} 为空，但 {rule.path} 是必填项",
                                f"{location}: {', '.join(columns)} is empty, "
                                f"but {rule.path} is required",
                            ),
                            columns[0],
                            {"key": columns[0], "field": rule.path},
                        )
                    )
                continue
            flat.set_path(data, tuple(rule.steps), value)
        if self.mapping.keep_unmapped:
            extra = {
                k: json_cell(v)
                for k, v in cells.items()
                if k not in self._mapped and not is_empty(v)
            }
            if extra:
                ns = data.setdefault("extensions", {}).setdefault(self.mapping.namespace, {})
                if isinstance(ns, dict):
                    for key, value in extra.items():
                        ns.setdefault(key, value)
        data = flat.restore_lists(data, self._root)
        return SourceRecord({"type": self.mapping.type, **data}, location, dict(item), problems)

    def item(self, obj: Entity) -> dict[str, Any]:
        """The API item of a standard object: the inverse of :meth:`record`."""
        data = obj.model_dump(mode="json", exclude_none=True)
        row: dict[str, Any] = {}
        for rule in self.mapping.rules:
            for column, cell in rule.write(_get(data, rule.steps)).items():
                if row.get(column) in (None, ""):
                    row[column] = json_cell(cell)
        kept = (data.get("extensions") or {}).get(self.mapping.namespace)
        if isinstance(kept, dict):
            for key, value in kept.items():
                if key not in self._mapped and key not in row and value is not None:
                    row[key] = value
        return unflatten_item(row)


__all__ = ["ItemMapper", "dig", "flatten_item", "unflatten_item"]
