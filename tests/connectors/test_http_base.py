"""The HTTP connector base against a real server process on 127.0.0.1 (the fake API),
with a made-up vendor (``data/http/acme.toml``): API key, cursor and offset paging,
incremental reads, hooks, batch writes, and the spec file's own checks."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from volunteer_standard.connectors import Checkpoint, ConnectorError, SourceRecord
from volunteer_standard.connectors.http import (
    HttpConnector,
    OutgoingRequest,
    api_from_dict,
)
from volunteer_standard.connectors.http.transport import RateLimiter
from volunteer_standard.testing import read_objects, sample_entities, write_objects
from volunteer_standard.testing.fake_api import FakeApi

HERE = Path(__file__).parent / "data" / "http"
SPEC = HERE / "acme.toml"
DATA = HERE / "acme"
KEY = "acme-test-key-4711"


class AcmeConnector(HttpConnector):
    name = "acme-test"
    title = "Acme (test)"
    api_file = SPEC


def _sign(request: OutgoingRequest) -> OutgoingRequest:
    """A stand-in for SM3 signing: a fresh counter on every send."""
    request.headers["X-Sign"] = str(next(_COUNTER))
    return request


_COUNTER = itertools.count(1)


def _mark(response: httpx.Response, body: Any) -> Any:
    """A stand-in for decryption: changes the payload the items are read from."""
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        for item in body["items"]:
            item["seen_by_hook"] = "yes"
    return body


class SignedAcme(AcmeConnector):
    name = "acme-signed"
    request_hooks: ClassVar = (_sign,)
    response_hooks: ClassVar = (_mark,)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeApi]:
    with FakeApi(SPEC, "/", api_key=KEY) as api:
        yield api


@pytest.fixture
def api(server: FakeApi) -> FakeApi:
    server.reset()
    return server


def options(api: FakeApi, **extra: Any) -> dict[str, Any]:
    return {"base_url": api.url, "api_key": KEY, "backoff": 0.01, **extra}


def ids(connector: HttpConnector, source: str, state: Any = None) -> list[str]:
    return [
        r.data["id"]
        for r in connector.read(source, state)
        if isinstance(r, SourceRecord) and r.data is not None
    ]


def test_reads_and_writes_are_declared_from_the_spec() -> None:
    assert AcmeConnector.reads == ("volunteer", "service_record")
    assert AcmeConnector.writes == ("service_record",)


def test_cursor_and_offset_paging_read_everything(api: FakeApi) -> None:
    got = ids(AcmeConnector(options(api)), str(DATA))
    assert got == [f"v{i}" for i in range(1, 11)] + [f"r{i}" for i in range(1, 9)]
    cursors = [e["params"].get("after") for e in api.log() if e["path"].endswith("volunteers")]
    assert cursors == [None, "4", "8"]
    offsets = [e["params"]["offset"] for e in api.log() if e["path"].endswith("/v1/records")]
    assert offsets == ["0", "3", "6"]
    assert all(e["headers"]["x-acme-key"] == KEY for e in api.log())


def test_records_have_url_page_and_pointer(api: FakeApi) -> None:
    records = [
        r for r in AcmeConnector(options(api)).read(str(DATA)) if isinstance(r, SourceRecord)
    ]
    last = records[-1].location
    assert last.file == f"{api.url}{DATA}/v1/records" and last.line == 3
    assert last.pointer == "/data/1"
    assert records[0].data is not None
    assert records[0].data["extensions"] == {"acme": {"hobby": "读书"}}


def test_incremental_state_resumes_after_the_bookmark(api: FakeApi) -> None:
    items = list(AcmeConnector(options(api, endpoints=["records"])).read(str(DATA)))
    states = [i.state for i in items if isinstance(i, Checkpoint)]
    assert states[-1]["records"] == {"since": "2025-01-01T10:00:08+08:00", "ids": ["r8"]}
    middle = states[0]  # after the first page of three
    assert ids(AcmeConnector(options(api, endpoints=["records"])), str(DATA), middle) == [
        f"r{i}" for i in range(4, 9)
    ]
    sent = [e["params"].get("modified_since") for e in api.log()][-1]
    assert sent == "2025-01-01T10:00:03"


def test_wrong_key_is_a_clear_error_without_the_key(api: FakeApi) -> None:
    connector = AcmeConnector(options(api, api_key="not-the-key"))
    with pytest.raises(ConnectorError) as info:
        ids(connector, str(DATA))
    assert "HTTP 401" in info.value.message("en") and "check the key" in info.value.message("en")
    assert "请检查密钥" in info.value.message("zh")
    assert "not-the-key" not in info.value.message("en")
    result = connector.check(str(DATA))
    assert not result.ok and "not-the-key" not in result.message


def test_missing_secret_names_the_environment_variable(api: FakeApi) -> None:
    with pytest.raises(ConnectorError, match="VSTD_…_API_KEY"):
        ids(AcmeConnector({"base_url": api.url}), str(DATA))


def test_secret_comes_from_the_environment(api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSTD_ACME_TEST_API_KEY", KEY)
    assert len(ids(AcmeConnector({"base_url": api.url}), str(DATA))) == 18


def test_request_hooks_run_again_on_every_retry(api: FakeApi) -> None:
    api.faults({"kind": "status", "status": 503, "path": "/v1/volunteers", "page": 1})
    records = [
        r
        for r in SignedAcme(options(api, endpoints=["volunteers"])).read(str(DATA))
        if isinstance(r, SourceRecord)
    ]
    first_page = [e for e in api.log() if e.get("page") == 1]
    assert [e["status"] for e in first_page] == [503, 200]
    signs = [e["headers"]["x-sign"] for e in first_page]
    assert signs[0] != signs[1]  # re-signed, not replayed
    assert records[0].raw is not None and records[0].raw["seen_by_hook"] == "yes"


def test_batch_write_and_read_back(api: FakeApi, tmp_path: Path) -> None:
    written = sample_entities(["service_record"])[:10]
    connector = AcmeConnector(options(api))
    write_objects(connector, tmp_path / "out", written)
    batches = [len(e["json"]["records"]) for e in api.log() if e["path"].endswith("/batch")]
    assert batches == [4, 4, 2]
    back = read_objects(AcmeConnector(options(api, endpoints=["records"])), tmp_path / "out")
    assert [o.id for o in back] == [o.id for o in written]


def test_source_must_be_http_or_a_path_under_base_url() -> None:
    with pytest.raises(ConnectorError, match="only http and https"):
        AcmeConnector({"api_key": KEY}).base_url("ftp://example.org/x")
    with pytest.raises(ConnectorError, match="no base_url"):
        AcmeConnector({"api_key": KEY}).base_url("/some/path")
    assert AcmeConnector({"base_url": "https://h.example/api/"}).base_url("t/1") == (
        "https://h.example/api/t/1"
    )


def test_tls_verification_is_on_by_default() -> None:
    connector = AcmeConnector({"api_key": KEY})
    assert connector.options.verify_tls is True
    assert connector.options.timeout == 30.0


def test_spec_mistakes_are_reported_with_their_place() -> None:
    with pytest.raises(ConnectorError, match=r"endpoints\[0\]\.name"):
        api_from_dict({"endpoints": [{"name": "Bad Name", "type": "volunteer", "path": "/"}]})
    with pytest.raises(ConnectorError, match="token_path"):
        api_from_dict({"auth": {"kind": "token"}})
    with pytest.raises(ConnectorError, match="required field 'name'"):
        api_from_dict(
            {"endpoints": [{"name": "v", "type": "volunteer", "path": "/", "fields": {"id": "id"}}]}
        )


def test_rate_limiter_spaces_calls() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert waits == [0.25, 0.25, 0.25, 0.25]


def test_the_connector_describes_secrets_as_write_only() -> None:
    schema = json.dumps(AcmeConnector.describe()["config_schema"])
    assert schema.count('"writeOnly": true') == 3


class TokenedConnector(HttpConnector):
    name = "tokened-test"
    title = "Token auth (test)"
    api_file = HERE / "tokened.toml"


def test_token_is_fetched_once_and_refreshed_after_a_401(tmp_path: Path) -> None:
    with FakeApi(HERE / "tokened.toml", "/", client_id="c", client_secret="s") as api:
        connector = TokenedConnector({"base_url": api.url, "client_id": "c", "client_secret": "s"})
        api.faults({"kind": "expire_tokens", "path": "/v1/volunteers", "page": 3})
        assert len(ids(connector, str(DATA))) == 10
        log = api.log()
        assert sum(e["path"].endswith("/oauth/token") for e in log) == 2
        assert log[0]["json"] == {
            "client_id": "c",
            "client_secret": "s",
            "grant_type": "client_credentials",
        }
        statuses = [e["status"] for e in log if e.get("page") == 3]
        assert statuses == [401, 200]


def test_keys_are_not_sent_over_plain_http_to_other_hosts() -> None:
    connector = AcmeConnector({"base_url": "http://volunteers.example.invalid", "api_key": KEY})
    with pytest.raises(ConnectorError, match="not sent over plain http") as info:
        ids(connector, "/")
    assert KEY not in info.value.message("en")


def test_a_redirect_is_reported_not_followed(tmp_path: Path) -> None:
    class Moved(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(301)
            self.send_header("Location", "https://new.example.invalid/v1/volunteers?k=1")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Moved)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(
            ConnectorError, match=r"301 redirect to https://new\.example\.invalid/v1/volunteers;"
        ):
            ids(AcmeConnector({"base_url": url, "api_key": KEY}), "/")
    finally:
        server.shutdown()
        server.server_close()


def test_form_batches_carry_fixed_parameters_for_hooks(tmp_path: Path) -> None:
    """A gateway-style write: a form with an interface id beside the items (as JSON text),
    which a request hook can then sign."""
    spec = tmp_path / "form.toml"
    spec.write_text(
        SPEC.read_text(encoding="utf-8").replace(
            'items_key = "records"',
            'items_key = "records"\nbody = "form"\nparams = { interface_id = "batchAdd" }',
        ),
        encoding="utf-8",
    )

    class FormAcme(HttpConnector):
        name = "acme-form"
        title = "Acme form (test)"
        api_file = spec
        request_hooks: ClassVar = (_sign,)

    with FakeApi(spec, "/", api_key=KEY) as server:
        write_objects(
            FormAcme(options(server)), tmp_path / "out", sample_entities(["service_record"])[:3]
        )
        (post,) = [e for e in server.log() if e["path"].endswith("/batch")]
    assert post["form"]["interface_id"] == "batchAdd"
    assert len(json.loads(post["form"]["records"])) == 3
    assert post["headers"]["x-sign"]


def test_a_corrected_api_description_replaces_the_shipped_one(api: FakeApi, tmp_path: Path) -> None:
    """Users fix a wrong field name in a copy of the description, without code."""
    fixed = tmp_path / "acme-fixed.toml"
    fixed.write_text(
        SPEC.read_text(encoding="utf-8").replace('name = "name"', 'name = "number"'),
        encoding="utf-8",
    )
    records = [
        r
        for r in AcmeConnector({**options(api, endpoints=["volunteers"]), "api": str(fixed)}).read(
            str(DATA)
        )
        if isinstance(r, SourceRecord)
    ]
    assert records[0].data is not None and records[0].data["name"] == "N0001"
