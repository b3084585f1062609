"""Round-trip fidelity: what share of a sample's fields survives a trip through a format.

A connector's closing note states "fields preserved / fields total over its sample". Both
counts are over leaf values (a field of a nested object, an item of a list) of the
standard objects written, matched by (type, id) with the objects read back, so one
number compares connectors whatever their formats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from volunteer_standard.models import Entity


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """``(JSON pointer, value)`` of every leaf of a JSON value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaves(inner, f"{path}/{index}")
    else:
        yield path, value


@dataclass
class Fidelity:
    """Leaf fields preserved out of the total, and the top-level fields that lost some."""

    preserved: int = 0
    total: int = 0
    lost: Counter[str] = field(default_factory=Counter)

    @property
    def ratio(self) -> float:
        return self.preserved / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.preserved}/{self.total} fields preserved ({self.ratio:.1%})"


def measure(written: Iterable[Entity], read_back: Iterable[Entity]) -> Fidelity:
    """Compare the objects written with those read back (by type and id)."""
    back = {
        (o.type, o.id): dict(leaves(o.model_dump(mode="json", exclude_none=True)))
        for o in read_back
    }
    result = Fidelity()
    for obj in written:
        got = back.get((obj.type, obj.id), {})
        for pointer, value in leaves(obj.model_dump(mode="json", exclude_none=True)):
            result.total += 1
            if pointer in got and got[pointer] == value:
                result.preserved += 1
            else:
                result.lost[f"{obj.type}.{pointer.split('/')[1]}"] += 1
    return result


__all__ = ["Fidelity", "leaves", "measure"]
