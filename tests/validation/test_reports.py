"""Report formats: golden text/JSON/HTML, the JSON Schema of the report, HTML in a real browser.

Golden files live in ``tests/validation/golden``; regenerate them after an intended change
with ``UPDATE_GOLDEN=1 pytest tests/validation/test_reports.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from volunteer_standard.cli import app
from volunteer_standard.io.reader import Location
from volunteer_standard.text import Lang
from volunteer_standard.validation import Issue, IssueType, Report, validate
from volunteer_standard.validation.catalogue import STRUCTURE
from volunteer_standard.validation.html import MAX_BARS, render_html
from volunteer_standard.validation.render import (
    WIDTH,
    display_width,
    issue_line,
    summary_text,
    wrap,
)

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "report-format.md").read_text(encoding="utf-8")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXT = {"text": "txt", "json": "json", "html": "html"}
LANGS: tuple[Lang, ...] = ("en", "zh")

runner = CliRunner()


def _run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    result = runner.invoke(app, ["validate", *args])
    return result.exit_code, result.stdout


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {name}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 to accept"


# -- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_golden(fmt: str, lang: Lang, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _run(["input.jsonl", "--format", fmt, "--lang", lang], GOLDEN, monkeypatch)
    assert code == 1
    _golden(f"report.{lang}.{EXT[fmt]}", out)


def test_reports_are_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = {_run(["input.jsonl", "-f", "html", "--lang", "en"], GOLDEN, monkeypatch) for _ in "ab"}
    assert len(runs) == 1


# -- text -----------------------------------------------------------------------------------

_ISSUE_LINE = re.compile(r"^\S+:\d+( /\S*)?: (error|warning|info) V[SR]\d{3} \S.*$")


def test_issue_lines_are_grep_friendly() -> None:
    report = validate(GOLDEN / "input.jsonl", name="input.jsonl")
    lines = [issue_line(i, "en") for examples in report.examples.values() for i in examples]
    assert lines and all(_ISSUE_LINE.match(line) for line in lines), lines
    # A control character in the data cannot split a line or reach the terminal raw.
    bad = Issue("VS110", Location("a\nb.jsonl", 3), "/x", None, "id\x1b[31m")
    assert "\n" not in issue_line(bad, "en") and "\x1b" not in issue_line(bad, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_summary_fits_80_columns(lang: Lang) -> None:
    report = validate(GOLDEN / "input.jsonl", name="input.jsonl")
    text = summary_text(report, lang)
    too_wide = [line for line in text.splitlines() if display_width(line) > WIDTH]
    assert not too_wide
    assert "× 4" in text and ("How to fix" in text if lang == "en" else "修改建议" in text)
    # Examples carry file:line, JSON pointer and record id.
    assert "input.jsonl:3 /gender  id=vol-2" in text


def test_summary_puts_errors_first_then_frequent() -> None:
    report = validate(GOLDEN / "input.jsonl", name="input.jsonl")
    heads = re.findall(r"^(VS\d+) \S+ \[(\w+)\] × (\d+)$", summary_text(report, "en"), re.M)
    assert heads[0][:1] == ("VS120",) and heads[-1][1] == "warning"
    assert [h[1] for h in heads] == sorted((h[1] for h in heads), key=["error", "warning"].index)


def test_wrap_counts_chinese_as_two_columns_and_keeps_punctuation() -> None:
    text = "使用代码表中的代码（见 vstd codelists show <代码表>），不要用中文名称。" * 3
    lines = wrap(text, "  修改建议：", "    ", width=40)
    assert all(display_width(line) <= 40 for line in lines)
    assert not any(line.strip()[0] in "，。）" for line in lines[1:])
    joined = re.sub(r"\s+", "", "".join(lines)).removeprefix("修改建议：")
    assert joined == re.sub(r"\s+", "", text)  # nothing lost or reordered


def test_summary_of_valid_and_unusable_input(tmp_path: Path) -> None:
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps(MINIMAL["volunteer"]) + "\n", encoding="utf-8")
    assert "No issues found." in summary_text(validate(ok), "en")
    broken = tmp_path / "x.json"
    broken.write_text("[1]", encoding="utf-8")
    assert summary_text(validate(broken), "zh").startswith("无法读取输入")


# -- JSON -----------------------------------------------------------------------------------

VALIDATOR = Draft202012Validator(SCHEMA)


def _schema_errors(doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


def _package(tmp_path: Path) -> Path:
    path = tmp_path / "pkg.json"
    volunteer = MINIMAL["volunteer"] | {"gender": "M"}
    path.write_text(json.dumps({"volunteers": [volunteer]}, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    "case", ["golden", "valid", "unusable", "package", "summary-only", "max-issues"]
)
@pytest.mark.parametrize("lang", LANGS)
def test_json_output_validates_against_schema(
    case: str, lang: Lang, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.jsonl").write_text(json.dumps(MINIMAL["volunteer"]) + "\n", "utf-8")
    (tmp_path / "bad.json").write_text("[1]", "utf-8")
    (tmp_path / "input.jsonl").write_bytes((GOLDEN / "input.jsonl").read_bytes())
    _package(tmp_path)
    args = {
        "golden": ["input.jsonl"],
        "valid": ["ok.jsonl"],
        "unusable": ["bad.json"],
        "package": ["pkg.json"],
        "summary-only": ["input.jsonl", "--summary-only"],
        "max-issues": ["input.jsonl", "--max-issues", "2"],
    }[case]
    code, out = _run([*args, "-f", "json", "--lang", lang], tmp_path, monkeypatch)
    doc = json.loads(out)
    assert not _schema_errors(doc)
    assert code == doc["summary"]["exit_code"]
    assert doc["report_version"] == doc["summary"]["report_version"] == "1.0"
    if case == "package":
        assert doc["issues"][0]["pointer"] == "/volunteers/0/gender"


def test_schema_rejects_undocumented_fields() -> None:
    doc = json.loads((GOLDEN / "report.en.json").read_text(encoding="utf-8"))
    doc["summary"]["surprise"] = 1
    doc["issues"][0]["extra"] = True
    assert len(_schema_errors(doc)) == 2


def _schema_fields(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= _schema_fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= _schema_fields(value)
    return found


def test_every_schema_field_is_documented() -> None:
    missing = sorted(f for f in _schema_fields(SCHEMA) if f"`{f}`" not in DOC)
    assert not missing


# -- HTML -----------------------------------------------------------------------------------

_VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source"}
_SVG_VOID = {"line", "rect"}  # written self-closing (<rect .../>)


class _Checker(HTMLParser):
    """Collects tags, checks nesting and records anything that would reach the network."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        for name, value in attrs:
            if name in ("src", "srcset", "action") or name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "href" and not (value or "").startswith("#"):
                self.problems.append(f"<{tag} href={value}>")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.stack, checker.stack
    forbidden = {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    assert not forbidden & set(checker.tags)
    assert "@import" not in page and "url(" not in page
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg\")", page)
    return checker


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_standalone_localised_and_complete(lang: Lang) -> None:
    report = validate(GOLDEN / "input.jsonl", name="input.jsonl")
    page = render_html(report, lang)
    checker = _parse(page)
    assert checker.html_lang == {"en": "en", "zh": "zh-CN"}[lang]
    assert checker.tags.count("svg") == 2 and "<style>" in page
    text = " ".join(checker.text)
    for code in report.issues_by_code:
        assert f'id="rule-{code}"' in page and code in text
    assert 'id="count-errors" data-count="11"' in page
    assert 'id="count-records" data-count="14"' in page
    assert 'role="img" aria-labelledby="chart-rules-title chart-rules-desc"' in page
    labels = {"en": ["Validation report", "How to fix"], "zh": ["数据校验报告", "修改建议"]}
    other = "zh" if lang == "en" else "en"
    assert all(word in text for word in labels[lang])
    assert not any(word in text for word in labels[other])


def _hostile_report() -> Report:
    report = Report(source='<script>alert("s")</script>&.jsonl', format="jsonl")
    report.records = 1
    report.records_by_type["<b>kind</b>"] += 1
    report.profile = "<i>p</i>"
    report.add(
        Issue(
            "VS103",
            Location("<img src=x onerror=alert(1)>", 1),
            "/type",
            "<svg onload=alert(2)>",
            '"><script>alert(3)</script>',
            {"value": "'</title><script>alert(4)</script>'", "expected": "<u>"},
        )
    )
    return report


@pytest.mark.parametrize("lang", LANGS)
def test_html_escapes_everything_from_data(lang: Lang) -> None:
    page = render_html(_hostile_report(), lang)
    checker = _parse(page)
    assert "script" not in checker.tags and "img" not in checker.tags
    assert checker.tags.count("svg") == 2 and "b" not in checker.tags and "i" not in checker.tags
    assert "&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;&amp;.jsonl" in page
    assert '<script>alert("s")</script>' in " ".join(checker.text)  # shown as text, not run


def test_html_for_valid_and_unusable_input(tmp_path: Path) -> None:
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps(MINIMAL["volunteer"]) + "\n", encoding="utf-8")
    page = render_html(validate(ok), "en")
    assert 'data-verdict="valid"' in page and "No issues found." in page
    assert _parse(page).tags.count("svg") == 0
    report = Report(source="x.json", input_error="a JSON <array> is not a package")
    page = render_html(report, "zh")
    assert 'data-verdict="unusable"' in page and "a JSON &lt;array&gt; is not a package" in page
    _parse(page)


def test_html_chart_groups_the_long_tail(monkeypatch: pytest.MonkeyPatch) -> None:
    report = Report(source="many.jsonl")
    for n in range(MAX_BARS + 5):
        code = f"VT{n:03d}"
        item = IssueType(code, f"rule-{n}", "warning", "test", "中", "en", "提示", "hint")
        monkeypatch.setitem(STRUCTURE, code, item)
        for _ in range(n + 1):
            report.add(Issue(code, Location("many.jsonl", n + 1)))
    page = render_html(report, "en")
    chart = page.split('id="chart-rules"')[1].split("</svg>")[0]
    assert chart.count('<g class="bar') == MAX_BARS and "6 other rules" in chart
    assert chart.index("VT024") < chart.index("VT023")  # most frequent first
    assert page.count('<section class="rule ') == MAX_BARS + 5  # tables keep every rule


# -- CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_output_option_writes_the_report_to_a_file(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "input.jsonl").write_bytes((GOLDEN / "input.jsonl").read_bytes())
    args = ["input.jsonl", "-f", fmt, "--lang", "en", "-o", "r.out"]
    code, out = _run(args, tmp_path, monkeypatch)
    assert code == 1 and out == ""
    written = (tmp_path / "r.out").read_text(encoding="utf-8")
    assert written == (GOLDEN / f"report.en.{EXT[fmt]}").read_text(encoding="utf-8")


def test_output_to_an_unwritable_place_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "input.jsonl").write_bytes((GOLDEN / "input.jsonl").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "input.jsonl", "-o", "no/such/dir/r.html"])
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_html_of_unusable_input_still_writes_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.json").write_text("[1]", encoding="utf-8")
    code, out = _run(["bad.json", "-f", "html", "--lang", "en"], tmp_path, monkeypatch)
    assert code == 2 and 'data-verdict="unusable"' in out


# -- a real browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated scanlines of a PNG: enough to see it is not blank."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("CI") and CHROMIUM is None,
    reason="chromium is not installed (it is installed and required in CI)",
)
@pytest.mark.parametrize("lang", LANGS)
def test_html_renders_in_headless_chromium(lang: Lang, tmp_path: Path) -> None:
    assert CHROMIUM is not None, "CI must provide chromium (.ci/run installs it)"
    report = validate(GOLDEN / "input.jsonl", name="input.jsonl")
    page = tmp_path / "report.html"
    page.write_text(render_html(report, lang), encoding="utf-8")
    url = page.as_uri()

    png = tmp_path / "shot.png"
    shot = _chromium(f"--screenshot={png}", "--window-size=1200,1600", url, profile=tmp_path / "p1")
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert len(data) > 10_000
    width, height, pixels = _png_pixels(data)
    assert (width, height) == (1200, 1600)
    assert len(set(pixels)) > 16  # many colours, not a blank page
    rows = {pixels[i : i + 200] for i in range(0, len(pixels), len(pixels) // 64)}
    assert len(rows) > 8

    dom = _chromium("--dump-dom", url, profile=tmp_path / "p2")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert html.count("<svg") == 2 and 'id="chart-rules"' in html and 'id="chart-types"' in html
    assert html.count('<g class="bar') == len(report.issues_by_code) + len(report.issues_by_type)
    counts = [
        ("records", report.records),
        ("errors", report.errors),
        ("warnings", report.warnings),
        ("rules", len(report.issues_by_code)),
    ]
    for key, value in counts:
        assert f'id="count-{key}" data-count="{value}">{value}<' in html
    for code in report.issues_by_code:
        assert f'id="rule-{code}"' in html
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in html
