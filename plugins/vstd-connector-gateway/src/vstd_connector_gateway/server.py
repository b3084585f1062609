"""A local gateway on 127.0.0.1 that checks requests as the real one would.

For tests and for trying a configuration without touching a government system: a real
HTTP server (a thread of this process) that refuses an unknown app_id, a stale timestamp,
a body changed in transit, a wrong signature, an undecryptable payload or undecryptable
personal fields, each with its own error code from the profile, and otherwise stores
uploads and serves lookups page by page. Its data are whatever the tests load: synthetic.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from volunteer_standard.connectors.http import gm
from vstd_connector_gateway.client import BEIJING
from vstd_connector_gateway.profile import Profile, load_profile

PATH = "/api-gateway/jpaas-jags-server/interface/gateway"


class _Refused(Exception):
    def __init__(self, code: str, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


@dataclass
class GatewaySettings:
    """What the local gateway knows about its one client and its own keys."""

    app_id: str = "vstd"
    sign_method: gm.SignMethod = "sm3"
    app_secret: str | None = None
    client_public_key: str | None = None
    sm4_key: str | None = None
    sm4_mode: gm.SM4Mode = "cbc"
    sm4_iv: str | None = None
    platform_private_key: str | None = None
    sm2_order: gm.SM2CipherOrder = "c1c3c2"
    max_skew: float = 300.0
    #: The gateway's SM2 private key for signing its answers (None: answers unsigned).
    response_sign_key: str | None = None
    #: Change every answer after signing it (a test of the client's verification).
    tamper_answers: bool = False
    profile: Profile = field(default_factory=load_profile)


class LocalGateway:
    """``with LocalGateway(settings) as gw:`` serves on ``gw.url`` until the block ends.

    ``clock`` is the gateway's clock (shift it to test stale timestamps); ``calls`` records
    ``(interface_id, code)`` of every call and ``forms`` the forms as received; ``load``
    puts items (even malformed ones) in the store directly; ``fail_next`` answers the next
    calls with an HTTP status, ``fail_from_call = n`` every call from the n-th on (an
    outage in the middle of a run).
    """

    def __init__(
        self, settings: GatewaySettings | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings or GatewaySettings()
        self.clock = clock
        self.store: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.fail_next: list[int] = []
        self.fail_from_call: int | None = None
        self._order = itertools.count()
        self._stamp = 0.0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "the gateway is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{PATH}"

    def start(self) -> LocalGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                status, answer = gateway.handle(self.path, dict(self.headers.items()), body)
                payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return  # personal data may be in requests: never log them

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- data ----------------------------------------------------------------------------
    def _next_stamp(self) -> str:
        """A change time one second after the last (distinct, increasing) one."""
        self._stamp = max(self._stamp + 1, self.clock())
        return (
            datetime.fromtimestamp(self._stamp, UTC)
            .astimezone(BEIJING)
            .strftime("%Y-%m-%d %H:%M:%S")
        )

    def load(self, type_: str, items: Iterable[Any]) -> None:
        """Put items in the store as the gateway holds them (no checks at all)."""
        with self._lock:
            table = self.store.setdefault(type_, {})
            for item in items:
                if isinstance(item, dict):
                    item = {**item, "update_time": item.get("update_time") or self._next_stamp()}
                    key = str(item.get("out_id") or item.get("uid") or next(self._order))
                else:
                    key = f"~{next(self._order)}"
                table[key] = item

    def items(self, type_: str) -> list[Any]:
        """What the gateway holds for ``type_``."""
        return list(self.store.get(type_, {}).values())

    # -- the protocol --------------------------------------------------------------------
    def handle(self, path: str, headers: dict[str, str], body: str) -> tuple[int, Any]:
        """Answer one request: (HTTP status, envelope)."""
        if self.fail_next:
            return self.fail_next.pop(0), {"code": "50000", "msg": "injected failure"}
        if self.fail_from_call is not None and len(self.forms) + 1 >= self.fail_from_call:
            return 500, {"code": "50000", "msg": "injected outage"}
        form = dict(parse_qsl(body, keep_blank_values=True))
        self.forms.append(form)
        interface = form.get("interface_id", "")
        try:
            if path.split("?")[0] != PATH:
                raise _Refused("40007", "no such path")
            data = self._dispatch(form, {k.lower(): v for k, v in headers.items()})
        except _Refused as refused:
            self.calls.append((interface, refused.code))
            return 200, self._signed({"code": refused.code, "msg": refused.msg})
        self.calls.append((interface, "0000"))
        return 200, self._signed({"code": "0000", "msg": "成功", "data": self._seal(data)})

    def _signed(self, answer: dict[str, Any]) -> dict[str, Any]:
        """The answer with the gateway's SM2 signature over its other fields."""
        key = self.settings.response_sign_key
        if key is None:
            return answer
        params = {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in answer.items()
        }
        signed = {**answer, "sign": gm.Signer("sm2", key).sign(params)}
        if self.settings.tamper_answers:
            signed["msg"] = f"{signed['msg']} (changed)"
        return signed

    def _seal(self, data: Any) -> Any:
        cipher = self._sm4()
        if cipher is None:
            return data
        return cipher.encrypt_text(json.dumps(data, ensure_ascii=False))

    def _sm4(self) -> gm.SM4 | None:
        s = self.settings
        if s.sm4_key is None:
            return None
        return gm.SM4.from_config(s.sm4_key, s.sm4_mode, s.sm4_iv)

    def _dispatch(self, form: dict[str, str], headers: dict[str, str]) -> Any:
        s = self.settings
        if form.get("app_id") != s.app_id:
            raise _Refused("40001", "unknown app_id")
        try:
            sent = datetime.strptime(form.get("timestamp", ""), s.profile.timestamp_format)
        except ValueError:
            raise _Refused("40006", "bad timestamp") from None
        skew = abs(sent.replace(tzinfo=BEIJING).timestamp() - self.clock())
        if skew > s.max_skew:
            raise _Refused("40002", "timestamp expired")
        content = form.get("biz_content", "")
        digest = headers.get(s.profile.digest_header.lower())
        if digest is not None and digest != gm.sm3(content.encode("utf-8")).hex():
            raise _Refused("40008", "digest mismatch")
        signer = gm.Signer(s.sign_method, s.app_secret, public_key=s.client_public_key)
        if not signer.verify(form, form.get("sign", "")):
            raise _Refused("40003", "invalid sign")
        cipher = self._sm4()
        if cipher is not None:
            try:
                content = cipher.decrypt_text(content)
            except gm.GmError:
                raise _Refused("40004", "cannot decrypt") from None
        try:
            biz = json.loads(content)
        except ValueError:
            raise _Refused("40006", "biz_content is not JSON") from None
        try:
            entity, call = s.profile.by_interface(form.get("interface_id", ""))
        except KeyError:
            raise _Refused("40007", "unknown interface") from None
        if call == "lookup":
            return self._lookup(entity.type, entity.bookmark, biz)
        items = biz.get("list") if isinstance(biz, dict) else None
        if not isinstance(items, list):
            raise _Refused("40006", "list missing")
        if entity.sm2_fields and s.platform_private_key:
            try:
                items = gm.sm2_decrypt_fields(
                    s.platform_private_key,
                    items,
                    [f"[].{name}" for name in entity.sm2_fields],
                    order=s.sm2_order,
                )
            except (gm.GmError, ValueError):
                raise _Refused("40005", "cannot decrypt personal fields") from None
        failed = [
            {"index": i, "code": "41001", "msg": "item is not an object"}
            for i, item in enumerate(items)
            if not isinstance(item, dict)
        ]
        self.load(entity.type, [item for item in items if isinstance(item, dict)])
        return {"accepted": len(items) - len(failed), "failed": failed}

    def _lookup(self, type_: str, bookmark: str | None, biz: Any) -> dict[str, Any]:
        if not isinstance(biz, dict):
            raise _Refused("40006", "biz_content is not an object")
        page, size = int(biz.get("page_no", 1)), int(biz.get("page_size", 100))
        since = biz.get(f"{bookmark}_from") if bookmark else None
        with self._lock:
            rows = [
                (i, item)
                for i, item in enumerate(self.store.get(type_, {}).values())
                if since is None
                or not isinstance(item, dict)
                or str(item.get(bookmark, "")) >= since
            ]
        rows.sort(
            key=lambda r: (str(r[1].get(bookmark, "")) if isinstance(r[1], dict) else "", r[0])
        )
        chosen = [item for _, item in rows[(page - 1) * size : page * size]]
        return {"total": len(rows), "page_no": page, "list": chosen}


@contextmanager
def local_gateway(
    settings: GatewaySettings | None = None, *, clock: Callable[[], float] = time.time
) -> Iterator[LocalGateway]:
    """A running :class:`LocalGateway` for the ``with`` block."""
    with LocalGateway(settings, clock=clock) as gateway:
        yield gateway


__all__ = ["PATH", "GatewaySettings", "LocalGateway", "local_gateway"]
