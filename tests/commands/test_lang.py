"""``--lang`` works on every command: per command, or once for all before the command."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "args",
    [
        ["codelists", "show", "gendr"],
        ["connectors", "show", "standart"],
        ["upgrade", "missing.json", "out.json"],
        ["validate", "missing.jsonl"],
        ["convert", "missing.jsonl", "out.jsonl"],
        ["rules", "--profile", "no-such-profile"],
    ],
)
def test_errors_follow_the_root_lang_option(
    args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("VSTD_LANG", raising=False)
    monkeypatch.chdir(str(tmp_path))
    zh = CliRunner().invoke(app, ["--lang", "zh", *args])
    en = CliRunner().invoke(app, ["--lang", "en", *args])
    assert zh.exit_code == en.exit_code != 0
    assert _CJK.search(zh.output), zh.output
    assert zh.output != en.output


def test_every_command_offers_lang_or_inherits_it() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--lang" in result.output
