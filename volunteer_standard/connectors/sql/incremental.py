"""Incremental reads: a bookmark of (modification time, key) per table.

Timestamps are not unique: many rows change in the same second. A bookmark of the
modification time alone would either re-read those rows (``>=``) or skip the ones not yet
read when a run stopped between them (``>``). The bookmark is therefore the pair
``(modified, key)`` of the last row handed on, rows are read in that order, and a run
continues with::

    WHERE modified > :m OR (modified = :m AND key > :k) ORDER BY modified, key

Rows whose modification time is empty (NULL) are read by a run without a bookmark only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


@dataclass(frozen=True, slots=True)
class Mark:
    """The position after which a run continues."""

    modified: Any
    key: Any

    def to_json(self) -> dict[str, Any]:
        """JSON-safe form for the state file (dates keep their type in a tag)."""
        value, kind = _out(self.modified)
        key, key_kind = _out(self.key)
        return {"modified": value, "modified_type": kind, "key": key, "key_type": key_kind}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Mark | None:
        if not data or "modified" not in data:
            return None
        return cls(
            _in(data["modified"], data.get("modified_type", "plain")),
            _in(data.get("key"), data.get("key_type", "plain")),
        )


def _out(value: Any) -> tuple[Any, str]:
    if isinstance(value, datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, date):
        return value.isoformat(), "date"
    if isinstance(value, Decimal):
        return str(value), "decimal"
    if value is None or isinstance(value, str | int | float | bool):
        return value, "plain"
    return str(value), "plain"


def _in(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    return value


def after(modified: ColumnElement[Any], key: ColumnElement[Any], mark: Mark) -> ColumnElement[bool]:
    """The rows after ``mark`` in (modified, key) order."""
    return or_(modified > mark.modified, and_(modified == mark.modified, key > mark.key))


__all__ = ["Mark", "after"]
