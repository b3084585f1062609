"""Rule profiles: which rules run, how severe they are, and their parameters, as data.

Star thresholds, minors' limits, risky service categories and required fields differ by
region (domain.md §1f, §3): no single table is "the law". A profile is a TOML file in this
directory (or registered by a plugin) that names rules to enable or disable, overrides
severities and sets parameters; ``extends = "national"`` inherits everything else.

Merging: tables merge key by key, other values replace the parent's; ``[rules]`` lists
accumulate down the chain (a child's ``enable`` undoes a parent's ``disable`` and the other
way round). The merged result is checked by the :class:`Profile` model, so a mistake in a
file is reported with the file and the key (``national.toml: stars.thresholds: …``).
"""

from __future__ import annotations

import difflib
import fnmatch
import itertools
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from volunteer_standard.catalogue import CATALOGUE, Severity
from volunteer_standard.errors import VstdError
from volunteer_standard.io.config import ConfigError, read_config
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.registry import REGISTRY, RegistrationError
from volunteer_standard.text import Text

__all__ = [
    "PROFILES",
    "PROFILE_DIR",
    "HoursPolicy",
    "IdentifierPolicy",
    "InsurancePolicy",
    "MinorsPolicy",
    "PointsPolicy",
    "Profile",
    "ProfileError",
    "ProfileSource",
    "RulesConfig",
    "StarPolicy",
    "available_profiles",
    "check_profile",
    "load_profile",
    "register_profile",
    "register_profile_dir",
]

PROFILE_DIR = Path(__file__).resolve().parent
DEFAULT_PROFILE = "national"

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$")


class ProfileError(VstdError, ValueError):
    """A profile cannot be found, read or understood; the message names file and key."""


class _Strict(BaseModel):
    """Unknown keys are errors; numbers and flags are strict (TOML has real types)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Code = Annotated[str, Field(pattern=_CODE.pattern)]


class RulesConfig(_Strict):
    """Rule codes (or names) to switch on or off, and severity overrides."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)


class StarPolicy(_Strict):
    """星级认定: effective credit hours needed for stars 1-5 (domain.md §3)."""

    thresholds: tuple[Decimal, ...] = Field(min_length=5, max_length=5)
    hours_types: tuple[Code, ...] = ("1",)

    @field_validator("thresholds")
    @classmethod
    def _ascending(cls, value: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        if any(v <= 0 for v in value):
            raise ValueError("thresholds must be positive numbers of hours")
        if any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("thresholds must be strictly ascending (stars 1 to 5)")
        return value


class PointsPolicy(_Strict):
    """服务积分 / 时间储蓄: points deposited per effective hour (DB3205/T 1001-2020 converts
    unit hours into points; domain.md §1g). The hub's time-bank ledger reads it."""

    rate: Decimal = Field(Decimal(1), gt=0, le=1000)


class MinorsPolicy(_Strict):
    """Minors (domain.md §1f): consent ages and categories closed to them."""

    adult_age: int = Field(18, ge=1, le=30, strict=True)
    guardian_consent_under: int = Field(14, ge=0, le=30, strict=True)
    consent_until_adult: bool = Field(True, strict=True)
    forbidden_categories: tuple[Code, ...] = ()


class InsurancePolicy(_Strict):
    """Service categories that need accident insurance (条例 art. 17, 慈善法 art. 69)."""

    risky_categories: tuple[Code, ...] = ()
    guarantee: Code = "01"


class HoursPolicy(_Strict):
    """Limits of one service record (NVSI time-entry rules, domain.md §4e)."""

    min_minutes: int = Field(1, ge=0, le=1440, strict=True)
    max_hours: Decimal = Field(Decimal(24), gt=0, le=24 * 31)
    tolerance: Decimal = Field(Decimal("0.01"), ge=0, le=1)


class IdentifierPolicy(_Strict):
    """Identifier formats that are platform policy, not national standard."""

    volunteer_no_pattern: str | None = None

    @field_validator("volunteer_no_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class Profile(_Strict):
    """A resolved rule profile (after ``extends`` was applied)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")
    title_zh: str = ""
    title_en: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    extends: str | None = None
    #: The chain of profiles this one was built from, root first (filled by the loader).
    lineage: tuple[str, ...] = ()
    rules: RulesConfig = RulesConfig()
    stars: StarPolicy = StarPolicy(
        thresholds=tuple(Decimal(x) for x in (100, 300, 600, 1000, 1500))
    )
    minors: MinorsPolicy = MinorsPolicy()
    points: PointsPolicy = PointsPolicy()
    insurance: InsurancePolicy = InsurancePolicy()
    hours: HoursPolicy = HoursPolicy()
    identifiers: IdentifierPolicy = IdentifierPolicy()
    #: Entity type → dotted field paths that must be present (VR610).
    required: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("required")
    @classmethod
    def _known_types(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for kind, paths in value.items():
            model = ENTITY_MODELS.get(kind)
            if model is None:
                raise ValueError(f"unknown entity type {kind!r}; known: {', '.join(ENTITY_MODELS)}")
            for path in paths:
                if not _model_has_path(model, path.split(".")):
                    raise ValueError(f"{kind} has no field {path!r}")
        return value

    def title(self, lang: str) -> str:
        return (self.title_zh if lang == "zh" else self.title_en) or self.name

    def resolve_codes(self) -> None:
        """Fail with a precise message when a rule code, name or pattern matches nothing."""
        lookup = _code_lookup()
        for key, items in (
            ("rules.enable", self.rules.enable),
            ("rules.disable", self.rules.disable),
            ("rules.severity", tuple(self.rules.severity)),
        ):
            for item in items:
                if not _expand(item, lookup):
                    close = difflib.get_close_matches(item, list(lookup), n=3)
                    hint = f"; did you mean {', '.join(close)}?" if close else ""
                    raise ProfileError(
                        Text(
                            f"规则配置 {self.name}：{key}：未知的规则 {item!r}{hint}",
                            f"profile {self.name}: {key}: unknown rule {item!r}{hint}",
                        )
                    )

    def enabled_codes(self) -> frozenset[str]:
        """Every registered code except the disabled ones (an explicit enable wins)."""
        lookup = _code_lookup()
        disabled = {c for item in self.rules.disable for c in _expand(item, lookup)}
        enabled = {c for item in self.rules.enable for c in _expand(item, lookup)}
        return frozenset(c for c in set(lookup.values()) if c not in disabled or c in enabled)

    def severities(self) -> dict[str, Severity]:
        """Severity overrides by code."""
        lookup = _code_lookup()
        return {c: v for k, v in self.rules.severity.items() for c in _expand(k, lookup)}


def _expand(item: str, lookup: dict[str, str]) -> set[str]:
    """Codes named by a code, a rule name, or a pattern such as ``VR*`` or ``VR2??``."""
    if any(ch in item for ch in "*?["):
        return {code for code in set(lookup.values()) if fnmatch.fnmatchcase(code, item)}
    code = lookup.get(item)
    return {code} if code is not None else set()


def _model_has_path(model: Any, parts: list[str]) -> bool:
    fields = getattr(model, "model_fields", None)
    if fields is None or parts[0] not in fields:
        return False
    if len(parts) == 1:
        return True
    pending = [fields[parts[0]].annotation]
    while pending:
        ann = pending.pop()
        if isinstance(ann, type) and hasattr(ann, "model_fields"):
            if _model_has_path(ann, parts[1:]):
                return True
        elif get_origin(ann) is not None:
            pending.extend(get_args(ann))
    return False


def _code_lookup() -> dict[str, str]:
    """Code or rule name → code, over everything registered (rules loaded first)."""
    out = {code: code for code in CATALOGUE}
    for code, item in CATALOGUE.items():
        out.setdefault(item.name, code)
    return out


# -- registry ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileSource:
    """A registered profile: its name and its TOML file."""

    name: str
    path: Path


_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}\Z")


def check_profile(value: Any) -> ProfileSource:
    """A ``(name, path)`` registration fit to keep: a valid name and a readable TOML file."""
    if isinstance(value, ProfileSource):
        name, path = value.name, value.path
    elif isinstance(value, tuple) and len(value) == 2:
        name, path = value
    else:
        raise RegistrationError(
            Text(
                "register_profiles：应登记 (名称, 文件路径)",
                "register_profiles: register(name, path) expects a name and a file path",
            )
        )
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistrationError(
            Text(f"规则配置名称无效：{name!r}", f"invalid profile name: {name!r}")
        )
    file = Path(path)
    if not file.is_file():
        raise RegistrationError(
            Text(
                f"规则配置 {name}：文件不存在：{file}",
                f"profile {name}: no such file {file}",
            )
        )
    try:
        with file.open("rb") as fh:
            tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistrationError(
            Text(f"规则配置 {name}：无法读取：{exc}", f"profile {name}: unreadable: {exc}")
        ) from None
    return ProfileSource(name, file)


PROFILES = REGISTRY.kind("register_profiles", key=lambda src: src.name, check=check_profile)


def register_profile(name: str, path: str | Path, *, override: bool = False) -> None:
    """Make the profile file ``path`` available as ``name`` at run time (plugins use their
    ``register_profiles`` hook instead)."""
    try:
        PROFILES.add(ProfileSource(name, Path(path)), override=override)
    except RegistrationError as exc:
        raise ProfileError(exc.text) from None
    _load_named.cache_clear()


def register_profile_dir(path: str | Path) -> list[str]:
    """Register every ``*.toml`` in a directory under its file name; returns the names."""
    names = []
    for file in sorted(Path(path).glob("*.toml")):
        register_profile(file.stem, file)
        names.append(file.stem)
    return names


def available_profiles() -> dict[str, Path]:
    """Every known profile name and its file: bundled ones, then plugins'."""
    entries = PROFILES.entries()
    if entries is not _seen[0]:
        _seen[0] = entries
        _load_named.cache_clear()
    return {name: src.path for name, src in PROFILES.items().items()}


_seen: list[object] = [None]


# -- loading ------------------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        loaded = read_config(path, kind="TOML")
    except ConfigError as exc:
        raise ProfileError(exc.text) from None
    return loaded if isinstance(loaded, dict) else {}


def _find(spec: str, relative_to: Path | None) -> Path:
    known = available_profiles()
    if spec in known:
        return known[spec]
    candidates = [Path(spec)]
    if relative_to is not None:
        candidates.insert(0, relative_to / spec)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    close = difflib.get_close_matches(spec, list(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    names = ", ".join(known)
    raise ProfileError(
        Text(
            f"未知的规则配置 {spec!r}：既不是规则配置名称（{names}），也不是 TOML 文件{hint}",
            f"unknown profile {spec!r}: not a profile name ({names}) nor a TOML file{hint}",
        )
    )


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        if key == "rules" and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_rules(out[key], value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _merge_rules(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Accumulate enable/disable along the chain; severities merge key by key."""
    out = _merge(
        {k: v for k, v in parent.items() if k not in ("enable", "disable")},
        {k: v for k, v in child.items() if k not in ("enable", "disable")},
    )
    p_on, p_off = list(parent.get("enable", [])), list(parent.get("disable", []))
    c_on, c_off = child.get("enable", []), child.get("disable", [])
    if not isinstance(c_on, list) or not isinstance(c_off, list):
        out["enable"], out["disable"] = c_on, c_off  # let the model report the type error
        return out
    out["enable"] = [c for c in p_on if c not in c_off] + [c for c in c_on if c not in p_on]
    out["disable"] = [c for c in p_off if c not in c_on] + [c for c in c_off if c not in p_off]
    return out


def _format_errors(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(profile)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        parts.append(f"{loc}: {msg}")
    return f"{path}: invalid profile: " + "; ".join(parts)


def _resolve(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    data = _read(path)
    real = path.resolve()
    if real in seen:
        chain = " -> ".join(str(p) for p in (*seen, real))
        raise ProfileError(
            Text(
                f"{path}：extends 形成了循环：{chain}", f"{path}: 'extends' forms a cycle: {chain}"
            )
        )
    parent_spec = data.get("extends")
    if parent_spec is None:
        return data, (str(data.get("name", path.stem)),)
    if not isinstance(parent_spec, str):
        raise ProfileError(
            Text(
                f"{path}：extends 必须是规则配置名称或文件路径",
                f"{path}: extends: must be a profile name or a file path",
            )
        )
    try:
        parent_path = _find(parent_spec, path.parent)
    except ProfileError as exc:
        raise ProfileError(Text(f"{path}：extends：", f"{path}: extends: ") + exc.text) from None
    parent, lineage = _resolve(parent_path, (*seen, real))
    merged = _merge({k: v for k, v in parent.items() if k not in _OWN_KEYS}, data)
    return merged, (*lineage, str(data.get("name", path.stem)))


#: Keys that describe one file and are never inherited.
_OWN_KEYS = frozenset({"name", "title_zh", "title_en", "description", "sources", "extends"})


def load_profile_file(path: str | Path) -> Profile:
    """Read, merge (``extends``) and check one profile file."""
    file = Path(path)
    data, lineage = _resolve(file, ())
    data = {**data, "lineage": lineage}
    data.setdefault("name", file.stem)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_format_errors(file, exc)) from None
    profile.resolve_codes()
    return profile


@cache
def _load_named(spec: str) -> Profile:
    return load_profile_file(_find(spec, None))


def load_profile(spec: str | Path | Profile | None = None) -> Profile:
    """The profile called ``spec`` (a name, a TOML path, or a Profile); ``None`` = national."""
    if isinstance(spec, Profile):
        spec.resolve_codes()
        return spec
    if spec is None:
        spec = DEFAULT_PROFILE
    if isinstance(spec, str) and spec in available_profiles():
        return _load_named(spec)  # bundled and plugin files do not change during a run
    return load_profile_file(_find(str(spec), None))
