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
    # issue 7: what plugin authors and embedding programs need
    "Checkpoint",
    "Rule",
    "Text",
    "UpgradeReport",
    "VstdError",
    "register_plugin",
    "register_rule",
    "upgrade",
}

#: Public modules a plugin author imports from, and the names each must offer.
MODULES = {
    "volunteer_standard.validation": {"Rule", "register_rule", "Issue", "Location", "validate"},
    "volunteer_standard.connectors": {"Connector", "Checkpoint", "SourceRecord", "Problem"},
    "volunteer_standard.plugins": {"register_plugin", "unregister_plugin", "plugin_infos"},
    "volunteer_standard.registry": {"REGISTRY", "reset", "RegistrationError"},
}


def test_public_names_are_locked() -> None:
    assert set(volunteer_standard.__all__) == EXPECTED


def test_public_names_resolve() -> None:
    for name in volunteer_standard.__all__:
        assert getattr(volunteer_standard, name) is not None


def test_plugin_authors_find_what_they_need_in_public_modules() -> None:
    import importlib

    for module, names in MODULES.items():
        exported = set(importlib.import_module(module).__all__)
        assert names <= exported, (module, names - exported)


def test_every_library_error_is_a_vstd_error() -> None:
    from volunteer_standard.certificates import keys
    from volunteer_standard.connectors.tabular.mapping import MappingError
    from volunteer_standard.profiles import ProfileError
    from volunteer_standard.upgrade import UpgradeError

    for error in (
        volunteer_standard.ConnectorError,
        volunteer_standard.InputError,
        volunteer_standard.ConversionAborted,
        ProfileError,
        MappingError,
        UpgradeError,
        keys.SigningKeyError,
    ):
        assert issubclass(error, volunteer_standard.VstdError), error
