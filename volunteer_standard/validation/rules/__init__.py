"""Identifier and business rules (``VR2xx``–``VR6xx``), run by profile on top of structure.

Public API: :class:`Rule` (subclass it; a plugin registers it from its ``register_rules``
hook, a program with :func:`register_rule`), :func:`rule_classes`, the
:class:`RuleEngine` that ``validate()`` drives, and :class:`DatasetIndex`, the SQLite spill
that cross-record rules query in ``finish()``.
"""

from __future__ import annotations

from volunteer_standard.validation.rules.base import (
    RULES,
    Emit,
    RecordRef,
    Rule,
    RuleContext,
    builtin_codes,
    check_rule,
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
    "RULES",
    "DatasetIndex",
    "Emit",
    "RecordRef",
    "Rule",
    "RuleContext",
    "builtin_codes",
    "check_rule",
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
