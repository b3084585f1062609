"""One bilingual text type: every message a person reads exists in Chinese and English.

``Text(zh, en)`` is the only way the library carries words for people. Templates use
``str.format`` fields; :meth:`Text.format` fills both languages at once, so a caller never
formats one language and forgets the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class _Blank(dict[str, Any]):
    """Format parameters where a missing field renders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class Text:
    """A message in Chinese and English (in that order: the Chinese text comes first)."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def format(self, **params: Any) -> Text:
        """Both languages with ``{name}`` fields filled; missing fields render empty.

        A parameter ``name_zh`` replaces ``name`` in the Chinese text (for values that
        are themselves words, such as a code-list label).
        """
        en = _Blank({k: v for k, v in params.items() if not k.endswith("_zh")})
        zh = _Blank(en)
        zh.update({k[:-3]: v for k, v in params.items() if k.endswith("_zh")})
        return Text(self.zh.format_map(zh), self.en.format_map(en))

    def __str__(self) -> str:
        return self.en

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, Text):
            return Text(self.zh + other.zh, self.en + other.en)
        return Text(self.zh + other, self.en + other)


def as_text(value: Text | str) -> Text:
    """A ``Text`` for a message that may still be a plain (untranslated) string."""
    return value if isinstance(value, Text) else Text(value, value)


def default_lang() -> Lang:
    """``zh`` when the locale is Chinese (``VSTD_LANG``, LC_ALL, LC_MESSAGES, LANG), else ``en``."""
    for var in ("VSTD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


__all__ = ["LANGS", "Lang", "Text", "as_text", "default_lang"]
