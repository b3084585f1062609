"""vstd-connector-schemaorg: publish volunteering opportunities as schema.org JSON-LD.

Organizations (``NGO``/``Organization``), projects and activities (``Event`` with location
and organizer), volunteer roles (``JobPosting``, ``employmentType`` ``VOLUNTEER``) and
stations (``Place``); only existing schema.org terms, listed in the bundled context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes
from vstd_connector_schemaorg.terms import context, document_loader, terms

if TYPE_CHECKING:
    from volunteer_standard.connectors import Connector
    from vstd_connector_schemaorg.connector import (
        JsonLdWriter,
        SchemaOrgConfig,
        SchemaOrgConnector,
    )

__version__ = "0.1.0"
__all__ = [
    "JsonLdWriter",
    "SchemaOrgConfig",
    "SchemaOrgConnector",
    "context",
    "document_loader",
    "register_connectors",
    "terms",
]

#: The connector's names, imported on first use, so that loading the plugins (which every
#: ``vstd validate`` does, for rules and profiles) does not import the connector and the
#: models until the connector is used. (``terms``, a light module, is imported at once: the
#: function ``terms`` shares its name.)
__getattr__ = lazy_attributes(
    globals(),
    dict.fromkeys(
        ("JsonLdWriter", "SchemaOrgConfig", "SchemaOrgConnector"),
        "vstd_connector_schemaorg.connector",
    ),
)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``schemaorg`` connector."""
    from vstd_connector_schemaorg.connector import SchemaOrgConnector

    register(SchemaOrgConnector)
