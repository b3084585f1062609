"""Connector helpers: files, encodings, value maps, bookmarks, and paginated HTTP with
retries, the last against a real HTTP server on 127.0.0.1 (never the network)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from volunteer_standard.connectors import ConnectorError, Problem
from volunteer_standard.connectors.helpers import (
    BAD_ENCODING,
    BAD_JSON,
    UNKNOWN_VALUE,
    Bookmark,
    RetryPolicy,
    ValueMap,
    cursor_pages,
    decode_bytes,
    detect_encoding,
    iter_files,
    iter_jsonl,
    iter_text_lines,
    number_pages,
    paginate,
    request,
    safe_url,
)
from volunteer_standard.connectors.helpers.http import retry_after

# -- files ---------------------------------------------------------------------------------


def test_iter_files_file_folder_glob_sorted(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.jsonl", "c.txt"):
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.jsonl").write_text("{}\n", encoding="utf-8")
    assert list(iter_files(tmp_path / "a.jsonl")) == [tmp_path / "a.jsonl"]
    assert [p.name for p in iter_files(tmp_path, ("*.jsonl",))] == ["a.jsonl", "b.jsonl"]
    assert [p.name for p in iter_files(tmp_path, ("*.jsonl",), recursive=True)] == [
        "a.jsonl",
        "b.jsonl",
        "d.jsonl",
    ]
    assert [p.name for p in iter_files(str(tmp_path / "*.txt"))] == ["c.txt"]


def test_iter_files_refuses_missing_and_empty(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="no such file or folder"):
        list(iter_files(tmp_path / "nope"))
    with pytest.raises(ConnectorError, match="no input files"):
        list(iter_files(tmp_path, ("*.csv",)))
    assert list(iter_files(tmp_path, ("*.csv",), allow_empty=True)) == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_lines_detect_the_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("姓名,性别\r\n张三,男\n李四,女\n".encode(encoding))
    lines = list(iter_text_lines(path))
    assert [line.text for line in lines] == ["姓名,性别", "张三,男", "李四,女"]
    assert [line.location.line for line in lines] == [1, 2, 3]
    assert all(line.problem is None for line in lines)
    assert lines[1].location.file == str(path)


def test_one_corrupt_line_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("姓名\n张三\n".encode() + b"\xff\xfe\n" + "李四\n".encode())
    lines = list(iter_text_lines(path))
    assert [line.problem is not None for line in lines] == [False, False, True, False]
    problem = lines[2].problem
    assert problem is not None and problem.code == BAD_ENCODING
    assert "line 3" in problem.message and "ff" in problem.message
    assert lines[3].text == "李四"


def test_detect_encoding() -> None:
    assert detect_encoding("张三".encode()) == "utf-8"
    assert detect_encoding("张三".encode("gb18030")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert detect_encoding(b"plain ascii") is None
    # valid in neither encoding as a whole: the lines vote
    assert detect_encoding("张三\n李四\n".encode() + b"\xff\n") == "utf-8"
    assert detect_encoding("张三\n".encode() + b"\xff\n") == "utf-8"
    assert detect_encoding("张三\n李四\n".encode("gb18030") + b"\xff\n") == "gb18030"


def test_decode_bytes() -> None:
    assert decode_bytes("张三".encode()) == "张三"
    assert decode_bytes("张三".encode("gb18030")) == "张三"
    assert decode_bytes(b"\xef\xbb\xbf{}") == "{}"
    with pytest.raises(ConnectorError, match="not valid utf-8"):
        decode_bytes(b"ab\xff", "utf-8", where="body")


def test_iter_jsonl_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"a": \n' + b'{"a": "\xff"}\n' + b"[1]\n")
    lines = list(iter_jsonl(path))
    assert [line.location.line for line in lines] == [1, 3, 4, 5]
    assert lines[0].value == {"a": 1}
    assert lines[1].problem is not None and lines[1].problem.code == BAD_JSON
    assert lines[2].problem is not None and lines[2].problem.code == BAD_ENCODING
    assert lines[3].value == [1]


# -- value maps ----------------------------------------------------------------------------


def test_value_map_both_ways_with_problems() -> None:
    gender = ValueMap({"男": "1", "男性": "1", "女": "2"}, name="性别", codelist="gender")
    problems: list[Problem] = []
    assert gender.code(" 男 ", problems) == "1"
    assert gender.code("男性", problems) == "1"
    assert gender.code("", problems) is None
    assert gender.code(None, problems) is None
    assert not problems
    assert gender.code("M", problems, field="xb") is None
    (problem,) = problems
    assert problem.code == UNKNOWN_VALUE and problem.field == "xb"
    assert "'M'" in problem.message and "男" in problem.message
    assert gender.label("1") == "男"  # the first label is written back
    assert gender.label("9") is None
    assert "女" in gender and "X" not in gender


def test_value_map_folds_full_width_and_splits() -> None:
    political = ValueMap.from_codelist("political_status")
    assert political.code("中共党员") == "01"
    assert political.code("０１") == "01"  # full-width digits
    problems: list[Problem] = []
    assert political.codes("01,共青团员", problems) == ["01", "03"]
    assert political.codes("01、03", separator="、") == ["01", "03"]
    assert political.codes("", problems) is None
    assert political.labels(["01", "03"]) == "01,03"


def test_value_map_checks_codes_against_the_code_list() -> None:
    with pytest.raises(ValueError, match="not in code list"):
        ValueMap({"男": "M"}, codelist="gender")


# -- bookmarks -----------------------------------------------------------------------------


def test_bookmark() -> None:
    first = Bookmark(None, "updated_at")
    assert first.is_new("2024-01-01")
    for value in ("2024-01-02", "2024-01-05", "2024-01-03", None):
        first.observe(value)
    state = first.to_state({"other": 1})
    assert state == {"other": 1, "updated_at": "2024-01-05"}
    second = Bookmark(state, "updated_at")
    assert not second.is_new("2024-01-05")
    assert second.is_new("2024-01-06")
    assert second.is_new(None)  # unknown: read it (at least once)
    assert Bookmark(state, "updated_at", inclusive=True).is_new("2024-01-05")
    assert Bookmark(None).to_state() == {}
    cursor = Bookmark(None, "cursor")
    cursor.set("abc")
    assert cursor.to_state() == {"cursor": "abc"}


# -- HTTP: a real server on 127.0.0.1 --------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        self.server.hits[path] += 1
        hit = self.server.hits[path]
        self.server.queries.append((path, query))
        if path == "/pages":
            page = int(query.get("page", "1"))
            items = [{"id": f"p{page}-{i}"} for i in range(2)] if page <= 3 else []
            self._send(200, {"data": {"items": items}})
        elif path == "/cursor":
            chain = {"": "b", "b": "c", "c": None}
            current = query.get("cursor", "")
            self._send(200, {"items": [current or "a"], "next": chain[current]})
        elif path == "/429":
            if hit == 1:
                self._send(429, {"error": "slow down"}, {"Retry-After": "2"})
            else:
                self._send(200, {"items": [1]})
        elif path == "/500":
            if hit <= 2:
                self._send(500 if hit == 1 else 502, {"error": "oops"})
            else:
                self._send(200, {"items": [1, 2]})
        elif path == "/503":
            self._send(503, {"error": "down"})
        elif path == "/drop":
            if hit == 1:
                self.close_connection = True  # no response at all
                return
            self._send(200, {"items": ["ok"]})
        elif path == "/slow":
            if hit == 1:
                time.sleep(0.6)
            self._send(200, {"items": ["late"]})
        elif path == "/loop":
            self._send(200, {"items": [hit], "next": "same"})
        elif path == "/html":
            self._send(200, b"<html>maintenance</html>")
        elif path == "/list":
            self._send(200, [{"id": 1}, {"id": 2}])
        else:
            self._send(404, {"error": "not found"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.queries: list[tuple[str, dict[str, str]]] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client gave up on a slow response on purpose (timeout test)


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def client(server: _Server) -> Iterator[httpx.Client]:
    host, port = server.server_address[:2]
    with httpx.Client(base_url=f"http://{host!s}:{port}", trust_env=False) as c:
        yield c


def _policy(sleeps: list[float], attempts: int = 4) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, backoff=0.5, sleep=sleeps.append, random=lambda: 0.5)


def test_number_pages_with_locations(client: httpx.Client, server: _Server) -> None:
    items = list(
        paginate(
            client, "/pages", {"token": "secret"}, items="data.items", next_page=number_pages()
        )
    )
    assert [i.data["id"] for i in items] == ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]
    assert [i.page for i in items] == [1, 1, 2, 2, 3, 3]
    last = items[-1].location
    assert last.line == 3 and last.pointer == "/data/items/1"
    assert last.file.endswith("/pages") and "secret" not in last.file
    assert server.hits["/pages"] == 4  # the empty fourth page ends it
    assert [q for _, q in server.queries] == [
        {"token": "secret"},
        {"token": "secret", "page": "2"},
        {"token": "secret", "page": "3"},
        {"token": "secret", "page": "4"},
    ]


def test_page_size_stops_early(client: httpx.Client, server: _Server) -> None:
    items = list(paginate(client, "/pages", items="data.items", next_page=number_pages(size=3)))
    assert len(items) == 2 and server.hits["/pages"] == 1


def test_cursor_pages(client: httpx.Client) -> None:
    items = list(paginate(client, "/cursor", next_page=cursor_pages("next", "cursor")))
    assert [i.data for i in items] == ["a", "b", "c"]


def test_body_that_is_the_list(client: httpx.Client) -> None:
    items = list(paginate(client, "/list", items=""))
    assert [i.location.pointer for i in items] == ["/0", "/1"]


def test_429_honours_retry_after(client: httpx.Client, server: _Server) -> None:
    sleeps: list[float] = []
    items = list(paginate(client, "/429", retry=_policy(sleeps)))
    assert [i.data for i in items] == [1]
    assert sleeps == [2.0]
    assert server.hits["/429"] == 2


def test_5xx_backs_off_exponentially(client: httpx.Client, server: _Server) -> None:
    sleeps: list[float] = []
    response = request(client, "GET", "/500", retry=_policy(sleeps))
    assert response.json() == {"items": [1, 2]}
    assert sleeps == [0.5 * 0.75, 1.0 * 0.75]  # equal jitter at random() = 0.5
    assert server.hits["/500"] == 3


def test_retries_are_bounded(client: httpx.Client, server: _Server) -> None:
    sleeps: list[float] = []
    with pytest.raises(ConnectorError, match=r"/503: HTTP 503 after 3 attempts"):
        request(client, "GET", "/503", retry=_policy(sleeps, attempts=3))
    assert server.hits["/503"] == 3
    assert len(sleeps) == 2


def test_dropped_connection_is_retried(client: httpx.Client, server: _Server) -> None:
    sleeps: list[float] = []
    items = list(paginate(client, "/drop", retry=_policy(sleeps)))
    assert [i.data for i in items] == ["ok"]
    assert server.hits["/drop"] == 2 and len(sleeps) == 1


def test_timeout_is_retried(client: httpx.Client, server: _Server) -> None:
    sleeps: list[float] = []
    items = list(paginate(client, "/slow", retry=_policy(sleeps), timeout=0.2))
    assert [i.data for i in items] == ["late"]
    assert server.hits["/slow"] == 2


def test_unreachable_host_fails_cleanly() -> None:
    probe = _Server()  # take a free port, then close it: nothing listens there
    host, port = probe.server_address[:2]
    probe.server_close()
    sleeps: list[float] = []
    with (
        httpx.Client(trust_env=False) as c,
        pytest.raises(ConnectorError, match="ConnectError after 2 attempts"),
    ):
        request(c, "GET", f"http://{host!s}:{port}/x?key=secret", retry=_policy(sleeps, 2))
    assert len(sleeps) == 1


def test_client_errors_are_not_retried(client: httpx.Client, server: _Server) -> None:
    with pytest.raises(ConnectorError, match="HTTP 404"):
        list(paginate(client, "/missing", retry=_policy([])))
    assert server.hits["/missing"] == 1


def test_pagination_loops_are_caught(client: httpx.Client, server: _Server) -> None:
    with pytest.raises(ConnectorError, match="pagination loops"):
        list(paginate(client, "/loop", next_page=cursor_pages("next")))
    assert server.hits["/loop"] == 2


def test_a_body_that_is_not_json(client: httpx.Client) -> None:
    with pytest.raises(ConnectorError, match="page 1: the body is not JSON"):
        list(paginate(client, "/html"))


def test_max_pages(client: httpx.Client, server: _Server) -> None:
    items = list(
        paginate(client, "/pages", items="data.items", next_page=number_pages(), max_pages=2)
    )
    assert len(items) == 4 and server.hits["/pages"] == 2


def test_retry_after_forms_and_backoff_cap() -> None:
    def response(value: str) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": value})

    assert retry_after(response("3")) == 3.0
    assert retry_after(response("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # in the past
    assert retry_after(response("soon")) is None
    policy = RetryPolicy(backoff=1, max_backoff=4, jitter=False, max_retry_after=10)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 4]
    assert policy.delay(1, response("600")) == 10


def test_safe_url_drops_secrets() -> None:
    assert safe_url("https://u:p@api.example.com:8443/v1/x?token=t#f") == (
        "https://api.example.com:8443/v1/x"
    )


def test_offset_pages_moves_by_the_items_received() -> None:
    from volunteer_standard.connectors.helpers import Page, offset_pages

    response = httpx.Response(200, request=httpx.Request("GET", "http://127.0.0.1/x"))
    pager = offset_pages("skip", size=3)
    assert pager(Page(1, {"skip": 0}, {}, [1, 2, 3], response)) == {"skip": 3}
    assert pager(Page(2, {"skip": 3}, {}, [4, 5, 6], response)) == {"skip": 6}
    assert pager(Page(3, {"skip": 6}, {}, [7], response)) is None  # a short page is the last
    assert pager(Page(4, {"skip": 9}, {}, [], response)) is None
