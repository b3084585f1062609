"""JSON Patch (RFC 6902) between two JSON values: how interop connectors lose nothing.

A connector that maps a foreign format onto the standard keeps, for each record, the patch
that turns "what its writer would make of the mapped record" back into the record as read
(``diff(written, original)``); applying it on export gives the original back exactly. The
same trick carries standard fields a format has no place for. Patches are plain JSON, so
they can live under ``extensions`` or in a format's own extension slot.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from volunteer_standard.errors import VstdError

#: One RFC 6902 operation (only ``add``, ``remove`` and ``replace`` are produced).
Operation = dict[str, Any]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def diff(source: Any, target: Any, path: str = "") -> list[Operation]:
    """The operations that turn ``source`` into ``target``.

    Objects are compared key by key and arrays of equal length item by item, so a patch
    names the smallest differing parts; arrays of different lengths are replaced whole.
    """
    if _same(source, target):
        return []
    if isinstance(source, Mapping) and isinstance(target, Mapping):
        ops: list[Operation] = []
        # Keys in sorted order: the same two values always give the same patch,
        # whatever order their members were written in.
        for key in sorted(source):
            if key not in target:
                ops.append({"op": "remove", "path": f"{path}/{_escape(key)}"})
        for key in sorted(target):
            value = target[key]
            where = f"{path}/{_escape(key)}"
            if key not in source:
                ops.append({"op": "add", "path": where, "value": copy.deepcopy(value)})
            else:
                ops.extend(diff(source[key], value, where))
        return ops
    if (
        isinstance(source, list)
        and isinstance(target, list)
        and len(source) == len(target)
        and source
    ):
        out: list[Operation] = []
        for i, (a, b) in enumerate(zip(source, target, strict=True)):
            out.extend(diff(a, b, f"{path}/{i}"))
        return out
    return [{"op": "replace", "path": path, "value": copy.deepcopy(target)}]


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: ``1`` is not ``True`` and ``1`` is not ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class PatchError(VstdError, ValueError):
    """A patch does not fit the document it is applied to."""


def apply(document: Any, operations: Sequence[Mapping[str, Any]], *, strict: bool = True) -> Any:
    """Apply ``operations`` to a deep copy of ``document`` and return the result.

    With ``strict=False`` an operation that no longer fits (the record was edited since
    the patch was made) is skipped instead of failing the whole patch.
    """
    doc = copy.deepcopy(document)
    for op in operations:
        try:
            doc = _apply_one(doc, op)
        except PatchError:
            if strict:
                raise
    return doc


def _apply_one(doc: Any, op: Mapping[str, Any]) -> Any:
    kind, path = op.get("op"), op.get("path")
    if not isinstance(path, str) or kind not in ("add", "remove", "replace"):
        raise PatchError(f"unsupported patch operation {kind!r} at {path!r}")
    if path == "":
        if kind == "remove":
            raise PatchError("cannot remove the whole document")
        return copy.deepcopy(op.get("value"))
    tokens = [_unescape(t) for t in path.split("/")[1:]]
    parent = doc
    for token in tokens[:-1]:
        parent = _child(parent, token, path)
    last = tokens[-1]
    if isinstance(parent, dict):
        if kind == "remove":
            if last not in parent:
                raise PatchError(f"nothing to remove at {path}")
            del parent[last]
        else:
            parent[last] = copy.deepcopy(op.get("value"))
    elif isinstance(parent, list):
        index = len(parent) if last == "-" else _index(last, path)
        if kind == "add" and index <= len(parent):
            parent.insert(index, copy.deepcopy(op.get("value")))
        elif index < len(parent):
            if kind == "remove":
                del parent[index]
            else:
                parent[index] = copy.deepcopy(op.get("value"))
        else:
            raise PatchError(f"index out of range at {path}")
    else:
        raise PatchError(f"{path} does not point into an object or array")
    return doc


def _index(token: str, path: str) -> int:
    if not token.isdigit():
        raise PatchError(f"{path}: {token!r} is not an array index")
    return int(token)


def _child(node: Any, token: str, path: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise PatchError(f"{path}: no member {token!r}")
        return node[token]
    if isinstance(node, list):
        index = _index(token, path)
        if index >= len(node):
            raise PatchError(f"{path}: index {index} out of range")
        return node[index]
    raise PatchError(f"{path} does not point into an object or array")


@dataclass(frozen=True)
class LosslessCodec:
    """A two-way mapping between a foreign object and a standard-shaped dict that loses
    nothing in either direction.

    ``to_foreign`` and ``from_foreign`` are the natural mappings (both deterministic;
    ``to_foreign`` ignores ``extensions``). What the foreign object has beyond them is
    kept as a patch under ``extensions[namespace]["patch"]`` on import; what the standard
    record has beyond them is returned by :meth:`export` as a *carry* patch, which the
    format stores in a slot of its own and :meth:`import_` applies when reading back.
    """

    namespace: str
    to_foreign: Callable[[dict[str, Any]], dict[str, Any]]
    from_foreign: Callable[[dict[str, Any]], dict[str, Any]]

    def import_(
        self, obj: dict[str, Any], carry: Sequence[Mapping[str, Any]] | None = None
    ) -> dict[str, Any]:
        """The standard-shaped dict of a foreign object (its carry already removed)."""
        data = self.from_foreign(obj)
        try:
            mapped = self.to_foreign(data)
        except (KeyError, TypeError, ValueError, IndexError):
            mapped = {}  # too incomplete to map back (invalid anyway): keep the whole object
        kept = diff(mapped, obj)
        if kept:
            extensions = data.setdefault("extensions", {})
            extensions[self.namespace] = {"patch": kept}
        if carry:
            data = apply(data, carry, strict=False)
        return data

    def export(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[Operation]]:
        """The foreign object of a standard-shaped dict, and the carry patch that
        :meth:`import_` needs to give ``data`` back exactly (empty when none)."""
        extensions = dict(data.get("extensions") or {})
        kept = extensions.pop(self.namespace, None)
        plain = {k: v for k, v in data.items() if k != "extensions"}
        if extensions:
            plain["extensions"] = extensions
        out = self.to_foreign(plain)
        if isinstance(kept, Mapping) and isinstance(kept.get("patch"), list):
            out = apply(out, kept["patch"], strict=False)
        back = self.import_(out)
        return out, diff(back, data)


__all__ = ["LosslessCodec", "Operation", "PatchError", "apply", "diff"]
