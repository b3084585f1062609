"""Structured logs: one JSON object per line on stderr, with event names and counts.

Log lines carry routes (not URLs with their query strings), token names, counts and
timings: never record content, ID numbers, names or tokens.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

logger = logging.getLogger("vstd.hub")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        return orjson.dumps(entry, default=str).decode("utf-8")


def configure(level: int = logging.INFO) -> None:
    """Send the hub's logs to stderr as JSON lines (idempotent)."""
    if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def log_event(event: str, **fields: Any) -> None:
    """Log one event with its fields (counts, names of things, durations)."""
    if logger.isEnabledFor(logging.INFO):
        logger.info(event, extra={"event": event, "fields": fields, "at": time.time()})
