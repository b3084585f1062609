"""Sending one request well: auth, hooks, rate limit, retries, size limit, error envelope.

Everything between "this page, please" and "here is its parsed body" lives here once, so
that no vendor connector re-implements backoff or forgets a size limit:

* authentication (API key header or parameter, bearer token, token endpoint whose token is
  refreshed before it expires and again after a 401 or a "token expired" envelope code);
* request hooks applied just before each send — again on every retry, so signatures,
  timestamps and nonces are fresh;
* a client-side rate limit (requests per second);
* retries of transport errors, timeouts, 408/429/5xx, malformed bodies and "busy" envelope
  codes, with exponential backoff and jitter, honouring ``Retry-After`` on 429/503;
* a response size limit checked while the body streams in, before anything is parsed;
* the vendor's error envelope (``{"errCode": "0000", "msg": …}``) checked, then the
  response hooks (decrypt, unwrap) applied.

Errors are :class:`RemoteError` (the remote system said no) or :class:`PageError` (the
answer is unusable); both carry zh/en messages that name the URL without its query
string, never a secret.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from pydantic import SecretStr

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.helpers.http import RetryPolicy, safe_url
from volunteer_standard.connectors.http.hooks import (
    OutgoingRequest,
    RequestHook,
    ResponseHook,
    apply_request_hooks,
    apply_response_hooks,
)
from volunteer_standard.connectors.http.items import dig
from volunteer_standard.connectors.http.spec import AuthSpec, EnvelopeSpec
from volunteer_standard.text import Text


class RemoteError(ConnectorError):
    """The remote system refused a request (HTTP status or error envelope)."""

    def __init__(
        self, message: Text, *, status: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class PageError(ConnectorError):
    """An answer could not be used: not JSON, or the item list is missing."""


class ResponseTooLarge(ConnectorError):
    """An answer is larger than ``max_response_bytes``."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A successful answer: the response, its parsed body, and the payload after the
    response hooks."""

    response: httpx.Response
    body: Any
    payload: Any


class RateLimiter:
    """At most ``per_second`` requests per second from this client (None: no limit)."""

    def __init__(
        self,
        per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


@dataclass
class Credentials:
    """The secrets of an API (all ``SecretStr``: never printed)."""

    api_key: SecretStr | None = None
    token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None


@dataclass
class _Token:
    value: str
    expires_at: float | None


class _HttpxLogFilter(logging.Filter):
    """httpx logs full URLs at INFO; an API key sent as a parameter must not reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(safe_url(a) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


#: Retries and token refreshes are logged here (URLs without query strings, no secrets).
log = logging.getLogger("volunteer_standard.connectors.http")

_FILTER = _HttpxLogFilter()
if _FILTER not in logging.getLogger("httpx").filters:
    logging.getLogger("httpx").addFilter(_FILTER)


def _query_free(url: str) -> str:
    try:
        return safe_url(url)
    except Exception:  # an unparsable URL is shown as nothing rather than leaked
        return "<url>"


@dataclass
class Transport:
    """One HTTP client for one connector run (not thread-safe beyond the rate limiter)."""

    auth: AuthSpec
    credentials: Credentials
    envelope: EnvelopeSpec | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(30.0, connect=10.0))
    verify: bool | str = True
    max_response_bytes: int = 20_000_000
    rate_limit: float | None = None
    request_hooks: list[RequestHook] = field(default_factory=list)
    response_hooks: list[ResponseHook] = field(default_factory=list)
    user_agent: str = "volunteer-standard"
    allow_plain_http: bool = False
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            verify=self.verify,
            timeout=self.timeout,
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
        )
        self.limiter = RateLimiter(self.rate_limit, clock=self.clock, sleep=self.retry.sleep)
        self._token: _Token | None = None
        self.requests_sent = 0

    def close(self) -> None:
        self.client.close()

    # -- authentication ------------------------------------------------------------------
    def _authorise(self, request: OutgoingRequest, base: str) -> None:
        kind = self.auth.kind
        if kind == "none":
            return
        self._refuse_plain_http(request.url)
        if kind == "api_key":
            key = self._secret(self.credentials.api_key, "api_key")
            if self.auth.param:
                request.params[self.auth.param] = key
            else:
                request.headers[self.auth.header or "X-API-Key"] = key
            return
        token = (
            self._secret(self.credentials.token, "token")
            if kind == "bearer"
            else self._access_token(base)
        )
        prefix = f"{self.auth.scheme} " if self.auth.scheme else ""
        request.headers[self.auth.header or "Authorization"] = prefix + token

    def _refuse_plain_http(self, url: str) -> None:
        """Credentials travel over TLS, except to this machine (tests, local gateways)."""
        u = httpx.URL(url)
        if u.scheme == "https" or self.allow_plain_http:
            return
        if u.host in ("127.0.0.1", "localhost", "::1"):
            return
        raise ConnectorError(
            Text(
                f"{_query_free(url)}：不会通过未加密的 http 发送密钥或令牌；请使用 https，"
                "或在确知安全时设置 allow_plain_http = true",
                f"{_query_free(url)}: keys and tokens are not sent over plain http; use https, "
                "or set allow_plain_http = true when you know the network is safe",
            )
        )

    def _secret(self, value: SecretStr | None, name: str) -> str:
        if value is None or not value.get_secret_value():
            raise ConnectorError(
                Text(
                    f"缺少密钥 {name}：请写在配置文件里，"
                    f"或设置对应的 VSTD_…_{name.upper()} 环境变量",
                    f"the secret {name!r} is missing: put it in the config file or set the "
                    f"VSTD_…_{name.upper()} environment variable",
                )
            )
        return value.get_secret_value()

    def _access_token(self, base: str) -> str:
        token = self._token
        if token is not None and (
            token.expires_at is None or self.clock() < token.expires_at - 30.0
        ):
            return token.value
        self._token = self._fetch_token(base)
        return self._token.value

    def invalidate_token(self) -> None:
        """Forget the access token; the next request fetches a new one."""
        self._token = None

    @property
    def can_refresh(self) -> bool:
        return self.auth.kind == "token"

    def _fetch_token(self, base: str) -> _Token:
        assert self.auth.token_path is not None
        url = join_url(base, self.auth.token_path)
        fields = {
            self.auth.id_field: self.credentials.client_id or "",
            self.auth.secret_field: self._secret(self.credentials.client_secret, "client_secret"),
        }
        if self.auth.grant_type:
            fields["grant_type"] = self.auth.grant_type
        answer = self.call(
            "POST",
            url,
            form=fields if self.auth.token_style == "form" else None,
            json=fields if self.auth.token_style == "json" else None,
            authenticate=False,
            what=Text("获取访问令牌", "token request"),
        )
        value = dig(answer.payload, self.auth.token_field)
        if not isinstance(value, str) or not value:
            raise RemoteError(
                Text(
                    f"{_query_free(url)}：令牌接口的应答中没有 {self.auth.token_field}",
                    f"{_query_free(url)}: the token endpoint's answer has no "
                    f"{self.auth.token_field}",
                )
            )
        lifetime = dig(answer.payload, self.auth.expires_field) if self.auth.expires_field else None
        try:
            expires = self.clock() + float(lifetime) if lifetime is not None else None
        except (TypeError, ValueError):
            expires = None
        return _Token(value, expires)

    # -- one call ------------------------------------------------------------------------
    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        form: Mapping[str, Any] | None = None,
        json: Any | None = None,
        authenticate: bool = True,
        base: str | None = None,
        what: Text | None = None,
    ) -> Answer:
        """Send one request (retrying as the policy says) and return its parsed answer.

        ``what`` names the request in messages (e.g. "page 3"); ``base`` is the URL the
        token endpoint path is relative to (default: ``url``'s origin).
        """
        where = _query_free(url)
        label = what or Text("请求", "request")
        policy = self.retry
        refreshed = False
        attempt = 0
        origin = base or _origin(url)
        while True:
            attempt += 1
            last = attempt >= policy.attempts
            request = OutgoingRequest(
                method=method,
                url=url,
                params={k: str(v) for k, v in (params or {}).items()},
                headers={},
                form={k: str(v) for k, v in form.items()} if form is not None else None,
                json=json,
            )
            if authenticate:
                self._authorise(request, origin)
            request = apply_request_hooks(request, self.request_hooks)
            self.limiter.wait()
            try:
                response, content = self._send(request)
            except httpx.TransportError as exc:
                if last:
                    raise ConnectorError(
                        Text(
                            f"{where}（{label.zh}）：{attempt} 次尝试后仍然失败："
                            f"{type(exc).__name__}",
                            f"{where} ({label.en}): {type(exc).__name__} after {attempt} attempts",
                        )
                    ) from None
                wait = policy.delay(attempt)
                log.info("%s (%s): %s, retry in %.1f s", where, label.en, type(exc).__name__, wait)
                policy.sleep(wait)
                continue
            status = response.status_code
            if status == 401 and authenticate and self.can_refresh and not refreshed:
                log.info("%s (%s): HTTP 401, fetching a new token", where, label.en)
                self.invalidate_token()
                refreshed = True
                attempt -= 1  # a refresh is not a failed try
                continue
            if status in policy.statuses:
                if last:
                    raise RemoteError(
                        Text(
                            f"{where}（{label.zh}）：{attempt} 次尝试后仍返回 HTTP {status}",
                            f"{where} ({label.en}): HTTP {status} after {attempt} attempts",
                        ),
                        status=status,
                    )
                wait = policy.delay(attempt, response)
                log.info("%s (%s): HTTP %s, retry in %.1f s", where, label.en, status, wait)
                policy.sleep(wait)
                continue
            if response.is_redirect:
                target = _query_free(response.headers.get("location", ""))
                raise RemoteError(
                    Text(
                        f"{where}（{label.zh}）：HTTP {status} 重定向到 {target}；"
                        "请把 base_url 改为新地址",
                        f"{where} ({label.en}): HTTP {status} redirect to {target}; "
                        "point base_url at the new address",
                    ),
                    status=status,
                )
            body: Any = None
            parsed = True
            try:
                body = orjson.loads(content) if content.strip() else None
            except orjson.JSONDecodeError:
                parsed = False
            if response.is_error:
                raise RemoteError(self._status_text(where, label, response, body), status=status)
            if not parsed:
                if last:
                    raise PageError(
                        Text(
                            f"{where}（{label.zh}）：应答不是 JSON（{len(content)} 字节，"
                            f"已尝试 {attempt} 次）",
                            f"{where} ({label.en}): the answer is not JSON ({len(content)} "
                            f"bytes, {attempt} attempts)",
                        )
                    )
                log.info("%s (%s): the answer is not JSON, retrying", where, label.en)
                policy.sleep(policy.delay(attempt))
                continue
            if self.envelope is not None and isinstance(body, dict):
                code = dig(body, self.envelope.code)
                code_text = "" if code is None else str(code)
                if code is not None and code_text not in self.envelope.ok:
                    message = dig(body, self.envelope.message)
                    msg = "" if message is None else str(message)[:200]
                    if (
                        code_text in self.envelope.token_expired
                        and authenticate
                        and self.can_refresh
                        and not refreshed
                    ):
                        log.info("%s (%s): token expired, fetching a new one", where, label.en)
                        self.invalidate_token()
                        refreshed = True
                        attempt -= 1
                        continue
                    if code_text in self.envelope.retry and not last:
                        log.info("%s (%s): remote busy (%s), retrying", where, label.en, code_text)
                        policy.sleep(policy.delay(attempt))
                        continue
                    raise RemoteError(
                        Text(
                            f"{where}（{label.zh}）：对方系统返回错误 {code_text}：{msg}",
                            f"{where} ({label.en}): the remote system answered error "
                            f"{code_text}: {msg}",
                        ),
                        status=status,
                        code=code_text,
                    )
            payload = apply_response_hooks(response, body, self.response_hooks)
            return Answer(response, body, payload)

    def _status_text(self, where: str, label: Text, response: httpx.Response, body: Any) -> Text:
        detail = ""
        if self.envelope is not None and isinstance(body, dict):
            message = dig(body, self.envelope.message)
            if message is not None:
                detail = f": {str(message)[:200]}"
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        hint_zh = hint_en = ""
        if response.status_code in (401, 403):
            hint_zh, hint_en = "（请检查密钥或令牌）", " (check the key or token)"
        elif response.status_code == 404:
            hint_zh, hint_en = "（地址不存在）", " (no such address)"
        return Text(
            f"{where}（{label.zh}）：{status}{detail}{hint_zh}",
            f"{where} ({label.en}): {status}{detail}{hint_en}",
        )

    def _send(self, request: OutgoingRequest) -> tuple[httpx.Response, bytes]:
        kwargs: dict[str, Any] = {"params": request.params or None, "headers": request.headers}
        if request.form is not None:
            kwargs["data"] = request.form
        elif request.json is not None:
            kwargs["content"] = orjson.dumps(request.json)
            kwargs["headers"] = {"Content-Type": "application/json", **request.headers}
        self.requests_sent += 1
        with self.client.stream(request.method, request.url, **kwargs) as response:
            limit = self.max_response_bytes
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise self._too_large(request.url, int(declared))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise self._too_large(request.url, size)
                chunks.append(chunk)
        return response, b"".join(chunks)

    def _too_large(self, url: str, size: int) -> ResponseTooLarge:
        where = _query_free(url)
        limit = self.max_response_bytes
        return ResponseTooLarge(
            Text(
                f"{where}：应答超过 {limit:,} 字节的上限（已收到 {size:,} 字节）；"
                "请减小每页条数（page_size）或调高 max_response_bytes",
                f"{where}: the answer exceeds the limit of {limit:,} bytes ({size:,} received); "
                "lower page_size or raise max_response_bytes",
            )
        )


def _origin(url: str) -> str:
    u = httpx.URL(url)
    port = f":{u.port}" if u.port is not None else ""
    return f"{u.scheme}://{u.host}{port}"


def join_url(base: str, path: str) -> str:
    """``path`` under ``base`` (an absolute ``path`` wins)."""
    if path.startswith(("http://", "https://")):
        return path
    return base.rstrip("/") + "/" + path.lstrip("/")


__all__ = [
    "Answer",
    "Credentials",
    "PageError",
    "RateLimiter",
    "RemoteError",
    "ResponseTooLarge",
    "Transport",
    "join_url",
]
