"""The documentation site: every page in both languages, references generated from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.gen import reference, twins

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_has_its_other_language_twin() -> None:
    assert twins.missing_twins(ROOT / "docs") == []


def test_a_missing_twin_is_named_either_way(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "a.zh.md").write_text("# 甲\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# B\n", encoding="utf-8")
    (tmp_path / "c.zh.md").write_text("# 丙\n", encoding="utf-8")
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "notes.md").write_text("tooling, not a page\n", encoding="utf-8")
    assert twins.missing_twins(tmp_path) == [
        "docs/c.zh.md has no English twin docs/c.md",
        "docs/sub/b.md has no Chinese twin docs/sub/b.zh.md",
    ]


def test_generated_references_match_the_code() -> None:
    assert reference.drift() == [], f"run: {reference.REGENERATE}"


@pytest.mark.parametrize("name", sorted(reference.pages()))
def test_generated_page_says_how_it_is_made(name: str) -> None:
    text = reference.pages()[name]()
    assert text.startswith("# ") and "<!--" in text.split("\n\n", 2)[1]


def test_cli_reference_lists_every_builtin_command_and_option() -> None:
    text = reference.cli("en")
    for needle in ("## `vstd validate`", "## `vstd certificate verify`", "`--profile`", "`--lang`"):
        assert needle in text


def test_connector_reference_marks_secrets() -> None:
    text = reference.connectors("en")
    assert "## exchange" in text and "`token`" in text and "*(secret)*" in text


def test_exchange_api_reference_lists_every_operation() -> None:
    import json

    document = json.loads((ROOT / "schemas" / "exchange-api.openapi.json").read_text("utf-8"))
    text = reference.exchange_api("zh")
    for path in document["paths"]:
        assert f"`{path}`" in text


def test_chinese_lines_are_joined_outside_code() -> None:
    from docs.gen import hooks

    text = "得到一份\n可以直接发给\nvstd 的报告。\n\n```text\n第一行\n第二行\n```\n中文\n换行\n"
    assert hooks.join_cjk_lines(text) == (
        "得到一份可以直接发给\nvstd 的报告。\n\n```text\n第一行\n第二行\n```\n中文换行\n"
    )
