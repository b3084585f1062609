"""Find connectors by name among the built-ins and the installed plugins."""

from __future__ import annotations

import difflib
from functools import cache

from volunteer_standard.connectors.base import Connector, ConnectorError


@cache
def connectors() -> dict[str, type[Connector]]:
    """Every registered connector class by name."""
    from volunteer_standard.plugins import collect

    found: dict[str, type[Connector]] = {}
    for cls in collect("register_connectors"):
        found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


def get_connector(name: str) -> type[Connector]:
    """The connector class called ``name``; the error suggests close names."""
    available = connectors()
    try:
        return available[name]
    except KeyError:
        close = difflib.get_close_matches(name, available, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ConnectorError(
            f"unknown connector {name!r} (available: {', '.join(available)}){hint}"
        ) from None


def clear_cache() -> None:
    connectors.cache_clear()
