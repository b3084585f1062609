"""Standard objects ↔ gateway items, as the profile's field map says.

Gateways write Beijing time as ``2024-03-05 09:00:00`` and lists as comma-separated codes;
the standard writes ISO 8601 with an offset and JSON arrays. Only the fields the map names
travel: what the gateway has no field for is lost on upload (the plugin README lists them
and the fidelity test measures them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vstd_connector_gateway.profile import EntityProfile, FieldMap

_GATEWAY_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$")
_BEIJING = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\+08:00$")


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; ``None`` when a step is missing."""
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """``data["a"]["b"] = value`` for ``"a.b"``, creating inner objects."""
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def to_gateway(value: Any, kind: str) -> Any:
    """A standard value in the gateway's form."""
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, str):
        found = _BEIJING.match(value)
        return f"{found[1]} {found[2]}" if found else value
    if kind == "list" and isinstance(value, list):
        return ",".join(str(v) for v in value)
    return value


def from_gateway(value: Any, kind: str) -> Any:
    """A gateway value in the standard's form (left as is when it does not fit: validation
    then says what is wrong with it)."""
    if value is None or value == "":
        return None
    if kind == "datetime" and isinstance(value, str):
        found = _GATEWAY_DATETIME.match(value.strip())
        return f"{found[1]}T{found[2]}+08:00" if found else value
    if kind == "date" and isinstance(value, str):
        return value.strip()[:10]
    if kind == "list" and isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def item_of(entity: EntityProfile, data: Mapping[str, Any]) -> dict[str, Any]:
    """The gateway item of a standard object (as a JSON-ready dict)."""
    item: dict[str, Any] = {}
    for field in entity.fields:
        value = to_gateway(get_path(data, field.path), field.kind)
        if value is not None:
            item[field.name] = value
    return item


def data_of(entity: EntityProfile, item: Mapping[str, Any]) -> dict[str, Any]:
    """The standard-shaped dict of a gateway item (not yet validated)."""
    data: dict[str, Any] = {"type": entity.type}
    for field in entity.fields:
        if field.name in item:
            value = from_gateway(item[field.name], field.kind)
            if value is not None:
                set_path(data, field.path, value)
    if "id" not in data and isinstance(data.get("volunteer_no"), str):
        data["id"] = data["volunteer_no"]  # the volunteer number is the public key
    return data


def mapped_paths(entity: EntityProfile) -> list[FieldMap]:
    """The field maps of an entity (for documentation and the fidelity measure)."""
    return list(entity.fields)


__all__ = ["data_of", "from_gateway", "get_path", "item_of", "set_path", "to_gateway"]
