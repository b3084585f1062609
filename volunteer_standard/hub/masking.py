"""Masking of personal fields for clients without the ``sensitive`` scope.

Which fields are personal is read from the models (``x-sensitivity`` in the schema), never
listed here. A masked value keeps enough shape to be recognisable to the person it is
about and useless to anyone else, in the usual Chinese style: ``张**``, ``171****2429``,
``3101**********6986``; anything else becomes ``***``.
"""

from __future__ import annotations

import copy
from typing import Any

from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.models.introspect import sensitive_fields


def mask_value(value: Any) -> Any:
    """The masked form of one sensitive value (structures are masked leaf by leaf)."""
    if isinstance(value, str):
        if value.isdigit() and len(value) >= 11:
            return value[:3] + "*" * (len(value) - 7) + value[-4:]
        if len(value) >= 15 and value[:-1].isdigit():  # an ID number ending in X
            return value[:4] + "*" * (len(value) - 8) + value[-4:]
        if 0 < len(value) <= 4:
            return value[0] + "*" * max(len(value) - 1, 1)
        return "***"
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return "***"


def _mask_at(node: Any, path: tuple[str, ...]) -> None:
    if not path:
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(node, list):
            for item in node:
                _mask_at(item, rest)
        return
    if not isinstance(node, dict) or step not in node:
        return
    if rest:
        child = node[step]
        if isinstance(child, list):
            for item in child:
                _mask_at(item, rest)
        else:
            _mask_at(child, rest)
    else:
        node[step] = mask_value(node[step])


def mask_record(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with every sensitive field of its entity type masked."""
    model = ENTITY_MODELS.get(kind)
    if model is None:
        return data
    out = copy.deepcopy(data)
    for path in sorted(sensitive_fields(model), key=len, reverse=True):
        _mask_at(out, path)
    return out
