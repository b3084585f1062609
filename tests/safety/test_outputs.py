"""Nothing destroyed, nothing lost (issue 12): inputs are never overwritten, outputs are
atomic, rejects always land in a private file, state follows the output it describes."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.connectors import Checkpoint, Connector, ReadItem, SourceRecord
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.engine import ConnectorFault, convert
from volunteer_standard.io.atomic import TEMP_SUFFIX, AtomicFile, AtomicFolder
from volunteer_standard.io.paths import SamePathError, check_distinct
from volunteer_standard.io.reader import Location
from volunteer_standard.io.rejects import RejectSinkError, open_reject_sink

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE = EXAMPLES / "sample.jsonl"
BROKEN = EXAMPLES / "broken.jsonl"
runner = CliRunner()


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def _no_temporaries(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


# -- same file -----------------------------------------------------------------------------


def test_convert_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    data = _copy(SAMPLE, tmp_path / "s.jsonl")
    before = data.read_bytes()
    result = runner.invoke(app, ["convert", str(data), str(data)])
    assert result.exit_code == 2
    assert "same file" in result.stderr
    assert data.read_bytes() == before  # was emptied before the fix


def test_convert_refuses_a_hard_link_or_symlink_to_its_input(tmp_path: Path) -> None:
    data = _copy(SAMPLE, tmp_path / "s.jsonl")
    os.link(data, tmp_path / "hard.jsonl")
    (tmp_path / "soft.jsonl").symlink_to(data)
    before = data.read_bytes()
    for alias in ("hard.jsonl", "soft.jsonl"):
        result = runner.invoke(app, ["convert", str(data), str(tmp_path / alias)])
        assert result.exit_code == 2, alias
    assert data.read_bytes() == before


@pytest.mark.parametrize("option", ["--rejects", "--state"])
def test_convert_refuses_rejects_or_state_equal_to_the_input(tmp_path: Path, option: str) -> None:
    data = _copy(BROKEN, tmp_path / "b.jsonl")
    before = data.read_bytes()
    result = runner.invoke(
        app, ["convert", str(data), str(tmp_path / "o.jsonl"), option, str(data)]
    )
    assert result.exit_code == 2
    assert data.read_bytes() == before
    assert not (tmp_path / "o.jsonl").exists()


def test_convert_refuses_rejects_equal_to_the_output(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(BROKEN), str(out), "--rejects", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_validate_refuses_report_or_baseline_over_the_input(tmp_path: Path) -> None:
    data = _copy(BROKEN, tmp_path / "b.jsonl")
    before = data.read_bytes()
    for option in ("-o", "--write-baseline"):
        result = runner.invoke(app, ["validate", str(data), option, str(data)])
        assert result.exit_code == 2, option
        assert data.read_bytes() == before, option


def test_check_distinct_is_a_library_function(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text("{}", encoding="utf-8")
    check_distinct({"input": a}, {"output": tmp_path / "b.jsonl", "--rejects": None})
    check_distinct({"input": "-"}, {"output": "-"})
    with pytest.raises(SamePathError):
        check_distinct({"input": a}, {"output": str(a)})
    with pytest.raises(SamePathError):
        check_distinct({"input": a}, {"output": tmp_path / "c", "--rejects": tmp_path / "c"})
    with pytest.raises(SamePathError, match="folder holding"):
        check_distinct({"input": a}, {"output": tmp_path})


# -- atomic outputs ------------------------------------------------------------------------


def test_atomic_file_commits_on_success_and_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def interrupted() -> None:
        with AtomicFile(target) as out:
            out.write(b"half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text(encoding="utf-8") == "old"
    with AtomicFile(target) as out:
        out.write(b"new")
    assert target.read_text(encoding="utf-8") == "new"
    _no_temporaries(tmp_path)


def test_atomic_folder_replaces_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "tables"
    target.mkdir()
    (target / "old.csv").write_text("old", encoding="utf-8")
    folder = AtomicFolder(target)
    (folder.path / "new.csv").write_text("new", encoding="utf-8")
    folder.discard()
    assert [p.name for p in target.iterdir()] == ["old.csv"]
    folder = AtomicFolder(target)
    (folder.path / "new.csv").write_text("new", encoding="utf-8")
    folder.commit()
    assert [p.name for p in target.iterdir()] == ["new.csv"]
    _no_temporaries(tmp_path)


def test_a_missing_input_leaves_no_package(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["convert", str(tmp_path / "missing.jsonl"), str(out)])
    assert result.exit_code == 2
    assert not out.exists()  # a 152-byte package before the fix
    _no_temporaries(tmp_path)


def test_a_failed_run_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert runner.invoke(app, ["convert", str(SAMPLE), str(out)]).exit_code == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"metadata": {}, "volunteers": [{"type": "volunteer"}, ', encoding="utf-8")
    result = runner.invoke(app, ["convert", str(bad), str(out)])
    assert result.exit_code == 2
    assert out.read_bytes() == before
    _no_temporaries(tmp_path)


def test_on_invalid_fail_leaves_no_output_and_no_personal_data(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    volunteer = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[5])
    rows = [volunteer, {**volunteer, "birth_date": "2999-01-01", "id": "v-future"}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["convert", str(src), str(out), "--on-invalid", "fail"])
    assert result.exit_code == 2
    assert not out.exists()
    assert volunteer.get("name", "@@") not in result.stderr
    assert "2999-01-01" not in result.stderr


# -- rejects -------------------------------------------------------------------------------


def test_rejects_of_stdout_output_land_in_a_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["convert", str(BROKEN), "-"])
    assert result.exit_code == 1
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    path = Path(summary["rejects"])
    assert path.name.startswith("vstd-rejects-") and path.suffix == ".jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary["rejected"] > 0  # 13 records existed nowhere before the fix


def test_reject_files_are_private(tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    result = runner.invoke(
        app, ["convert", str(BROKEN), str(tmp_path / "o.jsonl"), "--rejects", str(rejects)]
    )
    assert result.exit_code == 1
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert json.loads(result.stderr.strip().splitlines()[-1])["rejects_mode"] == "0600"


def test_reject_sink_is_chosen_by_suffix(tmp_path: Path) -> None:
    sink = open_reject_sink(tmp_path / "r.jsonl")
    assert type(sink).__name__ == "JsonlRejectSink"
    with pytest.raises(RejectSinkError, match=r"\.jsonl"):
        open_reject_sink(tmp_path / "r.parquet")


def test_reject_reasons_follow_lang(tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    runner.invoke(
        app,
        [
            "convert",
            str(BROKEN),
            str(tmp_path / "o.jsonl"),
            "--rejects",
            str(rejects),
            "--lang",
            "zh",
        ],
    )
    reasons = [
        r
        for line in rejects.read_text(encoding="utf-8").splitlines()
        for r in json.loads(line)["reasons"]
    ]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in reason) for reason in reasons)


# -- default profile -----------------------------------------------------------------------


def test_convert_applies_the_national_profile_by_default(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL

    rec = MINIMAL["service_record"] | {"end": "2024-03-05T08:00:00+08:00", "hours": "0.50"}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    default = runner.invoke(app, ["convert", str(src), str(tmp_path / "a.jsonl")])
    structure = runner.invoke(
        app, ["convert", str(src), str(tmp_path / "b.jsonl"), "-p", "structure"]
    )
    assert default.exit_code == 1 and structure.exit_code == 0


# -- connector faults ----------------------------------------------------------------------


class _Faulty(Connector):
    name = "faulty"
    title = "yields whatever it is told"
    reads = ("volunteer",)
    items: ClassVar[list[Any]] = []
    boom = False

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        yield SourceRecord({"type": "volunteer"}, Location(source, 1))
        yield from self.items
        if self.boom:
            raise ValueError("secret 110101199003077777")


@pytest.mark.parametrize(
    ("items", "boom", "expected"),
    [
        ([42], False, "yielded int"),
        ([SourceRecord({}, None)], False, "NoneType location"),  # type: ignore[arg-type]
        ([Checkpoint({"when": object()})], False, "checkpoint state is not JSON"),
        ([], True, "raised ValueError"),
    ],
)
def test_connector_faults_name_the_connector_and_position(
    tmp_path: Path, items: list[Any], boom: bool, expected: str
) -> None:
    connector = _Faulty()
    connector.items = items  # type: ignore[misc]
    connector.boom = boom
    out = tmp_path / "o.jsonl"
    with pytest.raises(ConnectorFault) as info:
        convert("src", str(out), source_connector=connector, profile="structure")
    message = str(info.value)
    assert "'faulty'" in message and "after record 1" in message and expected in message
    assert "110101199003077777" not in message
    assert not out.exists()
    _no_temporaries(tmp_path)


# -- state ---------------------------------------------------------------------------------


class _Incremental(StandardConnector):
    name = "incremental"

    def read(self, source: str, state: Mapping[str, Any] | None = None) -> Iterator[ReadItem]:
        yield from super().read(source, state)
        yield Checkpoint({"done": True})


def test_state_is_saved_only_after_the_output_is_complete(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    out = tmp_path / "o.jsonl"
    bad = tmp_path / "bad.json"
    bad.write_text('{"metadata": {}, "volunteers": [', encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - any failure
        convert(str(bad), str(out), source_connector=_Incremental(), state_path=state)
    assert not state.exists() and not out.exists()
    summary = convert(str(SAMPLE), str(out), source_connector=_Incremental(), state_path=state)
    assert summary.state == {"done": True}
    assert json.loads(state.read_text(encoding="utf-8")) == {"done": True}
    _no_temporaries(tmp_path)


def test_summary_table_in_the_users_language(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["convert", str(BROKEN), str(tmp_path / "o.jsonl"), "--format", "table", "--lang", "zh"],
    )
    assert result.exit_code == 1
    assert "读取" in result.stderr and "拒收" in result.stderr and "主要拒收原因" in result.stderr
    assert "VS100" in result.stderr
    machine = runner.invoke(
        app, ["convert", str(BROKEN), str(tmp_path / "p.jsonl"), "--format", "json"]
    )
    assert json.loads(machine.stderr.strip().splitlines()[-1])["balanced"] is True
