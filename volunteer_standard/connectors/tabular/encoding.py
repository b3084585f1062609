"""Text encodings of regional exports: detection, strict streaming decoding, mojibake.

Chinese exports come as UTF-8 (often with a BOM, which Excel writes), as GB18030/GBK
(what Excel and many older systems save on a Chinese Windows) and sometimes as UTF-16
("Unicode text"). The encoding is sniffed from the first 64 KiB and every line is then
decoded *strictly*: a byte sequence that is not valid in the chosen encoding is reported
against the row that contains it, never replaced silently.

Mojibake is a different failure: the bytes decode fine, but the text is wrong because it
was decoded with the wrong encoding earlier, then saved again (UTF-8 read as GBK gives
"鏉庡洓" for "李四"). It cannot be told from the bytes, only from the text, so each text
cell is checked with :func:`mojibake_hint`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from volunteer_standard.connectors.tabular.mojibake import detect as detect_garbled
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

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN1_SUPPLEMENT = re.compile(r"^[\x00-\xff]*$")
#: What U+FFFD (or a lost byte) looks like after a UTF-8 → GBK → UTF-8 round trip.
_DAMAGE = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")


def _common(char: str) -> bool:
    """Whether ``char`` is ASCII or in GB2312, the everyday 6,763 characters.

    Real Chinese text is almost all GB2312; text made by decoding UTF-8 bytes as GBK is
    full of rare GBK-extension characters, because UTF-8 continuation bytes (0x80–0xBF)
    land in GBK's trail-byte range below 0xA1.
    """
    if char.isascii():
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _rare_share(text: str) -> float:
    wide = [c for c in text if not c.isascii()]
    if not wide:
        return 0.0
    return sum(1 for c in wide if not _common(c)) / len(wide)


def _plausible_chinese(text: str) -> bool:
    cjk = _CJK.findall(text)
    return bool(cjk) and sum(1 for c in cjk if _common(c)) * 2 >= len(cjk) * 1.5


def _utf8_behind_gbk(text: str) -> str | None:
    """The UTF-8 text whose bytes, decoded as GBK, give ``text`` (``None`` if there is none).

    A character cut at the very end (its last byte lost when the garbled text was saved)
    is allowed: that is how most garbled names end.
    """
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 3 or exc.start == 0:
            return None
        try:
            return raw[: exc.start].decode("utf-8") + "…"
        except UnicodeDecodeError:
            return None


def mojibake_hint(text: str) -> str | None:
    """Why ``text`` looks garbled by a wrong decoding, or ``None`` when it looks fine.

    Checks, in order: a strict UTF-8 re-decode of the cell's GB18030 bytes, whole or but
    its cut last character (see ``mojibake``); replacement characters (data already lost);
    UTF-8 bytes that were
    decoded as GBK/GB18030 (re-encoding as GB18030 gives valid UTF-8 that reads as common
    Chinese, while the text itself is mostly rare characters); UTF-8 bytes decoded as
    Latin-1 ("æ\x9d\x8e").
    """
    if text.isascii():
        return None
    garbled = detect_garbled(text)
    if garbled is not None:
        return garbled.hint()
    for marker in _DAMAGE:
        if marker in text:
            return (
                f"contains {marker!r}: characters were already lost by a wrong decoding "
                "before this file was saved"
            )
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        pass
    else:
        return None  # only everyday characters: not garbled (the usual case, checked fast)
    wide = sum(1 for c in text if not c.isascii())
    if wide >= 2:
        fixed = _utf8_behind_gbk(text)
        if (
            fixed is not None
            and fixed != text
            and _plausible_chinese(fixed)
            and _rare_share(text) - _rare_share(fixed) >= 0.5
        ):
            return f"looks like UTF-8 text decoded as GBK; probably {fixed!r}"
    if _LATIN1_SUPPLEMENT.match(text) and wide >= 6:
        # Only UTF-8 read as Latin-1 ("å¼ ä¸\x89"): its byte pattern is too regular to
        # happen by chance. GBK read as Latin-1 looks like ordinary accented text.
        try:
            fixed = text.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return None
        if len(_CJK.findall(fixed)) >= 2 and _plausible_chinese(fixed):
            return f"looks like UTF-8 text decoded as Latin-1; probably {fixed!r}"
    return None
