"""vstd-connector-openbadges: certificates and service records ↔ Open Badges 3.0.

Credentials are ``OpenBadgeCredential``s (achievement type ``CommunityService``) secured as
VC-JOSE compact JWS with Ed25519; they validate against the bundled official OB 3.0 and
VC 2.0 JSON Schemas (:func:`vstd_connector_openbadges.schemas.errors`).
"""

from __future__ import annotations

from collections.abc import Callable

from volunteer_standard import hookimpl
from volunteer_standard.connectors import Connector
from vstd_connector_openbadges.connector import OpenBadgesConfig, OpenBadgesConnector
from vstd_connector_openbadges.jose import ProofError, sign, verify
from vstd_connector_openbadges.keys import key_id, load_private_key, load_public_key
from vstd_connector_openbadges.mapping import matches
from vstd_connector_openbadges.schemas import errors as schema_errors

__version__ = "0.1.0"
__all__ = [
    "OpenBadgesConfig",
    "OpenBadgesConnector",
    "ProofError",
    "key_id",
    "load_private_key",
    "load_public_key",
    "matches",
    "register_connectors",
    "schema_errors",
    "sign",
    "verify",
]


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``openbadges`` connector."""
    register(OpenBadgesConnector)
