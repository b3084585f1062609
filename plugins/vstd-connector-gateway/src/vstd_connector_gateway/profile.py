"""The gateway profile: interfaces, field maps and error codes, read from a data file.

Nothing about a particular platform is written in code: ``data/gateway.toml`` holds the
interface ids, which gateway field carries which standard field, which fields are
SM2-encrypted and what each error code means in Chinese and English. A platform that
differs gets a copy of the file (``profile = "my-gateway.toml"``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from volunteer_standard.connectors import ConnectorError
from volunteer_standard.text import Text

Kind = Literal["text", "date", "datetime", "list"]
_KINDS = ("text", "date", "datetime", "list")


@dataclass(frozen=True)
class FieldMap:
    """One gateway field and the standard field path it carries."""

    name: str
    path: str
    kind: Kind = "text"


@dataclass(frozen=True)
class EntityProfile:
    """How one entity type travels: its interfaces, fields and encrypted fields."""

    type: str
    title: str
    lookup: str | None
    upload: str | None
    bookmark: str | None
    sm2_fields: tuple[str, ...]
    fields: tuple[FieldMap, ...]


@dataclass(frozen=True)
class GatewayError:
    """What one gateway error code means."""

    code: str
    text: Text
    retry: bool = False


@dataclass(frozen=True)
class Profile:
    """Everything system-specific about one gateway."""

    version: str
    charset: str
    timestamp_format: str
    success_codes: tuple[str, ...]
    digest_header: str
    entities: dict[str, EntityProfile]
    errors: dict[str, GatewayError]

    def entity(self, type_: str) -> EntityProfile:
        """The profile of ``type_``; :class:`ConnectorError` if the gateway has none."""
        try:
            return self.entities[type_]
        except KeyError:
            raise ConnectorError(
                Text(
                    f"网关配置里没有 {type_} 的接口",
                    f"the gateway profile has no interfaces for {type_!r}",
                )
            ) from None

    def by_interface(self, interface_id: str) -> tuple[EntityProfile, Literal["lookup", "upload"]]:
        """Which entity and call an interface id stands for (the local gateway uses it)."""
        for entity in self.entities.values():
            if entity.lookup == interface_id:
                return entity, "lookup"
            if entity.upload == interface_id:
                return entity, "upload"
        raise KeyError(interface_id)


def _bad(where: str, what: str) -> ConnectorError:
    return ConnectorError(Text(f"网关配置文件 {where}：{what}", f"gateway profile {where}: {what}"))


def _entity(type_: str, data: dict[str, Any], where: str) -> EntityProfile:
    fields: list[FieldMap] = []
    for name, spec in (data.get("fields") or {}).items():
        if isinstance(spec, str):
            fields.append(FieldMap(name, spec))
        elif isinstance(spec, dict) and isinstance(spec.get("path"), str):
            kind = spec.get("kind", "text")
            if kind not in _KINDS:
                raise _bad(where, f"entities.{type_}.fields.{name}: unknown kind {kind!r}")
            fields.append(FieldMap(name, spec["path"], kind))
        else:
            raise _bad(where, f"entities.{type_}.fields.{name} is neither a path nor a table")
    return EntityProfile(
        type=type_,
        title=str(data.get("title", type_)),
        lookup=data.get("lookup"),
        upload=data.get("upload"),
        bookmark=data.get("bookmark"),
        sm2_fields=tuple(data.get("sm2_fields", ())),
        fields=tuple(fields),
    )


def parse_profile(data: dict[str, Any], where: str = "<data>") -> Profile:
    """A :class:`Profile` from the parsed TOML of a profile file."""
    gateway = data.get("gateway") or {}
    entities = {
        type_: _entity(type_, spec, where) for type_, spec in (data.get("entities") or {}).items()
    }
    errors = {}
    for code, spec in (data.get("errors") or {}).items():
        if not isinstance(spec, dict) or "zh" not in spec or "en" not in spec:
            raise _bad(where, f"errors.{code} needs zh and en texts")
        errors[str(code)] = GatewayError(
            str(code), Text(spec["zh"], spec["en"]), bool(spec.get("retry"))
        )
    return Profile(
        version=str(gateway.get("version", "1.0")),
        charset=str(gateway.get("charset", "UTF-8")),
        timestamp_format=str(gateway.get("timestamp_format", "%Y-%m-%d %H:%M:%S")),
        success_codes=tuple(str(c) for c in gateway.get("success_codes", ["0000"])),
        digest_header=str(gateway.get("digest_header", "X-Content-SM3")),
        entities=entities,
        errors=errors,
    )


@cache
def load_profile(path: str | None = None) -> Profile:
    """The profile in ``path``, or the bundled ``data/gateway.toml``."""
    if path is None:
        text = (
            resources.files("vstd_connector_gateway")
            .joinpath("data", "gateway.toml")
            .read_text("utf-8")
        )
        where = "gateway.toml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise _bad(path, f"cannot read it ({exc.strerror or exc})") from None
        where = path
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(where, f"not valid TOML ({exc})") from None
    return parse_profile(data, where)


__all__ = [
    "EntityProfile",
    "FieldMap",
    "GatewayError",
    "Kind",
    "Profile",
    "load_profile",
    "parse_profile",
]
