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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from volunteer_standard.io.reader import Location
from volunteer_standard.registry import REGISTRY, RegistrationError
from volunteer_standard.text import Text
from volunteer_standard.validation.catalogue import STRUCTURE, IssueType
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


def check_rule(value: Any) -> type[Rule]:
    """A rule class fit to register: a ``Rule`` subclass whose codes are new."""
    if not (isinstance(value, type) and issubclass(value, Rule)):
        raise RegistrationError(
            Text(
                f"register_rules：{type(value).__name__} 不是 Rule 的子类",
                f"register_rules: expected a Rule subclass, got {type(value).__name__}",
            )
        )
    if not value.issue_types or not all(isinstance(t, IssueType) for t in value.issue_types):
        raise RegistrationError(
            Text(
                f"规则 {value.__qualname__} 必须在 issue_types 中声明 IssueType",
                f"rule {value.__qualname__} must declare IssueType objects in issue_types",
            )
        )
    for item in value.issue_types:
        if item.code in STRUCTURE:
            raise RegistrationError(
                Text(
                    f"规则 {value.__qualname__}：问题代码 {item.code} 已被结构校验占用",
                    f"rule {value.__qualname__}: issue code {item.code} is a structural code",
                )
            )
    return value


def _rule_key(rule_cls: type[Rule]) -> str:
    return f"{rule_cls.__module__}.{rule_cls.__qualname__}"


RULES = REGISTRY.kind(
    "register_rules", key=_rule_key, check=check_rule, claims=lambda cls: cls.codes()
)


def register_rule(rule_cls: type[Rule]) -> type[Rule]:
    """Register a rule class and its issue codes at run time (usable as a decorator).

    Plugins register rules through their ``register_rules`` hook instead, so that a broken
    plugin is isolated; this call raises :class:`RegistrationError` on a bad class or a
    code another rule owns. Registering the same class twice is a no-op.
    """
    if RULES.get(_rule_key(rule_cls)) is rule_cls:
        return rule_cls
    return RULES.add(rule_cls)


def unregister_rule(rule_cls: type[Rule]) -> None:
    """Remove a rule class registered with :func:`register_rule` (and its codes)."""
    RULES.remove(_rule_key(rule_cls))


def rule_classes() -> tuple[type[Rule], ...]:
    """Every registered rule class: built-ins first, then plugins', then run-time ones."""
    return tuple(entry.value for entry in RULES.entries().values())


def builtin_codes() -> frozenset[str]:
    """Codes shipped with the package (structure and built-in rules), for generated docs."""
    codes = set(STRUCTURE)
    for entry in RULES.entries().values():
        if entry.builtin:
            codes.update(entry.value.codes())
    return frozenset(codes)


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
