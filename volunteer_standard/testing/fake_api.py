"""A fake vendor API for tests: a real HTTP server process on 127.0.0.1 that serves the
API an :class:`~volunteer_standard.connectors.http.spec.ApiSpec` describes, from files.

Tests of an API connector must talk HTTP to a real server, not to a mocked transport, and
must see the failures real platforms produce. This server:

* maps a URL path to a folder: ``GET {folder}{endpoint.path}`` serves
  ``{root}{folder}/{endpoint.name}.jsonl`` (one item per line; a line that is not JSON is
  served as a string item, so damaged fixtures become malformed items), paged as the spec
  says, filtered by the incremental parameter, wrapped in the spec's envelope; a folder
  that does not exist answers 404;
* checks authentication as the spec says (API key, bearer token, or tokens issued by the
  token endpoint with a lifetime), answering 401 or the envelope's "token expired" code;
* accepts batch writes at each write endpoint (upsert by the incremental key, stamping
  the modification time) and answers one result per item;
* injects faults on demand (``POST /__faults__``): HTTP statuses with ``Retry-After``,
  slow answers, malformed bodies, envelope errors, expired tokens, oversized answers,
  refused items; and logs every request (``GET /__log__``).

Run it with :class:`FakeApi` (a context manager) or ``python -m
volunteer_standard.testing.fake_api --api FILE``. It only ever binds to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from volunteer_standard.connectors.http.spec import ApiSpec, EndpointSpec, WriteSpec


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    here = body
    for part in parents:
        here = here.setdefault(part, {})
    here[last] = value


def _get(item: Any, path: str) -> Any:
    for part in path.split("."):
        item = item.get(part) if isinstance(item, dict) else None
    return item


class _State:
    def __init__(self, spec: ApiSpec, root: Path, creds: dict[str, str], ttl: float) -> None:
        self.spec = spec
        self.root = root
        self.creds = creds
        self.ttl = ttl
        self.lock = threading.Lock()
        self.faults: list[dict[str, Any]] = []
        self.log: list[dict[str, Any]] = []
        self.tokens: dict[str, float] = {}
        self.issued = 0
        self.last_stamp = ""
        offset = self.spec.timezone
        sign = -1 if offset.startswith("-") else 1
        hours, _, minutes = offset.lstrip("+-").partition(":")
        self.tz = timezone(sign * timedelta(hours=int(hours or 0), minutes=int(minutes or 0)))

    def fault(self, path: str, page: int | None) -> dict[str, Any] | None:
        with self.lock:
            for fault in self.faults:
                if fault.get("path") and fault["path"] not in path:
                    continue
                if fault.get("page") is not None and fault["page"] != page:
                    continue
                times = fault.get("times", 1)
                if times == 0:
                    continue
                if times > 0:
                    fault["times"] = times - 1
                return dict(fault)
        return None

    def stamp(self, fmt: str) -> str:
        with self.lock:
            now = datetime.now(self.tz).strftime(fmt)
            self.last_stamp = max(now, self.last_stamp)
            return self.last_stamp


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeApi/1"
    state: _State

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the request log is kept in memory

    # -- plumbing ------------------------------------------------------------------------
    def _send(
        self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes = b""
    ) -> None:
        data = raw or json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self._entry["status"] = status

    def _envelope(self, code: str | None = None, msg: str = "ok") -> dict[str, Any]:
        env = self.state.spec.envelope
        body: dict[str, Any] = {}
        if env is not None:
            _set(body, env.code, code if code is not None else env.ok[0])
            _set(body, env.message, msg)
        return body

    def _error(self, status: int, code: str, msg: str) -> None:
        self._send(status, self._envelope(code, msg) or {"error": msg})

    def _read_body(self) -> tuple[dict[str, str], Any]:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if "json" in kind:
            return {}, json.loads(data or b"null")
        if data:
            return dict(urllib.parse.parse_qsl(data.decode())), None
        return {}, None

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def _handle(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        form, body = self._read_body()
        self._entry: dict[str, Any] = {
            "method": method,
            "path": path,
            "params": query,
            "form": form,
            "json": body,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "time": time.time(),
        }
        if not path.startswith("/__"):
            with self.state.lock:
                self.state.log.append(self._entry)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(method, path, query, form, body)

    # -- routes --------------------------------------------------------------------------
    def _route(
        self, method: str, path: str, query: dict[str, str], form: dict[str, str], body: Any
    ) -> None:
        state, spec = self.state, self.state.spec
        if path == "/__faults__":
            with state.lock:
                state.faults = list(body or [])
            self._send(200, {"ok": True})
            return
        if path == "/__log__":
            with state.lock:
                self._send(200, state.log)
            return
        if path == "/__reset__":
            with state.lock:
                state.faults, state.log, state.tokens = [], [], {}
            self._send(200, {"ok": True})
            return
        if path == "/__expire__":
            with state.lock:
                state.tokens = dict.fromkeys(state.tokens, 0.0)
            self._send(200, {"ok": True})
            return
        auth = spec.auth
        if auth.kind == "token" and auth.token_path and path.endswith(auth.token_path):
            self._token(form if auth.token_style == "form" else (body or {}))
            return
        for write in spec.writes:
            if method == write.method and path.endswith(write.path):
                if self._authorised(query):
                    self._write(write, path[: -len(write.path)], form, body)
                return
        for endpoint in spec.endpoints:
            if method == endpoint.method and path.endswith(endpoint.path):
                params = dict(query)
                if endpoint.body == "form":
                    params.update(form)
                elif endpoint.body == "json" and isinstance(body, dict):
                    params.update({k: str(v) for k, v in body.items()})
                if self._authorised(params):
                    self._list(endpoint, path[: -len(endpoint.path)], params, path)
                return
        self._error(404, "404", "no such endpoint")

    def _authorised(self, params: dict[str, str]) -> bool:
        state, auth = self.state, self.state.spec.auth
        if auth.kind == "none":
            return True
        if auth.kind == "api_key":
            given = (
                params.get(auth.param)
                if auth.param
                else self.headers.get(auth.header or "X-API-Key")
            )
            if given == state.creds.get("api_key"):
                return True
            self._error(401, "401", "bad api key")
            return False
        header = self.headers.get(auth.header or "Authorization") or ""
        prefix = f"{auth.scheme} " if auth.scheme else ""
        token = header[len(prefix) :] if header.startswith(prefix) else ""
        if auth.kind == "bearer":
            if token and token == state.creds.get("token"):
                return True
            self._error(401, "401", "bad token")
            return False
        with state.lock:
            expires = state.tokens.get(token)
        if expires is not None and time.monotonic() < expires:
            return True
        env = state.spec.envelope
        if env is not None and env.token_expired and expires is not None:
            self._send(200, self._envelope(env.token_expired[0], "token expired"))
        else:
            self._error(401, "401", "token missing or expired")
        return False

    def _token(self, fields: dict[str, Any]) -> None:
        state, auth = self.state, self.state.spec.auth
        if state.fault(self.path, None) is not None:
            self._error(503, "503", "busy")
            return
        if fields.get(auth.id_field) != state.creds.get("client_id") or fields.get(
            auth.secret_field
        ) != state.creds.get("client_secret"):
            self._error(401, "401", "bad client credentials")
            return
        with state.lock:
            state.issued += 1
            token = f"tok-{state.issued}-{os.urandom(4).hex()}"
            state.tokens[token] = time.monotonic() + state.ttl
        body = self._envelope()
        _set(body, auth.token_field, token)
        if auth.expires_field:
            _set(body, auth.expires_field, int(state.ttl))
        self._send(200, body)

    def _folder(self, prefix: str) -> Path:
        return self.state.root / prefix.strip("/")

    @staticmethod
    def _items(file: Path) -> list[Any]:
        if not file.exists():
            return []
        out: list[Any] = []
        for line in file.read_bytes().splitlines():
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line.decode("utf-8", "replace").strip())
        return out

    def _list(self, endpoint: EndpointSpec, prefix: str, params: dict[str, str], path: str) -> None:
        folder = self._folder(prefix)
        if not folder.is_dir():
            self._error(404, "404", "no such folder")
            return
        items = self._items(folder / f"{endpoint.name}.jsonl")
        inc = endpoint.incremental
        if inc is not None and inc.param and params.get(inc.param):
            since = params[inc.param]
            items = [
                i
                for i in items
                if not isinstance(i, dict) or str(_get(i, inc.field) or "") >= since
            ]
        pag = endpoint.pagination
        size = int(params.get(pag.size_param or "", pag.size)) if pag.size_param else pag.size
        body = self._envelope()
        if pag.kind == "page":
            number = int(params.get(pag.parameter(), pag.start))
            start = (number - pag.start) * size
            page, chunk = number - pag.start + 1, items[start : start + size]
        elif pag.kind == "offset":
            start = int(params.get(pag.parameter(), pag.start))
            page, chunk = (start - pag.start) // size + 1, items[start : start + size]
        elif pag.kind == "cursor":
            start = int(params.get(pag.parameter()) or 0)
            page, chunk = start // size + 1, items[start : start + size]
            _set(body, pag.cursor_field, str(start + size) if start + size < len(items) else "")
        else:
            page, chunk = 1, items
        if pag.total_field:
            _set(body, pag.total_field, len(items))
        self._entry["page"] = page
        fault = self.state.fault(path, page)
        if fault is not None and self._inject(fault, body, endpoint):
            return
        payload: Any = chunk
        if fault is not None and fault["kind"] == "not_list":
            payload = "not a list"
        if endpoint.items:
            _set(body, endpoint.items, payload)
            self._send(200, body)
        else:
            self._send(200, payload)

    def _inject(self, fault: dict[str, Any], body: dict[str, Any], endpoint: Any) -> bool:
        """Apply a fault; True when the answer has been sent."""
        kind = fault["kind"]
        if kind == "status":
            headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else {}
            self._send(int(fault.get("status", 500)), self._envelope("500", "fault"), headers)
            return True
        if kind == "slow":
            time.sleep(float(fault.get("delay", 2.0)))
            return False
        if kind == "malformed":
            self._send(200, None, raw=b'{"errCode": "0000", "data": {"list": [{"real_na')
            return True
        if kind == "envelope":
            self._send(200, self._envelope(str(fault.get("code", "5001")), fault.get("msg", "")))
            return True
        if kind == "expire_tokens":
            with self.state.lock:
                self.state.tokens = dict.fromkeys(self.state.tokens, 0.0)
            self._authorised({})
            return True
        if kind == "big":
            data = b"[" + b" " * int(fault.get("size", 1_000_000)) + b"]"
            if not fault.get("chunked"):
                self._send(200, None, raw=data)
                return True
            # No Content-Length: the client only learns the size while reading.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            for start in range(0, len(data), 65536):
                self.wfile.write(data[start : start + 65536])
            self._entry["status"] = 200
            return True
        return False

    def _write(self, write: WriteSpec, prefix: str, form: dict[str, str], body: Any) -> None:
        spec = self.state.spec
        target = next(
            (
                e
                for e in spec.endpoints
                if e.name == write.fields_from or (not write.fields_from and e.type == write.type)
            ),
            None,
        )
        fault = self.state.fault(self.path, None)
        if (
            fault is not None
            and fault["kind"] != "refuse"
            and self._inject(fault, self._envelope(), target)
        ):
            return
        if write.body == "json":
            items = (body or {}).get(write.items_key) if isinstance(body, dict) else None
        else:
            items = json.loads(form.get(write.items_key, "null"))
        if not isinstance(items, list) or target is None:
            self._error(400, "400", "no item list")
            return
        folder = self._folder(prefix)
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / f"{target.name}.jsonl"
        inc = target.incremental
        key = inc.key if inc is not None else "id"
        results: list[dict[str, Any]] = []
        with self.state.lock:
            existing = self._items(file)
        index = {str(_get(i, key)): n for n, i in enumerate(existing) if isinstance(i, dict)}
        refuse = fault is not None and fault["kind"] == "refuse"
        for n, item in enumerate(items):
            ok_code = spec.envelope.ok[0] if spec.envelope else "0"
            ident = _get(item, key) if isinstance(item, dict) else None
            if ident in (None, "") or (refuse and n % 2 == 1):
                results.append(self._result(write, False, "4001", "missing id or refused"))
                continue
            if inc is not None:
                _set(item, inc.field, self.state.stamp(inc.format))
            if str(ident) in index:
                existing[index[str(ident)]] = None
            index[str(ident)] = len(existing)
            existing.append(item)
            results.append(self._result(write, True, ok_code, "ok"))
        lines = [json.dumps(i, ensure_ascii=False) for i in existing if i is not None]
        temp = file.with_name(file.name + ".tmp")
        temp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        os.replace(temp, file)
        answer = self._envelope()
        _set(answer, write.results, results)
        self._send(200, answer)

    @staticmethod
    def _result(write: WriteSpec, ok: bool, code: str, msg: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _set(out, write.result_ok, ok)
        if write.result_code:
            _set(out, write.result_code, code)
        if write.result_message:
            _set(out, write.result_message, msg)
        return out


def _load_spec(path: Path) -> ApiSpec:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        import tomllib

        return ApiSpec.model_validate(tomllib.loads(text))
    if path.suffix == ".json":
        return ApiSpec.model_validate(json.loads(text))
    import yaml

    return ApiSpec.model_validate(yaml.safe_load(text))


def serve(
    api: Path, root: Path, port: int = 0, creds: dict[str, str] | None = None, ttl: float = 3600
) -> ThreadingHTTPServer:
    """A server (not yet serving) for the API described in ``api``, data under ``root``."""
    state = _State(_load_spec(api), root.resolve(), creds or {}, ttl)
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


class FakeApi:
    """The fake API in a child process: ``with FakeApi(api_file, root) as api: api.url``."""

    def __init__(
        self,
        api: str | Path,
        root: str | Path = "/",
        *,
        api_key: str | None = None,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_ttl: float = 3600,
    ) -> None:
        args = [sys.executable, "-m", "volunteer_standard.testing.fake_api", "--api", str(api)]
        args += ["--root", str(root), "--token-ttl", str(token_ttl)]
        env = dict(os.environ)
        secrets = {
            "api_key": api_key,
            "token": token,
            "client_id": client_id,
            "client_secret": client_secret,
        }
        env["FAKE_API_CREDS"] = json.dumps({k: v for k, v in secrets.items() if v})
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("READY "):
            self.process.kill()
            raise RuntimeError(f"the fake API did not start: {line!r}")
        self.url = line.split(" ", 1)[1]

    def _control(self, path: str, body: Any = None) -> Any:
        import httpx

        if body is None and path == "/__log__":
            return httpx.get(self.url + path, timeout=10).json()
        return httpx.post(self.url + path, json=body, timeout=10).json()

    def faults(self, *faults: dict[str, Any]) -> None:
        """Replace the faults to inject (see the module docstring for the kinds)."""
        self._control("/__faults__", list(faults))

    def log(self) -> list[dict[str, Any]]:
        """Every request served since the last reset (control requests excepted)."""
        result: list[dict[str, Any]] = self._control("/__log__")
        return result

    def reset(self) -> None:
        """No faults, an empty log, no valid tokens."""
        self._control("/__reset__", {})

    def expire_tokens(self) -> None:
        """Make every issued token expired now."""
        self._control("/__expire__", {})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> FakeApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A fake vendor API for tests (127.0.0.1 only).")
    parser.add_argument("--api", required=True, type=Path)
    parser.add_argument("--root", default="/", type=Path)
    parser.add_argument("--port", default=0, type=int)
    parser.add_argument("--token-ttl", default=3600.0, type=float)
    args = parser.parse_args(argv)
    creds = json.loads(os.environ.get("FAKE_API_CREDS") or "{}")
    server = serve(args.api, args.root, args.port, creds, args.token_ttl)
    host, port = server.server_address[:2]
    print(f"READY http://{host!s}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()


__all__ = ["FakeApi", "main", "serve"]
