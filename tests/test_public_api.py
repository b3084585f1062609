"""The public API is a contract: adding or removing a name must be a deliberate change."""

import volunteer_standard

EXPECTED = {
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
}


def test_public_names_are_locked() -> None:
    assert set(volunteer_standard.__all__) == EXPECTED


def test_public_names_resolve() -> None:
    for name in volunteer_standard.__all__:
        assert getattr(volunteer_standard, name) is not None
