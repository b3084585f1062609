"""Walk the models to find fields with a given property (code lists, sensitivity).

Paths are tuples of field names, with ``"*"`` for list items; the validator and the privacy
tools use them instead of hard-coding field names.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from volunteer_standard.models._types import CodeListRef

Path = tuple[str, ...]


def _walk(annotation: Any, path: Path, out: list[tuple[Path, str]], depth: int) -> None:
    if depth > 8:
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        for item in meta:
            if isinstance(item, CodeListRef):
                out.append((path, item.name))
        _walk(base, path, out, depth + 1)
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            _walk(arg, path, out, depth + 1)
    elif origin is list:
        (item,) = get_args(annotation)
        _walk(item, (*path, "*"), out, depth + 1)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _walk_model(annotation, path, out, depth + 1)


def _walk_model(
    model: type[BaseModel], path: Path, out: list[tuple[Path, str]], depth: int
) -> None:
    for name, info in model.model_fields.items():
        # pydantic moves a bare Annotated's metadata from the annotation to the field.
        for item in info.metadata:
            if isinstance(item, CodeListRef):
                out.append(((*path, name), item.name))
        _walk(info.annotation, (*path, name), out, depth)


@cache
def codelist_fields(model: type[BaseModel]) -> tuple[tuple[Path, str], ...]:
    """Every field of ``model`` (nested too) that holds a code, with its code-list name."""
    out: list[tuple[Path, str]] = []
    _walk_model(model, (), out, 0)
    return tuple(dict.fromkeys(out))


def _sensitive(model: type[BaseModel], path: Path, out: set[Path], depth: int) -> None:
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        here = (*path, name)
        if extra.get("x-sensitivity") in ("personal", "sensitive"):
            out.add(here)
        for sub in _models_in(info.annotation):
            if depth < 8:
                _sensitive(sub, here, out, depth + 1)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    origin = get_origin(annotation)
    if origin is not None:
        return [m for arg in get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _classes(
    model: type[BaseModel], path: Path, out: dict[Path, str], depth: int, inherited: str
) -> None:
    rank = {"public": 0, "personal": 1, "sensitive": 2}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        own = str(extra.get("x-sensitivity", "public"))
        here = (*path, name)
        cls = own if rank.get(own, 0) >= rank.get(inherited, 0) else inherited
        out[here] = cls
        for sub in _models_in(info.annotation):
            if depth < 8:
                _classes(sub, here, out, depth + 1, cls)


@cache
def sensitivity_classes(model: type[BaseModel]) -> tuple[tuple[Path, str], ...]:
    """Every field path of ``model`` with its class (public, personal, sensitive); a
    field inside a personal or sensitive object is at least as sensitive as the object."""
    out: dict[Path, str] = {}
    _classes(model, (), out, 0, "public")
    return tuple(out.items())


@cache
def sensitive_fields(model: type[BaseModel]) -> frozenset[Path]:
    """Paths (list indexes dropped) of fields marked as personal or sensitive information."""
    out: set[Path] = set()
    _sensitive(model, (), out, 0)
    return frozenset(out)


def values_at(data: Any, path: Path) -> list[tuple[str, Any]]:
    """The values found at ``path`` in a JSON-like dict, each with its JSON pointer."""
    found: list[tuple[str, Any]] = [("", data)]
    for step in path:
        nxt: list[tuple[str, Any]] = []
        for pointer, value in found:
            if step == "*":
                if isinstance(value, list):
                    nxt.extend((f"{pointer}/{i}", item) for i, item in enumerate(value))
            elif isinstance(value, dict) and step in value:
                nxt.append((f"{pointer}/{step}", value[step]))
        found = nxt
        if not found:
            break
    return found
