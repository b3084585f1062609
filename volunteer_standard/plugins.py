"""The plugin manager: built-in connectors and installed plugins, found by entry point.

A plugin that fails to import is recorded with its error instead of breaking the CLI;
``vstd plugins`` shows it.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pluggy

from volunteer_standard import hookspecs

ENTRY_POINT_GROUP = "volunteer_standard"
BUILTIN_PLUGINS = ("volunteer_standard.connectors.builtin",)


@dataclass
class PluginInfo:
    """What ``vstd plugins`` shows about one plugin."""

    name: str
    version: str | None
    hooks: list[str] = field(default_factory=list)
    builtin: bool = False
    error: str | None = None


@dataclass
class _State:
    manager: pluggy.PluginManager
    infos: list[PluginInfo]


def _dist_version(ep: importlib.metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.version if dist is not None else None


@cache
def _state() -> _State:
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    from volunteer_standard._version import __version__

    for module_name in BUILTIN_PLUGINS:
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
        infos.append(PluginInfo(module_name, __version__, builtin=True))
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        info = PluginInfo(ep.name, _dist_version(ep))
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:
            info.error = f"{type(exc).__name__}: {exc}"
        infos.append(info)
    for info in infos:
        plugin = pm.get_plugin(info.name)
        if plugin is not None:
            info.hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
    return _State(pm, infos)


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, loaded on first use."""
    return _state().manager


def plugin_infos(*, check: bool = True) -> list[PluginInfo]:
    """Built-in and installed plugins, with the hooks each implements or its error.

    With ``check`` the ``register_*`` hooks are called first, so that a plugin that loads
    but fails when asked what it provides is shown as broken too.
    """
    if check:
        check_hooks()
    return list(_state().infos)


def register_plugin(plugin: Any, name: str | None = None) -> None:
    """Register a plugin object at run time (tests, embedding applications)."""
    pm = get_plugin_manager()
    pm.register(plugin, name=name)
    _state().infos.append(PluginInfo(name or repr(plugin), None))
    _clear_caches()


def unregister_plugin(name: str) -> None:
    pm = get_plugin_manager()
    pm.unregister(name=name)
    _state().infos[:] = [i for i in _state().infos if i.name != name]
    _clear_caches()


def _clear_caches() -> None:
    from volunteer_standard.connectors import registry

    registry.clear_cache()


def call_each(hook: str, **kwargs: Any) -> None:
    """Call every implementation of ``hook`` on its own, in pluggy's order.

    A plugin whose hook raises is recorded (``vstd plugins`` shows it as broken) and the
    others still run: one vendor's bug must not take the CLI, or another vendor's
    connector, down with it.
    """
    caller = getattr(get_plugin_manager().hook, hook)
    for impl in reversed(caller.get_hookimpls()):  # pluggy calls the last registered first
        try:
            impl.function(*(kwargs[name] for name in impl.argnames))
        except Exception as exc:
            _record_error(impl.plugin_name, f"{hook}: {type(exc).__name__}: {exc}")


def _record_error(name: str, error: str) -> None:
    for info in _state().infos:
        if info.name == name:
            if info.error is None:
                info.error = error
            elif error not in info.error:
                info.error = f"{info.error}; {error}"
            return
    _state().infos.append(PluginInfo(name, None, error=error))


def collect(hook: str) -> list[Any]:
    """Call a ``register_*`` hook and return everything the plugins registered.

    What a plugin registered before its hook raised is dropped with it (see
    :func:`call_each`), so that a half-registered plugin never half works.
    """
    items: list[Any] = []
    pending: list[Any] = []

    def register(*args: Any) -> None:
        pending.append(args[0] if len(args) == 1 else args)

    caller = getattr(get_plugin_manager().hook, hook)
    for impl in reversed(caller.get_hookimpls()):
        pending.clear()
        try:
            impl.function(*(register if name == "register" else None for name in impl.argnames))
        except Exception as exc:
            _record_error(impl.plugin_name, f"{hook}: {type(exc).__name__}: {exc}")
            continue
        items.extend(pending)
    return items


def check_hooks() -> None:
    """Call every ``register_*`` hook once so that plugins failing there are recorded."""
    for name in (
        "register_connectors",
        "register_profiles",
        "register_rules",
        "register_codelists",
        "register_extensions",
    ):
        collect(name)
