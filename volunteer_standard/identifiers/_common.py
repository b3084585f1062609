"""What the identifier and contact checks share: the problem record and input clean-up.

One flat shape (stable code, severity, detail) lets validators merge identifier findings into
their own reports without translation. Details never quote the checked value, so a report can
be logged without leaking the personal number it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class IdProblem:
    """One finding about an identifier: a stable machine code, a severity and a human detail."""

    code: str
    severity: Severity
    detail: str


def error(code: str, detail: str) -> IdProblem:
    """Build an error: the value is wrong and must not be accepted as is."""
    return IdProblem(code, "error", detail)


def warning(code: str, detail: str) -> IdProblem:
    """Build a warning: the value is usable but something deserves a human look."""
    return IdProblem(code, "warning", detail)


def has_errors(problems: tuple[IdProblem, ...]) -> bool:
    """Whether any problem is an error (warnings alone leave a value acceptable)."""
    return any(p.severity == "error" for p in problems)


# Full-width forms (U+FF10-FF19 digits, U+FF21-FF3A and U+FF41-FF5A letters) typed by Chinese
# input methods. An explicit table, not NFKC, so that look-alikes such as circled or superscript
# digits are not silently turned into valid characters.
FULLWIDTH_TO_ASCII = str.maketrans(
    {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
)


def compact_input(value: str) -> str:
    """Trim, drop ASCII and ideographic spaces, and map full-width forms to ASCII."""
    return value.strip().translate(FULLWIDTH_TO_ASCII).replace(" ", "").replace("\u3000", "")
