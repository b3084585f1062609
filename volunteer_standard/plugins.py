"""Plugins: the public face of :mod:`volunteer_standard.registry` for plugin users.

Built-in modules and installed plugins (entry-point group ``volunteer_standard``) register
through the hooks in :mod:`volunteer_standard.hookspecs`. A plugin that fails to import, hangs,
or registers something malformed is reported by ``vstd plugins`` and isolated; the rest of
the tool keeps working.
"""

from __future__ import annotations

from typing import Any

import pluggy

from volunteer_standard.registry import (
    BUILTIN_PLUGINS,
    ENTRY_POINT_GROUP,
    REGISTRY,
    PluginInfo,
)


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, loaded on first use."""
    return REGISTRY.manager


def plugin_infos(*, check: bool = True) -> list[PluginInfo]:
    """Built-in and installed plugins, with the hooks each implements or its problems."""
    return REGISTRY.plugins(check=check)


def register_plugin(plugin: Any, name: str | None = None) -> None:
    """Register a plugin object at run time (tests, embedding applications)."""
    REGISTRY.register_plugin(plugin, name)


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered with :func:`register_plugin`."""
    REGISTRY.unregister_plugin(name)


def call_each(hook: str, **kwargs: Any) -> None:
    """Call a non-registering hook (``register_commands``) on each plugin on its own."""
    REGISTRY.call_each(hook, **kwargs)


__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "call_each",
    "get_plugin_manager",
    "plugin_infos",
    "register_plugin",
    "unregister_plugin",
]
