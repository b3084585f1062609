"""The HTTP API connector base: a vendor API connector is a small class plus a data file.

* :mod:`.spec` — the API description file (endpoints, pagination, incremental field,
  error envelope, auth scheme, field maps in the tabular mapping language);
* :mod:`.transport` — one request done well (auth and token refresh, hooks, rate limit,
  retries with backoff and Retry-After, size limit, error envelope);
* :mod:`.hooks` — request/response hooks for signing, encryption and unwrapping;
* :mod:`.connector` — :class:`HttpConnector` (paged, incremental reads with checkpoints;
  batch writes with per-item results).

See docs/http.md.
"""

from volunteer_standard.connectors.http.connector import HttpConfig, HttpConnector, HttpWriter
from volunteer_standard.connectors.http.hooks import (
    OutgoingRequest,
    RequestHook,
    ResponseHook,
    apply_request_hooks,
    apply_response_hooks,
)
from volunteer_standard.connectors.http.items import ItemMapper
from volunteer_standard.connectors.http.spec import ApiSpec, CompiledApi, api_from_dict, load_api
from volunteer_standard.connectors.http.transport import (
    PageError,
    RemoteError,
    ResponseTooLarge,
    Transport,
)

__all__ = [
    "ApiSpec",
    "CompiledApi",
    "HttpConfig",
    "HttpConnector",
    "HttpWriter",
    "ItemMapper",
    "OutgoingRequest",
    "PageError",
    "RemoteError",
    "RequestHook",
    "ResponseHook",
    "ResponseTooLarge",
    "Transport",
    "api_from_dict",
    "apply_request_hooks",
    "apply_response_hooks",
    "load_api",
]
