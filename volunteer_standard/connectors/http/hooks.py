"""Request and response hooks: where signing, encryption and unwrapping plug into the base.

A government gateway signs every request (SM3/SM2 over the sorted parameters) and may
encrypt personal fields (SM2) or whole payloads (SM4); a vendor wraps its data in an
envelope. None of that belongs in the transport: the base builds an
:class:`OutgoingRequest`, passes it through the connector's ``request_hooks`` in order just
before sending (again on every retry, so timestamps and nonces are fresh), and passes each
parsed response body through ``response_hooks`` (decrypt, unwrap) before reading items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class OutgoingRequest:
    """One request as the base is about to send it; hooks return it changed (or a copy)."""

    method: str
    url: str  # absolute URL
    params: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str] | None  # application/x-www-form-urlencoded body
    json: Any | None  # JSON body


#: Sign, encrypt or add headers to a request before it is sent.
RequestHook = Callable[[OutgoingRequest], OutgoingRequest]
#: (response, parsed body) -> payload: decrypt or unwrap a body after it is parsed.
ResponseHook = Callable[[httpx.Response, Any], Any]


def apply_request_hooks(request: OutgoingRequest, hooks: list[RequestHook]) -> OutgoingRequest:
    """``request`` passed through ``hooks`` in order."""
    for hook in hooks:
        request = hook(request)
    return request


def apply_response_hooks(response: httpx.Response, body: Any, hooks: list[ResponseHook]) -> Any:
    """``body`` passed through ``hooks`` in order, each seeing the raw response too."""
    for hook in hooks:
        body = hook(response, body)
    return body


__all__ = [
    "OutgoingRequest",
    "RequestHook",
    "ResponseHook",
    "apply_request_hooks",
    "apply_response_hooks",
]
