"""Side doors: config errors that quoted secrets, scaffolds written through symlinks."""

from __future__ import annotations

from pathlib import Path

import pytest

from volunteer_standard.connectors.base import ConnectorError, _read_config_file
from volunteer_standard.scaffold import ScaffoldError, create_plugin


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("c.yaml", 'form: auto\napi_key: "TOPSECRET-1234\n  x: ['),
        ("c.toml", 'api_key = "TOPSECRET-1234\nform = 1'),
        ("c.json", '{"api_key": "TOPSECRET-1234", }'),
    ],
)
def test_config_syntax_errors_never_quote_the_line(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConnectorError) as info:
        _read_config_file(path)
    message = str(info.value)
    assert "TOPSECRET" not in message and "line" in message  # main printed the line


def test_plugin_new_force_refuses_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "README.md"
    victim.write_text("keep me", encoding="utf-8")
    root = tmp_path / "work" / "vstd-connector-acme"
    root.mkdir(parents=True)
    (root / "README.md").symlink_to(victim)
    with pytest.raises(ScaffoldError, match="symbolic link"):
        create_plugin("acme", tmp_path / "work", force=True)
    assert victim.read_text(encoding="utf-8") == "keep me"  # overwritten on main
