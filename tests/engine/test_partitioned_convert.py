"""convert(cluster=..., partitioned=True): a folder of parts, their reject files and a
manifest; concatenated, the parts are the output of one process and the reject files its
reject file, and the merged summary has its counts.

The cluster here runs its "workers" in this process (see tests/validation/test_ranges.py),
so failures can be injected with monkeypatch; tests/validation/test_dask.py runs the same
conversions on a Dask LocalCluster. Ranges are tiny so that valid, rejected and kept
records fall into many parts.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.validation.test_parallel import _messy_lines, _write
from tests.validation.test_ranges import _HereCluster
from volunteer_standard.engine import ConversionAborted, convert
from volunteer_standard.errors import VstdError
from volunteer_standard.io.atomic import TEMP_SUFFIX
from volunteer_standard.parallel import part_writer
from volunteer_standard.parallel.manifest import MANIFEST_NAME, name_width, part_name
from volunteer_standard.privacy import Privacy
from volunteer_standard.validation import Issue, validate

CASES = [
    {},
    {"on_invalid": "keep"},
    {"privacy": Privacy("masked")},
    {"profile": "structure"},
]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("parts") / "messy.jsonl", _messy_lines())


def single(source: Path, folder: Path, **options: Any) -> tuple[bytes, bytes, dict[str, Any]]:
    """The output, reject file and summary of a single-process run."""
    folder.mkdir(exist_ok=True)
    target = folder / "one.jsonl"
    done = convert(str(source), str(target), **options).to_dict()
    rejects = folder / "one.jsonl.rejects.jsonl"
    done.pop("rejects")
    return target.read_bytes(), rejects.read_bytes() if rejects.exists() else b"", done


def partitioned(
    source: Path, out: Path, cluster: Any, rejects: Path | None = None, **options: Any
) -> tuple[bytes, bytes, dict[str, Any]]:
    """The parts and the reject files, each concatenated in the manifest's order, and the
    merged summary (without its paths and parts), after checking the folders against the
    manifest: names, records, bytes, SHA-256, nothing else, reject files 0600."""
    summary = convert(
        str(source), str(out), cluster=cluster, partitioned=True, rejects=rejects, **options
    ).to_dict()
    rejects = rejects or out.with_name(out.name + ".rejects")
    found = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert found["format"] == "vstd-partitioned-conversion"
    assert found["partitions"] == summary["partitions"]
    parts = found["partitions"]
    width = name_width(len(parts))
    assert [p["part"] for p in parts] == list(range(len(parts)))
    assert sum(p["read"] for p in parts) == summary["read"]
    files = {}
    for folder, key in ((out, "output"), (rejects, "rejects")):
        listed = [(p["part"], p[key]) for p in parts if p[key] is not None]
        assert [f["name"] for _i, f in listed] == [part_name(i, width) for i, _f in listed]
        counted = "written" if key == "output" else "rejected"
        assert [p[counted] for p in parts if p[counted]] == [f["records"] for _i, f in listed]
        if key == "output":
            assert sorted(os.listdir(out)) == sorted(
                [MANIFEST_NAME, *(f["name"] for _i, f in listed)]
            )
        elif listed:
            assert found["rejects"] == os.path.relpath(rejects.resolve(), out.resolve())
            assert stat.S_IMODE(rejects.stat().st_mode) == 0o700
            assert sorted(os.listdir(rejects)) == sorted(f["name"] for _i, f in listed)
            assert all(
                stat.S_IMODE((rejects / f["name"]).stat().st_mode) == 0o600 for _i, f in listed
            )
        else:
            assert found["rejects"] is None
            assert not rejects.exists()
        files[key] = b"".join(
            _checked(folder / f["name"], f["records"], f["bytes"], f["sha256"]) for _i, f in listed
        )
    merged = {k: v for k, v in summary.items() if k not in ("output", "manifest", "partitions")}
    merged.pop("rejects")
    assert found["summary"] == {
        k: v for k, v in merged.items() if k not in ("rejects_mode", "state")
    }
    return files["output"], files["rejects"], merged


def _checked(path: Path, records: int, size: int, sha256: str) -> bytes:
    data = path.read_bytes()
    assert len(data) == size
    assert data.count(b"\n") == records
    assert hashlib.sha256(data).hexdigest() == sha256
    return data


@pytest.mark.parametrize("options", CASES)
def test_parts_concatenated_are_the_single_output(
    messy: Path, tmp_path: Path, options: dict[str, Any]
) -> None:
    one = single(messy, tmp_path, **options)
    assert one[2]["rejected"] > 10
    for size in (1500, None):
        cluster = _HereCluster(size)
        got = partitioned(messy, tmp_path / f"out{size}", cluster, **options)
        assert got == one
        assert cluster.ranges.checked >= (50 if size else 1)


def test_a_partitioned_output_validates_as_the_single_output(messy: Path, tmp_path: Path) -> None:
    """The parts are read as one dataset by validate (the manifest is not JSON Lines):
    cross-record checks see them all, as they see the single output."""
    single(messy, tmp_path)
    partitioned(messy, tmp_path / "out", _HereCluster(1500))
    runs = []
    for path in (tmp_path / "one.jsonl", tmp_path / "out"):
        found: list[Issue] = []
        report = validate(path, on_issue=found.append)
        runs.append((report.records, [(i.code, i.record_id, i.path) for i in found]))
    assert {"VR601", "VR602"} <= {code for code, _id, _path in runs[0][1]}
    assert runs[1] == runs[0]


def test_rejects_to_a_chosen_folder_and_a_run_without_rejects(messy: Path, tmp_path: Path) -> None:
    one = single(messy, tmp_path)
    got = partitioned(messy, tmp_path / "out", _HereCluster(1500), rejects=tmp_path / "x")
    assert got[:2] == one[:2]
    clean = tmp_path / "clean.jsonl"
    clean.write_bytes(one[0])
    again = partitioned(clean, tmp_path / "clean", _HereCluster(1500))
    assert again[0] == one[0]
    assert again[1] == b""
    assert again[2]["rejected"] == 0


def test_an_input_of_one_record_makes_one_part(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"type": "organization", "id": "o1"}\n\n')
    one = single(source, tmp_path)
    got = partitioned(source, tmp_path / "out", _HereCluster(100))
    assert got == one
    assert len(json.loads((tmp_path / "out" / MANIFEST_NAME).read_text())["partitions"]) == 1


def test_fail_on_invalid_stops_at_the_same_record_and_writes_nothing(
    messy: Path, tmp_path: Path
) -> None:
    messages = []
    for cluster in (None, _HereCluster(1500)):
        target = tmp_path / ("out" if cluster else "out.jsonl")
        with pytest.raises(ConversionAborted) as caught:
            convert(
                str(messy),
                str(target),
                on_invalid="fail",
                cluster=cluster,
                partitioned=bool(cluster),
            )
        messages.append(str(caught.value))
        assert not target.exists()
    assert messages[0] == messages[1]
    assert sorted(os.listdir(tmp_path)) == []


def test_unusable_input_is_reported_as_one_process_reports_it(tmp_path: Path) -> None:
    for name, data in {
        "empty.jsonl": b"\n\n",
        "not-json.jsonl": b"not json\n" + b'{"type": "organization"}\n' * 50,
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        errors = []
        for cluster in (None, _HereCluster(100)):
            with pytest.raises(VstdError) as caught:
                convert(
                    str(path), str(tmp_path / "out"), cluster=cluster, partitioned=bool(cluster)
                )
            errors.append((type(caught.value), caught.value.text))
        assert errors[0] == errors[1]
        assert not (tmp_path / "out").exists()


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failing_part_leaves_the_previous_output_and_no_temporaries(
    messy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    out = tmp_path / "out"
    partitioned(messy, out, _HereCluster(20_000))
    before = _files(tmp_path)
    commit = part_writer.commit
    written: list[str] = []

    def failing(output: Any, sink: Any) -> Any:
        if len(written) == 3:  # the fourth part, once some are complete
            output.write_encoded("volunteer", b'{"half": ')
            raise error("injected")
        done = commit(output, sink)
        written.append(done[0].name)
        return done

    monkeypatch.setattr(part_writer, "commit", failing)
    with pytest.raises(error):
        convert(str(messy), str(out), cluster=_HereCluster(1500), partitioned=True)
    assert len(written) == 3
    assert _files(tmp_path) == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_what_a_dead_worker_left_is_not_kept(
    messy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that died while writing leaves a temporary in the staging folder; the part
    is written again elsewhere, and the temporary is not part of the output."""
    one = single(messy, tmp_path)
    write = part_writer._Output.__init__

    def leaves_a_temporary(self: Any, path: Path, settings: Any) -> None:
        (path.parent / f".{path.name}.dead{TEMP_SUFFIX}").write_bytes(b"half")
        write(self, path, settings)

    monkeypatch.setattr(part_writer._Output, "__init__", leaves_a_temporary)
    assert partitioned(messy, tmp_path / "out", _HereCluster(1500)) == one


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({}, "--engine dask"),
        ({"cluster": "here", "state": {}}, "--state"),
        ({"cluster": "here", "target": "-"}, "not - or a URL"),
        ({"cluster": "here", "rejects": "stream"}, "folder path"),
        ({"cluster": "here", "target_connector": "tabular"}, "--to standard"),
        ({"cluster": "here", "target_config": {"form": "package"}}, "--to standard"),
        ({"cluster": "here", "source": "package"}, "cannot be cut"),
        ({"cluster": "here", "target": "file"}, "is a file"),
        ({"cluster": "here", "target": "stranger"}, "no partitioned conversion wrote"),
        ({"cluster": "here", "rejects": "inside"}, "not hold each other"),
        ({"cluster": "here", "rejects": "nowhere"}, "does not exist"),
    ],
)
def test_runs_that_cannot_be_partitioned_are_refused_before_anything_is_written(
    messy: Path, tmp_path: Path, options: dict[str, Any], words: str
) -> None:
    import io

    from volunteer_standard.samples import write_broken

    (tmp_path / "file").write_text("keep me")
    (tmp_path / "stranger").mkdir()
    (tmp_path / "stranger" / "notes.txt").write_text("keep me")
    source = str(messy)
    if options.pop("source", None):
        source = str(write_broken(tmp_path / "broken")["broken-package.json"])
    target = options.pop("target", "out")
    target = target if target == "-" else str(tmp_path / target)
    if options.get("cluster") == "here":
        options["cluster"] = _HereCluster(1500)
    if options.get("rejects") == "stream":
        options["rejects"] = io.BytesIO()
    elif options.get("rejects") == "nowhere":
        options["rejects"] = tmp_path / "missing" / "rejects"
    elif options.get("rejects") == "inside":
        options["rejects"] = tmp_path / "out" / "rejects"
    before = _files(tmp_path)
    with pytest.raises(VstdError) as caught:
        convert(source, target, partitioned=True, **options)
    assert words in caught.value.message("en")
    assert caught.value.message("zh") != caught.value.message("en")
    assert _files(tmp_path) == before


def test_an_output_folder_holding_the_input_is_refused(messy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    source = folder / "in.jsonl"
    source.write_bytes(messy.read_bytes())
    (folder / MANIFEST_NAME).write_text(json.dumps({"format": "vstd-partitioned-conversion"}))
    with pytest.raises(VstdError) as caught:
        convert(str(source), str(folder), cluster=_HereCluster(1500), partitioned=True)
    assert "destroy the input" in caught.value.message("en")
    assert source.read_bytes() == messy.read_bytes()


def test_a_previous_partitioned_output_is_replaced_whole(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    partitioned(messy, out, _HereCluster(1500))
    many = len(os.listdir(out))
    partitioned(messy, out, _HereCluster(None))
    assert len(os.listdir(out)) < many  # no part of the previous run is left behind


def test_progress_after_each_part_up_to_the_whole_input(messy: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int, int, int | None]] = []
    summary = convert(
        str(messy),
        str(tmp_path / "out"),
        cluster=_HereCluster(1500),
        partitioned=True,
        progress=lambda s: seen.append((s.read, s.written, s.rejected, s.bytes_read)),
    )
    assert len(seen) > 50
    assert seen == sorted(seen)  # counts and bytes only grow
    assert seen[-1] == (summary.read, summary.written, summary.rejected, messy.stat().st_size)
