"""``vstd plugin new``: the generated package installs, registers its connector through its
entry point, and passes its own tests (the conformance kit) out of the box."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
from typer.testing import CliRunner

from volunteer_standard.cli import app
from volunteer_standard.scaffold import PluginNames, ScaffoldError, create_plugin


def test_names_are_derived_and_checked() -> None:
    names = PluginNames.from_name("vstd-connector-acme-hr")
    assert names == PluginNames(
        name="acme-hr",
        dist="vstd-connector-acme-hr",
        module="vstd_connector_acme_hr",
        cls="AcmeHrConnector",
        namespace="acme_hr",
    )
    assert PluginNames.from_name("Zyh365").cls == "Zyh365Connector"
    for bad in ("", "1abc", "a b", "a--b", "a.b", "中文", "x" * 41):
        with pytest.raises(ScaffoldError, match="invalid connector name"):
            PluginNames.from_name(bad)


def test_create_plugin_writes_the_package(tmp_path: Path) -> None:
    root = create_plugin("acme-hr", tmp_path)
    assert root == tmp_path / "vstd-connector-acme-hr"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "README.md",
        "pyproject.toml",
        "src/vstd_connector_acme_hr/__init__.py",
        "src/vstd_connector_acme_hr/connector.py",
        "src/vstd_connector_acme_hr/py.typed",
        "tests/data/malformed.csv",
        "tests/data/volunteers.csv",
        "tests/test_connector.py",
    ]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert (
        '[project.entry-points.volunteer_standard]\nacme-hr = "vstd_connector_acme_hr"' in pyproject
    )
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".toml", ".md"):
            assert "{{" not in path.read_text(encoding="utf-8"), path
    with pytest.raises(ScaffoldError, match="exists and is not empty"):
        create_plugin("acme-hr", tmp_path)
    assert create_plugin("acme-hr", tmp_path, force=True) == root


def test_cli_plugin_new(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["plugin", "new", "acme", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "vstd-connector-acme") in result.output
    assert (
        tmp_path / "vstd-connector-acme" / "src" / "vstd_connector_acme" / "connector.py"
    ).exists()
    again = runner.invoke(app, ["plugin", "new", "acme", "--dir", str(tmp_path)])
    assert again.exit_code == 2
    assert "exists and is not empty" in again.output
    bad = runner.invoke(app, ["plugin", "new", "Not Valid", "--dir", str(tmp_path)])
    assert bad.exit_code == 2
    assert "invalid connector name" in bad.output


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without pytest's own variables (xdist workers set some)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(extra)
    return env


def test_create_http_plugin_writes_an_api_connector(tmp_path: Path) -> None:
    root = create_plugin("acme-api", tmp_path, kind="http")
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "README.md",
        "pyproject.toml",
        "src/vstd_connector_acme_api/__init__.py",
        "src/vstd_connector_acme_api/api.toml",
        "src/vstd_connector_acme_api/connector.py",
        "src/vstd_connector_acme_api/py.typed",
        "tests/data/volunteers.jsonl",
        "tests/test_connector.py",
    ]
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".toml", ".md"):
            assert "{{" not in path.read_text(encoding="utf-8"), path
    connector = (root / "src/vstd_connector_acme_api/connector.py").read_text(encoding="utf-8")
    assert "class AcmeApiConnector(HttpConnector):" in connector
    assert "VSTD_ACME_API_TOKEN" in (root / "README.md").read_text(encoding="utf-8")
    with pytest.raises(ScaffoldError, match="unknown kind"):
        create_plugin("acme-x", tmp_path, kind="soap")  # type: ignore[arg-type]


def test_cli_plugin_new_http(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["plugin", "new", "acme", "--kind", "http", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "vstd-connector-acme" / "src" / "vstd_connector_acme" / "api.toml").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "name"), [("csv", "acme-hr"), ("http", "acme-api")])
def test_generated_package_installs_and_passes_its_tests(
    tmp_path: Path, kind: Literal["csv", "http"], name: str
) -> None:
    module = "vstd_connector_" + name.replace("-", "_")
    root = create_plugin(name, tmp_path, kind=kind)
    site = tmp_path / "site"
    # A real build and install (wheel, entry point metadata) into a folder of its own, so the
    # shared environment of the test run is not changed.
    offline = (
        ["--no-build-isolation", "--no-index"] if importlib.util.find_spec("hatchling") else []
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            *offline,
            "--target",
            str(site),
            str(root),
        ],
        check=True,
        timeout=180,
        env=_clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )
    (dist_info,) = site.glob(f"{module}-*.dist-info")
    assert f"{name} = {module}" in (dist_info / "entry_points.txt").read_text()

    env = _clean_env(PYTHONPATH=str(site))
    listed = subprocess.run(
        [sys.executable, "-m", "volunteer_standard", "connectors", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert re.search(rf"^{name}\s", listed.stdout, re.MULTILINE), listed.stdout

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    output = tests.stdout + tests.stderr
    assert tests.returncode == 0, output
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) >= 12, output
    assert "failed" not in output and "error" not in output.lower(), output
