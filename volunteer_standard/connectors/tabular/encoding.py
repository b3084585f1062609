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

import re

from volunteer_standard.connectors.helpers.encoding import ENCODINGS as ENCODINGS
from volunteer_standard.connectors.helpers.encoding import SNIFF_BYTES as SNIFF_BYTES
from volunteer_standard.connectors.helpers.encoding import EncodingError as EncodingError
from volunteer_standard.connectors.helpers.encoding import LineDecoder as LineDecoder
from volunteer_standard.connectors.helpers.encoding import normalise_encoding as normalise_encoding
from volunteer_standard.connectors.helpers.encoding import sniff_encoding as sniff_encoding
from volunteer_standard.connectors.tabular.mojibake import Garbled
from volunteer_standard.connectors.tabular.mojibake import detect as detect_garbled

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
    return damage_hint(text)


def cell_verdict(text: str) -> Garbled | str | None:
    """What :func:`mojibake_hint` finds, with the repair when there is one: a
    :class:`Garbled` cell, another hint, or ``None`` (the repair is tried only once)."""
    if text.isascii():
        return None
    garbled = detect_garbled(text)
    return garbled if garbled is not None else damage_hint(text)


def damage_hint(text: str) -> str | None:
    """The checks of :func:`mojibake_hint` after the repair (non-ASCII ``text``)."""
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
