"""Value maps: a source system's labels or codes ↔ the standard's codes.

Regional exports write "男", "中共党员" or their own numbers where the standard has a code.
A :class:`ValueMap` translates both ways and turns an unknown value into a
:class:`Problem` (so the record is rejected with the value named) instead of guessing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from volunteer_standard.connectors.base import Problem
from volunteer_standard.connectors.helpers.problems import UNKNOWN_VALUE


def normalise_label(value: str) -> str:
    """Trim and fold full-width characters (NFKC), so "１" and " 1 " match "1"."""
    return unicodedata.normalize("NFKC", value).strip()


class ValueMap:
    """Labels → codes, and codes → the label to write back.

    ``mapping`` maps each source label to a standard code; several labels may share a code
    (aliases), and the first one is the one written back. With ``codelist``, every code is
    checked against that code list of the standard when the map is built, so a typo in a
    connector fails its tests rather than its users' runs.
    """

    def __init__(
        self,
        mapping: Mapping[str, str],
        *,
        name: str = "value",
        codelist: str | None = None,
        normalise: Callable[[str], str] = normalise_label,
        problem_code: str = UNKNOWN_VALUE,
    ) -> None:
        self.name = name
        self.normalise = normalise
        self.problem_code = problem_code
        self._to_code: dict[str, str] = {}
        self._to_label: dict[str, str] = {}
        for label, code in mapping.items():
            self._to_code[normalise(str(label))] = code
            self._to_label.setdefault(code, str(label))
        if codelist is not None:
            self._check_codes(codelist)

    @classmethod
    def from_codelist(
        cls, codelist: str, *, name: str | None = None, extra: Mapping[str, str] | None = None
    ) -> ValueMap:
        """A map accepting a code list's codes and Chinese labels (e.g. "男" or "1" → "1");
        codes are written back as codes."""
        from volunteer_standard import codelists

        found = codelists.get(codelist)
        mapping: dict[str, str] = {c.code: c.code for c in found.codes}
        for c in found.codes:
            mapping.setdefault(c.label_zh, c.code)
        mapping.update(extra or {})
        return cls(mapping, name=name or codelist, codelist=codelist)

    def _check_codes(self, codelist: str) -> None:
        from volunteer_standard import codelists

        found = codelists.get(codelist)
        unknown = sorted(code for code in self._to_label if code not in found)
        if unknown and found.closed:
            raise ValueError(
                f"value map {self.name!r}: {', '.join(unknown)} not in code list {codelist!r}"
            )

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.normalise(value) in self._to_code

    def __iter__(self) -> Iterator[str]:
        return iter(self._to_code)

    def code(
        self, value: Any, problems: list[Problem] | None = None, *, field: str | None = None
    ) -> str | None:
        """The code for ``value``; ``None`` for an empty value. An unknown value returns
        ``None`` and, when ``problems`` is given, appends a problem naming it."""
        if value is None:
            return None
        text = self.normalise(str(value))
        if not text:
            return None
        found = self._to_code.get(text)
        if found is None and problems is not None:
            known = ", ".join(list(self._to_code)[:12])
            more = " …" if len(self._to_code) > 12 else ""
            problems.append(
                Problem(
                    self.problem_code,
                    f"{field or self.name}: {value!r} is not a known {self.name} "
                    f"(known: {known}{more})",
                    field,
                )
            )
        return found

    def codes(
        self,
        value: Any,
        problems: list[Problem] | None = None,
        *,
        field: str | None = None,
        separator: str = ",",
    ) -> list[str] | None:
        """Codes for a multi-value cell such as "01,03" or "党员、团员"; ``None`` when empty."""
        if value is None:
            return None
        parts = [p for p in (self.normalise(s) for s in str(value).split(separator)) if p]
        out = [c for c in (self.code(p, problems, field=field) for p in parts) if c is not None]
        return out or None

    def label(self, code: str | None) -> str | None:
        """The label to write for ``code``; ``None`` when the map has none for it."""
        return None if code is None else self._to_label.get(code)

    def labels(self, codes: list[str] | None, separator: str = ",") -> str | None:
        """The labels of several codes joined; ``None`` when one of them has no label."""
        if not codes:
            return None
        found = [self._to_label.get(c) for c in codes]
        if any(f is None for f in found):
            return None
        return separator.join(f for f in found if f is not None)


__all__ = ["ValueMap", "normalise_label"]
