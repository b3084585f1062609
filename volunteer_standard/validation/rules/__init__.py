"""Identifier and business rules (``VR2xx``–``VR6xx``), run by profile on top of structure.

Public API: :class:`Rule` (subclass it), :func:`register_rule` (built-ins use it; a plugin's
``register_rules`` hook implementation calls it), :func:`rule_classes`, the
:class:`RuleEngine` that ``validate()`` drives, and :class:`DatasetIndex`, the SQLite spill
that cross-record rules query in ``finish()``.
"""

from __future__ import annotations

from volunteer_standard.validation.catalogue import CATALOGUE
from volunteer_standard.validation.rules.base import (
    Emit,
    RecordRef,
    Rule,
    RuleContext,
    builtin_codes,
    mark_builtin,
    register_rule,
    rule_classes,
    unregister_rule,
)
from volunteer_standard.validation.rules.certificates import (
    CertificateRecordsRule,
    CertificateRule,
    StarRule,
)
from volunteer_standard.validation.rules.hours import HoursRule, OverlapRule, ProjectPeriodRule
from volunteer_standard.validation.rules.identifiers import (
    ContactRule,
    RegionRule,
    ResidentIdRule,
    UsccRule,
)
from volunteer_standard.validation.rules.index import DatasetIndex
from volunteer_standard.validation.rules.integrity import (
    DuplicateRule,
    ReferenceRule,
    RequiredFieldsRule,
)
from volunteer_standard.validation.rules.minors import (
    ChildRegistrationRule,
    InsuranceRule,
    MinorsRule,
)
from volunteer_standard.validation.rules.privacy import IdNumberAsIdRule

__all__ = [
    "BUILTIN_RULES",
    "DatasetIndex",
    "Emit",
    "RecordRef",
    "Rule",
    "RuleContext",
    "builtin_codes",
    "register_rule",
    "rule_classes",
    "unregister_rule",
]

BUILTIN_RULES: tuple[type[Rule], ...] = (
    ResidentIdRule,
    UsccRule,
    ContactRule,
    RegionRule,
    HoursRule,
    ProjectPeriodRule,
    OverlapRule,
    ChildRegistrationRule,
    InsuranceRule,
    MinorsRule,
    CertificateRule,
    CertificateRecordsRule,
    StarRule,
    ReferenceRule,
    DuplicateRule,
    RequiredFieldsRule,
    IdNumberAsIdRule,
)

mark_builtin(CATALOGUE)  # the structural VS1xx codes
for _cls in BUILTIN_RULES:
    register_rule(_cls)
    mark_builtin(_cls.codes())

_plugins_loaded = False


def _load_plugins() -> None:
    """Let installed plugins register rule classes (once per process)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from volunteer_standard.plugins import collect

    for rule_cls in collect("register_rules"):
        register_rule(rule_cls)
