"""One call of the gateway: form fields, the national-algorithm hooks, the envelope.

Every call is a ``POST`` of the form ``app_id, interface_id, version, charset, timestamp,
biz_content, sign``, sent by the HTTP base's :class:`Transport`. Before it is sent the
request passes through the hooks of :mod:`volunteer_standard.connectors.http.gm`, in this
order: SM2 encryption of the personal fields inside ``biz_content`` (platform public key),
SM4 encryption of ``biz_content``, the body digest header (optional), and last a fresh
timestamp and the signature (SM3, HMAC-SM3 or SM2) over the sorted form. The transport runs
the hooks again on every retry, so the timestamp and signature are always fresh.

The answer is an envelope ``{"code", "msg", "data"}``; ``data`` may be SM4-encrypted. A code
other than success becomes a :class:`GatewayRefused` whose message, in Chinese and English,
comes from the profile's error table: a wrong key, a stale timestamp and a body changed in
transit each say so.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from volunteer_standard.connectors import ConnectorError
from volunteer_standard.connectors.helpers import RetryPolicy, safe_url
from volunteer_standard.connectors.http import (
    OutgoingRequest,
    RequestHook,
    ResponseHook,
    gm,
)
from volunteer_standard.connectors.http.spec import AuthSpec
from volunteer_standard.connectors.http.transport import Credentials, Transport
from volunteer_standard.text import Text
from vstd_connector_gateway.config import GatewayConfig
from vstd_connector_gateway.profile import Profile

BEIJING = timezone(timedelta(hours=8))


class GatewayRefused(ConnectorError):
    """The gateway answered with an error code; ``code`` is that code."""

    def __init__(self, message: Text, code: str) -> None:
        super().__init__(message)
        self.code = code


def digest_hook(header: str, field: str = "biz_content") -> RequestHook:
    """A request hook that sends ``hex(SM3(field as sent))`` in ``header``, so that the
    gateway can tell a body changed in transit from a wrong signing key."""

    def hook(request: OutgoingRequest) -> OutgoingRequest:
        body = (request.form or {}).get(field, "")
        headers = {**request.headers, header: gm.sm3(body.encode("utf-8")).hex()}
        return OutgoingRequest(
            request.method, request.url, request.params, headers, request.form, request.json
        )

    return hook


def signer_of(config: GatewayConfig) -> gm.Signer:
    """The signer the configuration asks for (its secret stays inside)."""
    secret = config.sm2_private_key if config.sign_method == "sm2" else config.app_secret
    if secret is None:
        needed = "sm2_private_key" if config.sign_method == "sm2" else "app_secret"
        raise ConnectorError(
            Text(
                f"签名方式 {config.sign_method} 需要配置 {needed}（配置文件或环境变量）",
                f"sign_method {config.sign_method} needs {needed} (config file or environment)",
            )
        )
    return gm.Signer(config.sign_method, secret)


def sm4_of(config: GatewayConfig) -> gm.SM4 | None:
    """The SM4 payload cipher, when the platform encrypts payloads."""
    if config.sm4_key is None:
        return None
    return gm.SM4.from_config(config.sm4_key, config.sm4_mode, config.sm4_iv)


class GatewayClient:
    """Calls interfaces of one gateway URL through the HTTP base's :class:`Transport`
    (retries with backoff and Retry-After, response size limit, TLS, rate limit), with
    the signing and encryption hooks of the call.

    ``extra_hooks`` run after the built-in ones (after signing): a test uses them to play a
    proxy that changes the request in transit.
    """

    def __init__(
        self,
        url: str,
        config: GatewayConfig,
        profile: Profile,
        *,
        extra_hooks: Sequence[RequestHook] = (),
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.where = safe_url(url)
        self.config = config
        self.profile = profile
        self.clock = clock
        self.retry = retry or RetryPolicy(attempts=config.retries + 1)
        self._sm4 = sm4_of(config)
        self._signer = signer_of(config)
        self._extra = list(extra_hooks)
        self._transports: dict[tuple[str, ...], Transport] = {}

    def close(self) -> None:
        """Close the connection pools."""
        for transport in self._transports.values():
            transport.close()
        self._transports.clear()

    def _transport(self, sm2_fields: Sequence[str]) -> Transport:
        """One transport per set of encrypted fields (the hooks differ), made on first use."""
        key = tuple(sm2_fields)
        if key not in self._transports:
            self._transports[key] = Transport(
                auth=AuthSpec(kind="none"),
                credentials=Credentials(),
                retry=self.retry,
                timeout=httpx.Timeout(self.config.timeout, connect=min(10.0, self.config.timeout)),
                verify=self.config.verify_tls,
                max_response_bytes=self.config.max_response_bytes,
                rate_limit=self.config.rate_limit,
                request_hooks=self.request_hooks(sm2_fields),
                response_hooks=self.response_hooks(),
            )
        return self._transports[key]

    # -- hooks ---------------------------------------------------------------------------
    def request_hooks(self, sm2_fields: Sequence[str]) -> list[RequestHook]:
        """The hooks for one call, in the order the gateway undoes them."""
        hooks: list[RequestHook] = []
        if sm2_fields and self.config.platform_public_key:
            hooks.append(
                gm.sm2_fields_hook(
                    self.config.platform_public_key, sm2_fields, order=self.config.sm2_order
                )
            )
        if self._sm4 is not None:
            hooks.append(gm.sm4_encrypt_hook(self._sm4))
        if self.config.body_digest:
            hooks.append(digest_hook(self.profile.digest_header))
        hooks.append(self._stamp_and_sign)
        return [*hooks, *self._extra]

    def _stamp_and_sign(self, request: OutgoingRequest) -> OutgoingRequest:
        """A fresh timestamp on every try (a retry after a long Retry-After must not be
        refused as stale), then the signature over everything."""
        form = dict(request.form or {})
        form["timestamp"] = self._timestamp()
        form.pop("sign", None)
        form["sign"] = self._signer.sign(form)
        return dataclasses.replace(request, form=form)

    def response_hooks(self) -> list[ResponseHook]:
        """Verify the platform's signature on the answer (when configured), then decrypt
        ``data`` (when the platform encrypts payloads)."""
        hooks: list[ResponseHook] = []
        if self.config.platform_sign_key:
            verifier = gm.Signer("sm2", public_key=self.config.platform_sign_key)
            hooks.append(gm.sm2_verify_response_hook(verifier))
        if self._sm4 is not None:
            hooks.append(gm.sm4_decrypt_response_hook(self._sm4))
        return hooks

    # -- calls ---------------------------------------------------------------------------
    def _timestamp(self) -> str:
        now = datetime.fromtimestamp(self.clock(), UTC).astimezone(BEIJING)
        return now.strftime(self.profile.timestamp_format)

    def form(self, interface_id: str, biz: Mapping[str, Any]) -> dict[str, str]:
        """The unsigned form of one call."""
        return {
            "app_id": self.config.app_id,
            "interface_id": interface_id,
            "version": self.profile.version,
            "charset": self.profile.charset,
            "timestamp": self._timestamp(),
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }

    def call(
        self, interface_id: str, biz: Mapping[str, Any], *, sm2_fields: Sequence[str] = ()
    ) -> Any:
        """Call ``interface_id`` with ``biz`` as ``biz_content``; the envelope's ``data``.

        Raises :class:`GatewayRefused` for an error code, :class:`ConnectorError` when the
        gateway cannot be reached or answers something that is not an envelope.
        """
        transport = self._transport(sm2_fields)
        policy = self.retry
        for attempt in range(1, policy.attempts + 1):
            answer = transport.call(
                "POST",
                self.url,
                form=self.form(interface_id, biz),
                authenticate=False,
                what=Text(f"接口 {interface_id}", f"interface {interface_id}"),
            )
            try:
                return self._envelope(interface_id, answer.response, answer.payload)
            except GatewayRefused as refused:
                known = self.profile.errors.get(refused.code)
                if known is None or not known.retry or attempt == policy.attempts:
                    raise
                policy.sleep(policy.delay(attempt, answer.response))
        raise ConnectorError(f"{self.where}: no attempts allowed")  # attempts < 1

    def _envelope(self, interface_id: str, response: httpx.Response, body: Any) -> Any:
        if not isinstance(body, dict) or "code" not in body:
            raise ConnectorError(
                Text(
                    f"{self.where} {interface_id}：网关的回答不是信封 {{code, msg, data}}"
                    f"（HTTP {response.status_code}）",
                    f"{self.where} {interface_id}: the gateway's answer is not an envelope "
                    f"{{code, msg, data}} (HTTP {response.status_code})",
                )
            )
        code = str(body["code"])
        if code in self.profile.success_codes:
            return body.get("data")
        known = self.profile.errors.get(code)
        if known is not None:
            text = known.text
        else:
            said = str(body.get("msg", ""))[:200]
            text = Text(f"网关返回错误：{said}", f"the gateway answered with an error: {said}")
        raise GatewayRefused(
            Text(
                f"{self.where} {interface_id}：[{code}] ", f"{self.where} {interface_id}: [{code}] "
            )
            + text,
            code,
        )


__all__ = ["BEIJING", "GatewayClient", "GatewayRefused", "digest_hook", "signer_of", "sm4_of"]
