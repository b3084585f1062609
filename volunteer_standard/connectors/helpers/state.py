"""Incremental state: a bookmark so that a re-run continues where the last one ended.

The engine saves ``connector.state`` only after a run finished (Singer's rule: never save
a bookmark before every record up to it has been handed on), so a connector sets it once,
after its last record, from a :class:`Bookmark`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Bookmark:
    """The high-water mark of one stream (e.g. the latest ``updated_at`` or a cursor).

    ``is_new`` tells whether a record lies after the bookmark the run started from;
    ``observe`` moves the mark forward. Values must compare in the source's order:
    integers, or timestamps in one canonical text form (ISO 8601 with the same offset).
    ``inclusive`` re-reads records equal to the mark, for sources whose timestamps are not
    unique (at-least-once; the target deduplicates by id).
    """

    def __init__(
        self, state: Mapping[str, Any] | None, key: str = "bookmark", *, inclusive: bool = False
    ) -> None:
        self.key = key
        self.inclusive = inclusive
        self.start: Any = (state or {}).get(key)
        self.value: Any = self.start

    def is_new(self, value: Any) -> bool:
        """Whether a record with this value should be read in this run."""
        if value is None or self.start is None:
            return True
        return bool(value >= self.start) if self.inclusive else bool(value > self.start)

    def observe(self, value: Any) -> None:
        """Move the mark to ``value`` when it is later than the mark."""
        if value is not None and (self.value is None or value > self.value):
            self.value = value

    def set(self, value: Any) -> None:
        """Replace the mark (for opaque cursors, which have no order)."""
        self.value = value

    def to_state(self, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The state to save: ``previous`` with this bookmark updated."""
        out = dict(previous or {})
        if self.value is not None:
            out[self.key] = self.value
        return out


__all__ = ["Bookmark"]
