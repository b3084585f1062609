"""volunteer-standard: the open data standard for volunteer service in China, and its SDK.

The public API is what this module exports (``__all__``, locked by a test); everything else
is internal and may change.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from volunteer_standard._version import SCHEMA_VERSION, __version__
from volunteer_standard.lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:  # the names below are imported on first use (see ``__getattr__``)
    from volunteer_standard.connectors import (
        Checkpoint,
        CheckResult,
        Connector,
        ConnectorConfig,
        ConnectorError,
        Problem,
        SourceRecord,
        get_connector,
        load_config,
    )
    from volunteer_standard.engine import ConversionAborted, ConvertSummary, convert
    from volunteer_standard.errors import VstdError
    from volunteer_standard.hookspecs import hookimpl
    from volunteer_standard.io import InputError, JsonlWriter, Location, PackageWriter, iter_raw
    from volunteer_standard.models import (
        COLLECTIONS,
        ENTITY_MODELS,
        Activity,
        Award,
        Certificate,
        Demand,
        Entity,
        Evaluation,
        Organization,
        PackageMetadata,
        Project,
        ServiceRecord,
        Station,
        TrainingRecord,
        Volunteer,
    )
    from volunteer_standard.plugins import register_plugin
    from volunteer_standard.schema import all_schemas, write_schemas
    from volunteer_standard.text import Text
    from volunteer_standard.upgrade import UpgradeReport, upgrade
    from volunteer_standard.validation import Issue, IssueType, Report, Rule, register_rule
    from volunteer_standard.validation.validate import validate

#: Public name → the module that defines it. ``import volunteer_standard`` (and so every
#: ``vstd`` command, ``vstd --help`` included) must not pay for pydantic models, connectors
#: and rules it may never use: each name is imported when it is first asked for.
_LAZY = {
    "Activity": "volunteer_standard.models",
    "Award": "volunteer_standard.models",
    "COLLECTIONS": "volunteer_standard.models",
    "Certificate": "volunteer_standard.models",
    "CheckResult": "volunteer_standard.connectors",
    "Checkpoint": "volunteer_standard.connectors",
    "Connector": "volunteer_standard.connectors",
    "ConnectorConfig": "volunteer_standard.connectors",
    "ConnectorError": "volunteer_standard.connectors",
    "ConversionAborted": "volunteer_standard.engine",
    "ConvertSummary": "volunteer_standard.engine",
    "Demand": "volunteer_standard.models",
    "ENTITY_MODELS": "volunteer_standard.models",
    "Entity": "volunteer_standard.models",
    "Evaluation": "volunteer_standard.models",
    "InputError": "volunteer_standard.io",
    "Issue": "volunteer_standard.validation",
    "IssueType": "volunteer_standard.validation",
    "JsonlWriter": "volunteer_standard.io",
    "Location": "volunteer_standard.io",
    "Organization": "volunteer_standard.models",
    "PackageMetadata": "volunteer_standard.models",
    "PackageWriter": "volunteer_standard.io",
    "Problem": "volunteer_standard.connectors",
    "Project": "volunteer_standard.models",
    "Report": "volunteer_standard.validation",
    "Rule": "volunteer_standard.validation",
    "ServiceRecord": "volunteer_standard.models",
    "SourceRecord": "volunteer_standard.connectors",
    "Station": "volunteer_standard.models",
    "Text": "volunteer_standard.text",
    "TrainingRecord": "volunteer_standard.models",
    "UpgradeReport": "volunteer_standard.upgrade",
    "Volunteer": "volunteer_standard.models",
    "VstdError": "volunteer_standard.errors",
    "all_schemas": "volunteer_standard.schema",
    "convert": "volunteer_standard.engine",
    "get_connector": "volunteer_standard.connectors",
    "hookimpl": "volunteer_standard.hookspecs",
    "iter_raw": "volunteer_standard.io",
    "load_config": "volunteer_standard.connectors",
    "register_plugin": "volunteer_standard.plugins",
    "register_rule": "volunteer_standard.validation",
    "upgrade": "volunteer_standard.upgrade",
    "validate": "volunteer_standard.validation.validate",
    "write_schemas": "volunteer_standard.schema",
}


__getattr__ = _lazy_attributes(globals(), _LAZY)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """This package, with one rule: importing the submodule ``upgrade`` does not hide the
    public function ``upgrade`` (Python binds a submodule to its parent's attribute)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _LAZY.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "COLLECTIONS",
    "ENTITY_MODELS",
    "SCHEMA_VERSION",
    "Activity",
    "Award",
    "Certificate",
    "CheckResult",
    "Checkpoint",
    "Connector",
    "ConnectorConfig",
    "ConnectorError",
    "ConversionAborted",
    "ConvertSummary",
    "Demand",
    "Entity",
    "Evaluation",
    "InputError",
    "Issue",
    "IssueType",
    "JsonlWriter",
    "Location",
    "Organization",
    "PackageMetadata",
    "PackageWriter",
    "Problem",
    "Project",
    "Report",
    "Rule",
    "ServiceRecord",
    "SourceRecord",
    "Station",
    "Text",
    "TrainingRecord",
    "UpgradeReport",
    "Volunteer",
    "VstdError",
    "__version__",
    "all_schemas",
    "convert",
    "get_connector",
    "hookimpl",
    "iter_raw",
    "load_config",
    "register_plugin",
    "register_rule",
    "upgrade",
    "validate",
    "write_schemas",
]
