"""The built-in commands are built when looked up (start-up, issue 13), and each is the
command typer builds when every command is registered on the application up front."""

from __future__ import annotations

import importlib
from typing import Any

import typer

from volunteer_standard import cli
from volunteer_standard.cli import BUILTIN_COMMANDS, app
from volunteer_standard.commands._lazy import LazyCommands


def test_a_command_is_built_on_its_first_lookup_only() -> None:
    built: list[str] = []

    def build(name: str) -> str:
        built.append(name)
        return f"<{name}>"

    commands = LazyCommands(["b", "a", "c"], build, {"z": "<given>"})
    assert list(commands) == ["b", "a", "c", "z"] and len(commands) == 4
    assert "a" in commands and "y" not in commands and built == []
    assert commands["a"] == "<a>" and commands.get("a") == "<a>" and built == ["a"]
    assert commands.get("y") is None and commands["z"] == "<given>"
    commands["a"] = "<replaced>"
    del commands["b"]
    assert dict(commands.items()) == {"a": "<replaced>", "c": "<c>", "z": "<given>"}
    assert built == ["a", "c"]


def _eager_app() -> typer.Typer:
    """``app`` as it was before: every built-in registered with typer at import."""
    eager = typer.Typer(
        name="vstd",
        help=app.info.help,
        epilog=app.info.epilog,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    eager.callback()(cli._root)
    for name, (module, attribute) in BUILTIN_COMMANDS.items():
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(target, typer.Typer):
            eager.add_typer(target, name=name)
        else:
            eager.command(name)(target)
    return eager


def _plain(value: Any) -> Any:
    """A comparable form of an attribute: functions and typer's descriptors by what they
    name, not by identity (each build makes its own wrappers)."""
    if callable(value) and not isinstance(value, type):
        return getattr(value, "__qualname__", type(value).__name__)
    annotation = getattr(value, "annotation", None)
    return repr(annotation) if annotation is not None else repr(value)


def _describe(command: Any) -> Any:
    """Every attribute of a command and of its parameters, and its subcommands."""
    attributes = {
        key: _plain(value)
        for key, value in vars(command).items()
        if key not in ("params", "commands", "callback")
    }
    params = [{key: _plain(value) for key, value in vars(p).items()} for p in command.params]
    subcommands = {name: _describe(sub) for name, sub in getattr(command, "commands", {}).items()}
    return (type(command).__name__, attributes, params, subcommands)


def test_the_lazy_commands_are_the_commands_typer_builds_eagerly() -> None:
    lazy = typer.main.get_command(app)
    eager = typer.main.get_command(_eager_app())
    assert list(lazy.commands) == list(eager.commands) == list(BUILTIN_COMMANDS)  # type: ignore[attr-defined]
    for name in BUILTIN_COMMANDS:
        assert _describe(lazy.commands[name]) == _describe(eager.commands[name]), name  # type: ignore[attr-defined]
