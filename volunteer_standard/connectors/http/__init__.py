"""The HTTP API connector base: a vendor API connector is a small class plus a data file."""

from volunteer_standard.connectors.http.hooks import (
    OutgoingRequest,
    RequestHook,
    ResponseHook,
    apply_request_hooks,
    apply_response_hooks,
)

__all__ = [
    "OutgoingRequest",
    "RequestHook",
    "ResponseHook",
    "apply_request_hooks",
    "apply_response_hooks",
]
