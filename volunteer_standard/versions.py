"""Versions of the standard: which exist, what each added, and which fields a version knows.

The policy (``docs/versioning.md``): a *minor* version only adds (optional fields, entity
types, codes in open lists, code lists); data valid under 1.m stays valid under 1.n for
n > m. A *major* version may remove or change meaning and comes with an upgrade step. The
history is data (``versions.toml``); every published version's schemas stay in
``schemas/<version>/`` exactly as published.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.text import Text

_DATA = Path(__file__).resolve().parent / "versions.toml"


@dataclass(frozen=True, slots=True)
class Version:
    """One published version of the standard."""

    version: str
    published: str
    notes: Text
    added: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[int, int]:
        return parse(self.version)


def parse(version: str) -> tuple[int, int]:
    """``"1.10"`` → ``(1, 10)``; ``ValueError`` for anything that is not MAJOR.MINOR."""
    major, dot, minor = version.partition(".")
    if not dot or not major.isdigit() or not minor.isdigit():
        raise ValueError(f"not a MAJOR.MINOR version: {version!r}")
    return int(major), int(minor)


@functools.cache
def versions() -> tuple[Version, ...]:
    """Every published version, oldest first."""
    with _DATA.open("rb") as fh:
        data = tomllib.load(fh)
    found = tuple(
        Version(
            v["version"],
            v["published"],
            Text(v["notes_zh"], v["notes_en"]),
            tuple(v.get("added", ())),
        )
        for v in data["version"]
    )
    return tuple(sorted(found, key=lambda v: v.key))


def current() -> str:
    """The version the models describe."""
    return SCHEMA_VERSION


def known(version: str) -> bool:
    """Whether ``version`` is a published version of the standard."""
    return any(v.version == version for v in versions())


def added_after(version: str) -> dict[str, str]:
    """Fields added after ``version`` (``"<type>.<field>"`` or ``"*.<field>"``) → the
    version that added them."""
    base = parse(version)
    return {f: v.version for v in versions() if v.key > base for f in v.added}


def fields_unknown_to(version: str, entity_type: str, keys: set[str]) -> dict[str, str]:
    """Of a record's top-level ``keys``, those that ``version`` did not have yet → the
    version that added each."""
    later = added_after(version)
    out = {}
    for key in keys:
        added = later.get(f"{entity_type}.{key}") or later.get(f"*.{key}")
        if added is not None:
            out[key] = added
    return out


__all__ = ["Version", "added_after", "current", "fields_unknown_to", "known", "parse", "versions"]
