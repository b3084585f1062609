"""The one config reader: TOML, YAML and JSON; errors give the position, never the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from volunteer_standard.io.config import ConfigError, read_config


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("c.yaml", 'url: "postgresql://u:TOPSECRET@h/db\napi_key: [\n', "line"),
        ("c.toml", 'api_key = "TOPSECRET\n', "line 1"),
        ("c.json", '{"api_key": "TOPSECRET",\n', "line 2"),
    ],
)
def test_syntax_errors_never_quote_the_text(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config(path)
    for lang in ("zh", "en"):
        message = raised.value.message(lang)
        assert "TOPSECRET" not in message and "api_key" not in message
    assert where in raised.value.message("en")


def test_the_three_forms_read_alike(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('mapping = "m.yaml"\n[x]\ny = 1\n', encoding="utf-8")
    (tmp_path / "a.yaml").write_text("mapping: m.yaml\nx: {y: 1}\n", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"mapping": "m.yaml", "x": {"y": 1}}', encoding="utf-8")
    values = [read_config(tmp_path / f"a.{s}") for s in ("toml", "yaml", "json")]
    assert values[0] == values[1] == values[2] == {"mapping": "m.yaml", "x": {"y": 1}}


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes("entities: 张三".encode("gb18030"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_config(path)
