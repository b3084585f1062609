"""Connectors: read one system's data into the standard and write it back out.

The names below are imported on first use: loading the built-in plugins
(``connectors.builtin``, for ``vstd validate`` too) imports this package, and must not pay
for the connector base classes and the models they import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
    from volunteer_standard.connectors.base import (
        Checkpoint,
        CheckResult,
        Connector,
        ConnectorConfig,
        ConnectorError,
        Problem,
        ReadItem,
        RecordWriter,
        SourceRecord,
        load_config,
    )
    from volunteer_standard.connectors.registry import connectors, get_connector

_BASE = "volunteer_standard.connectors.base"
_REGISTRY = "volunteer_standard.connectors.registry"

__getattr__ = lazy_attributes(
    globals(),
    {
        "CheckResult": _BASE,
        "Checkpoint": _BASE,
        "Connector": _BASE,
        "ConnectorConfig": _BASE,
        "ConnectorError": _BASE,
        "Problem": _BASE,
        "ReadItem": _BASE,
        "RecordWriter": _BASE,
        "SourceRecord": _BASE,
        "load_config": _BASE,
        "connectors": _REGISTRY,
        "get_connector": _REGISTRY,
    },
)

__all__ = [
    "CheckResult",
    "Checkpoint",
    "Connector",
    "ConnectorConfig",
    "ConnectorError",
    "Problem",
    "ReadItem",
    "RecordWriter",
    "SourceRecord",
    "connectors",
    "get_connector",
    "load_config",
]
