"""The one registry: everything built-ins and plugins add, checked as it is added.

Connectors, rules, profiles, code lists and extension schemas are *kinds* of one
:class:`Registry`. Each kind is filled on first use by calling its hook on every plugin
(built-ins are plugins too, as in datasette), checks every registration when it is made,
and keeps what each plugin added apart: a registration that fails its check, or a hook that
raises, isolates that plugin's contribution to the kind and is reported by ``vstd plugins``
with the plugin's name. A plugin cannot take a built-in's name unless it says
``override=True``, and an override is shown. :meth:`Registry.reset` forgets everything in
one call (tests, embedding applications, a plugin registered at run time).

Which installed plugins load is chosen by ``VSTD_LOAD_PLUGINS`` (comma-separated entry-point
names; empty: none), in the style of datasette's ``DATASETTE_LOAD_PLUGINS``. A plugin whose
import does not finish within ``VSTD_PLUGIN_TIMEOUT`` seconds (default 10) is reported and
skipped instead of hanging every command.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pluggy

from volunteer_standard import hookspecs
from volunteer_standard._version import __version__
from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text

T = TypeVar("T")

ENTRY_POINT_GROUP = "volunteer_standard"
#: Built-in plugin modules, registered through the same hooks as installed plugins.
BUILTIN_PLUGINS = (
    "volunteer_standard.connectors.builtin",
    "volunteer_standard.validation.rules.builtin",
    "volunteer_standard.profiles.builtin",
)
#: The name under which objects registered directly (``Kind.add``) are recorded.
RUNTIME = "(runtime)"
#: The module that declares each kind. ``import volunteer_standard`` imports none of them
#: (start-up), so the registry imports them when it is asked for every kind at once
#: (``kinds()``, ``plugins()``): ``vstd plugins`` then checks every hook in a fresh process.
KIND_OWNERS = {
    "register_connectors": "volunteer_standard.connectors.registry",
    "register_rules": "volunteer_standard.validation.rules.base",
    "register_profiles": "volunteer_standard.profiles",
    "register_codelists": "volunteer_standard.codelists",
    "register_extensions": "volunteer_standard.validation.extensions",
}
LOAD_PLUGINS_ENV = "VSTD_LOAD_PLUGINS"
TIMEOUT_ENV = "VSTD_PLUGIN_TIMEOUT"


class RegistrationError(VstdError, ValueError):
    """A registration was refused: wrong type, missing name, duplicate, bad file."""


@dataclass
class PluginInfo:
    """What ``vstd plugins`` shows about one plugin."""

    name: str
    version: str | None
    hooks: list[str] = field(default_factory=list)
    builtin: bool = False
    errors: list[Text] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        """The problems of the plugin in English, ``None`` when it works."""
        return "; ".join(e.en for e in self.errors) if self.errors else None

    def error_text(self, lang: str) -> str | None:
        """The problems in ``lang``."""
        if not self.errors:
            return None
        return "；".join(e.zh for e in self.errors) if lang == "zh" else self.error


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One registered object, with the plugin that registered it."""

    key: str
    value: T
    plugin: str
    builtin: bool
    override: bool = False


class Kind(Generic[T]):
    """One kind of registrable object: its hook, its key and its check.

    ``check`` receives what a plugin passed to ``register`` and returns the object to keep,
    or raises :class:`RegistrationError` (or ``TypeError``/``ValueError``) saying why not.
    ``claims`` lists the names an object takes (default: its key), for objects that own
    several names, such as a rule and its issue codes; no two plugins may claim one name.
    """

    def __init__(
        self,
        registry: Registry,
        hook: str,
        *,
        key: Callable[[T], str],
        check: Callable[[Any], T],
        claims: Callable[[T], tuple[str, ...]] | None = None,
    ) -> None:
        self.registry = registry
        self.hook = hook
        self._key = key
        self._check = check
        self._claims = claims or (lambda item: (key(item),))
        self._runtime: dict[str, Entry[T]] = {}
        self._entries: dict[str, Entry[T]] | None = None
        self._lock = threading.RLock()
        #: Counts changes made at run time (views such as the issue catalogue cache on it).
        self.changes = 0

    # -- reading ---------------------------------------------------------------------------
    def entries(self) -> dict[str, Entry[T]]:
        """Every accepted registration by key (hooks called on first use)."""
        with self._lock:
            if self._entries is None:
                self._entries = self._collect()
            return self._entries

    def items(self) -> dict[str, T]:
        """Key → object, sorted by key."""
        return {k: e.value for k, e in sorted(self.entries().items())}

    def get(self, key: str) -> T | None:
        entry = self.entries().get(key)
        return entry.value if entry is not None else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.entries()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items().values())

    # -- writing at run time ---------------------------------------------------------------
    def add(self, value: Any, *, override: bool = False) -> T:
        """Register an object directly (an embedding application, a test); checked as a
        plugin's registration would be, but a refusal raises."""
        item = self._checked(value)
        key = self._key(item)
        entry = Entry(key, item, RUNTIME, builtin=False, override=override)
        claimed = {
            name: e
            for e in self.entries().values()
            if e.key != key or e.value is not item
            for name in self._claims(e.value)
        }
        self._check_claims([entry], claimed)
        with self._lock:
            self._runtime[key] = entry
            self.entries()[key] = entry
            self.changes += 1
        return item

    def has_runtime(self) -> bool:
        """Whether an object was registered with :meth:`add` (and not removed)."""
        return bool(self._runtime)

    def remove(self, key: str) -> None:
        """Forget an object registered with :meth:`add`."""
        with self._lock:
            self._runtime.pop(key, None)
            self._entries = None
            self.changes += 1

    def reset(self) -> None:
        """Forget what the hooks registered (they are called again on next use)."""
        with self._lock:
            self._entries = None
            self.changes += 1

    # -- filling -----------------------------------------------------------------------------
    def _checked(self, value: Any) -> T:
        try:
            item = self._check(value)
            self._key(item)
        except RegistrationError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise RegistrationError(
                Text(f"{self.hook}：登记的对象无效：{exc}", f"{self.hook}: invalid object: {exc}")
            ) from None
        return item

    def _collect(self) -> dict[str, Entry[T]]:
        """Call the hook on each plugin on its own; keep a plugin's registrations only when
        all of them pass (a half-registered plugin never half works)."""
        found: dict[str, Entry[T]] = {}
        claimed: dict[str, Entry[T]] = {}
        for plugin_name, builtin, calls in self.registry.call_hook(self.hook):
            pending: list[Entry[T]] = []
            try:
                for args, kwargs in calls:
                    override = bool(kwargs.pop("override", False))
                    value = args[0] if len(args) == 1 else tuple(args)
                    item = self._checked(value)
                    pending.append(Entry(self._key(item), item, plugin_name, builtin, override))
                self._check_claims(pending, claimed)
            except RegistrationError as exc:
                self.registry.record_error(plugin_name, exc.text)
                continue
            for entry in pending:
                found[entry.key] = entry
                claimed.update(dict.fromkeys(self._claims(entry.value), entry))
                if entry.override and not builtin:
                    self.registry.record_override(plugin_name, f"{self.hook}: {entry.key}")
        found.update(self._runtime)
        return found

    def _check_claims(self, pending: list[Entry[T]], claimed: dict[str, Entry[T]]) -> None:
        mine: set[str] = set()
        for entry in pending:
            for name in self._claims(entry.value):
                existing = claimed.get(name)
                if name in mine:
                    raise RegistrationError(_duplicate(self.hook, name, entry))
                mine.add(name)
                if existing is None or existing.value is entry.value:
                    continue
                if existing.builtin and not entry.override:
                    raise RegistrationError(_shadow(self.hook, name))
                if not existing.builtin:
                    raise RegistrationError(_duplicate(self.hook, name, existing))


def _duplicate(hook: str, key: str, existing: Entry[Any]) -> Text:
    return Text(
        f"{hook}：名称 {key!r} 已由 {existing.plugin} 登记",
        f"{hook}: {key!r} is already registered by {existing.plugin}",
    )


def _shadow(hook: str, key: str) -> Text:
    return Text(
        f"{hook}：{key!r} 是内置名称；要替换它，请用 register(..., override=True) 明确声明",
        f"{hook}: {key!r} is a built-in name; to replace it, register it with override=True",
    )


HookCalls = list[tuple[tuple[Any, ...], dict[str, Any]]]


class Registry:
    """Plugins, and the kinds of objects they register."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._manager: pluggy.PluginManager | None = None
        self._infos: dict[str, PluginInfo] = {}
        self._runtime_plugins: list[tuple[Any, str]] = []
        self._kinds: dict[str, Kind[Any]] = {}

    # -- kinds --------------------------------------------------------------------------------
    def kind(
        self,
        hook: str,
        *,
        key: Callable[[T], str],
        check: Callable[[Any], T],
        claims: Callable[[T], tuple[str, ...]] | None = None,
    ) -> Kind[T]:
        """Declare a kind (each owner module does it once, for its own hook)."""
        if not hasattr(hookspecs, hook):
            raise ValueError(f"no hook specification {hook!r}")
        with self._lock:
            if hook in self._kinds:
                raise ValueError(f"kind {hook!r} is already declared")
            made: Kind[T] = Kind(self, hook, key=key, check=check, claims=claims)
            self._kinds[hook] = made
            return made

    def kinds(self) -> dict[str, Kind[Any]]:
        """Every kind, its owner module imported if nothing has imported it yet."""
        if len(self._kinds) < len(KIND_OWNERS):
            for owner in KIND_OWNERS.values():
                importlib.import_module(owner)
        return dict(self._kinds)

    def declared(self, hook: str) -> Kind[Any] | None:
        """The kind of ``hook`` if its module has declared it (imports nothing: for
        lookups on a hot path, such as the catalogue's)."""
        return self._kinds.get(hook)

    def has_runtime(self) -> bool:
        """Whether a plugin or an object was registered at run time: a new process (a
        worker) would not have it, so work that needs it stays in this process."""
        with self._lock:
            return bool(self._runtime_plugins) or any(k.has_runtime() for k in self._kinds.values())

    # -- plugins ------------------------------------------------------------------------------
    @property
    def manager(self) -> pluggy.PluginManager:
        """The pluggy manager, with built-ins and installed plugins (loaded on first use)."""
        with self._lock:
            if self._manager is None:
                self._manager = self._load()
            return self._manager

    def plugins(self, *, check: bool = True) -> list[PluginInfo]:
        """Built-in and installed plugins with their hooks and problems.

        With ``check`` every declared kind is filled first, so a plugin that loads but fails
        when asked what it provides is shown as broken too.
        """
        self.manager  # noqa: B018 - load
        if check:
            for kind in self.kinds().values():
                kind.entries()
        return list(self._infos.values())

    def register_plugin(self, plugin: Any, name: str | None = None) -> None:
        """Add a plugin object at run time; every kind is filled again on next use."""
        label = name or repr(plugin)
        with self._lock:
            self._runtime_plugins.append((plugin, label))
            if self._manager is not None:
                self._add(self._manager, plugin, label, None, builtin=False)
            self._reset_kinds()

    def unregister_plugin(self, name: str) -> None:
        with self._lock:
            self._runtime_plugins = [(p, n) for p, n in self._runtime_plugins if n != name]
            if self._manager is not None and self._manager.has_plugin(name):
                self._manager.unregister(name=name)
            self._infos.pop(name, None)
            self._reset_kinds()

    def reset(self) -> None:
        """Forget plugins and registrations; the next use loads everything again."""
        with self._lock:
            self._manager = None
            self._infos.clear()
            self._reset_kinds()

    def _reset_kinds(self) -> None:
        for kind in self._kinds.values():
            kind.reset()

    def call_hook(self, hook: str) -> Iterator[tuple[str, bool, HookCalls]]:
        """For each plugin implementing ``hook``: its name, whether it is built in, and the
        ``register`` calls it made. A plugin whose hook raises is recorded and skipped."""
        manager = self.manager
        caller = getattr(manager.hook, hook)
        for impl in caller.get_hookimpls():  # in registration order: built-ins first
            calls: HookCalls = []

            def register(*args: Any, _calls: HookCalls = calls, **kwargs: Any) -> None:
                _calls.append((args, kwargs))

            try:
                impl.function(*(register if n == "register" else None for n in impl.argnames))
            except Exception as exc:
                self.record_error(
                    impl.plugin_name,
                    Text(
                        f"{hook}：{type(exc).__name__}: {exc}",
                        f"{hook}: {type(exc).__name__}: {exc}",
                    ),
                )
                continue
            info = self._infos.get(impl.plugin_name)
            yield impl.plugin_name, bool(info and info.builtin), calls

    def call_each(self, hook: str, **kwargs: Any) -> None:
        """Call a non-registering hook (``register_commands``) on each plugin on its own."""
        caller = getattr(self.manager.hook, hook)
        for impl in caller.get_hookimpls():
            try:
                impl.function(*(kwargs[name] for name in impl.argnames))
            except Exception as exc:
                self.record_error(
                    impl.plugin_name,
                    Text(
                        f"{hook}：{type(exc).__name__}: {exc}",
                        f"{hook}: {type(exc).__name__}: {exc}",
                    ),
                )

    def record_error(self, name: str, error: Text) -> None:
        info = self._infos.setdefault(name, PluginInfo(name, None))
        if error not in info.errors:
            info.errors.append(error)

    def record_override(self, name: str, what: str) -> None:
        info = self._infos.setdefault(name, PluginInfo(name, None))
        if what not in info.overrides:
            info.overrides.append(what)

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> pluggy.PluginManager:
        manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
        manager.add_hookspecs(hookspecs)
        self._infos.clear()
        for module_name in BUILTIN_PLUGINS:
            module = importlib.import_module(module_name)
            self._add(manager, module, module_name, __version__, builtin=True)
        wanted = _wanted_plugins()
        # VSTD_LOAD_PLUGINS="" (none wanted) skips reading every installed package's metadata
        installed = (
            ()
            if wanted == frozenset()
            else importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        )
        for ep in installed:
            if wanted is not None and ep.name not in wanted:
                continue
            info = PluginInfo(ep.name, _dist_version(ep))
            self._infos[ep.name] = info
            try:
                plugin = _load_with_timeout(ep, _timeout())
            except Exception as exc:
                info.errors.append(_import_error(exc))
                continue
            self._add(manager, plugin, ep.name, info.version, builtin=False)
        for plugin, label in self._runtime_plugins:
            self._add(manager, plugin, label, None, builtin=False)
        return manager

    def _add(
        self,
        manager: pluggy.PluginManager,
        plugin: Any,
        name: str,
        version: str | None,
        *,
        builtin: bool,
    ) -> None:
        info = self._infos.setdefault(name, PluginInfo(name, version, builtin=builtin))
        try:
            manager.register(plugin, name=name)
        except Exception as exc:  # pluggy validates hook implementations
            info.errors.append(
                Text(f"无法登记：{type(exc).__name__}: {exc}", f"cannot register: {exc}")
            )
            return
        info.hooks = sorted(h.name for h in manager.get_hookcallers(plugin) or [])


def _wanted_plugins() -> frozenset[str] | None:
    value = os.environ.get(LOAD_PLUGINS_ENV)
    if value is None:
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def _timeout() -> float:
    try:
        return max(0.1, float(os.environ.get(TIMEOUT_ENV, "10")))
    except ValueError:
        return 10.0


class _ImportTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _load_with_timeout(ep: importlib.metadata.EntryPoint, seconds: float) -> Any:
    """``ep.load()`` in a daemon thread, so a plugin that hangs at import cannot hang us."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = ep.load()
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target, name=f"vstd-plugin-{ep.name}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise _ImportTimeout(seconds)
    if "error" in result:
        error = result["error"]
        if isinstance(error, Exception):
            raise error
        raise RuntimeError(f"{type(error).__name__}: {error}")
    return result["value"]


def _import_error(exc: Exception) -> Text:
    if isinstance(exc, _ImportTimeout):
        return Text(
            f"导入超过 {exc.seconds:g} 秒仍未完成，已跳过（{TIMEOUT_ENV} 可调整）",
            f"did not finish importing within {exc.seconds:g} s and was skipped "
            f"({TIMEOUT_ENV} changes the limit)",
        )
    return Text(f"导入失败：{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}")


def _dist_version(ep: importlib.metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.version if dist is not None else None


#: The process-wide registry.
REGISTRY = Registry()


def reset() -> None:
    """Forget every plugin and registration (the next use loads them again)."""
    REGISTRY.reset()


__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "KIND_OWNERS",
    "LOAD_PLUGINS_ENV",
    "REGISTRY",
    "RUNTIME",
    "TIMEOUT_ENV",
    "Entry",
    "Kind",
    "PluginInfo",
    "RegistrationError",
    "Registry",
    "reset",
]
