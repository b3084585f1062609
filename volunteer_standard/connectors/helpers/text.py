"""Text decoding for Chinese exports: UTF-8, UTF-8 with a BOM, GB18030/GBK.

The sniffing and the strict line decoder are the ``tabular`` connector's
(:mod:`volunteer_standard.connectors.tabular.encoding`); this module adds what a
line-oriented vendor format needs on top: a decision that survives one corrupt line in the
first 64 KiB, and a whole-buffer decoder for API bodies and small files.
"""

from __future__ import annotations

import codecs

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.helpers.encoding import (
    EncodingError,
    normalise_encoding,
    sniff_encoding,
)


def detect_encoding(head: bytes) -> str | None:
    """The encoding of a file starting with ``head``: ``utf-8-sig``, ``utf-16``, ``utf-8``,
    ``gb18030``, or ``None`` when the sample is pure ASCII (decide line by line later).

    Unlike a plain sniff, one corrupt line does not make the whole file unreadable: when
    the sample is valid in neither encoding, the lines vote, and the corrupt ones are then
    reported one by one by the line decoder.
    """

    try:
        found = sniff_encoding(head)
    except EncodingError:
        return _vote(head)
    # A sample that decodes as GB18030 may still be UTF-8 with one bad line: GB18030
    # accepts most byte pairs. Real GB18030 Chinese lines are almost never valid UTF-8,
    # so when most lines are, the file is UTF-8.
    return _vote(head) if found == "gb18030" else found


def _vote(head: bytes) -> str:
    """UTF-8 unless more non-ASCII lines are valid GB18030 only than valid UTF-8."""
    utf8 = gb = 0
    lines = head.split(b"\n")
    for raw in lines[:-1] if len(lines) > 1 else lines:  # the last one may be cut
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            try:
                raw.decode("gb18030")
                gb += 1
            except UnicodeDecodeError:
                pass
    return "utf-8" if utf8 >= gb else "gb18030"


def decode_bytes(data: bytes, encoding: str = "auto", *, where: str = "input") -> str:
    """Decode a whole buffer (an API body, a small file) strictly.

    ``encoding="auto"`` detects a BOM, then UTF-8, then GB18030. Raises
    :class:`ConnectorError` naming the first bad bytes, because a body that cannot be decoded
    cannot be split into records to reject one by one.
    """
    if encoding == "auto":
        if data.startswith(codecs.BOM_UTF8):
            chosen = "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            chosen = "utf-16"
        else:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                chosen = "gb18030"
    else:
        chosen = normalise_encoding(encoding)
    try:
        return data.decode(chosen)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.end].hex(" ")
        raise ConnectorError(
            f"{where}: bytes {bad} at offset {exc.start} are not valid {chosen}"
        ) from None
