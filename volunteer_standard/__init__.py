"""volunteer-standard: the open data standard for volunteer service in China, and its SDK.

The public API is what this module exports (``__all__``, locked by a test); everything else
is internal and may change.
"""

from volunteer_standard._version import SCHEMA_VERSION, __version__
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
from volunteer_standard.validation import Issue, IssueType, Report, Rule, register_rule, validate

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
