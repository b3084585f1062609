"""Structural validation: every VS1xx code, both data forms, both languages, exit codes."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest

from tests.conftest import MINIMAL
from volunteer_standard import codelists, validate
from volunteer_standard.validation import CATALOGUE, Issue, Report


def _jsonl(*records: Any) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(lines) + "\n").encode()


def _run(data: bytes, name: str = "in.jsonl") -> tuple[Report, list[Issue]]:
    """Structural checks only: business rules (VR codes) are tested in test_rules_*.py."""
    issues: list[Issue] = []
    report = validate(io.BytesIO(data), name=name, on_issue=issues.append, profile="structure")
    return report, issues


VOL = MINIMAL["volunteer"]
REC = MINIMAL["service_record"]

CASES: dict[str, list[Any]] = {
    "VS100": [VOL, "{not json"],
    "VS101": [VOL, [1, 2]],
    "VS102": [VOL, {"id": "x"}],
    "VS103": [VOL, {"type": "volunter", "id": "x"}],
    "VS110": [{k: v for k, v in VOL.items() if k != "volunteer_no"}],
    "VS111": [VOL | {"name": 42}],
    "VS112": [VOL | {"birth_date": "2024/01/01"}],
    "VS113": [MINIMAL["organization"] | {"member_count": -1}],
    "VS114": [VOL | {"blood_type": "A"}],
    "VS115": [REC | {"hours": 2.5}],
    "VS119": [MINIMAL["activity"] | {"checkin_points": [{"kind": "sideways"}]}],
    "VS120": [VOL | {"gender": "男"}],
    "VS121": [VOL | {"skills": ["01", "zz"]}],
    "VS130": [VOL | {"schema_version": "2.0"}],
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_reported_with_location(code: str) -> None:
    report, issues = _run(_jsonl(*CASES[code]))
    found = [i for i in issues if i.code == code]
    assert found, f"{code} not reported; got {[i.code for i in issues]}"
    issue = found[0]
    assert issue.location.file == "in.jsonl"
    assert issue.location.line == len(CASES[code])
    assert report.exit_code == (1 if issue.severity == "error" else 0)


def test_deprecated_codes_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    real = codelists.get("skill")
    old = codelists.Code("98", "旧特长", "Old skill", "test", True)
    patched = codelists.CodeList(
        real.name,
        real.title_zh,
        real.title_en,
        real.version,
        real.closed,
        real.source,
        (*real.codes, old),
    )
    original_get = codelists.get
    monkeypatch.setattr(
        codelists, "get", lambda name: patched if name == "skill" else original_get(name)
    )
    from volunteer_standard.validation import structure

    structure._warning_fields.cache_clear()
    report, issues = _run(_jsonl(VOL | {"skills": ["98"]}))
    structure._warning_fields.cache_clear()
    assert [i.code for i in issues] == ["VS122"]
    assert report.exit_code == 0 and report.warnings == 1


def _package(**arrays: Any) -> bytes:
    doc: dict[str, Any] = {
        "metadata": {
            "publisher": {"name": "测试"},
            "generated_at": "2025-01-01T00:00:00+08:00",
            "extensions": [{"namespace": "nvsi"}],
        }
    }
    doc.update(arrays)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def test_package_codes() -> None:
    vol = {k: v for k, v in VOL.items() if k != "type"}
    data = _package(
        volunteers=[vol, VOL | {"id": "v2", "extensions": {"other": {"a": 1}}}],
        projects=[VOL | {"id": "v3"}],
        people=[{}],
    )
    report, issues = _run(data, "p.json")
    codes = {i.code for i in issues}
    assert codes == {"VS104", "VS105", "VS150"}
    assert report.records_by_type["volunteer"] == 3  # one sits in the wrong array
    undeclared = next(i for i in issues if i.code == "VS150")
    assert undeclared.pointer == "/volunteers/1/extensions/other"
    assert undeclared.location.line is not None


def test_package_metadata_errors_and_missing_metadata() -> None:
    bad = json.dumps({"metadata": {"publisher": {}}, "volunteers": [VOL]}).encode()
    _, issues = _run(bad, "p.json")
    assert {i.code for i in issues} == {"VS140"}
    _, issues = _run(json.dumps({"volunteers": [VOL]}).encode(), "p.json")
    assert [i.code for i in issues] == ["VS141"]


def test_valid_inputs_in_both_forms() -> None:
    report, issues = _run(_jsonl(*MINIMAL.values()))
    assert issues == [] and report.valid and report.records == len(MINIMAL)
    arrays = {}
    from volunteer_standard.models import COLLECTIONS

    for kind, rec in MINIMAL.items():
        arrays[COLLECTIONS[kind]] = [rec]
    report, issues = _run(_package(**arrays), "p.json")
    assert issues == [] and report.valid and report.format == "package"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_are_complete_in_both_languages(lang: str) -> None:
    for code, records in CASES.items():
        _, issues = _run(_jsonl(*records))
        for issue in issues:
            text = issue.message(lang)  # type: ignore[arg-type]
            assert text and not re.search(r"\{[a-z_]+\}", text), (code, text)
            if lang == "zh":
                assert re.search(r"[\u4e00-\u9fff]", text), text
    for item in CATALOGUE.values():
        assert item.message_zh and item.message_en and item.hint_zh and item.hint_en


def test_sensitive_values_never_appear_in_messages() -> None:
    secret = "11010519491231002X"
    rec = VOL | {
        "id_document": {"type": "01", "number": 123},
        "phone": 13800138000,
        "birth_date": "1949/12/31",
        "name": secret,
    }
    _, issues = _run(_jsonl(rec, VOL | {"birth_date": secret}))
    for issue in issues:
        for lang in ("zh", "en"):
            assert secret not in issue.message(lang)  # type: ignore[arg-type]
            assert "13800138000" not in issue.message(lang)  # type: ignore[arg-type]


def test_unusable_input_gives_exit_2() -> None:
    report, _ = _run(b"[]", "x.json")
    assert report.exit_code == 2 and report.input_error


def test_report_summary_counts() -> None:
    report, _ = _run(_jsonl(VOL, VOL | {"gender": "x"}, REC | {"hours": 1}))
    assert report.records == 3
    assert report.issues_by_code == {"VS120": 1, "VS115": 1}
    assert report.issues_by_type == {"volunteer": 1, "service_record": 1}
    summary = report.to_dict("zh")
    assert summary["errors"] == 2 and summary["valid"] is False
    assert summary["issues_by_code"][0]["examples"][0]["line"] in (2, 3)
