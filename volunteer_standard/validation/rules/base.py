"""The rule framework: what a rule is, how it sees records, and the registry of rule classes.

A rule owns one or more issue codes (``VR2xx`` identifiers, ``VR3xx`` hours and records,
``VR4xx`` minors and insurance, ``VR5xx`` certificates and stars, ``VR6xx`` integrity). The
*profile* decides which codes are on, their severity and the rule's parameters; the rule
itself is pure: it looks at a validated model object and reports through a
:class:`RecordRef`, or, for cross-record checks, queries the dataset index in ``finish()``.

Per-record checks run once per record of a large file, so they must stay cheap: no model
dumps, no regexes where a comparison will do, and nothing kept between records (cross-record
state goes to the SQLite index, never into Python containers that grow with the input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from volunteer_standard.io.reader import Location
from volunteer_standard.validation.catalogue import CATALOGUE, IssueType, register
from volunteer_standard.validation.report import Issue

if TYPE_CHECKING:
    from volunteer_standard.profiles import Profile
    from volunteer_standard.validation.rules.index import DatasetIndex

Emit = Callable[[Issue], None]


@dataclass
class RuleContext:
    """What every rule may read: the profile, the clock and which codes are enabled.

    ``today`` and ``now`` are injected so that "not in the future" checks are testable.
    """

    profile: Profile
    today: date
    now: datetime
    enabled: frozenset[str]
    source: str = ""
    index: DatasetIndex | None = field(default=None, repr=False)

    def on(self, code: str) -> bool:
        """Whether the profile enables ``code``."""
        return code in self.enabled


class RecordRef:
    """The record a per-record rule is looking at, and the way to report on it.

    ``issue`` drops codes the profile disabled, so a rule may compute several findings and
    leave the filtering to the framework. The engine reuses one instance for every record
    (no allocation on the hot path): a rule must not keep it beyond its ``check`` call.

    For service records the engine fills ``start_ts``/``end_ts`` (epoch seconds) and
    ``hours_cents`` once, so that rules and the index do not each pay for them.
    """

    __slots__ = (
        "_emit",
        "_enabled",
        "end_ts",
        "hours_cents",
        "kind",
        "location",
        "raw",
        "record_id",
        "start_ts",
    )

    def __init__(
        self,
        kind: str,
        record_id: str | None,
        location: Location,
        raw: Any,
        emit: Emit,
        enabled: frozenset[str],
    ) -> None:
        self.kind = kind
        self.record_id = record_id
        self.location = location
        self.raw = raw
        self._emit = emit
        self._enabled = enabled
        self.start_ts = 0
        self.end_ts = 0
        self.hours_cents = 0

    def issue(self, code: str, path: str = "", params: dict[str, str] | None = None) -> None:
        """Report ``code`` at ``path`` (a JSON pointer inside the record)."""
        if code in self._enabled:
            self._emit(
                Issue(code, self.location, path, self.kind, self.record_id, params or {}, None)
            )


class Rule:
    """Base class of validation rules.

    Subclasses set ``issue_types`` (the codes they report, with zh/en texts and sources),
    ``entity_types`` (the records ``check`` sees) and ``needs`` (the dataset-index tables
    ``finish`` queries). A rule runs when at least one of its codes is enabled.
    """

    issue_types: ClassVar[tuple[IssueType, ...]] = ()
    entity_types: ClassVar[frozenset[str]] = frozenset()
    needs: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return tuple(t.code for t in cls.issue_types)

    def kinds(self) -> frozenset[str]:
        """Entity types whose records ``check`` sees (parameters may narrow or widen them)."""
        return self.entity_types

    def active(self) -> bool:
        """Whether the rule has anything to do under the profile (override for parameters)."""
        return any(self.ctx.on(code) for code in self.codes())

    def check(self, obj: Any, rec: RecordRef) -> None:
        """Check one structurally valid record of one of ``entity_types``."""

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        """Run cross-record checks once the whole input has been read."""


_RULES: list[type[Rule]] = []
_BUILTIN_CODES: set[str] = set()


def register_rule(rule_cls: type[Rule]) -> type[Rule]:
    """Register a rule class and its issue codes (built-ins, and plugins through a hook).

    Usable as a class decorator. Registering the same class twice is a no-op; a code that
    another rule already owns is an error.
    """
    if not (isinstance(rule_cls, type) and issubclass(rule_cls, Rule)):
        raise TypeError(f"{rule_cls!r} is not a Rule subclass")
    if rule_cls in _RULES:
        return rule_cls
    owned = {code for cls in _RULES for code in cls.codes()}
    for item in rule_cls.issue_types:
        if item.code in owned or (item.code in CATALOGUE and CATALOGUE[item.code] != item):
            raise ValueError(f"issue code {item.code} is already registered")
    for item in rule_cls.issue_types:
        register(item)
    _RULES.append(rule_cls)
    return rule_cls


def unregister_rule(rule_cls: type[Rule]) -> None:
    """Remove a rule class and its codes (plugins being unloaded, tests)."""
    if rule_cls in _RULES:
        _RULES.remove(rule_cls)
        for code in rule_cls.codes():
            if code not in _BUILTIN_CODES:
                CATALOGUE.pop(code, None)


def rule_classes() -> tuple[type[Rule], ...]:
    """Every registered rule class: built-ins first, then plugins' (loaded on first use)."""
    from volunteer_standard.validation.rules import _load_plugins

    _load_plugins()
    return tuple(_RULES)


def mark_builtin(codes: Iterable[str]) -> None:
    _BUILTIN_CODES.update(codes)


def builtin_codes() -> frozenset[str]:
    """Codes shipped with the package (structure and built-in rules), for generated docs."""
    return frozenset(_BUILTIN_CODES)


def issue_type(
    code: str,
    name: str,
    severity: str,
    category: str,
    message: tuple[str, str],
    hint: tuple[str, str],
    source: str,
) -> IssueType:
    """A compact constructor: (zh, en) pairs keep both languages side by side in the source."""
    if severity not in ("error", "warning", "info"):
        raise ValueError(severity)
    return IssueType(
        code,
        name,
        severity,  # type: ignore[arg-type]
        category,
        message[0],
        message[1],
        hint[0],
        hint[1],
        source,
    )


def bi(params: dict[str, str], key: str, en: str, zh: str) -> dict[str, str]:
    """Set a parameter in both languages (``key`` and ``key_zh``)."""
    params[key] = en
    params[f"{key}_zh"] = zh
    return params
