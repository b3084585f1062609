"""The one reader of configuration files: connector configs, mappings and rule profiles.

TOML, YAML or JSON by the file's suffix (``.toml``; ``.yaml``/``.yml``; ``.json``; anything
else is read as YAML, which JSON is a subset of). A syntax error names the file, the line
and the column, never the offending text: configuration files hold passwords and API keys,
and an error message must not carry them to a terminal or a log.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text


class ConfigError(VstdError):
    """A configuration file cannot be read or parsed."""


def read_config(path: str | Path, kind: str | None = None) -> Any:
    """The parsed content of a TOML, YAML or JSON file (a UTF-8 BOM is accepted); ``kind``
    ("TOML", "YAML" or "JSON") overrides the suffix."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            Text(f"{path}：不是 UTF-8 编码的文本", f"{path}: not UTF-8 text")
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            Text(f"{path}：无法读取：{reason}", f"{path}: cannot read: {reason}")
        ) from None
    suffix = location.suffix.lower()
    kind = {".toml": "TOML", ".json": "JSON"}.get(suffix, "YAML")
    errors: tuple[type[Exception], ...] = (tomllib.TOMLDecodeError, json.JSONDecodeError)
    try:
        if kind == "TOML":
            return tomllib.loads(text)
        if kind == "JSON":
            return json.loads(text)
        import yaml  # only for a YAML file: the bundled profiles are TOML

        errors = (yaml.YAMLError,)
        return yaml.safe_load(text)
    except errors as exc:
        where = _where(exc)
        raise ConfigError(
            Text(
                f"{path}：不是有效的 {kind}（{where.zh}）；出错的内容不予显示，以免泄露其中的密钥",
                f"{path}: not valid {kind} ({where.en}); the text is not shown, as it may "
                "hold a secret",
            )
        ) from None


def _where(exc: Exception) -> Text:
    """Line and column of a syntax error, from whichever parser raised it."""
    line = column = None
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:  # YAML: 0-based
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(exc, json.JSONDecodeError):
        line, column = exc.lineno, exc.colno
    elif isinstance(exc, tomllib.TOMLDecodeError):
        text = str(exc)
        if "(at line " in text:
            tail = text.rsplit("(at line ", 1)[1].rstrip(")")
            parts = tail.replace("column", "").split(",")
            line, column = int(parts[0]), int(parts[1])
    if line is None:
        return Text("位置不详", "position unknown")
    return Text(f"第 {line} 行第 {column} 列", f"line {line}, column {column}")


__all__ = ["ConfigError", "read_config"]
