"""The root exception: everything the library raises on purpose is a ``VstdError``.

A caller that embeds the toolkit catches one class; the CLI turns it into a one-line
message in the user's language and exit code 2, and anything else into an internal error.
"""

from __future__ import annotations

from volunteer_standard.text import Lang, Text, as_text


class VstdError(Exception):
    """Base of the library's errors; carries its message in Chinese and English."""

    def __init__(self, message: Text | str) -> None:
        self.text = as_text(message)
        super().__init__(self.text.en)

    def message(self, lang: Lang = "en") -> str:
        """The message in ``lang``."""
        return self.text.get(lang)


__all__ = ["VstdError"]
