"""Plugins: found through entry points, broken ones reported without breaking the CLI, and
``vstd connectors show`` printing a connector's configuration schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from volunteer_standard import plugins
from volunteer_standard.cli import app
from volunteer_standard.connectors import registry
from volunteer_standard.registry import reset

GOOD = """
from volunteer_standard import hookimpl
from volunteer_standard.connectors.standard import StandardConnector


class DemoConnector(StandardConnector):
    name = "demo"
    title = "Demo connector from a test plugin"


@hookimpl
def register_connectors(register):
    register(DemoConnector)


@hookimpl
def register_commands(cli):
    @cli.command("hello")
    def hello() -> None:
        print("hello from a plugin")
"""

BROKEN_AT_IMPORT = 'raise RuntimeError("boom at import")\n'

BROKEN_IN_HOOK = """
from volunteer_standard import hookimpl
from volunteer_standard.connectors.standard import StandardConnector


class HalfConnector(StandardConnector):
    name = "half"
    title = "registered before the hook failed"


@hookimpl
def register_connectors(register):
    register(HalfConnector)
    raise ValueError("boom in hook")


@hookimpl
def register_commands(cli):
    raise KeyError("no commands today")
"""


def _install(site: Path, dist: str, module: str, source: str) -> None:
    """A minimal installed distribution: a module and a dist-info with an entry point."""
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[volunteer_standard]\n{dist} = {module}\n", encoding="utf-8"
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "vstd-test-good", "vstd_test_good", GOOD)
    _install(site, "vstd-test-broken", "vstd_test_broken", BROKEN_AT_IMPORT)
    _install(site, "vstd-test-hook", "vstd_test_hook", BROKEN_IN_HOOK)
    return site


@pytest.fixture
def loaded(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The plugin manager reloaded with the test plugins on ``sys.path``."""
    monkeypatch.syspath_prepend(str(site))
    reset()
    try:
        yield site
    finally:
        for name in ("vstd_test_good", "vstd_test_broken", "vstd_test_hook"):
            sys.modules.pop(name, None)
        monkeypatch.undo()
        reset()


def test_plugin_infos_report_broken_plugins(loaded: Path) -> None:
    infos = {i.name: i for i in plugins.plugin_infos()}
    assert infos["vstd-test-good"].error is None
    assert infos["vstd-test-good"].version == "1.2.3"
    assert infos["vstd-test-good"].hooks == ["register_commands", "register_connectors"]
    assert infos["vstd-test-broken"].error == "RuntimeError: boom at import"
    assert infos["vstd-test-hook"].error == "register_connectors: ValueError: boom in hook"
    # the healthy plugins still provide their connectors; the half-registered one does not
    names = registry.connectors()
    assert "demo" in names and "standard" in names
    assert "half" not in names


def test_vstd_plugins_lists_broken_ones_and_still_works(loaded: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["plugins"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "vstd-test-broken 1.2.3 [plugin] BROKEN: RuntimeError: boom at import" in lines
    assert any(line.startswith("vstd-test-hook 1.2.3 [plugin] BROKEN:") for line in lines)
    assert "vstd-test-good 1.2.3 [plugin] hooks: register_commands, register_connectors" in lines
    # vstd --help does not import plugins to list their commands: vstd plugins does
    assert "commands added by plugins (not in vstd --help): hello" in lines
    as_json = json.loads(runner.invoke(app, ["plugins", "--json"]).output)
    broken = next(p for p in as_json if p["name"] == "vstd-test-broken")
    assert broken["error"] == "RuntimeError: boom at import"
    listed = runner.invoke(app, ["connectors", "list"])
    assert listed.exit_code == 0
    assert "demo" in listed.output


def _env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(site)
    return env


def test_the_cli_survives_broken_plugins_in_a_fresh_process(site: Path) -> None:
    """As a user meets it: the plugins are installed before ``vstd`` starts."""

    def vstd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "volunteer_standard", *args],
            capture_output=True,
            text=True,
            env=_env(site),
            timeout=60,
            check=False,
        )

    listed = vstd("plugins")
    assert listed.returncode == 0, listed.stderr
    assert "BROKEN: RuntimeError: boom at import" in listed.stdout
    assert "register_commands: KeyError" in listed.stdout
    # every kind is checked, though nothing in this process has needed a connector yet
    assert "register_connectors: ValueError: boom in hook" in listed.stdout
    hello = vstd("hello")  # a command added by the healthy plugin
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.strip() == "hello from a plugin"
    assert vstd("--version").returncode == 0


def test_connectors_show_prints_the_config_schema() -> None:
    result = CliRunner().invoke(app, ["connectors", "show", "standard"])
    assert result.exit_code == 0, result.output
    described = json.loads(result.output)
    assert described["name"] == "standard"
    schema = described["config_schema"]
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["form"]["enum"] == ["auto", "jsonl", "package"]
    assert "volunteer" in described["reads"] and "volunteer" in described["writes"]


def test_connectors_show_unknown_suggests() -> None:
    result = CliRunner().invoke(app, ["connectors", "show", "standart"])
    assert result.exit_code == 2
    assert "did you mean standard" in result.output


def test_secrets_are_write_only_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import SecretStr

    from volunteer_standard.connectors import Connector, ConnectorConfig, load_config

    class ApiConfig(ConnectorConfig):
        base_url: str = "https://api.example.com"
        token: SecretStr | None = None

    class Api(Connector):
        name = "api-demo"
        title = "demo"
        config_model = ApiConfig

    monkeypatch.setenv("VSTD_API_DEMO_TOKEN", "s3cr3t")
    config = load_config(Api)
    assert isinstance(config, ApiConfig) and config.token is not None
    assert config.token.get_secret_value() == "s3cr3t"
    assert "s3cr3t" not in repr(config) and "s3cr3t" not in str(config.model_dump())
    schema = Api.describe()["config_schema"]
    assert "writeOnly" in json.dumps(schema["properties"]["token"])
