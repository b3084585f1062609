"""Connectors: read one system's data into the standard and write it back out."""

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
