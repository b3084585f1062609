"""API tokens and their scopes.

A token is a random string shown once at creation (``vstd serve token create``); the hub
keeps only its SHA-256, so a copy of the database does not let anyone call the API. Tokens
carry 256 bits of randomness, which is why a fast hash is enough (as for GitHub tokens).

Scopes say what a token may do: ``read`` and ``write`` records, of which entity ``types``
(``*`` for all), in which ``regions`` (GB/T 2260 code prefixes such as ``11`` for Beijing
or ``110105``; ``*`` for all), whether it may see ``sensitive`` fields unmasked, and
``admin`` (aggregates, ledger, dashboard).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine, insert, select, update

from volunteer_standard.errors import VstdError
from volunteer_standard.hub import db
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.text import Text

PREFIX = "vstd_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_REGION = re.compile(r"^[0-9]{2}(?:[0-9]{2}){0,2}$")


class TokenError(VstdError):
    """A token cannot be created as asked (bad name, scope or duplicate)."""


@dataclass(frozen=True)
class Scopes:
    """What a token may do."""

    read: bool = True
    write: bool = False
    sensitive: bool = False
    admin: bool = False
    types: tuple[str, ...] = ("*",)
    regions: tuple[str, ...] = ("*",)

    def allows_type(self, kind: str) -> bool:
        return "*" in self.types or kind in self.types

    def allows_region(self, region: str) -> bool:
        """Whether a record in ``region`` (six digits, or empty when unknown) is in scope."""
        if "*" in self.regions:
            return True
        return bool(region) and any(region.startswith(p) for p in self.regions)

    def covers_region(self, prefix: str) -> bool:
        """Whether every region under ``prefix`` is in scope (a requested region filter)."""
        return "*" in self.regions or any(prefix.startswith(p) for p in self.regions)

    def to_json(self) -> dict[str, object]:
        return {
            "read": self.read,
            "write": self.write,
            "sensitive": self.sensitive,
            "admin": self.admin,
            "types": list(self.types),
            "regions": list(self.regions),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Scopes:
        types = data.get("types", ["*"])
        regions = data.get("regions", ["*"])
        return cls(
            read=bool(data.get("read", True)),
            write=bool(data.get("write", False)),
            sensitive=bool(data.get("sensitive", False)),
            admin=bool(data.get("admin", False)),
            types=tuple(str(t) for t in types) if isinstance(types, list) else ("*",),
            regions=tuple(str(r) for r in regions) if isinstance(regions, list) else ("*",),
        )


@dataclass(frozen=True)
class Principal:
    """The caller behind a request: its token's name, source system and scopes."""

    name: str
    source_system: str
    scopes: Scopes = field(default_factory=Scopes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check(name: str, system: str, scopes: Scopes) -> None:
    if not _NAME.match(name):
        raise TokenError(
            Text(
                "令牌名称只能包含字母、数字、点、下划线和连字符（最多 64 个字符）",
                "a token name is letters, digits, '.', '_' and '-' (at most 64 characters)",
            )
        )
    if not _NAME.match(system):
        raise TokenError(
            Text(
                "来源系统名称只能包含字母、数字、点、下划线和连字符",
                "a source system name is letters, digits, '.', '_' and '-'",
            )
        )
    unknown = [t for t in scopes.types if t != "*" and t not in ENTITY_MODELS]
    if unknown:
        raise TokenError(
            Text("未知的对象类型：{types}", "unknown entity type(s): {types}").format(
                types=", ".join(unknown)
            )
        )
    bad = [r for r in scopes.regions if r != "*" and not _REGION.match(r)]
    if bad:
        raise TokenError(
            Text(
                "地区范围应为 2、4 或 6 位行政区划代码前缀：{regions}",
                "a region scope is a 2, 4 or 6 digit region-code prefix: {regions}",
            ).format(regions=", ".join(bad))
        )


def create_token(engine: Engine, name: str, source_system: str, scopes: Scopes) -> str:
    """Create a token and return it (the only time it is ever shown)."""
    _check(name, source_system, scopes)
    token = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        exists = conn.execute(select(db.tokens.c.name).where(db.tokens.c.name == name)).first()
        if exists is not None:
            raise TokenError(
                Text("令牌名称 {name} 已存在", "a token named {name} already exists").format(
                    name=name
                )
            )
        conn.execute(
            insert(db.tokens).values(
                token_hash=hash_token(token),
                name=name,
                source_system=source_system,
                scopes=scopes.to_json(),
                created_at=int(time.time()),
                revoked=False,
            )
        )
    return token


def revoke_token(engine: Engine, name: str) -> bool:
    """Revoke a token by name; ``False`` when there is none."""
    with engine.begin() as conn:
        done = conn.execute(
            update(db.tokens).where(db.tokens.c.name == name).values(revoked=True)
        ).rowcount
    return bool(done)


def list_tokens(engine: Engine) -> list[dict[str, object]]:
    """Name, system, scopes and state of every token (never the token itself)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                db.tokens.c.name,
                db.tokens.c.source_system,
                db.tokens.c.scopes,
                db.tokens.c.created_at,
                db.tokens.c.revoked,
            ).order_by(db.tokens.c.name)
        ).all()
    return [dict(row._mapping) for row in rows]


def authenticate(engine: Engine, token: str) -> Principal | None:
    """The principal of a presented token, or ``None`` when it is unknown or revoked."""
    if not token.startswith(PREFIX):
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(db.tokens.c.name, db.tokens.c.source_system, db.tokens.c.scopes).where(
                db.tokens.c.token_hash == hash_token(token), db.tokens.c.revoked.is_(False)
            )
        ).first()
    if row is None:
        return None
    return Principal(row.name, row.source_system, Scopes.from_json(dict(row.scopes)))
