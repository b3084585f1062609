"""Paginated HTTP APIs on httpx: retries with backoff, Retry-After, pages as locations.

Rate limits (429) and server hiccups (5xx, dropped connections, timeouts) are normal for
the regional platforms; a conversion should wait and try again rather than fail, but never
loop forever. Every item carries a :class:`Location` (the URL without its query string,
so that tokens passed as parameters never reach a reject file; the page number; the item's
JSON pointer) so a rejected record can be found again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.io.reader import Location

#: Statuses worth retrying: rate limited, and the server's temporary failures.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before giving up on one request.

    The delay before try *n + 1* is ``backoff * 2**(n-1)`` capped at ``max_backoff``, with
    "equal jitter" (between half and all of it) so that many clients do not retry in step.
    A ``Retry-After`` header (seconds or an HTTP date) wins, capped at ``max_retry_after``.
    ``sleep`` and ``random`` are injectable so tests run instantly and deterministically.
    """

    attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    jitter: bool = True
    statuses: frozenset[int] = RETRY_STATUSES
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        after = retry_after(response) if response is not None else None
        if after is not None:
            return min(after, self.max_retry_after)
        base = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return base * (0.5 + self.random() / 2) if self.jitter else base


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (it may be a number or an HTTP date)."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def safe_url(url: httpx.URL | str) -> str:
    """The URL without query, fragment or credentials: safe for messages and reject files."""
    u = httpx.URL(url)
    port = f":{u.port}" if u.port is not None else ""
    if not u.host:
        return u.path
    return f"{u.scheme}://{u.host}{port}{u.path}"


def request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | httpx.Timeout = 30.0,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request, retrying transport errors and ``retry.statuses``.

    Returns a successful response; raises :class:`ConnectorError` on another 4xx/5xx or
    when the tries are used up (the message names the URL without its query string).
    """
    policy = retry or RetryPolicy()
    where = safe_url(client.build_request(method, url).url)
    for attempt in range(1, policy.attempts + 1):
        last = attempt == policy.attempts
        try:
            response = client.request(method, url, params=params, timeout=timeout, **kwargs)
        except httpx.TransportError as exc:
            if last:
                raise ConnectorError(
                    f"{where}: {type(exc).__name__} after {attempt} attempts: {exc}"
                ) from None
            policy.sleep(policy.delay(attempt))
            continue
        if response.status_code in policy.statuses:
            if last:
                raise ConnectorError(
                    f"{where}: HTTP {response.status_code} after {attempt} attempts"
                )
            policy.sleep(policy.delay(attempt, response))
            continue
        if response.is_error:
            raise ConnectorError(
                f"{where}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
            )
        return response
    raise ConnectorError(f"{where}: no attempts allowed")  # attempts < 1


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched page, handed to the ``next_page`` callable."""

    number: int
    params: dict[str, Any]
    body: Any
    items: list[Any]
    response: httpx.Response


@dataclass(frozen=True, slots=True)
class PageItem:
    """One item of a page and where it came from."""

    data: Any
    location: Location
    page: int


NextPage = Callable[[Page], Mapping[str, Any] | None]


def _dig(body: Any, path: str) -> Any:
    for key in path.split(".") if path else []:
        body = body.get(key) if isinstance(body, dict) else None
    return body


def number_pages(param: str = "page", *, start: int = 1, size: int | None = None) -> NextPage:
    """Page-number pagination: ask for ``param = n + 1`` until a page comes back empty
    (or shorter than ``size``, when the page size is known)."""

    def next_page(page: Page) -> Mapping[str, Any] | None:
        if not page.items or (size is not None and len(page.items) < size):
            return None
        current = int(page.params.get(param, start))
        return {param: current + 1}

    return next_page


def offset_pages(param: str = "offset", *, size: int, start: int = 0) -> NextPage:
    """Offset pagination: ask for ``param = offset + items received`` until a page comes
    back shorter than ``size``."""

    def next_page(page: Page) -> Mapping[str, Any] | None:
        if not page.items or len(page.items) < size:
            return None
        return {param: int(page.params.get(param, start)) + len(page.items)}

    return next_page


def cursor_pages(field: str = "next_cursor", param: str = "cursor") -> NextPage:
    """Cursor pagination: send the body's ``field`` (a dotted path) back as ``param``
    until it is missing or empty."""

    def next_page(page: Page) -> Mapping[str, Any] | None:
        cursor = _dig(page.body, field)
        return None if cursor in (None, "") else {param: cursor}

    return next_page


def paginate(
    client: httpx.Client,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    items: str | Callable[[Any], Any] = "items",
    next_page: NextPage | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | httpx.Timeout = 30.0,
    max_pages: int | None = None,
    method: str = "GET",
) -> Iterator[PageItem]:
    """Yield the items of every page of a JSON API, one at a time.

    ``items`` is the dotted path of the item array in the body ("" for a body that is the
    array itself) or a callable returning it; ``next_page`` returns the parameters of the
    next request, or ``None`` after the last page. A next page equal to one already fetched
    is a loop in the API and raises :class:`ConnectorError` instead of running forever.
    """
    current = dict(params or {})
    pointer = "/" + "/".join(items.split(".")) if isinstance(items, str) and items else ""
    seen: set[bytes] = set()
    number = 0
    while True:
        number += 1
        response = request(client, method, url, params=current, retry=retry, timeout=timeout)
        where = safe_url(response.request.url)
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ConnectorError(f"{where} page {number}: the body is not JSON: {exc}") from None
        found = items(body) if callable(items) else _dig(body, items)
        if found is None:
            found = []
        if not isinstance(found, list):
            raise ConnectorError(f"{where} page {number}: {items!r} is not a list of items")
        for index, item in enumerate(found):
            yield PageItem(item, Location(where, number, f"{pointer}/{index}"), number)
        if next_page is None or (max_pages is not None and number >= max_pages):
            return
        following = next_page(Page(number, current, body, found, response))
        if following is None:
            return
        current = {**current, **following}
        key = orjson.dumps(current, option=orjson.OPT_SORT_KEYS, default=str)
        if key in seen:
            raise ConnectorError(f"{where}: pagination loops (page {number} repeats {following})")
        seen.add(key)


__all__ = [
    "RETRY_STATUSES",
    "NextPage",
    "Page",
    "PageItem",
    "RetryPolicy",
    "cursor_pages",
    "number_pages",
    "offset_pages",
    "paginate",
    "request",
    "retry_after",
    "safe_url",
]
