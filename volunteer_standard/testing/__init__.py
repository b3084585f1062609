"""Testing tools for connector authors: the conformance kit and its building blocks.

``from volunteer_standard.testing import ConnectorAcceptanceTests`` and subclass it in a
test module; see :mod:`volunteer_standard.testing.kit` and ``docs/connectors.md``. Needs
pytest (``pip install 'volunteer-standard[testing]'``).

The names are loaded on first use, so that the pytest plugin (a module of this package)
can ask pytest to rewrite the kit's asserts before the kit is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from volunteer_standard.testing.kit import (
        ConnectorAcceptanceTests,
        MalformedOutcome,
        Variant,
        check_record,
        comparable,
        convert_malformed,
        garbled_variants,
        input_size,
        malformed_failures,
        peak_read_memory,
        read_objects,
        records_of,
        sample_entities,
        write_objects,
    )

__all__ = [
    "ConnectorAcceptanceTests",
    "MalformedOutcome",
    "Variant",
    "check_record",
    "comparable",
    "convert_malformed",
    "garbled_variants",
    "input_size",
    "malformed_failures",
    "peak_read_memory",
    "read_objects",
    "records_of",
    "sample_entities",
    "write_objects",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("volunteer_standard.testing.kit"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
