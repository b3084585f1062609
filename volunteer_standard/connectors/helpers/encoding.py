"""Decoding Chinese text exports: sniffing UTF-8 (with or without BOM), GB18030/GBK and
UTF-16, and decoding line by line with the exact place of a bad byte.

Generic for every connector that reads text files; the tabular connector adds its mojibake
detection on top (``connectors.tabular.encoding``).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from volunteer_standard.errors import VstdError

SNIFF_BYTES = 64 * 1024

#: Encodings a user may name; ``auto`` sniffs. GBK files are read as GB18030 (a superset).
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")


class EncodingError(VstdError):
    """The input is in no encoding we can read."""


def normalise_encoding(name: str) -> str:
    """Canonical codec name; GBK and GB2312 widen to GB18030 so no valid file fails."""
    key = name.lower().replace("_", "-")
    if key in ("gbk", "gb2312", "cp936", "gb18030"):
        return "gb18030"
    if key in ("utf8", "utf-8"):
        return "utf-8"
    if key in ("utf8-sig", "utf-8-sig"):
        return "utf-8-sig"
    if key in ("utf16", "utf-16", "utf-16le", "utf-16be"):
        return "utf-16"
    codecs.lookup(key)  # raises LookupError for unknown names
    return key


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether ``sample`` decodes strictly, allowing a character cut at the end."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def sniff_encoding(head: bytes) -> str | None:
    """The encoding of a file that starts with ``head`` (at most 64 KiB).

    Returns ``None`` when the sample is pure ASCII: the decision is then deferred to the
    first line that is not (see :class:`LineDecoder`), so a GB18030 file whose first
    64 KiB happen to be ASCII is still read right. Otherwise the lines of the sample vote:
    the encoding that decodes more of them strictly wins (UTF-8 on a tie, since valid
    multi-byte UTF-8 rarely happens by chance), so a few bad bytes do not hide the
    encoding; they are reported on their rows.
    """
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise EncodingError("this is an Excel workbook, not a CSV file; name it .xlsx")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(b"\x00") * 10 > len(head):
        raise EncodingError(
            "the file holds NUL bytes: it is not CSV text (or it is UTF-16 "
            "without a BOM; set the connector's encoding option)"
        )
    if head.isascii():
        return None
    lines = head.split(b"\n")
    if len(head) >= SNIFF_BYTES and len(lines) > 1:
        lines.pop()  # probably cut
    wide = [line for line in lines if not line.isascii()]
    votes = {enc: sum(1 for line in wide if _decodes(line, enc)) for enc in ("utf-8", "gb18030")}
    best = "utf-8" if votes["utf-8"] >= votes["gb18030"] else "gb18030"
    if votes[best] * 2 >= len(wide):
        return best
    raise EncodingError(
        "the file is neither UTF-8 nor GB18030/GBK; set the connector's encoding option"
    )


@dataclass
class LineDecoder:
    """Decodes a binary stream line by line, strictly, remembering lines that failed.

    Works for UTF-8 and GB18030, where a newline byte never occurs inside a character, so
    a bad byte only spoils its own line. ``errors`` collects messages since the last call
    to :meth:`take_errors`; the CSV reader asks after each row.
    """

    stream: IO[bytes]
    encoding: str | None
    errors: list[str]
    line_number: int = 0

    def __iter__(self) -> Iterator[str]:
        first = True
        for raw in self.stream:
            self.line_number += 1
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                    self.encoding = "utf-8"
            yield self._decode(raw)

    def _decode(self, raw: bytes) -> str:
        encoding = self.encoding
        if encoding is None:
            if raw.isascii():
                return raw.decode("ascii")
            encoding = self.encoding = "utf-8" if _decodes(raw, "utf-8") else "gb18030"
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            text = raw.decode(encoding, "replace")
            self.errors.append(
                f"line {self.line_number} has bytes that are not valid {encoding} (first: "
                f"{raw[exc.start : exc.end].hex(' ')} at byte {exc.start}); "
                f"{text.count(chr(0xFFFD))} character(s) could not be read"
            )
            return text

    def take_errors(self) -> list[str]:
        taken = list(self.errors)
        self.errors.clear()
        return taken


# -- mojibake ------------------------------------------------------------------------------


__all__ = [
    "ENCODINGS",
    "SNIFF_BYTES",
    "EncodingError",
    "LineDecoder",
    "normalise_encoding",
    "sniff_encoding",
]
