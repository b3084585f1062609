"""volunteer-standard: the open data standard for volunteer service in China, and its SDK.

The public API is what this module exports (``__all__``, locked by a test); everything else
is internal and may change.
"""

from volunteer_standard._version import SCHEMA_VERSION, __version__
from volunteer_standard.connectors import (
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
from volunteer_standard.schema import all_schemas, write_schemas
from volunteer_standard.validation import Issue, IssueType, Report, validate
from volunteer_standard.validation import rules as rules  # declares the rules kind

__all__ = [
    "COLLECTIONS",
    "ENTITY_MODELS",
    "SCHEMA_VERSION",
    "Activity",
    "Award",
    "Certificate",
    "CheckResult",
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
    "ServiceRecord",
    "SourceRecord",
    "Station",
    "TrainingRecord",
    "Volunteer",
    "__version__",
    "all_schemas",
    "convert",
    "get_connector",
    "hookimpl",
    "iter_raw",
    "load_config",
    "validate",
    "write_schemas",
]
