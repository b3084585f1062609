"""validate(jobs=N): the same report, issues (in order) and baseline as one process.

Batches are made tiny here (a few hundred bytes) so that every kind of cross-record check
(duplicates, overlaps, references forward and backward) spans batch boundaries, and the
pool starts however small the input.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import Location, decode_line, iter_raw
from volunteer_standard.samples import SampleSpec, broken_records, generate
from volunteer_standard.validation import Issue, Report, validate
from volunteer_standard.validation.parallel import (
    Batch,
    BatchChecker,
    WorkerError,
    lines,
    pool,
)
from volunteer_standard.validation.parallel.run import effective_jobs

TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=8)))
runner = CliRunner()


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Batches of about 3 records, and the pool started from the first batch; the
    fixture's value counts the pools started."""
    monkeypatch.setattr(lines, "BATCH_BYTES", 1500)
    monkeypatch.setattr(pool, "MIN_BATCHES", 1)
    started: list[int] = []
    start = pool.OrderedPool._start

    def counted(self: pool.OrderedPool[Any, Any]) -> None:
        started.append(self.jobs)
        start(self)

    monkeypatch.setattr(pool.OrderedPool, "_start", counted)
    return started


def _records() -> list[dict[str, Any]]:
    spec = SampleSpec(
        volunteers=30,
        organizations=3,
        projects=4,
        activities_per_project=2,
        service_records=120,
        training_records=3,
        awards=2,
        evaluations=3,
        certificates=4,
        demands=1,
        stations=1,
        seed=11,
    )
    return [e.model_dump(mode="json", exclude_none=True) for e in generate(spec)]


def _messy_lines() -> list[bytes]:
    """A valid sample made dirty: every structural problem, and cross-record ones."""
    rows = _records()
    vols = [r for r in rows if r["type"] == "volunteer"]
    recs = [r for r in rows if r["type"] == "service_record"]
    out = [orjson.dumps(r) for r in rows]
    rng = random.Random(5)
    rng.shuffle(out)  # references forward and backward, across batches
    extra = [
        {**recs[0], "id": "sr-copy-overlap"},  # duplicate / overlapping service record
        recs[1],  # duplicate id
        {**vols[0], "id": "vol-twin", "volunteer_no": "V1100002201000999V"},  # same ID number
        vols[2],  # duplicate volunteer
        {**recs[2], "id": "sr-dangling", "volunteer_id": "vol-missing"},  # unresolved
        {**recs[3], "id": "sr-far-future", "start": "2031-01-01T09:00:00+08:00"},
        _shifted(recs[4], "sr-overlap", minutes=10),  # overlaps recs[4]: VR310
    ]
    for i, data in enumerate(extra):
        out.insert(7 + 31 * i, orjson.dumps(data))
    broken = [line for _code, line in broken_records()[1:]]
    for i, line in enumerate(broken * 2):  # twice: the "newer version" warning stays single
        out.insert(3 + 17 * i, line)
    out.insert(40, b"")  # blank
    out.insert(60, b"   \t")  # white space only
    out.insert(80, b'{"type": "volunteer", "id": "dup-key", "id": "x"}')  # VS106
    out.insert(81, b"not json at all")
    return out


def _shifted(record: dict[str, Any], rid: str, minutes: int) -> dict[str, Any]:
    """A copy of a service record starting and ending ``minutes`` later."""
    moved = {}
    for key in ("start", "end"):
        at = datetime.fromisoformat(record[key]) + timedelta(minutes=minutes)
        moved[key] = at.isoformat()
    return {**record, "id": rid, **moved}


def _write(path: Path, rows: list[bytes], *, crlf_at: int = 50, bom: bool = True) -> Path:
    data = b"".join(
        row + (b"\r\n" if i == crlf_at else b"\n") for i, row in enumerate(rows)
    ).rstrip(b"\n")  # the last line has no line end
    path.write_bytes((b"\xef\xbb\xbf\n" if bom else b"") + data)
    return path


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("parallel") / "messy.jsonl", _messy_lines())


def _run(source: Any, jobs: int, **options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    found: list[Issue] = []
    report = validate(source, jobs=jobs, on_issue=found.append, today=TODAY, now=NOW, **options)
    return _summary(report), [i.to_dict() for i in found]


def _summary(report: Report) -> dict[str, Any]:
    return {"en": report.to_dict("en"), "zh": report.to_dict("zh")}


@pytest.mark.parametrize("profile", ["national", "structure"])
def test_same_report_issues_and_baseline(
    messy: Path, tmp_path: Path, profile: str, tiny_batches: list[int]
) -> None:
    one_baseline, two_baseline = tmp_path / "one.json", tmp_path / "two.json"
    one = _run(messy, 1, profile=profile, write_baseline=one_baseline)
    assert one[0]["en"]["records"] > 200
    codes = {i["code"] for i in one[1]}
    if profile == "national":  # cross-record checks found references, duplicate ids,
        # a duplicate ID number (hashed in the workers with the main index's salt), overlaps
        assert {"VR601", "VR602", "VR603", "VR310"} <= codes
    assert {"VS100", "VS106", "VS132"} <= codes
    assert [i["code"] for i in one[1]].count("VS132") == 1
    for jobs in (2, 3):
        assert _run(messy, jobs, profile=profile, write_baseline=two_baseline) == one
        assert two_baseline.read_bytes() == one_baseline.read_bytes()
    # The workers did the checking (and, national, the cross-record rules: same pool).
    assert tiny_batches == [2, 3]


def test_same_with_ignore_and_baseline(messy: Path, tmp_path: Path) -> None:
    accepted = tmp_path / "accepted.json"
    validate(messy, today=TODAY, now=NOW, write_baseline=accepted)
    data = json.loads(accepted.read_text())
    # Accept only part of the issues, so that the baseline both absorbs and lets through.
    for key in ("issues", "entries"):
        if isinstance(data.get(key), list):
            data[key] = data[key][::2]
    accepted.write_text(json.dumps(data))
    options = {"ignore": ["VS114", "VR601"], "baseline": accepted}
    assert _run(messy, 2, **options) == _run(messy, 1, **options)


def test_stream_and_stdin_like_input(messy: Path) -> None:
    data = messy.read_bytes()
    one = _run(io.BytesIO(data), 1)
    assert _run(io.BytesIO(data), 2) == one


def test_without_bom_or_blank_head(tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.jsonl", _messy_lines(), bom=False, crlf_at=-1)
    assert _run(path, 2) == _run(path, 1)


@pytest.mark.parametrize("limit", [1000, 70_000])
def test_lines_beyond_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setenv("VSTD_LIMIT_MAX_RECORD_BYTES", str(limit))
    rows = _messy_lines()
    padded = orjson.loads(rows[5])
    padded["notes"] = "x" * 80_000
    rows.insert(10, orjson.dumps(padded))  # beyond either limit (and beyond 64 KiB)
    rows.insert(30, b'{"type": "organization", "id": "' + b"y" * 66_000 + b'"}')
    rows.append(b'{"id": "' + b"z" * (limit + 10) + b'"}')  # the last line, without line end
    path = _write(tmp_path / "long.jsonl", rows)
    one = _run(path, 1)
    assert "VS107" in {i["code"] for i in one[1]}
    monkeypatch.setattr(lines, "BATCH_BYTES", 200_000)  # blocks that hold the long lines
    assert _run(path, 2) == one
    monkeypatch.setattr(lines, "BATCH_BYTES", 700)
    assert _run(path, 2) == one


@pytest.mark.parametrize("size", [1, 7, 64, 999, 1 << 20])
def test_batches_number_lines_as_the_reader_does(tmp_path: Path, size: int) -> None:
    path = _write(tmp_path / "messy.jsonl", _messy_lines())
    label = str(path)
    expected = [(r.location, r.error, r.code, r.data) for r in iter_raw(path)]
    bounds = Limits()
    got = []
    for item in lines.input_items(path, fmt=None, name=label, batch_bytes=size):
        if isinstance(item, Batch):
            for i, line in enumerate(item.data.split(b"\n")):
                text = line.strip()
                if text:
                    raw = decode_line(text, Location(label, item.first_line + i, ""), bounds)
                    got.append((raw.location, raw.error, raw.code, raw.data))
        else:
            got.append((item.location, item.error, item.code, item.data))
    assert got == expected


def test_package_and_objects_run_in_one_process(tmp_path: Path, tiny_batches: list[int]) -> None:
    from volunteer_standard.samples import write_broken

    paths = write_broken(tmp_path)
    for path in paths.values():
        assert _run(path, 2) == _run(path, 1)
    assert tiny_batches == [2]  # broken.jsonl only
    objects = _records()[:20]
    assert _run(objects, 2) == _run(objects, 1)
    assert tiny_batches == [2]


def test_unusable_input_is_reported_the_same(tmp_path: Path) -> None:
    cases = {
        "empty.jsonl": b"\n\n",
        "not-json.jsonl": b"not json\n" + b'{"type": "organization"}\n' * 50,
        "sheet.csv": b"a,b\n1,2\n",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert effective_jobs(2, io.BytesIO(data)) == 2
        one = _run(io.BytesIO(data), 1, name=name)
        assert one[0]["en"]["input_error"]
        assert _run(io.BytesIO(data), 2, name=name) == one


def test_small_files_and_runtime_registrations_use_one_process(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert effective_jobs(4, messy) == 4
    assert effective_jobs(1, messy) == 1
    assert effective_jobs(4, [{"type": "organization"}]) == 1
    monkeypatch.setattr(lines, "BATCH_BYTES", 1 << 20)
    monkeypatch.setattr(pool, "MIN_BATCHES", 4)
    assert effective_jobs(4, messy) == 1  # smaller than four batches
    monkeypatch.setattr(lines, "BATCH_BYTES", 100)
    from volunteer_standard.registry import REGISTRY

    monkeypatch.setattr(REGISTRY, "has_runtime", lambda: True)
    assert effective_jobs(4, messy) == 1


def test_spawned_workers_give_the_same_result(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers that import everything afresh (as under ``spawn`` or another engine)."""
    monkeypatch.setattr(lines, "BATCH_BYTES", 20_000)
    one = _run(messy, 1)
    monkeypatch.setattr(pool, "START_METHOD", "spawn")
    assert _run(messy, 2) == one


def test_a_dead_worker_is_an_error_not_a_hang(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def die(self: BatchChecker, item: Batch) -> Any:
        os._exit(3)

    monkeypatch.setattr(pool, "START_METHOD", "fork")
    monkeypatch.setattr(BatchChecker, "check", die)  # inherited by the forked workers
    started = time.monotonic()
    with pytest.raises(WorkerError):
        validate(messy, jobs=2, today=TODAY, now=NOW)
    assert time.monotonic() - started < 60


def test_cli_reports_are_identical(messy: Path) -> None:
    for fmt in ("text", "json", "html"):
        outputs = []
        for jobs in ("1", "2"):
            result = runner.invoke(
                app, ["validate", str(messy), "--format", fmt, "--lang", "en", "--jobs", jobs]
            )
            assert result.exit_code == 1, result.output
            outputs.append(result.output)
        assert outputs[0] == outputs[1]
        assert outputs[0]


def _children(pid: int) -> Iterator[int]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                yield int(entry.name)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes through /proc")
@pytest.mark.parametrize(
    ("command", "signum"),
    [("validate", signal.SIGTERM), ("convert", signal.SIGTERM), ("validate", signal.SIGINT)],
)
def test_sigterm_leaves_no_worker_behind(tmp_path: Path, command: str, signum: int) -> None:
    rows = _messy_lines()
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        block = b"\n".join(rows) + b"\n"
        for _ in range(400):  # long enough to be running when the signal comes
            out.write(block)
    output = tmp_path / "out.json"
    args = ["--format", "json", "--output", str(output)]
    if command == "convert":
        args = [str(output), "--format", "json"]
    env = {**os.environ, "VSTD_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "volunteer_standard", command, str(path), "--jobs", "2", *args],
        env=env,
        start_new_session=True,  # its own process group, as a terminal would give it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = list(_children(proc.pid))
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(0.2)
    if signum == signal.SIGINT:  # Ctrl-C reaches the whole group: workers ignore it
        os.killpg(os.getpgid(proc.pid), signal.SIGINT)
    else:
        proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert b"Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]  # no half output
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or _zombie_gone(pid), f"worker {pid} left"


def _zombie_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes through /proc")
def test_stuck_workers_are_terminated_when_the_run_stops(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that does not finish its batch within the grace period is terminated, and
    the run still ends (no thread of the executor left waiting on it)."""

    def stuck(self: BatchChecker, item: Batch) -> Any:
        time.sleep(600)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pool, "START_METHOD", "fork")
    monkeypatch.setattr(pool, "GRACE", 0.5)
    monkeypatch.setattr(BatchChecker, "check", stuck)  # inherited by the forked workers
    before = set(_children(os.getpid()))  # a forkserver left by earlier tests, say
    previous = signal.signal(signal.SIGALRM, stop)
    started = time.monotonic()
    try:
        signal.alarm(2)
        with pytest.raises(KeyboardInterrupt):
            validate(messy, jobs=2, today=TODAY, now=NOW)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
    left = [pid for pid in _children(os.getpid()) if pid not in before and _is_worker(pid)]
    assert left == []


def _is_worker(pid: int) -> bool:
    """A live child other than multiprocessing's own helpers (resource tracker)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return not _zombie_gone(pid) and b"resource_tracker" not in command
