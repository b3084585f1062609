"""Connectors by name, from the built-ins and the installed plugins (the registry's
``register_connectors`` kind). Every registration is checked: a class, a ``Connector``
subclass, with a usable name, title, entity types and configuration model."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from volunteer_standard.connectors.base import Connector, ConnectorError
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.registry import REGISTRY, RegistrationError
from volunteer_standard.text import Text

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}\Z")


def check_connector(value: Any) -> type[Connector]:
    """The connector class ``value``, or :class:`RegistrationError` saying what is wrong."""
    if not isinstance(value, type) or not issubclass(value, Connector):
        raise RegistrationError(
            Text(
                f"register_connectors：{type(value).__name__} 不是 Connector 的子类",
                f"register_connectors: expected a Connector subclass, got {type(value).__name__}",
            )
        )
    label = value.__qualname__
    name = getattr(value, "name", None)
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistrationError(
            Text(
                f"连接器类 {label} 缺少有效的 name（小写字母开头，可含数字、- 和 _）",
                f"connector class {label} has no valid 'name' (a-z, digits, - and _)",
            )
        )
    if not isinstance(getattr(value, "title", None), str):
        raise RegistrationError(
            Text(f"连接器 {name} 缺少 title", f"connector {name} has no 'title'")
        )
    for attr in ("reads", "writes"):
        kinds = getattr(value, attr, ())
        unknown = [k for k in kinds if k not in ENTITY_MODELS] if isinstance(kinds, tuple) else []
        if not isinstance(kinds, tuple) or unknown:
            raise RegistrationError(
                Text(
                    f"连接器 {name} 的 {attr} 必须是实体类型的元组（未知：{unknown}）",
                    f"connector {name}: {attr} must be a tuple of entity types (unknown: {unknown})",  # noqa: E501
                )
            )
    for declared, method in (("reads", "read"), ("writes", "open_writer")):
        if getattr(value, declared) and getattr(value, method) is getattr(Connector, method):
            raise RegistrationError(
                Text(
                    f"连接器 {name} 声明了 {declared}，却没有实现 {method}()",
                    f"connector {name} declares '{declared}' but does not implement {method}()",
                )
            )
    config = getattr(value, "config_model", None)
    if not (isinstance(config, type) and issubclass(config, BaseModel)):
        raise RegistrationError(
            Text(
                f"连接器 {name} 的 config_model 必须是 ConnectorConfig 子类",
                f"connector {name}: config_model must be a ConnectorConfig subclass",
            )
        )
    return value


CONNECTORS = REGISTRY.kind("register_connectors", key=lambda cls: cls.name, check=check_connector)


def connectors() -> dict[str, type[Connector]]:
    """Every registered connector class by name."""
    return CONNECTORS.items()


def get_connector(name: str) -> type[Connector]:
    """The connector class called ``name``; the error suggests close names."""
    available = connectors()
    found = available.get(name)
    if found is not None:
        return found
    close = difflib.get_close_matches(name, available, n=3)
    names = ", ".join(available)
    hint_en = f"; did you mean {', '.join(close)}?" if close else ""
    hint_zh = f"；是否想用 {'、'.join(close)}？" if close else ""
    raise ConnectorError(
        Text(
            f"未知的连接器 {name!r}（可用：{names}）{hint_zh}",
            f"unknown connector {name!r} (available: {names}){hint_en}",
        )
    )


def clear_cache() -> None:
    """Forget the registered connectors (they are collected again on next use)."""
    CONNECTORS.reset()


__all__ = ["CONNECTORS", "check_connector", "clear_cache", "connectors", "get_connector"]
