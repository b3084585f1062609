"""The ``vstd`` command line: a thin layer over the library, one module per command group.

Plugins' commands are loaded only when a command that is not built in is asked for, so
``vstd --help``, ``vstd --version`` and the built-in commands never wait for a plugin's
import (``vstd plugins`` shows which plugins add commands). A built-in command's module is
imported, and its parameters read, when the command is looked up (``BUILTIN_COMMANDS``):
``vstd validate FILE`` builds one command, not all of them. Each command module imports the
library inside its command function: building the command line costs typer alone.

Exit codes: 0 done, 1 the data has errors, 2 the input or the command line is unusable,
70 an internal error (a bug: the full traceback with ``--debug`` or ``VSTD_DEBUG=1``),
130/143 interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import typer
from typer.core import TyperGroup

from volunteer_standard._version import SCHEMA_VERSION, __version__
from volunteer_standard.commands._lazy import LazyCommands
from volunteer_standard.errors import VstdError
from volunteer_standard.text import default_lang

#: Exit code of an internal error (sysexits.h EX_SOFTWARE): never confused with "data errors".
EXIT_INTERNAL = 70
DEBUG_ENV = "VSTD_DEBUG"


#: How option values are shown in ``--help`` (instead of ``<str>``), by option name.
_METAVARS = {
    "lang": "zh|en",
    "profile": "PROFILE",
    "ignore": "CODE",
    "from_": "CONNECTOR",
    "to": "CONNECTOR|VERSION",
    "scheduler": "ADDRESS",
}


def _humanize(command: Any) -> Any:
    """Give every parameter a metavar a person would write: INPUT, FILE, N, none for flags."""
    if getattr(command, "_vstd_humane", False):
        return command
    command._vstd_humane = True
    for param in getattr(command, "params", ()):
        _humanize_param(param)
    plain_get_params = command.get_params

    def get_params(ctx: Any) -> Any:
        params = plain_get_params(ctx)
        for param in params:  # the --help option is made here, after the others
            _humanize_param(param)
        return params

    command.get_params = get_params
    for sub in getattr(command, "commands", {}).values():
        _humanize(sub)
    return command


def _humanize_param(param: Any) -> None:
    kind = _value_kind(param)
    if getattr(param, "param_type_name", "") == "argument":
        name = param.name.upper()
        param.metavar = name
        param.display_type_rich = lambda ctx: None
        param._usage_display_name = lambda: name if param.required else f"[{name}]"
    elif kind == "flag":
        param.metavar = ""
    elif param.name in _METAVARS:
        param.metavar = _METAVARS[param.name]
    elif kind is None and any(w in param.name for w in ("baseline", "state", "rejects", "config")):
        param.metavar = "FILE"
    else:
        param.metavar = kind or param.name.upper().replace("_", "-")


def _value_kind(param: Any) -> str | None:
    """ "flag", "N", "FILE", "a|b" (choices) or None, for typer's and click's parameters."""
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return "flag"
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        if getattr(desc, "is_choice", False):
            return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
        if getattr(desc, "is_path", False):
            return "FILE"
        annotation = getattr(desc, "annotation", None)
        if annotation is bool:
            return "flag"
        if annotation is int:
            return "N"
        return None
    name = getattr(getattr(param, "type", None), "name", "")
    if name == "choice":
        return "|".join(str(c) for c in param.type.choices)
    return {"integer": "N", "path": "FILE", "filename": "FILE", "boolean": "flag"}.get(name)


#: The built-in commands, in the order ``vstd --help`` lists them: name → (module, the
#: command function or the sub-application ``typer.Typer`` there).
BUILTIN_COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("volunteer_standard.commands.validate", "validate_command"),
    "schema": ("volunteer_standard.commands.schema", "schema_command"),
    "convert": ("volunteer_standard.commands.convert", "convert_command"),
    "upgrade": ("volunteer_standard.commands.upgrade", "upgrade_command"),
    "plugins": ("volunteer_standard.commands.plugins", "plugins_command"),
    "template": ("volunteer_standard.commands.template", "template_command"),
    "rules": ("volunteer_standard.commands.rules", "rules_command"),
    "sync": ("volunteer_standard.commands.sync", "sync_command"),
    "fields": ("volunteer_standard.commands.fields", "fields_command"),
    "codelists": ("volunteer_standard.commands.codelists", "app"),
    "connectors": ("volunteer_standard.commands.connectors", "app"),
    "plugin": ("volunteer_standard.commands.plugin", "app"),
    "certificate": ("volunteer_standard.commands.certificate", "app"),
    "keys": ("volunteer_standard.commands.keys", "app"),
    "serve": ("volunteer_standard.commands.serve", "app"),
    "mapping": ("volunteer_standard.commands.mapping", "app"),
}


def _builtin_command(name: str) -> Any:
    """The click command of the built-in ``name``, made as typer makes the subcommands of
    ``app`` (registered on a Typer of its own, built with ``app``'s settings)."""
    module, attribute = BUILTIN_COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
        return typer.main.get_group_from_info(
            holder.registered_groups[0],
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
    holder.command(name)(target)
    return typer.main.get_command_from_info(
        holder.registered_commands[0],
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


class _PluginCommands(TyperGroup):
    """Built-in commands when they are looked up; plugins' commands only when they are
    asked for by name (listing them would import every plugin, which ``vstd --help`` must
    not wait for)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(BUILTIN_COMMANDS, _builtin_command, self.commands)

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            _humanize_param(param)
        return params

    _plugin_group: TyperGroup | None = None

    def _plugins(self) -> TyperGroup:
        if self._plugin_group is None:
            from volunteer_standard.plugins import call_each

            extra = typer.Typer()

            @extra.callback()
            def _callback() -> None:  # makes typer build a group even for one command
                """Plugin commands."""

            call_each("register_commands", cli=extra)  # failures are recorded per plugin
            group = typer.main.get_group(extra)
            for name in list(group.commands):
                if name in self.commands:
                    group.commands.pop(name)  # a plugin cannot replace a built-in command
            self._plugin_group = group
        return self._plugin_group

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            found = self._plugins().commands.get(cmd_name)
        return None if found is None else _humanize(found)


app = typer.Typer(
    name="vstd",
    cls=_PluginCommands,
    help="volunteer-standard: validate and convert volunteer-service data (志愿服务数据标准).",
    epilog="Commands that plugins add run by name; 'vstd plugins' lists them. "
    "插件添加的命令按名称运行，'vstd plugins' 列出这些命令。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vstd {__version__} (standard {SCHEMA_VERSION})")
        raise typer.Exit()


def _debug(value: bool) -> None:
    if value:
        os.environ[DEBUG_ENV] = "1"


def _lang(value: str | None) -> None:
    """``vstd --lang zh COMMAND``: every command's messages in that language."""
    if value is not None:
        if value not in ("zh", "en"):
            raise typer.BadParameter("zh or en")
        os.environ["VSTD_LANG"] = value


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        callback=_debug,
        is_eager=True,
        help="Show the full traceback of an internal error.",
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        callback=_lang,
        is_eager=True,
        help="Language of every message: zh or en (default: from the locale).",
    ),
) -> None:
    """Validate and convert volunteer-service data against the volunteer standard."""


def _run(argv: list[str] | None) -> Any:
    """The command line; a library error is one line in the user's language and exit 2."""
    try:
        return app(args=argv, standalone_mode=True)
    except VstdError as exc:
        typer.echo(f"vstd: error: {exc.message(default_lang())}", err=True)
        raise SystemExit(2) from None


def main(argv: list[str] | None = None) -> None:
    """Run the command line with every exit mapped: SIGINT/SIGTERM remove temporaries and
    exit 130/143, a closed pipe ends quietly, a bug exits 70 with one line."""
    from volunteer_standard.interrupts import run_guarded

    run_guarded(lambda: _run(argv), internal_exit=EXIT_INTERNAL)
