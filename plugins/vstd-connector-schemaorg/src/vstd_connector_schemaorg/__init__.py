"""vstd-connector-schemaorg: publish volunteering opportunities as schema.org JSON-LD.

Organizations (``NGO``/``Organization``), projects and activities (``Event`` with location
and organizer), volunteer roles (``JobPosting``, ``employmentType`` ``VOLUNTEER``) and
stations (``Place``); only existing schema.org terms, listed in the bundled context.
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
from volunteer_standard.connectors import Connector
from vstd_connector_schemaorg.connector import JsonLdWriter, SchemaOrgConfig, SchemaOrgConnector
from vstd_connector_schemaorg.terms import context, document_loader, terms

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


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``schemaorg`` connector."""
    register(SchemaOrgConnector)
