"""The root group's commands as a mapping that builds each command when it is looked up.

Why: typer builds a click command by reading its function's signature and evaluating every
annotation, which for all of ``vstd``'s commands costs more than running a small
validation's own work; one run uses one command. Listing the commands (``vstd --help``)
builds them all, in their order, as typer would have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any


class LazyCommands(MutableMapping[str, Any]):
    """Command name → click command; the names in ``names`` are built by ``build(name)`` on
    first lookup, others (``built``, or added later) are kept as given. Iteration, ``len``
    and ``in`` build nothing."""

    def __init__(
        self,
        names: Iterable[str],
        build: Callable[[str], Any],
        built: Mapping[str, Any] | None = None,
    ) -> None:
        self._build = build
        self._order: dict[str, None] = dict.fromkeys(names)
        self._pending = set(self._order)
        self._built: dict[str, Any] = {}
        for name, command in (built or {}).items():
            self[name] = command

    def __getitem__(self, name: str) -> Any:
        if name in self._pending:
            self._built[name] = self._build(name)
            self._pending.discard(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._order[name] = None
        self._pending.discard(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._order[name]
        self._pending.discard(name)
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._order

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


__all__ = ["LazyCommands"]
