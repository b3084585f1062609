"""vstd-connector-openbadges: certificates and service records ↔ Open Badges 3.0.

Credentials are ``OpenBadgeCredential``s (achievement type ``CommunityService``) secured as
VC-JOSE compact JWS with Ed25519; they validate against the bundled official OB 3.0 and
VC 2.0 JSON Schemas (:func:`vstd_connector_openbadges.schemas.errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from volunteer_standard import hookimpl
from volunteer_standard.lazy import lazy_attributes

if TYPE_CHECKING:
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

#: Public name → (module, name there): imported on first use, so that loading the plugins
#: (which every ``vstd validate`` does, for rules and profiles) does not import the
#: connector and its libraries until the connector is used.
_LAZY = {
    "OpenBadgesConfig": ("vstd_connector_openbadges.connector", "OpenBadgesConfig"),
    "OpenBadgesConnector": ("vstd_connector_openbadges.connector", "OpenBadgesConnector"),
    "ProofError": ("vstd_connector_openbadges.jose", "ProofError"),
    "key_id": ("vstd_connector_openbadges.keys", "key_id"),
    "load_private_key": ("vstd_connector_openbadges.keys", "load_private_key"),
    "load_public_key": ("vstd_connector_openbadges.keys", "load_public_key"),
    "matches": ("vstd_connector_openbadges.mapping", "matches"),
    "schema_errors": ("vstd_connector_openbadges.schemas", "errors"),
    "sign": ("vstd_connector_openbadges.jose", "sign"),
    "verify": ("vstd_connector_openbadges.jose", "verify"),
}


__getattr__ = lazy_attributes(globals(), _LAZY)


@hookimpl
def register_connectors(register: Callable[[type[Connector]], None]) -> None:
    """Add the ``openbadges`` connector."""
    from vstd_connector_openbadges.connector import OpenBadgesConnector

    register(OpenBadgesConnector)
