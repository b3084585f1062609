"""Public names of a package imported on first use (PEP 562 module ``__getattr__``).

Start-up matters (``vstd --help`` must not wait for pydantic, SQLAlchemy or a plugin's
libraries), so the package, ``io`` and the reference plugins name what they export and
import it only when it is first looked up. One implementation for all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    namespace: dict[str, Any], table: Mapping[str, str | tuple[str, str]]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``namespace`` (the module's ``globals()``).

    ``table`` maps each public name to the module that defines it, or to ``(module,
    name there)``. The value is kept in ``namespace``, so the next lookup is a plain one.
    """

    def __getattr__(name: str) -> Any:
        where = table.get(name)
        if where is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        module, attribute = (where, name) if isinstance(where, str) else where
        value = getattr(importlib.import_module(module), attribute)
        namespace[name] = value
        return value

    return __getattr__


__all__ = ["lazy_attributes"]
