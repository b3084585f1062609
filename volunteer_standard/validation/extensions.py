"""Extension schemas: a plugin gives its ``extensions.<namespace>`` object a JSON Schema.

Data without a place in the standard lives under ``extensions``; a namespace registered
through the ``register_extensions`` hook carries a JSON Schema (draft 2020-12) that
validation applies to every record's ``extensions.<namespace>`` (issue VS151). Such a schema
may say ``"x-codelist": "NAME"`` on a string to require a code of a code list, bundled or
registered by a plugin, so that a plugin's extension and its code list work together.

``jsonschema`` is imported when the first schema is checked, that is when a record's
``extensions`` hold a namespace that some plugin registers: a run whose records use none
(most of them, ``vstd validate`` of a small file included) does not pay for it, whatever
plugins are installed (see :func:`extension_schemas`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from volunteer_standard import codelists, codes
from volunteer_standard.models._types import NAMESPACE_PATTERN
from volunteer_standard.registry import REGISTRY, RegistrationError
from volunteer_standard.text import Text
from volunteer_standard.validation.catalogue import IssueType, register

_NAMESPACE = re.compile(NAMESPACE_PATTERN)

EXTENSION_INVALID = IssueType(
    codes.EXTENSION_INVALID,
    "extension-invalid",
    "error",
    "extensions",
    "扩展 {namespace} 的内容不符合其登记的模式：{detail}",
    "extension {namespace} does not match its registered schema: {detail}",
    "按扩展插件的文档填写该扩展对象，或改正数据中的字段。",
    "fill the extension object as its plugin documents it, or correct the field in the data.",
)
register(EXTENSION_INVALID)


def _codelist_keyword(
    validator: Any, name: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

    if not isinstance(instance, str):
        return
    try:
        found = codelists.get(str(name))
    except KeyError:
        yield ValidationError(f"the schema names an unknown code list {name!r}")
        return
    if instance not in found:
        yield ValidationError(f"{instance!r} is not a code of the code list {name}")


@cache
def extension_validator() -> Any:
    """The validator class: Draft 2020-12 plus the ``x-codelist`` keyword."""
    from jsonschema import Draft202012Validator, validators  # type: ignore[import-untyped]

    return validators.extend(Draft202012Validator, {"x-codelist": _codelist_keyword})


@dataclass(frozen=True)
class ExtensionSchema:
    """A registered extension namespace and its schema."""

    namespace: str
    schema: dict[str, Any]
    validator: Any = field(repr=False, compare=False)

    def errors(self, value: Any) -> list[tuple[str, str]]:
        """(JSON pointer inside the extension object, message) for each problem."""
        out = []
        for error in sorted(self.validator.iter_errors(value), key=lambda e: list(e.path)):
            pointer = "".join(f"/{p}" for p in error.absolute_path)
            out.append((pointer, error.message))
        return out


def check_extension(value: Any) -> ExtensionSchema:
    """A ``(namespace, schema)`` registration fit to keep."""
    if not (isinstance(value, tuple) and len(value) == 2):
        raise RegistrationError(
            Text(
                "register_extensions：应登记 (命名空间, JSON Schema)",
                "register_extensions: register(namespace, schema) expects two arguments",
            )
        )
    namespace, schema = value
    if not isinstance(namespace, str) or not _NAMESPACE.fullmatch(namespace):
        raise RegistrationError(
            Text(f"扩展命名空间无效：{namespace!r}", f"invalid extension namespace {namespace!r}")
        )
    if not isinstance(schema, dict):
        raise RegistrationError(
            Text(
                f"扩展 {namespace} 的模式必须是 JSON 对象",
                f"extension {namespace}: the schema must be a JSON object",
            )
        )
    from jsonschema.exceptions import SchemaError

    validator = extension_validator()
    try:
        validator.check_schema(schema)
    except SchemaError as exc:
        raise RegistrationError(
            Text(
                f"扩展 {namespace} 的模式无效：{exc.message}",
                f"extension {namespace}: invalid JSON Schema: {exc.message}",
            )
        ) from None
    return ExtensionSchema(namespace, schema, validator(schema))


EXTENSIONS = REGISTRY.kind(
    "register_extensions", key=lambda ext: ext.namespace, check=check_extension
)


def extension_schemas() -> Mapping[str, ExtensionSchema]:
    """Every registered extension namespace and its schema.

    Looking up a namespace that no plugin offers answers "not registered" without checking
    the schemas that are offered (checking them imports jsonschema): only a namespace that
    some plugin passes to ``register`` fills the registry, with every check, as before.
    """
    return _SCHEMAS


class _Schemas(Mapping[str, ExtensionSchema]):
    """The registered schemas, filled when a lookup may find one (see above)."""

    def __init__(self) -> None:
        self._offered: tuple[int, frozenset[str] | None] | None = None

    def __getitem__(self, namespace: str) -> ExtensionSchema:
        found: ExtensionSchema | None = self.get(namespace)
        if found is None:
            raise KeyError(namespace)
        return found

    def get(self, namespace: str, default: Any = None) -> Any:  # the hot path: no KeyError
        offered = self._offered_namespaces()
        if offered is not None and namespace not in offered:
            return default
        found = EXTENSIONS.get(namespace)
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        return iter(EXTENSIONS.items())

    def __len__(self) -> int:
        return len(EXTENSIONS.items())

    def _offered_namespaces(self) -> frozenset[str] | None:
        """The namespaces the plugins' hooks pass to ``register``, unchecked (``None``:
        not known without the checks). A registered namespace is always among them:
        the key of a registration is the namespace it was offered under."""
        if EXTENSIONS.has_runtime():
            return None
        cached = self._offered
        if cached is None or cached[0] != EXTENSIONS.changes:
            cached = self._offered = (EXTENSIONS.changes, _offered())
        return cached[1]


def _offered() -> frozenset[str] | None:
    names: set[str] = set()
    for _plugin, _builtin, calls in REGISTRY.call_hook(EXTENSIONS.hook):
        for args, _kwargs in calls:
            value = args[0] if len(args) == 1 else tuple(args)
            if not (isinstance(value, tuple) and value and isinstance(value[0], str)):
                return None  # refused by the check anyway; let the check say so
            names.add(value[0])
    return frozenset(names)


_SCHEMAS = _Schemas()


__all__ = [
    "EXTENSIONS",
    "EXTENSION_INVALID",
    "ExtensionSchema",
    "check_extension",
    "extension_schemas",
    "extension_validator",
]
