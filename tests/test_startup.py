"""Start-up stays light: importing the command line (and running ``vstd --version``,
``--help`` or ``validate`` of a small file) imports only what that run needs.

Checked by the modules a fresh process has loaded, not by timing (timings belong to
``bench/startup.py``): a module-level import of the models, a connector or rich in a command
module fails here at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: Never needed to build the command line, whatever the command.
HEAVY = (
    "sqlalchemy",
    "httpx",
    "jsonschema",
    "openpyxl",
    "cryptography",
    "reportlab",
    "volunteer_standard.models",
    "volunteer_standard.validation",
    "volunteer_standard.connectors",
    "volunteer_standard.engine",
    "volunteer_standard.certificates",
    "volunteer_standard.registry",
)


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The names in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    script = (
        "import json, sys\n"
        f"{code}\n"
        "sys.__stdout__.write('\\n@@' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert "@@" in done.stdout, done.stderr
    return set(json.loads(done.stdout.rsplit("@@", 1)[1]))


def _loaded(modules: set[str], wanted: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == w or m.startswith(w + ".") for w in wanted))


def _run_cli(*args: str) -> str:
    return (
        "from volunteer_standard.cli import app\n"
        "try:\n"
        f"    app(args={list(args)!r}, standalone_mode=True)\n"
        "except SystemExit:\n"
        "    pass\n"
    )


def test_importing_the_package_and_the_cli_imports_no_heavy_module() -> None:
    modules = _modules_after("import volunteer_standard, volunteer_standard.cli")
    assert _loaded(modules, (*HEAVY, "pydantic", "rich", "pluggy")) == []


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), ("validate", "--help"), ("convert", "--help")]
)
def test_version_and_help_import_neither_the_library_nor_the_plugins(
    args: tuple[str, ...],
) -> None:
    modules = _modules_after(_run_cli(*args))
    assert _loaded(modules, HEAVY) == []
    if args == ("--version",):
        assert _loaded(modules, ("rich",)) == []  # rich is for help and progress only


#: The command modules of ``vstd``; a run imports the one of its command only.
COMMAND_MODULES = tuple(
    f"volunteer_standard.commands.{name}"
    for name in (
        "certificate", "codelists", "connectors", "convert", "fields", "keys", "mapping",
        "plugin", "plugins", "rules", "schema", "serve", "sync", "template", "upgrade",
        "validate",
    )
)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (("--version",), None),
        (("validate", "--help"), "validate"),
        (("convert", "--help"), "convert"),
        (("codelists", "--help"), "codelists"),
    ],
)
def test_a_run_builds_only_its_own_command(args: tuple[str, ...], module: str | None) -> None:
    """Typer reads every parameter of a command it builds: a run builds its command only
    (``vstd --help`` lists, and so builds, them all)."""
    modules = _modules_after(_run_cli(*args))
    expected = [] if module is None else [f"volunteer_standard.commands.{module}"]
    assert _loaded(modules, COMMAND_MODULES) == expected


def test_validate_of_a_small_file_imports_no_connector_library() -> None:
    """Rules and profiles load the plugins, but the built-in connectors (SQLAlchemy, httpx,
    spreadsheets) are imported only when a connector is looked up."""
    code = _run_cli("validate", str(EXAMPLES / "sample.jsonl"))
    modules = _modules_after(code, {"VSTD_LOAD_PLUGINS": ""})  # no third-party plugins
    assert "volunteer_standard.validation" in modules  # it did validate
    assert _loaded(modules, ("sqlalchemy", "httpx", "openpyxl", "rich")) == []


#: What a small validation in one process, with a text report, never needs.
NOT_FOR_A_SMALL_VALIDATION = (
    "multiprocessing",  # the worker pool starts only for an input of several batches
    "concurrent.futures",
    "volunteer_standard.validation.html",  # the HTML report
    "volunteer_standard.connectors.base",  # connectors (the built-in plugin is loaded)
    "volunteer_standard.connectors.registry",
)


def test_validate_of_a_small_file_imports_neither_the_pool_nor_other_reports() -> None:
    code = _run_cli("validate", str(EXAMPLES / "sample.jsonl"))
    modules = _modules_after(code, {"VSTD_LOAD_PLUGINS": ""})
    assert "volunteer_standard.connectors.builtin" in modules  # the plugins were loaded
    assert _loaded(modules, NOT_FOR_A_SMALL_VALIDATION) == []


def test_extension_schemas_are_checked_only_for_a_namespace_the_records_use(
    tmp_path: Path,
) -> None:
    """jsonschema (checking a plugin's extension schema) is imported when a record holds a
    namespace that a plugin registers, not for records whose extensions are all others."""
    other = tmp_path / "other.jsonl"
    other.write_text('{"type": "organization", "id": "o1", "name": "甲", "extensions": '
                     '{"mine": {"n": 1}}}\n', "utf-8")  # fmt: skip
    registered = tmp_path / "registered.jsonl"
    registered.write_text(other.read_text("utf-8").replace('"mine"', '"demo"'), "utf-8")
    code = (
        "import volunteer_standard as vs\n"
        "from volunteer_standard import hookimpl\n"
        "from volunteer_standard.plugins import register_plugin\n"
        "class Demo:\n"
        "    @hookimpl\n"
        "    def register_extensions(self, register):\n"
        "        register('demo', {'type': 'object', 'properties': {'n': {'type': 'string'}}})\n"
        "register_plugin(Demo(), name='demo')\n"
        f"assert vs.validate({str(other)!r}).issues_by_code.get('VS151') is None\n"
        "assert 'jsonschema' not in sys.modules, 'checked for a namespace nobody registers'\n"
        f"assert vs.validate({str(registered)!r}).issues_by_code['VS151'] == 1\n"
    )
    assert "jsonschema" in _modules_after(code, {"VSTD_LOAD_PLUGINS": ""})


def test_public_names_import_on_first_use_in_a_fresh_process() -> None:
    code = (
        "import volunteer_standard as v, sys\n"
        "assert 'volunteer_standard.models' not in sys.modules\n"
        "from volunteer_standard import Volunteer, validate, convert, upgrade, codelists\n"
        "import volunteer_standard.upgrade\n"  # the submodule does not hide the function
        "assert callable(v.upgrade) and v.upgrade.__name__ == 'upgrade'\n"
        "assert v.Volunteer.__name__ == 'Volunteer' and 'validate' in dir(v)\n"
        "try:\n"
        "    v.no_such_name\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no error for an unknown name')\n"
    )
    assert "volunteer_standard.models" in _modules_after(code)


def test_the_convert_command_default_profile_is_the_engine_default() -> None:
    from volunteer_standard.commands import convert
    from volunteer_standard.engine import DEFAULT_PROFILE

    assert convert.DEFAULT_PROFILE == DEFAULT_PROFILE


BUNDLED = ("zyh", "openbadges", "gateway", "hsds", "nvsi")


def test_the_bundled_connector_plugins_load_without_their_connectors() -> None:
    """A validation loads the plugins (for their rules and profiles); the reference
    connector plugins import their connector, and its libraries, only when it is used."""
    import importlib.metadata

    installed = {ep.name for ep in importlib.metadata.entry_points(group="volunteer_standard")}
    if not set(BUNDLED) <= installed:
        pytest.skip("the reference plugins are not installed (make install)")
    code = _run_cli("validate", str(EXAMPLES / "sample.jsonl"))
    modules = _modules_after(code, {"VSTD_LOAD_PLUGINS": ",".join(BUNDLED)})
    assert {f"vstd_connector_{name}" for name in BUNDLED} <= modules  # they were loaded
    connectors = tuple(f"vstd_connector_{name}.connector" for name in BUNDLED)
    assert _loaded(modules, ("sqlalchemy", "httpx", *connectors)) == []


def test_every_kind_exists_for_a_program_that_imported_only_the_package() -> None:
    """Kinds are declared by modules that ``import volunteer_standard`` no longer imports:
    the registry imports them when asked for all kinds (``kinds()``, ``vstd plugins``)."""
    code = (
        "from volunteer_standard.registry import KIND_OWNERS, REGISTRY\n"
        "assert set(REGISTRY.kinds()) == set(KIND_OWNERS), REGISTRY.kinds()\n"
    )
    _modules_after(code)
