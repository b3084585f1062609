"""The shape of the standard's models as the tabular connector needs it.

Both layouts work from the pydantic models instead of a hand-kept list of fields: the
flat layout derives its columns (and their order) from them, the mapping derives each
column's transform (a date, hours, a code of which code list, a region) from the field it
maps to. A new field in the standard therefore needs no change here.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from volunteer_standard.models._types import REGION_CODE_PATTERN, CodeListRef

ScalarKind = Literal["text", "date", "datetime", "decimal", "integer", "number", "boolean"]


@dataclass(frozen=True, slots=True)
class Scalar:
    """A leaf value; ``codelist`` and ``region`` refine text."""

    kind: ScalarKind
    codelist: str | None = None
    region: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Node


@dataclass(frozen=True, slots=True)
class Obj:
    """A nested model: children in declaration order (the column order)."""

    model: type[BaseModel]
    children: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Json:
    """A free-form object (``extensions``): one column of JSON text in the flat layout."""


Node = Scalar | ListOf | Obj | Json


def _unwrap(annotation: Any, meta: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` and ``Optional``, collecting metadata on the way."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *extra = get_args(annotation)
            annotation, meta = base, [*meta, *extra]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"unsupported union {annotation!r}")
            annotation = args[0]
        else:
            return annotation, meta


def _scalar(annotation: Any, meta: list[Any]) -> Scalar:
    codelist = next((m.name for m in meta if isinstance(m, CodeListRef)), None)
    region = any(getattr(m, "pattern", None) == REGION_CODE_PATTERN for m in meta)
    if annotation is bool:
        return Scalar("boolean")
    if annotation is int:
        return Scalar("integer")
    if annotation is float:
        return Scalar("number")
    if annotation is Decimal:
        return Scalar("decimal")
    if annotation is datetime:
        return Scalar("datetime")
    if annotation is date:
        return Scalar("date")
    return Scalar("text", codelist, region)


def node_for(annotation: Any, meta: list[Any] | None = None, depth: int = 0) -> Node:
    """The node describing values of ``annotation``."""
    annotation, found = _unwrap(annotation, list(meta or []))
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        return ListOf(node_for(item, None, depth + 1))
    if origin is dict or annotation is dict or annotation is Any:
        return Json()
    if origin is Literal:
        return Scalar("text", choices=tuple(str(a) for a in get_args(annotation)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if depth > 10:
            raise TypeError("models nested too deeply")
        return model_node(annotation)
    return _scalar(annotation, found)


@cache
def model_node(model: type[BaseModel]) -> Obj:
    """The tree of ``model``'s fields (the ``type`` discriminator left out)."""
    children: dict[str, Node] = {}
    required: set[str] = set()
    for name, info in model.model_fields.items():
        if name == "type" and get_origin(info.annotation) is Literal:
            continue
        children[name] = node_for(info.annotation, list(info.metadata))
        if info.is_required():
            required.add(name)
    return Obj(model, children, frozenset(required))


Step = str | int


_PART = re.compile(r"^([^\[\]]+)((?:\[[0-9]+\])*)$")


def parse_path(path: str) -> list[Step]:
    """``residence.region_code`` → ["residence", "region_code"];
    ``identifiers[0].value`` → ["identifiers", 0, "value"]."""
    steps: list[Step] = []
    for part in path.split("."):
        match = _PART.match(part)
        if match is None:
            raise ValueError(f"bad field path {path!r} (use names, dots and [0] list indexes)")
        steps.append(match.group(1))
        steps.extend(int(i) for i in re.findall(r"\[([0-9]+)\]", match.group(2)))
    return steps


def resolve(root: Obj, steps: list[Step]) -> Node:
    """The node at ``steps``; raises ``KeyError`` with a readable message when absent."""
    node: Node = root
    walked: list[str] = []
    for step in steps:
        where = ".".join(walked) or "the entity"
        if isinstance(step, int):
            if not isinstance(node, ListOf):
                raise KeyError(f"{where} is not a list; [{step}] does not apply")
            node = node.item
            walked[-1] += f"[{step}]"
            continue
        if isinstance(node, Json):
            node = Json()
            walked.append(step)
            continue
        if not isinstance(node, Obj):
            raise KeyError(f"{where} has no fields; .{step} does not apply")
        if step not in node.children:
            import difflib

            close = difflib.get_close_matches(step, node.children, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"{where} has no field {step!r}{hint}")
        node = node.children[step]
        walked.append(step)
    return node
