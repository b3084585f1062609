"""Choosing the report language: Chinese or English, from the locale unless asked."""

from __future__ import annotations

import os

from volunteer_standard.validation.catalogue import Lang

LANGS: tuple[Lang, ...] = ("zh", "en")


def default_lang() -> Lang:
    """``zh`` when the locale is Chinese (LC_ALL, LC_MESSAGES, LANG), else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
