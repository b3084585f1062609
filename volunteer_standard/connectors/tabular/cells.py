"""Cell values: formula-injection neutralisation and conversions between cell types.

Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` (tab and carriage return too, with some programs) as a
formula, so exported data could make a reader's Excel call out or run commands. Text cells
that start with one of those characters get a leading apostrophe on write, which
spreadsheets show as text. The rule is reversible, so data survives a round trip:

* write: a text value matching ``'*[=+-@\\t\\r]…`` (any number of apostrophes, then a
  dangerous character) gets one more apostrophe in front;
* read: a value matching ``'+[=+-@\\t\\r]…`` loses its first apostrophe.

Numbers are not text: a numeric column writes ``-1`` as is (as a number in XLSX).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

#: What a cell can hold once read: CSV gives ``str``; XLSX also numbers, booleans, dates.
Cell = str | int | float | bool | date | datetime | time | timedelta

_DANGER = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")


def neutralise(text: str) -> str:
    """The text to put in a text cell so that no spreadsheet runs it as a formula."""
    return "'" + text if _DANGER.match(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise` on a text cell read back."""
    return text[1:] if _NEUTRALISED.match(text) else text


def is_plain_number(text: str) -> bool:
    """A decimal number such as ``-1`` or ``2.50`` (safe unquoted in a numeric column)."""
    return _NUMBER.match(text) is not None


def number_text(value: float | int | Decimal) -> str:
    """A number as text without a spurious ``.0`` (Excel stores every number as a float)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def cell_text(value: Cell) -> str:
    """Any cell as text: numbers without ``.0``, dates and times in ISO form."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return number_text(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def json_cell(value: Cell) -> str | int | float | bool:
    """A cell as a JSON value (for ``raw`` and ``extensions``): dates become ISO strings."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    if isinstance(value, int | float):
        return value
    return cell_text(value)


def is_empty(value: Cell) -> bool:
    return isinstance(value, str) and not value.strip()
