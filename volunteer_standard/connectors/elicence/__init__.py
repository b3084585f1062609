"""The ``elicence`` connector: certificates in the shape of government e-licence libraries."""

from volunteer_standard.connectors.elicence.connector import ElicenceConfig, ElicenceConnector
from volunteer_standard.connectors.elicence.fields import LicenceField, licence_fields

__all__ = ["ElicenceConfig", "ElicenceConnector", "LicenceField", "licence_fields"]
