"""The rule framework: catalogue, suppression (--ignore, baselines), the CLI, plugins, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from tests.validation.rules_support import (
    at,
    dataset,
    record,
    rule_codes,
    run,
    write_jsonl,
)
from volunteer_standard import validate
from volunteer_standard.cli import app
from volunteer_standard.commands.rules import catalogue_markdown
from volunteer_standard.hookspecs import hookimpl
from volunteer_standard.registry import RegistrationError
from volunteer_standard.validation import CATALOGUE
from volunteer_standard.validation.baseline import Baseline, BaselineError
from volunteer_standard.validation.rules import (
    DatasetIndex,
    RecordRef,
    Rule,
    builtin_codes,
    register_rule,
    rule_classes,
    unregister_rule,
)
from volunteer_standard.validation.rules.base import Emit, issue_type

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _bad_rows() -> list[dict[str, Any]]:
    """Valid records plus one VR306 (hours too high) and one VR410 (no insurance)."""
    ds = dataset()
    over = record("rec-over", at("2024-03-06", "09:00"), at("2024-03-06", "10:00"), "3.00")
    risky = dict(ds["prj"], id="prj-r", service_categories=["0013"])
    return [*ds.values(), over, risky]


# -- catalogue ------------------------------------------------------------------------------------


def test_every_rule_code_is_documented_in_both_languages() -> None:
    rule_codes_ = [code for cls in rule_classes() for code in cls.codes()]
    assert len(rule_codes_) == len(set(rule_codes_))
    for code in rule_codes_:
        item = CATALOGUE[code]
        assert re.fullmatch(r"VR[2-7][0-9]{2}", code), code
        assert item.message_zh and item.message_en and item.hint_zh and item.hint_en, code
        assert re.search(r"[\u4e00-\u9fff]", item.message_zh), code
        assert item.source, code
        assert item.severity in ("error", "warning", "info")
        assert re.fullmatch(r"[a-z0-9-]+", item.name), code
    names = [item.name for item in CATALOGUE.values()]
    assert len(names) == len(set(names)), "rule names must be unique (--ignore accepts them)"


def test_rule_families_by_number() -> None:
    families = {code[:3] for code in builtin_codes() if code.startswith("VR")}
    assert families == {"VR2", "VR3", "VR4", "VR5", "VR6", "VR7"}  # VR7: privacy (issue 12)


# -- ignore and baselines -------------------------------------------------------------------------


def test_ignore_by_code_or_name_counts_suppressed(tmp_path: Path) -> None:
    report, issues = run(tmp_path, _bad_rows())
    assert rule_codes(issues) == ["VR306", "VR410"] and report.exit_code == 1
    report, issues = run(tmp_path, _bad_rows(), ignore=["VR306", "insurance-missing"])
    assert issues == [] and report.suppressed == 2 and report.exit_code == 0
    assert report.to_dict()["suppressed"] == 2
    with pytest.raises(ValueError, match="unknown rule"):
        run(tmp_path, _bad_rows(), ignore=["VR999"])


def test_baseline_accepts_known_issues_and_survives_line_shifts(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    report, issues = run(tmp_path, _bad_rows(), write_baseline=base)
    assert len(issues) == 2 and report.exit_code == 1
    doc = json.loads(base.read_text(encoding="utf-8"))
    assert doc["baseline_version"] == "1"
    assert {(i["code"], i["record_id"], i["path"]) for i in doc["issues"]} == {
        ("VR306", "rec-over", "/hours"),
        ("VR410", "prj-r", "/guarantees"),
    }
    # Same data, shifted down by new valid records: nothing new.
    extra = [
        record(
            f"rec-n{i}",
            at("2024-04-0" + str(i + 1), "09:00"),
            at("2024-04-0" + str(i + 1), "10:00"),
            "1.00",
        )
        for i in range(3)
    ]
    shifted = [*extra, *_bad_rows()]
    report, issues = run(tmp_path, shifted, baseline=base)
    assert issues == [] and report.suppressed == 2 and report.exit_code == 0
    # A new problem still fails the run.
    new = record("rec-new", at("2024-05-01", "09:00"), at("2024-05-01", "10:00"), "9.00")
    report, issues = run(tmp_path, [*shifted, new], baseline=Baseline.load(base))
    assert [(i.code, i.record_id) for i in issues] == [("VR306", "rec-new")]
    assert report.exit_code == 1 and report.suppressed == 2


def test_baseline_counts_each_accepted_issue_once(tmp_path: Path) -> None:
    base = Baseline()
    report, issues = run(tmp_path, _bad_rows())
    base.add(issues[0])
    report, issues = run(tmp_path, _bad_rows(), baseline=base)
    assert report.suppressed == 1 and len(issues) == 1


def test_bad_baselines(tmp_path: Path) -> None:
    for text, needle in [("{", "not JSON"), ("{}", "not a vstd baseline")]:
        path = tmp_path / "b.json"
        path.write_text(text)
        with pytest.raises(BaselineError, match=needle):
            Baseline.load(path)
    with pytest.raises(BaselineError, match="cannot read"):
        Baseline.load(tmp_path / "missing.json")


# -- command line ---------------------------------------------------------------------------------


def test_cli_profile_ignore_and_baseline(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", _bad_rows())
    result = runner.invoke(app, ["validate", str(data), "--lang", "en"])
    assert result.exit_code == 1 and "VR410" in result.output and "VR306" in result.output
    result = runner.invoke(
        app, ["validate", str(data), "--ignore", "VR306", "--ignore", "VR410", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    base = tmp_path / "base.json"
    result = runner.invoke(app, ["validate", str(data), "--write-baseline", str(base)])
    assert result.exit_code == 1 and base.is_file()
    result = runner.invoke(app, ["validate", str(data), "--baseline", str(base), "-f", "json"])
    summary = json.loads(result.output)["summary"]
    assert result.exit_code == 0 and summary["suppressed"] == 2 and summary["errors"] == 0
    result = runner.invoke(app, ["validate", str(data), "--profile", "structure", "-f", "json"])
    assert json.loads(result.output)["summary"]["profile"] == "structure"
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--profile", "nowhere"], "unknown profile 'nowhere'"),
        (["--ignore", "VR999"], "unknown rule(s): VR999"),
        (["--baseline", "missing.json"], "cannot read"),
    ],
)
def test_cli_usage_errors_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", _bad_rows())
    result = runner.invoke(app, ["validate", str(data), *args, "-f", "json"])
    assert result.exit_code == 2
    assert needle in result.stderr and result.stdout == ""


def test_cli_rules_lists_every_code() -> None:
    for lang in ("en", "zh"):
        result = runner.invoke(app, ["rules", "--lang", lang])
        assert result.exit_code == 0
        for code in CATALOGUE:
            assert re.search(rf"^{code} ", result.output, re.M), (lang, code)
    zh = runner.invoke(app, ["rules", "--lang", "zh"]).output
    assert "谁记录谁证明" in zh and "依据" in zh
    off = runner.invoke(app, ["rules", "--profile", "structure", "--lang", "en"]).output
    assert re.search(r"^VR301  off", off, re.M) and re.search(r"^VS100  error", off, re.M)
    strict = runner.invoke(app, ["rules", "--profile", "zhejiang", "--lang", "en"]).output
    assert re.search(r"^VR402  error", strict, re.M)
    md = runner.invoke(app, ["rules", "--format", "markdown", "--lang", "en"])
    assert md.exit_code == 0 and "| VR310 | `overlapping-records` |" in md.output


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    """docs/rules.md drifts when a rule changes: regenerate it with the command below."""
    expected = catalogue_markdown("en", builtin_only=True)
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "run: vstd rules --format markdown --lang en > docs/rules.md"


# -- plugins --------------------------------------------------------------------------------------


class _NoFridayRule(Rule):
    """A plugin rule: per-record check plus a cross-record count in its own index table."""

    issue_types: ClassVar = (
        issue_type(
            "VX901",
            "plugin-weekday",
            "warning",
            "hours",
            ("周五的服务记录", "service on a Friday"),
            ("仅为测试。", "test only."),
            "test plugin",
        ),
        issue_type(
            "VX902",
            "plugin-many-records",
            "info",
            "hours",
            ("志愿者有 {value} 条记录", "the volunteer has {value} records"),
            ("仅为测试。", "test only."),
            "test plugin",
        ),
    )
    entity_types = frozenset({"service_record"})
    needs = frozenset({"rec"})

    def check(self, obj: Any, rec: RecordRef) -> None:
        if obj.start.weekday() == 4:
            rec.issue("VX901", "/start")

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        rows = index.query("SELECT MIN(seq), COUNT(*) FROM rec GROUP BY vol HAVING COUNT(*) > 1")
        for seq, count in rows:
            emit(index.issue("VX902", seq, "", {"value": str(count)}))


def test_plugin_rules_register_run_and_unregister(tmp_path: Path) -> None:
    register_rule(_NoFridayRule)
    try:
        assert "VX901" in CATALOGUE and "VX901" not in builtin_codes()
        friday = record("rec-f", at("2024-03-08", "09:00"), at("2024-03-08", "10:00"), "1.00")
        ds = dataset()
        _report, issues = run(tmp_path, [*ds.values(), friday])
        assert sorted(i.code for i in issues) == ["VX901", "VX902"]
        assert "2 records" in next(i for i in issues if i.code == "VX902").message("en")

        class Clash(Rule):
            issue_types = _NoFridayRule.issue_types[:1]

        with pytest.raises(ValueError, match="already registered"):
            register_rule(Clash)
    finally:
        unregister_rule(_NoFridayRule)
    assert "VX901" not in CATALOGUE
    with pytest.raises(RegistrationError, match="Rule subclass"):
        register_rule(object)  # type: ignore[arg-type]


def test_plugin_hooks_add_rules_and_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from volunteer_standard import plugins, profiles

    profile = tmp_path / "plugin.toml"
    profile.write_text('name = "from-plugin"\nextends = "national"\n')

    class Plugin:
        @hookimpl
        def register_rules(self, register: Any) -> None:
            register(_NoFridayRule)

        @hookimpl
        def register_profiles(self, register: Any) -> None:
            register("from-plugin", profile)

    plugins.register_plugin(Plugin(), name="test-rules-plugin")
    try:
        assert _NoFridayRule in rule_classes()
        assert "from-plugin" in profiles.available_profiles()
        friday = record("rec-f", at("2024-03-08", "09:00"), at("2024-03-08", "10:00"), "1.00")
        ds = dataset()
        _report, issues = run(tmp_path, [*ds.values(), friday], profile="from-plugin")
        assert "VX901" in {i.code for i in issues}
    finally:
        plugins.unregister_plugin("test-rules-plugin")
    assert _NoFridayRule not in rule_classes()
    assert "from-plugin" not in profiles.available_profiles()


# -- the bundled sample ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.json", "sample.jsonl"])
def test_bundled_sample_has_no_errors_under_the_national_profile(name: str) -> None:
    path = ROOT / "examples" / name
    if not path.exists():
        pytest.skip("examples/ not generated")
    report = validate(path, profile="national")
    assert report.input_error is None and report.errors == 0, dict(report.issues_by_code)
    assert report.records > 0 and report.profile == "national"
