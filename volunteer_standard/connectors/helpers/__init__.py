"""Helpers that keep a vendor connector short.

Everything a connector repeats lives here once: iterating input files, decoding Chinese
text exports, translating labels to codes, calling paginated HTTP APIs with retries, and
keeping an incremental bookmark. Each helper reports bad input as a :class:`Problem` with a
precise location instead of raising, so that the engine can reject the one record and go on.
"""

from volunteer_standard.connectors.helpers.files import (
    JsonLine,
    TextLine,
    iter_files,
    iter_jsonl,
    iter_text_lines,
)
from volunteer_standard.connectors.helpers.http import (
    Page,
    PageItem,
    RetryPolicy,
    cursor_pages,
    number_pages,
    offset_pages,
    paginate,
    request,
    safe_url,
)
from volunteer_standard.connectors.helpers.problems import (
    BAD_ENCODING,
    BAD_JSON,
    BAD_SHAPE,
    UNKNOWN_VALUE,
)
from volunteer_standard.connectors.helpers.state import Bookmark
from volunteer_standard.connectors.helpers.text import decode_bytes, detect_encoding
from volunteer_standard.connectors.helpers.values import ValueMap

__all__ = [
    "BAD_ENCODING",
    "BAD_JSON",
    "BAD_SHAPE",
    "UNKNOWN_VALUE",
    "Bookmark",
    "JsonLine",
    "Page",
    "PageItem",
    "RetryPolicy",
    "TextLine",
    "ValueMap",
    "cursor_pages",
    "decode_bytes",
    "detect_encoding",
    "iter_files",
    "iter_jsonl",
    "iter_text_lines",
    "number_pages",
    "offset_pages",
    "paginate",
    "request",
    "safe_url",
]
