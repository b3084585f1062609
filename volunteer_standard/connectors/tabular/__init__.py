"""The ``tabular`` connector: CSV and XLSX, through a mapping file or the flat layout.

See ``docs/tabular.md``. The public API: the connector and its configuration, mapping
loading, and :func:`write_template` for empty data-entry templates.
"""

from volunteer_standard.connectors.tabular.connector import TabularConfig, TabularConnector
from volunteer_standard.connectors.tabular.encoding import mojibake_hint, sniff_encoding
from volunteer_standard.connectors.tabular.mapping import (
    MappingError,
    TabularMapping,
    load_mapping,
    mapping_from_dict,
)
from volunteer_standard.connectors.tabular.template import write_template

__all__ = [
    "MappingError",
    "TabularConfig",
    "TabularConnector",
    "TabularMapping",
    "load_mapping",
    "mapping_from_dict",
    "mojibake_hint",
    "sniff_encoding",
    "write_template",
]
