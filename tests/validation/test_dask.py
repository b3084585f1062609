"""validate on Dask: the same report, issues (in order) and baseline as one process.

One ``distributed.LocalCluster`` of two worker processes on the loopback interface serves
the whole module. Byte ranges are made tiny (1500 bytes: about three records) so
that duplicates, overlaps and references forward and backward span ranges, and the first
line number of every range has to be counted exactly.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from tests.validation.test_parallel import NOW, TODAY, _messy_lines, _records, _summary, _write
from volunteer_standard.cli import app
from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import Location, RawRecord, decode_line, iter_raw
from volunteer_standard.validation import Issue, validate
from volunteer_standard.validation.parallel import dask_engine, partitions
from volunteer_standard.validation.parallel.batch import Batch

distributed = pytest.importorskip("distributed")
runner = CliRunner()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("dask") / "messy.jsonl", _messy_lines())


def _run(source: Any, **options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    found: list[Issue] = []
    report = validate(source, on_issue=found.append, today=TODAY, now=NOW, **options)
    return _summary(report), [i.to_dict() for i in found]


def _on(client: Any, size: int) -> dask_engine.DaskCluster:
    return dask_engine.DaskCluster(client, partition_bytes=size)


@pytest.mark.parametrize("profile", ["national", "structure"])
def test_same_report_issues_and_baseline(
    client: Any, messy: Path, tmp_path: Path, profile: str
) -> None:
    one_baseline, two_baseline = tmp_path / "one.json", tmp_path / "two.json"
    one = _run(messy, profile=profile, write_baseline=one_baseline)
    codes = {i["code"] for i in one[1]}
    if profile == "national":  # cross-record checks found something, across ranges
        assert {"VR601", "VR602"} <= codes
    assert {"VS100", "VS106", "VS132"} <= codes
    for size in (1500, 20_000):
        cluster = _on(client, size)
        assert _run(messy, profile=profile, write_baseline=two_baseline, cluster=cluster) == one
        assert two_baseline.read_bytes() == one_baseline.read_bytes()


def test_without_bom_or_crlf_and_lines_beyond_the_limit(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VSTD_LIMIT_MAX_RECORD_BYTES", "1000")  # the workers get it with the run
    rows = _messy_lines()
    padded = orjson.loads(rows[5])
    padded["notes"] = "x" * 80_000
    rows.insert(10, orjson.dumps(padded))
    rows.append(b'{"id": "' + b"z" * 1010 + b'"}')  # the last line, without line end
    path = _write(tmp_path / "long.jsonl", rows, bom=False, crlf_at=-1)
    one = _run(path)
    assert "VS107" in {i["code"] for i in one[1]}
    for size in (1500, 100_000):
        assert _run(path, cluster=_on(client, size)) == one


def test_packages_and_small_inputs_are_read_by_the_client(client: Any, tmp_path: Path) -> None:
    from volunteer_standard.samples import write_broken

    for path in write_broken(tmp_path).values():
        assert _run(path, cluster=_on(client, 100)) == _run(path)
    one_record = tmp_path / "one.jsonl"
    one_record.write_bytes(b'{"type": "organization", "id": "o1"}\n\n')
    assert _run(one_record, cluster=_on(client, 100)) == _run(one_record)
    objects = _records()[:20]  # not a file: checked in this process
    assert _run(objects, cluster=_on(client, 100)) == _run(objects)


def test_a_folder_of_files(client: Any, tmp_path: Path) -> None:
    from tests.validation.test_ranges import _folder

    folder = _folder(tmp_path / "export")
    one = _run(folder)
    assert {"VR601", "VR602"} <= {i["code"] for i in one[1]}
    assert _run(folder, cluster=_on(client, 1500)) == one


def test_unusable_input_is_reported_the_same(client: Any, tmp_path: Path) -> None:
    for name, data in {
        "empty.jsonl": b"\n\n",
        "not-json.jsonl": b"not json\n" + b'{"type": "organization"}\n' * 50,
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        one = _run(path)
        assert one[0]["en"]["input_error"]
        assert _run(path, cluster=_on(client, 100)) == one


@pytest.mark.parametrize("size", [1, 7, 64, 999, 1 << 20])
def test_ranges_frame_and_number_lines_as_the_reader_does(tmp_path: Path, size: int) -> None:
    """Ranges end at line ends, their first lines are numbered exactly, and their items
    are the reader's records (read here, without a cluster)."""
    path = _write(tmp_path / "messy.jsonl", _messy_lines())
    label = str(path)
    expected = [(r.location, r.error, r.code, r.data) for r in iter_raw(path)]
    first = expected[0][0].line
    data = path.read_bytes()
    start = data.index(b"\n", data.index(b"{")) + 1  # after the first record's line
    parts = partitions.plan(label, label, start, len(data), size)
    assert parts[0].start == start and parts[-1].end == len(data)
    assert all(a.end == b.start and data[a.end - 1] == ord("\n") for a, b in pairwise(parts))
    counts = [partitions.count(p, Limits()) for p in parts]
    parts = partitions.number(parts, counts, first)
    assert first + sum(counts) == data.count(b"\n") + 1  # every line, the last has no end
    got = [expected[0]]
    for part in parts:
        for item in partitions.range_items(part, Limits(), 700):
            assert isinstance(item, Batch | RawRecord)
            got.extend(_records_of(item, label) if isinstance(item, Batch) else [_key(item)])
    assert got == expected


def _key(raw: RawRecord) -> tuple[Any, ...]:
    return (raw.location, raw.error, raw.code, raw.data)


def _records_of(item: Batch, label: str) -> list[tuple[Any, ...]]:
    out = []
    for i, line in enumerate(item.data.split(b"\n")):
        if text := line.strip():
            out.append(_key(decode_line(text, Location(label, item.first_line + i), Limits())))
    return out


def test_cli_output_is_identical(client: Any, messy: Path) -> None:
    address = client.scheduler.address
    for fmt in ("text", "json"):
        local = runner.invoke(app, ["validate", str(messy), "-f", fmt, "--lang", "en"])
        dask = ["--engine", "dask", "--scheduler", address]
        on_dask = runner.invoke(app, ["validate", str(messy), "-f", fmt, "--lang", "en", *dask])
        assert local.exit_code == on_dask.exit_code == 1, on_dask.output
        assert on_dask.output == local.output


@pytest.mark.parametrize("name", ["out.jsonl", "out.json"])
def test_convert_gives_the_same_output_rejects_and_summary(
    client: Any, messy: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.engine.test_parallel_convert import _convert
    from volunteer_standard.connectors import standard
    from volunteer_standard.models import PackageMetadata, Publisher

    fixed = PackageMetadata(  # the package's timestamp (written by the client)
        publisher=Publisher(name="volunteer-standard", system="vstd convert"),
        generated_at=datetime(2025, 6, 30, tzinfo=UTC),
    )
    monkeypatch.setattr(standard, "_metadata", lambda: fixed)
    one = _convert(messy, tmp_path / "one", name, 1)
    assert one[2]["rejected"] > 10
    assert _convert(messy, tmp_path / "dask", name, 1, cluster=_on(client, 1500)) == one


def test_cli_convert_is_identical(client: Any, messy: Path, tmp_path: Path) -> None:
    outputs = []
    for how in ([], ["--engine", "dask", "--scheduler", client.scheduler.address]):
        out = tmp_path / f"out{len(how)}.jsonl"
        result = runner.invoke(app, ["convert", str(messy), str(out), "--format", "json", *how])
        assert result.exit_code == 1, result.output
        rejects = out.with_name(out.name + ".rejects.jsonl").read_bytes()
        outputs.append((out.read_bytes(), rejects.replace(out.name.encode(), b"OUT")))
    assert outputs[0] == outputs[1]


def test_a_lost_worker_ends_the_run_with_a_clear_error(
    client: Any, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*args: Any) -> Any:
        raise distributed.KilledWorker("check_partition", None, 3)

    monkeypatch.setattr(dask_engine._DaskRanges, "results", lost)
    with pytest.raises(dask_engine.ClusterError) as caught:
        validate(messy, cluster=_on(client, 1500))
    assert "a worker died" in caught.value.message("en")
    assert "工作进程退出" in caught.value.message("zh")


def test_scheduler_without_dask_engine_is_a_usage_error(messy: Path) -> None:
    result = runner.invoke(app, ["validate", str(messy), "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "--engine dask" in result.output


def test_missing_dask_is_a_clear_error_in_both_languages(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name)
    )
    with pytest.raises(dask_engine.ClusterError) as caught:
        dask_engine.DaskCluster()
    assert "pip install 'volunteer-standard[dask]'" in caught.value.message("en")
    assert "未安装 Dask" in caught.value.message("zh")
    for lang, words in (("en", "Dask is not installed"), ("zh", "未安装 Dask")):
        result = runner.invoke(app, ["validate", str(messy), "--engine", "dask", "--lang", lang])
        assert result.exit_code == 2
        assert words in result.output


# -- partitioned conversion: the workers write the parts ------------------------------------


@pytest.mark.parametrize(
    "options", [{}, {"on_invalid": "keep"}, {"privacy": "masked", "profile": "structure"}]
)
def test_partitioned_convert_concatenates_to_the_single_output(
    client: Any, messy: Path, tmp_path: Path, options: dict[str, Any]
) -> None:
    from tests.engine.test_partitioned_convert import partitioned, single
    from volunteer_standard.privacy import Privacy

    if "privacy" in options:
        options["privacy"] = Privacy(options["privacy"])
    one = single(messy, tmp_path, **options)
    assert one[2]["rejected"] > 10
    for size in (1500, None):
        got = partitioned(
            messy,
            tmp_path / f"out{size}",
            dask_engine.DaskCluster(client, partition_bytes=size),
            **options,
        )
        assert got == one


def _failing_part(name: str) -> Any:
    """Installs, in a worker, a ``commit`` that fails for part ``name`` after writing
    half a line (sent by value: the workers need not import the tests)."""

    def install() -> None:
        from volunteer_standard.parallel import part_writer

        real = getattr(part_writer.commit, "real", part_writer.commit)

        def failing(output: Any, sink: Any) -> Any:
            if output.path.name == name:
                output.write_encoded("volunteer", b'{"half": ')
                raise RuntimeError("injected")
            return real(output, sink)

        failing.real = real  # type: ignore[attr-defined]
        part_writer.commit = failing

    return install


def _restore() -> None:
    from volunteer_standard.parallel import part_writer

    part_writer.commit = getattr(part_writer.commit, "real", part_writer.commit)


def _idle(client: Any) -> None:
    import time

    deadline = time.monotonic() + 30
    while any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_failing_worker_leaves_no_part_and_the_previous_output(
    client: Any, messy: Path, tmp_path: Path
) -> None:
    from volunteer_standard.engine import convert
    from volunteer_standard.io.atomic import TEMP_SUFFIX

    out = tmp_path / "out"
    convert(str(messy), str(out), cluster=_on(client, 20_000), partitioned=True)
    before = _tree(tmp_path)
    client.run(_failing_part("part-00003.jsonl"))
    try:
        with pytest.raises(RuntimeError, match="injected"):
            convert(str(messy), str(out), cluster=_on(client, 1500), partitioned=True)
        fresh = tmp_path / "fresh"
        with pytest.raises(RuntimeError, match="injected"):
            convert(str(messy), str(fresh), cluster=_on(client, 1500), partitioned=True)
    finally:
        _idle(client)  # tasks that were already running when the run failed have ended
        client.run(_restore)
    assert _tree(tmp_path) == before
    assert not fresh.exists()
    assert not (tmp_path / "fresh.rejects").exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_a_worker_dying_while_writing_a_part_changes_nothing(
    client: Any, messy: Path, tmp_path: Path
) -> None:
    """Dask runs the part again on a live worker; what the dead one left in the staging
    folder is not kept."""
    from tests.engine.test_partitioned_convert import partitioned, single

    def die_while_writing() -> None:
        import os

        from volunteer_standard.parallel import part_writer

        def dying(output: Any, sink: Any) -> Any:
            output.write_encoded("volunteer", b'{"half": ')
            os._exit(1)

        part_writer.commit = dying

    one = single(messy, tmp_path)
    pids = client.run(os.getpid)
    first = sorted(pids)[0]
    client.run(die_while_writing, workers=[first])  # one worker only: the rerun succeeds
    try:
        assert partitioned(messy, tmp_path / "out", _on(client, 1500)) == one
    finally:
        client.wait_for_workers(2)
        client.run(_restore)
    assert pids[first] not in client.run(os.getpid).values()  # it died; another took its place


def test_cli_partitioned_convert(client: Any, messy: Path, tmp_path: Path) -> None:
    import json

    address = client.scheduler.address
    single_out = tmp_path / "one.jsonl"
    local = runner.invoke(app, ["convert", str(messy), str(single_out), "--format", "json"])
    assert local.exit_code == 1, local.output
    out = tmp_path / "out"
    dask = ["--engine", "dask", "--scheduler", address, "--partitioned"]
    result = runner.invoke(app, ["convert", str(messy), str(out), "--format", "json", *dask])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert summary["partitions"] == manifest["partitions"]
    assert summary["manifest"] == str(out / "manifest.json")
    parts = manifest["partitions"]
    joined = b"".join((out / p["output"]["name"]).read_bytes() for p in parts if p["output"])
    assert joined == single_out.read_bytes()
    rejects = tmp_path / "out.rejects"
    refused = b"".join((rejects / p["rejects"]["name"]).read_bytes() for p in parts if p["rejects"])
    assert refused == tmp_path.joinpath("one.jsonl.rejects.jsonl").read_bytes()
    one = json.loads(local.output.strip().splitlines()[-1])
    for key in ("read", "written", "rejected", "written_by_type", "reject_codes"):
        assert summary[key] == one[key], key
    table = runner.invoke(
        app, ["convert", str(messy), str(out), "--format", "table", "--lang", "zh", *dask]
    )
    assert table.exit_code == 1, table.output
    assert "part-00000.jsonl" in table.output
    assert "清单" in table.output


def test_cli_partitioned_needs_a_cluster(messy: Path, tmp_path: Path) -> None:
    for lang, words in (("en", "--engine dask"), ("zh", "--engine dask")):
        result = runner.invoke(
            app, ["convert", str(messy), str(tmp_path / "out"), "--partitioned", "--lang", lang]
        )
        assert result.exit_code == 2
        assert words in result.output
    assert not (tmp_path / "out").exists()
