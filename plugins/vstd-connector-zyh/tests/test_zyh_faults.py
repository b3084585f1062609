"""The zyh connector against a real server that misbehaves as real platforms do: 429 with
Retry-After, 500s, slow answers, malformed pages, error envelopes, expired tokens,
oversized answers and refused writes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from vstd_connector_zyh import ZyhConnector
from zyh_support import CLIENT_SECRET, DATA, zyh_config

from volunteer_standard.connectors import Checkpoint, ConnectorError, SourceRecord
from volunteer_standard.engine import convert
from volunteer_standard.testing import read_objects, sample_entities, write_objects
from volunteer_standard.testing.fake_api import FakeApi

HOURS = "/api/hours/list.do"


@pytest.fixture
def api(zyh_api: FakeApi) -> Iterator[FakeApi]:
    zyh_api.reset()
    yield zyh_api
    zyh_api.reset()


def hours(api: FakeApi, **options: Any) -> ZyhConnector:
    return ZyhConnector(zyh_config(api.url, endpoints=["hours"], **options))


def records(connector: ZyhConnector, state: dict[str, Any] | None = None) -> list[SourceRecord]:
    return [r for r in connector.read(str(DATA), state) if isinstance(r, SourceRecord)]


def page_requests(api: FakeApi, page: int) -> list[dict[str, Any]]:
    return [e for e in api.log() if e["path"].endswith(HOURS) and e.get("page") == page]


def test_429_waits_as_retry_after_says(api: FakeApi) -> None:
    api.faults({"kind": "status", "status": 429, "retry_after": "1", "path": HOURS, "page": 2})
    got = records(hours(api))
    assert len(got) == 300 and not any(r.problems for r in got)
    first, second = page_requests(api, 2)
    assert first["status"] == 429 and second["status"] == 200
    assert second["time"] - first["time"] >= 0.95  # Retry-After: 1, not the 0.01 s backoff


def test_503_and_500_are_retried_with_backoff(api: FakeApi) -> None:
    api.faults(
        {"kind": "status", "status": 500, "path": HOURS, "page": 3, "times": 2},
        {"kind": "status", "status": 503, "path": HOURS, "page": 5},
    )
    assert len(records(hours(api))) == 300
    assert [e["status"] for e in page_requests(api, 3)] == [500, 500, 200]


def test_500_forever_stops_the_run_with_a_clear_message(api: FakeApi) -> None:
    api.faults({"kind": "status", "status": 500, "path": HOURS, "page": 2, "times": -1})
    with pytest.raises(ConnectorError) as info:
        records(hours(api, attempts=3))
    assert "HTTP 500 after 3 attempts" in info.value.message("en")
    assert "3 次尝试后仍返回 HTTP 500" in info.value.message("zh")
    assert "hours page 2" in info.value.message("en")
    assert "?" not in info.value.message("en")  # the URL without its query string


def test_slow_answer_times_out_and_is_retried(api: FakeApi) -> None:
    api.faults({"kind": "slow", "delay": 2.0, "path": HOURS, "page": 2})
    assert len(records(hours(api, timeout=0.5))) == 300
    assert len(page_requests(api, 2)) == 2


def test_always_slow_gives_up(api: FakeApi) -> None:
    api.faults({"kind": "slow", "delay": 1.5, "path": HOURS, "page": 1, "times": -1})
    with pytest.raises(ConnectorError, match="ReadTimeout after 2 attempts"):
        records(hours(api, timeout=0.3, attempts=2))


def test_transient_malformed_page_is_fetched_again(api: FakeApi) -> None:
    api.faults({"kind": "malformed", "path": HOURS, "page": 4})
    got = records(hours(api))
    assert len(got) == 300 and not any(r.problems for r in got)


def test_malformed_page_becomes_a_reject_with_page_and_freezes_the_bookmark(
    api: FakeApi, tmp_path: Path
) -> None:
    api.faults({"kind": "malformed", "path": HOURS, "page": 4, "times": -1})
    summary = convert(
        str(DATA),
        str(tmp_path / "out.jsonl"),
        source_connector=hours(api, attempts=2),
        rejects=tmp_path / "rejects.jsonl",
    )
    assert summary.balanced and summary.written == 250 and summary.rejected == 1
    (entry,) = [json.loads(line) for line in (tmp_path / "rejects.jsonl").open()]
    assert entry["codes"] == ["VC121"]
    assert entry["line"] == 4 and entry["file"].endswith(HOURS)
    assert "not JSON" in entry["reasons"][0]
    # The bookmark stays after page 3 (the last complete page before the bad one).
    assert summary.state["hours"]["ids"] == ["sr-0000150"]


def test_error_envelope_is_a_reject_naming_code_and_message(api: FakeApi) -> None:
    api.faults({"kind": "envelope", "code": "5001", "msg": "查询失败", "path": HOURS, "page": 2})
    got = records(hours(api))
    bad = [r for r in got if r.problems]
    assert len(got) == 251 and len(bad) == 1
    (problem,) = bad[0].problems
    assert problem.code == "VC120"
    assert "5001" in problem.text("en") and "查询失败" in problem.text("zh")
    assert bad[0].location.line == 2


def test_items_that_are_not_a_list_reject_the_page(api: FakeApi) -> None:
    api.faults({"kind": "not_list", "path": HOURS, "page": 6})
    got = records(hours(api))
    assert [r.location.line for r in got if r.problems] == [6]


def test_three_bad_pages_in_a_row_stop_the_run(api: FakeApi) -> None:
    api.faults({"kind": "envelope", "code": "5001", "msg": "x", "path": HOURS, "times": -1})
    with pytest.raises(ConnectorError, match="3 pages in a row"):
        records(hours(api))


def test_busy_envelope_code_is_retried(api: FakeApi) -> None:
    api.faults({"kind": "envelope", "code": "9999", "msg": "系统繁忙", "path": HOURS, "page": 1})
    assert len(records(hours(api))) == 300


def test_expired_token_is_refreshed_and_the_page_fetched_again(api: FakeApi) -> None:
    api.faults({"kind": "expire_tokens", "path": HOURS, "page": 3})
    got = records(hours(api))
    assert len(got) == 300 and not any(r.problems for r in got)
    tokens = [e for e in api.log() if e["path"].endswith("/api/oauth/token")]
    assert len(tokens) == 2
    assert [e["status"] for e in page_requests(api, 3)] == [200, 200]  # 1001 envelope, then ok


def test_wrong_secret_is_refused_without_showing_it(api: FakeApi, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    connector = ZyhConnector({**zyh_config(api.url), "client_secret": "wrong-secret-value"})
    with pytest.raises(ConnectorError) as info:
        records(connector)
    for lang in ("en", "zh"):
        assert "wrong-secret-value" not in info.value.message(lang)
    assert "401" in info.value.message("en")
    assert "wrong-secret-value" not in caplog.text
    assert "wrong-secret-value" not in repr(connector.config)


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_answer_is_refused_before_parsing(api: FakeApi, chunked: bool) -> None:
    """Refused from its Content-Length, or, without one, while the body streams in."""
    api.faults({"kind": "big", "size": 3_000_000, "path": HOURS, "page": 1, "chunked": chunked})
    with pytest.raises(ConnectorError) as info:
        records(hours(api, max_response_bytes=100_000))
    assert "exceeds the limit of 100,000 bytes" in info.value.message("en")
    assert "超过 100,000 字节的上限" in info.value.message("zh")
    received = int(info.value.message("en").split("(")[1].split(" ")[0].replace(",", ""))
    assert received < 3_000_000 if chunked else received == 3_000_002


def test_rate_limit_spaces_requests(api: FakeApi) -> None:
    records(hours(api, rate_limit=20.0))
    times = [e["time"] for e in api.log()]
    assert len(times) == 7  # one token and six pages (data.total says when to stop)
    # Arrival times jitter; the span cannot: six gaps of at least 1/20 s each.
    assert times[-1] - times[0] >= 6 * 0.05 * 0.95


def test_secrets_never_reach_logs_or_rejects(
    api: FakeApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.faults({"kind": "malformed", "path": HOURS, "page": 2, "times": -1})
    convert(
        str(DATA),
        str(tmp_path / "out.jsonl"),
        source_connector=hours(api, attempts=2),
        rejects=tmp_path / "rejects.jsonl",
    )
    tokens = [e["headers"]["authorization"] for e in api.log() if "authorization" in e["headers"]]
    assert tokens
    files = (tmp_path / "rejects.jsonl").read_text() + (tmp_path / "out.jsonl").read_text()
    for secret in [CLIENT_SECRET, *(t.split()[-1] for t in tokens)]:
        assert secret not in files
        assert secret not in caplog.text


def test_hours_are_written_back_in_batches(api: FakeApi, tmp_path: Path) -> None:
    target = tmp_path / "upload"
    written = sample_entities(["service_record"])[:120]
    write_objects(hours(api), target, written)
    posts = [e for e in api.log() if e["path"].endswith("/api/hours/batchAdd.do")]
    assert [len(e["json"]["list"]) for e in posts] == [50, 50, 20]
    back = read_objects(hours(api), target)
    assert sorted(o.id for o in back) == sorted(o.id for o in written)


def test_refused_items_fail_the_write_and_are_listed(api: FakeApi, tmp_path: Path) -> None:
    api.faults({"kind": "refuse", "path": "/api/hours/batchAdd.do"})
    refused = tmp_path / "refused.jsonl"
    with pytest.raises(ConnectorError) as info:
        write_objects(
            hours(api, refused_items=str(refused)),
            tmp_path / "upload",
            sample_entities(["service_record"])[:10],
        )
    assert "refused 5 records (5 accepted)" in info.value.message("en")
    rows = [json.loads(line) for line in refused.open()]
    assert [r["code"] for r in rows] == ["4001"] * 5
    assert set(rows[0]) == {"id", "type", "code", "message"}  # no personal data


def test_checkpoints_follow_every_page(api: FakeApi) -> None:
    items = list(hours(api).read(str(DATA)))
    kinds = ["C" if isinstance(i, Checkpoint) else "R" for i in items]
    assert "".join(kinds) == ("R" * 50 + "C") * 6 + "C"  # and one at the very end
