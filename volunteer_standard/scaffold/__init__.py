"""Scaffolding: ``vstd plugin new NAME`` makes a connector package that works out of the box.

A vendor should start from something that installs, registers itself and passes the
conformance kit, then change it step by step with the tests green, rather than start from a
blank page. The templates are package data (``templates/connector`` for a file connector,
``templates/http`` for an API connector on the HTTP base); file names ending in ``.tmpl``
are rendered, a path segment ``__module__`` becomes the module name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from volunteer_standard._version import __version__
from volunteer_standard.errors import VstdError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_PREFIX = "vstd-connector-"

#: What a scaffolded connector talks to: files (a CSV) or an HTTP API.
Kind = Literal["csv", "http"]
_TEMPLATES: dict[str, str] = {"csv": "connector", "http": "http"}
_TITLES: dict[str, str] = {"csv": "{name} CSV of volunteers", "http": "{name} API of volunteers"}


class ScaffoldError(VstdError):
    """The plugin cannot be created (bad name, or the folder exists and is not empty)."""


@dataclass(frozen=True)
class PluginNames:
    """The names derived from the connector name ``acme-hr``."""

    name: str  # connector name: acme-hr
    dist: str  # distribution: vstd-connector-acme-hr
    module: str  # import package: vstd_connector_acme_hr
    cls: str  # connector class: AcmeHrConnector
    namespace: str  # extension namespace: acme_hr

    @classmethod
    def from_name(cls, name: str) -> PluginNames:
        """Check and derive the names; ``vstd-connector-acme`` is accepted for ``acme``."""
        short = name.strip().lower().removeprefix(_PREFIX)
        if not _NAME.match(short) or len(short) > 40:
            raise ScaffoldError(
                f"invalid connector name {name!r}: use lower-case letters, digits and single "
                "hyphens, starting with a letter (e.g. 'acme-hr')"
            )
        words = re.split(r"[-_]", short)
        return cls(
            name=short,
            dist=_PREFIX + short.replace("_", "-"),
            module="vstd_connector_" + "_".join(words),
            cls="".join(w.capitalize() for w in words) + "Connector",
            namespace="_".join(words),
        )


def _render(text: str, names: PluginNames, kind: Kind = "csv") -> str:
    values = {
        "name": names.name,
        "dist": names.dist,
        "module": names.module,
        "class": names.cls,
        "namespace": names.namespace,
        "title": _TITLES[kind].format(name=names.name),
        "env": names.name.upper().replace("-", "_"),
        "vstd_version": __version__,
    }
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _walk(
    node: Traversable, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Traversable]]:
    out: list[tuple[tuple[str, ...], Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            out.extend(_walk(child, (*prefix, child.name)))
        else:
            out.append(((*prefix, child.name), child))
    return out


def create_plugin(
    name: str, directory: str | Path | None = None, *, force: bool = False, kind: Kind = "csv"
) -> Path:
    """Write a connector package for ``name`` into ``directory/vstd-connector-NAME`` (the
    current folder by default) and return its path.

    The package has a pyproject with the entry point, a working connector skeleton (a CSV
    of volunteers; with ``kind="http"`` an API connector on the HTTP base with its API
    description file), synthetic sample data, tests using the conformance kit (for an API,
    against a local test server) and a README.
    Raises :class:`ScaffoldError` when the target exists and is not empty (unless
    ``force``).
    """
    if kind not in _TEMPLATES:
        raise ScaffoldError(f"unknown kind {kind!r}: one of {', '.join(_TEMPLATES)}")
    names = PluginNames.from_name(name)
    root = Path(directory or ".") / names.dist
    if root.exists() and any(root.iterdir()) and not force:
        raise ScaffoldError(f"{root} exists and is not empty")
    _refuse_symlinks(root)
    template = resources.files("volunteer_standard.scaffold").joinpath(
        "templates", _TEMPLATES[kind]
    )
    for parts, source in _walk(template):
        relative = [names.module if p == "__module__" else p for p in parts]
        target = root.joinpath(*relative)
        if target.name.endswith(".tmpl"):
            target = target.with_name(target.name.removesuffix(".tmpl"))
            if target.name == "gitignore":
                target = target.with_name(".gitignore")
            content = _render(source.read_text(encoding="utf-8"), names, kind)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return root


def _refuse_symlinks(root: Path) -> None:
    """``--force`` overwrites files: never through a symlink, which could point anywhere."""
    found = [root] if root.is_symlink() else []
    if root.is_dir() and not found:
        found = [p for p in root.rglob("*") if p.is_symlink()]
    if found:
        raise ScaffoldError(
            f"{root} contains a symbolic link ({found[0]}); the package is not written "
            "through links: remove them or choose another folder"
        )


__all__ = ["Kind", "PluginNames", "ScaffoldError", "create_plugin"]
