"""The one registry: malformed registrations are isolated and reported, built-ins cannot be
shadowed silently, run-time plugins reach every kind, and one call resets everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import volunteer_standard as vs
from volunteer_standard import hookimpl
from volunteer_standard.cli import app
from volunteer_standard.connectors import connectors, get_connector
from volunteer_standard.connectors.standard import StandardConnector
from volunteer_standard.plugins import plugin_infos, register_plugin, unregister_plugin
from volunteer_standard.profiles import available_profiles, load_profile
from volunteer_standard.registry import REGISTRY, RegistrationError, reset

ROOT = Path(__file__).resolve().parents[1]


class _NoName(StandardConnector):
    title = "a connector class without its own name"


_NoName.name = None  # type: ignore[assignment]


class _Good(StandardConnector):
    name = "good-demo"
    title = "a healthy connector"


@pytest.fixture
def plugin() -> Iterator[Any]:
    """Register plugin objects for one test; everything is forgotten afterwards."""
    names: list[str] = []

    def add(obj: Any, name: str) -> None:
        register_plugin(obj, name=name)
        names.append(name)

    yield add
    for name in names:
        unregister_plugin(name)


def _errors(name: str) -> str:
    info = next(i for i in plugin_infos() if i.name == name)
    return info.error or ""


def test_a_connector_class_without_a_name_is_isolated(plugin: Any) -> None:
    class Bad:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(_Good)
            register(_NoName)

    plugin(Bad(), "bad-connector-plugin")
    assert "has no valid 'name'" in _errors("bad-connector-plugin")
    # the plugin's healthy connector is dropped with it; the built-ins still work
    assert "good-demo" not in connectors()
    assert get_connector("standard") is StandardConnector


def test_a_string_instead_of_a_class_is_isolated(plugin: Any, tmp_path: Path) -> None:
    class Bad:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register("not a class")

    plugin(Bad(), "string-connector-plugin")
    assert "expected a Connector subclass, got str" in _errors("string-connector-plugin")
    out = tmp_path / "out.jsonl"
    summary = vs.convert(str(ROOT / "examples" / "sample.jsonl"), str(out))
    assert summary.balanced and summary.written > 0
    listed = CliRunner().invoke(app, ["plugins", "--lang", "en"])
    assert "string-connector-plugin ? [plugin] BROKEN:" in listed.output


def test_a_profile_with_a_missing_file_does_not_break_validate(plugin: Any, tmp_path: Path) -> None:
    class Bad:
        @hookimpl
        def register_profiles(self, register: Any) -> None:
            register("ghost", tmp_path / "missing.toml")

    plugin(Bad(), "missing-profile-plugin")
    assert "no such file" in _errors("missing-profile-plugin")
    assert "ghost" not in available_profiles()
    assert vs.validate(ROOT / "examples" / "sample.jsonl", profile="structure").valid
    assert vs.validate(ROOT / "examples" / "sample.jsonl").valid


def test_a_plugin_cannot_shadow_national_silently(plugin: Any, tmp_path: Path) -> None:
    lax = tmp_path / "national.toml"
    lax.write_text('name = "national"\n[rules]\ndisable = ["VR*"]\n', encoding="utf-8")

    class Shadow:
        @hookimpl
        def register_profiles(self, register: Any) -> None:
            register("national", lax)

    plugin(Shadow(), "shadow-plugin")
    assert "built-in name" in _errors("shadow-plugin")
    assert available_profiles()["national"] != lax
    national = load_profile("national")
    assert national.rules.disable == () and any(
        c.startswith("VR") for c in national.enabled_codes()
    )


def test_an_explicit_override_is_allowed_and_visible(plugin: Any, tmp_path: Path) -> None:
    mine = tmp_path / "structure.toml"
    mine.write_text('name = "structure"\n[rules]\ndisable = ["VR*"]\n', encoding="utf-8")

    class Override:
        @hookimpl
        def register_profiles(self, register: Any) -> None:
            register("structure", mine, override=True)

    plugin(Override(), "override-plugin")
    assert available_profiles()["structure"] == mine
    info = next(i for i in plugin_infos() if i.name == "override-plugin")
    assert info.error is None and info.overrides == ["register_profiles: structure"]
    listed = CliRunner().invoke(app, ["plugins", "--lang", "en"])
    assert "(overrides: register_profiles: structure)" in listed.output


def test_a_run_time_plugin_reaches_every_kind_without_a_restart(
    plugin: Any, tmp_path: Path
) -> None:
    assert "later" not in available_profiles()  # the registry is already filled
    profile = tmp_path / "later.toml"
    profile.write_text('name = "later"\nextends = "national"\n', encoding="utf-8")

    class Later:
        @hookimpl
        def register_profiles(self, register: Any) -> None:
            register("later", profile)

        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(_Good)

    plugin(Later(), "later-plugin")
    assert load_profile("later").lineage == ("national", "later")
    assert get_connector("good-demo") is _Good


def test_two_plugins_cannot_claim_one_name(plugin: Any) -> None:
    class First:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(_Good)

    class Twin(StandardConnector):
        name = "good-demo"
        title = "another class under the same name"

    class Second:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(Twin)

    plugin(First(), "first-plugin")
    plugin(Second(), "second-plugin")
    assert "already registered by first-plugin" in _errors("second-plugin")
    assert get_connector("good-demo") is _Good


def test_add_refuses_a_bad_object_at_run_time() -> None:
    from volunteer_standard.connectors.registry import CONNECTORS

    with pytest.raises(RegistrationError, match="Connector subclass"):
        CONNECTORS.add(42)


def test_reset_forgets_everything_in_one_call(plugin: Any) -> None:
    class Extra:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(_Good)

    plugin(Extra(), "extra-plugin")
    assert "good-demo" in connectors()
    manager = REGISTRY.manager
    reset()
    assert REGISTRY.manager is not manager  # loaded again, run-time plugins included
    assert "good-demo" in connectors()


# -- installed plugins, in a fresh process -----------------------------------------------------

HANGS = "import time\ntime.sleep(600)\n"


def _install(site: Path, dist: str, module: str, source: str) -> None:
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[volunteer_standard]\n{dist} = {module}\n")


def _vstd(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    environ.update(PYTHONPATH=str(site), **env)
    return subprocess.run(
        [sys.executable, "-m", "volunteer_standard", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


def test_a_plugin_that_hangs_at_import_cannot_hang_the_tool(tmp_path: Path) -> None:
    _install(tmp_path, "vstd-hangs", "vstd_hangs", HANGS)
    started = time.monotonic()
    assert _vstd(tmp_path, "--version").returncode == 0
    listed = _vstd(tmp_path, "plugins", "--lang", "en", VSTD_PLUGIN_TIMEOUT="1")
    assert listed.returncode == 0, listed.stderr
    assert "vstd-hangs 1.0 [plugin] BROKEN: did not finish importing within 1 s" in listed.stdout
    checked = _vstd(
        tmp_path, "validate", str(ROOT / "examples" / "sample.json"), VSTD_PLUGIN_TIMEOUT="1"
    )
    assert checked.returncode == 0, checked.stderr
    assert time.monotonic() - started < 60


def test_vstd_load_plugins_chooses_which_plugins_load(tmp_path: Path) -> None:
    _install(tmp_path, "vstd-hangs", "vstd_hangs", HANGS)
    only = _vstd(tmp_path, "plugins", "--json", VSTD_LOAD_PLUGINS="nvsi")
    names = {p["name"] for p in json.loads(only.stdout)}
    assert "vstd-hangs" not in names
    assert "volunteer_standard.connectors.builtin" in names  # built-ins always load
    none = _vstd(tmp_path, "plugins", "--json", VSTD_LOAD_PLUGINS="")
    assert all(p["builtin"] for p in json.loads(none.stdout))


def test_no_plugin_wanted_reads_no_installed_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """``VSTD_LOAD_PLUGINS=""`` loads the built-ins only, without scanning every installed
    package's entry points (start-up, issue 13)."""
    import importlib.metadata

    def scanned(**_: Any) -> Any:
        raise AssertionError("entry points read although no plugin is wanted")

    monkeypatch.setenv("VSTD_LOAD_PLUGINS", "")
    monkeypatch.setattr(importlib.metadata, "entry_points", scanned)
    reset()
    try:
        infos = plugin_infos(check=False)
        assert infos and all(info.builtin for info in infos)
    finally:
        monkeypatch.undo()
        reset()


def test_a_connector_must_implement_what_it_declares(plugin: Any) -> None:
    from volunteer_standard.connectors import Connector

    class Hollow(Connector):
        name = "hollow"
        title = "declares reading but cannot read"
        reads = ("volunteer",)

    class Bad:
        @hookimpl
        def register_connectors(self, register: Any) -> None:
            register(Hollow)

    plugin(Bad(), "hollow-plugin")
    assert "declares 'reads' but does not implement read()" in _errors("hollow-plugin")
