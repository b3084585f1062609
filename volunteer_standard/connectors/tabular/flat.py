"""The standard's own flat layout: one table per entity type, one column per field path.

Rules (documented in docs/tabular.md; ``standard → flat → standard`` is exact):

* a column is named by its field path with ``/`` between steps: ``residence/region_code``;
* a list of objects is indexed: ``identifiers/0/scheme``, ``identifiers/1/scheme`` …;
* a list of scalars is one column, items joined with ``;``. In items, ``\\`` and ``;`` are
  escaped with a backslash (``a\\;b`` is the one item ``a;b``);
* an empty cell means "absent". An empty list is written ``[]`` (a list whose only item is
  the text ``[]`` is written ``\\[]``), and an object that is present but has no values is
  written ``{}`` in a column named by the object's own path (``residence``); such marker
  columns only appear when some record needs them;
* ``extensions`` (free-form objects) is one column of compact JSON;
* integers, numbers and booleans are written as such (``true``/``false`` in CSV); dates,
  date-times and hours as the standard writes them;
* the ``type`` column is left out: the file or sheet tells the type.

Columns come in the models' field order, list items in index order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from functools import cache
from typing import Any

from pydantic import BaseModel

from volunteer_standard.connectors.tabular.cells import Cell, cell_text
from volunteer_standard.connectors.tabular.introspect import (
    Json,
    ListOf,
    Node,
    Obj,
    Scalar,
    Step,
    model_node,
)
from volunteer_standard.errors import VstdError
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS

SEP = "/"
EMPTY_LIST = "[]"
EMPTY_OBJECT = "{}"

FlatValue = str | int | float | bool


class FlatError(VstdError, ValueError):
    """A cell that does not fit its column (the message says which form was expected)."""


def entity_for_name(name: str) -> str | None:
    """The entity type of a file or sheet named after it: ``volunteers`` or ``volunteer``."""
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".tsv", ".txt")) else name
    if stem in ENTITY_MODELS:
        return stem
    for kind, plural in COLLECTIONS.items():
        if stem == plural:
            return kind
    return None


# -- scalar lists --------------------------------------------------------------------------


def join_items(items: Iterable[str]) -> str:
    """Join list items with ``;``, escaping ``\\`` and ``;``."""
    escaped = [i.replace("\\", "\\\\").replace(";", "\\;") for i in items]
    if not escaped:
        return EMPTY_LIST
    text = ";".join(escaped)
    return "\\" + text if text == EMPTY_LIST else text


def split_items(text: str) -> list[str]:
    """Inverse of :func:`join_items` (``[]`` is the empty list)."""
    if text == EMPTY_LIST:
        return []
    items: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


# -- flatten -------------------------------------------------------------------------------


def _scalar_out(node: Scalar, value: Any) -> FlatValue:
    if node.kind in ("integer", "number", "boolean") and isinstance(value, bool | int | float):
        return value
    return str(value)


def flatten(data: dict[str, Any], entity: str) -> dict[str, FlatValue]:
    """A standard object (JSON form, ``None`` values left out) as ``{column: value}``."""
    out: dict[str, FlatValue] = {}
    _flattener(ENTITY_MODELS[entity])(data, "", out)
    return out


#: Writes one value (at a column path) into the row.
_Put = Callable[[Any, str, dict[str, FlatValue]], None]


@cache
def _flattener(model: type[BaseModel]) -> _Put:
    """The model's flattening, decided once from its tree: each node becomes a function
    that knows its kind, so a row costs no type dispatch on the tree."""
    return _compiled(model_node(model))


def _compiled(node: Node) -> _Put:
    if isinstance(node, Obj):
        return _obj_put(node)
    if isinstance(node, Json):
        return _json_put
    if isinstance(node, ListOf):
        return _list_put(node)
    return _scalar_put(node)


def _obj_put(node: Obj) -> _Put:
    # Text fields (most of them) are written in the loop itself, without a call.
    children = [
        (name, _compiled(child), isinstance(child, Scalar) and child.kind not in _TYPED)
        for name, child in node.children.items()
    ]

    def put(data: Any, path: str, out: dict[str, FlatValue]) -> None:
        prefix = path + SEP if path else ""  # "" at the root
        wrote = False
        for name, child, text in children:
            if name in data and (value := data[name]) is not None:
                if text:
                    out[prefix + name] = value if value.__class__ is str else str(value)
                else:
                    child(value, prefix + name, out)
                wrote = True
        if not wrote and path:
            out[path] = EMPTY_OBJECT

    return put


def _json_put(value: Any, path: str, out: dict[str, FlatValue]) -> None:
    out[path] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _list_put(node: ListOf) -> _Put:
    item = node.item
    if isinstance(item, Scalar):

        def scalars(value: Any, path: str, out: dict[str, FlatValue]) -> None:
            if not value:
                out[path] = EMPTY_LIST
            else:
                out[path] = join_items(str(_scalar_out(item, v)) for v in value)

        return scalars
    inner = _compiled(item)

    def items(value: Any, path: str, out: dict[str, FlatValue]) -> None:
        if not value:
            out[path] = EMPTY_LIST
            return
        for index, each in enumerate(value):
            inner(each, f"{path}{SEP}{index}", out)

    return items


_TYPED = frozenset({"integer", "number", "boolean"})


def _scalar_put(node: Scalar) -> _Put:
    if node.kind in _TYPED:

        def typed(value: Any, path: str, out: dict[str, FlatValue]) -> None:
            out[path] = value if isinstance(value, bool | int | float) else str(value)

        return typed

    def text(value: Any, path: str, out: dict[str, FlatValue]) -> None:
        out[path] = value if value.__class__ is str else str(value)

    return text


# -- columns -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A flat column: where it goes in the object and what it holds."""

    name: str
    steps: tuple[Step, ...]
    node: Node
    order: tuple[int, ...]


def column(entity: str, name: str) -> Column:
    """Resolve a column name of ``entity``'s table; raises ``KeyError`` when it is none."""
    node: Node = model_node(ENTITY_MODELS[entity])
    steps: list[Step] = []
    order: list[int] = []
    parts = name.split(SEP)
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(node, Obj):
            if part not in node.children:
                raise KeyError(name)
            order.append(list(node.children).index(part))
            steps.append(part)
            node = node.children[part]
        elif isinstance(node, ListOf) and not isinstance(node.item, Scalar):
            if not part.isdigit() or (len(part) > 1 and part.startswith("0")):
                raise KeyError(name)
            steps.append(int(part))
            order.append(int(part))
            node = node.item
        else:
            raise KeyError(name)
        i += 1
    if not steps:
        raise KeyError(name)
    return Column(name, tuple(steps), node, tuple(order))


def ordered(entity: str, names: Iterable[str]) -> list[str]:
    """Column names in model order (a marker column before its children)."""
    return sorted(names, key=lambda n: column(entity, n).order)


def template_columns(entity: str) -> list[str]:
    """The columns of an empty table: every scalar path, lists of objects at index 0."""
    names: list[str] = []

    def walk(node: Node, path: str) -> None:
        if isinstance(node, Obj):
            for name, child in node.children.items():
                walk(child, f"{path}{SEP}{name}" if path else name)
        elif isinstance(node, ListOf) and not isinstance(node.item, Scalar):
            walk(node.item, f"{path}{SEP}0")
        else:
            names.append(path)

    walk(model_node(ENTITY_MODELS[entity]), "")
    return names


# -- unflatten -----------------------------------------------------------------------------


def cell_value(col: Column, cell: Cell, tz: tzinfo) -> Any:
    """The JSON value of one non-empty cell; raises :class:`FlatError`."""
    node = col.node
    text = cell if isinstance(cell, str) else None
    if isinstance(node, Obj):
        if text == EMPTY_OBJECT:
            return {}
        raise FlatError(f"expected {EMPTY_OBJECT} (an empty object) or nothing")
    if isinstance(node, Json):
        try:
            return json.loads(cell_text(cell))
        except ValueError as exc:
            raise FlatError(f"not valid JSON: {exc}") from None
    if isinstance(node, ListOf):
        if not isinstance(node.item, Scalar):
            if text == EMPTY_LIST:
                return []
            raise FlatError(f"expected {EMPTY_LIST} (an empty list) or nothing")
        item = node.item
        return [_scalar_in(item, v, tz) for v in split_items(cell_text(cell))]
    return _scalar_in(node, cell, tz)


def _scalar_in(node: Scalar, cell: Cell, tz: tzinfo) -> Any:
    reader = _READERS.get(node.kind)
    if reader is not None:
        return reader(cell, tz)
    return cell_text(cell)


def _boolean_in(cell: Cell, _tz: tzinfo) -> bool:
    if isinstance(cell, bool):
        return cell
    word = cell_text(cell).strip().lower()
    if word in ("true", "false"):
        return word == "true"
    raise FlatError(f"expected true or false, got {cell_text(cell)!r}")


def _integer_in(cell: Cell, _tz: tzinfo) -> int:
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    try:
        return int(cell_text(cell).strip())
    except ValueError:
        raise FlatError(f"expected a whole number, got {cell_text(cell)!r}") from None


def _number_in(cell: Cell, _tz: tzinfo) -> float:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    try:
        number = float(cell_text(cell).strip())
    except ValueError:
        raise FlatError(f"expected a number, got {cell_text(cell)!r}") from None
    if not math.isfinite(number):
        raise FlatError(f"expected a finite number, got {cell_text(cell)!r}")
    return number


def _datetime_in(cell: Cell, tz: tzinfo) -> str:
    if isinstance(cell, datetime):
        moment = cell if cell.tzinfo else cell.replace(tzinfo=tz)
        return moment.isoformat()
    if isinstance(cell, date):
        return datetime.combine(cell, time(0), tz).isoformat()
    return cell_text(cell)


def _date_in(cell: Cell, _tz: tzinfo) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return cell_text(cell)


def _decimal_in(cell: Cell, _tz: tzinfo) -> str:
    return f"{cell:.2f}" if isinstance(cell, float) else cell_text(cell)


_READERS: dict[str, Callable[[Cell, tzinfo], Any]] = {
    "boolean": _boolean_in,
    "integer": _integer_in,
    "number": _number_in,
    "datetime": _datetime_in,
    "date": _date_in,
    "decimal": _decimal_in,
}


def set_path(target: dict[str, Any], steps: tuple[Step, ...], value: Any) -> None:
    """Set ``value`` at ``steps``; list indexes build ``{index: item}`` dicts first.

    A ``{}``/``[]`` marker never overwrites values that children already set.
    """
    here: dict[Any, Any] = target
    for step in steps[:-1]:
        inner = here.get(step)
        if not isinstance(inner, dict):
            inner = here[step] = {}
        here = inner
    last = steps[-1]
    if value in ({}, []) and isinstance(here.get(last), dict) and here[last]:
        return
    here[last] = value


def restore_lists(value: Any, node: Node) -> Any:
    """Turn the ``{index: item}`` dicts :func:`set_path` built back into lists."""
    if isinstance(node, Obj) and isinstance(value, dict):
        return {
            k: restore_lists(v, node.children[k]) if k in node.children else v
            for k, v in value.items()
        }
    if isinstance(node, ListOf) and isinstance(value, dict):
        return [restore_lists(value[i], node.item) for i in sorted(value)]
    return value


def unflatten(
    entity: str, cells: Iterable[tuple[Column, Cell]], tz: tzinfo
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A standard-shaped dict from one row, and ``(column, message)`` for bad cells."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for col, cell in cells:
        if isinstance(cell, str) and cell == "":
            continue
        try:
            value = cell_value(col, cell, tz)
        except FlatError as exc:
            problems.append((col.name, str(exc)))
            continue
        set_path(data, col.steps, value)
    root = model_node(ENTITY_MODELS[entity])
    return {"type": entity, **restore_lists(data, root)}, problems


_DIRECT = frozenset({"text", "date", "datetime", "decimal"})


class RowDecoder:
    """Turns the rows of one flat table into standard-shaped dicts.

    The work that depends only on the header (which column goes where, which cells can be
    taken as they are, which fields hold lists) is done once per table, so a row costs
    little more than a dict.
    """

    def __init__(self, entity: str, columns: Sequence[Column | None], tz: tzinfo) -> None:
        self.entity = entity
        self.tz = tz
        self.root = model_node(ENTITY_MODELS[entity])
        self.plan: list[tuple[int, Column, str | None, bool]] = []
        for index, col in enumerate(columns):
            if col is None:
                continue
            direct = (
                isinstance(col.node, Scalar) and col.node.kind in _DIRECT and len(col.steps) == 1
            )
            indexed = any(isinstance(s, int) for s in col.steps)
            self.plan.append((index, col, str(col.steps[0]) if direct else None, indexed))
        #: The top-level fields whose ``{index: item}`` dicts become lists (in model order).
        self.list_fields = [
            (name, node)
            for name, node in self.root.children.items()
            if any(indexed and c.steps[0] == name for _i, c, _d, indexed in self.plan)
        ]
        #: The plan by column position (``None``: a column not read), to walk with a row.
        self.by_column: list[tuple[Column, str | None, bool] | None] = [None] * len(columns)
        for index, col, name, listed in self.plan:
            self.by_column[index] = (col, name, listed)

    def decode(self, cells: Sequence[Cell]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """A standard-shaped dict from one row, and ``(column, message)`` for bad cells."""
        data: dict[str, Any] = {"type": self.entity}
        problems: list[tuple[str, str]] = []
        listed = False
        for cell, step in zip(cells, self.by_column, strict=False):
            if step is None or cell == "":
                continue
            col, direct, indexed = step
            if direct is not None and cell.__class__ is str:
                data[direct] = cell
                continue
            try:
                value = cell_value(col, cell, self.tz)
            except FlatError as exc:
                problems.append((col.name, str(exc)))
                continue
            set_path(data, col.steps, value)
            listed = listed or indexed
        if listed:  # only the fields an indexed cell was set in hold {index: item} dicts
            for name, node in self.list_fields:
                if name in data:
                    data[name] = restore_lists(data[name], node)
        return data, problems
