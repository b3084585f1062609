"""``vstd plugins``: what is installed, what each plugin provides, and what is broken."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, resolve_lang
from volunteer_standard.text import Text

_KIND = {True: Text("内置", "built-in"), False: Text("插件", "plugin")}
_BROKEN = Text("有问题", "BROKEN")
_HOOKS = Text("钩子", "hooks")
_OVERRIDES = Text("替换内置", "overrides")
_COMMANDS = Text(
    "插件添加的命令（vstd --help 不列出）", "commands added by plugins (not in vstd --help)"
)


def plugins_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    lang: LangArg = None,
) -> None:
    """List built-in and installed plugins with versions, hooks and problems."""
    from volunteer_standard.plugins import call_each, plugin_infos

    language = resolve_lang(lang)
    extra = typer.Typer()

    @extra.callback()
    def _group() -> None:  # a group even for one command
        """Plugin commands."""

    call_each("register_commands", cli=extra)  # a plugin failing there is shown too
    infos = plugin_infos()
    if as_json:
        rows = [
            {
                "name": i.name,
                "version": i.version,
                "builtin": i.builtin,
                "hooks": i.hooks,
                "error": i.error_text(language),
                "overrides": i.overrides,
            }
            for i in infos
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for info in infos:
        head = f"{info.name} {info.version or '?'} [{_KIND[info.builtin].get(language)}]"
        if info.errors:
            typer.echo(f"{head} {_BROKEN.get(language)}: {info.error_text(language)}")
            continue
        line = f"{head} {_HOOKS.get(language)}: {', '.join(info.hooks) or '-'}"
        if info.overrides:
            line += f" ({_OVERRIDES.get(language)}: {', '.join(info.overrides)})"
        typer.echo(line)
    added = sorted(typer.main.get_group(extra).commands)
    if added:
        typer.echo(f"{_COMMANDS.get(language)}: {', '.join(added)}")
