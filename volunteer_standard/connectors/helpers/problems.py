"""Problem codes the helpers give to records they cannot translate.

Codes are stable strings, because reject files are read by people and by scripts; the
``VC`` prefix (volunteer-standard connector) keeps them apart from validation codes (``VS``).
"""

from __future__ import annotations

#: A text line is not valid in the file's encoding (the bytes are shown in the message).
BAD_ENCODING = "VC101"
#: A line or page body is not valid JSON.
BAD_JSON = "VC102"
#: The record has the wrong shape: not an object, wrong number of columns, unknown table.
BAD_SHAPE = "VC103"
#: A value is not one of the labels a :class:`~.values.ValueMap` knows.
UNKNOWN_VALUE = "VC110"
#: A value of an API item cannot be converted to its field (wrong date, unknown label).
BAD_VALUE = "VC111"
#: A field the standard requires is empty in the API item.
MISSING_VALUE = "VC112"
#: The remote system refused a page (its error envelope or HTTP status, with its message).
REMOTE_ERROR = "VC120"
#: A page could not be used: its body is not JSON, or the item list is missing.
BAD_PAGE = "VC121"
