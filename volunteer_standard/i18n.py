"""Choosing the report language (kept for compatibility; see :mod:`volunteer_standard.text`)."""

from __future__ import annotations

from volunteer_standard.text import LANGS, default_lang

__all__ = ["LANGS", "default_lang"]
