"""UTF-8 text that was decoded as GBK and saved again: found, repaired, losses named.

Real exports from school and community systems carry cells such as ``鏉庡洓`` (李四): the
UTF-8 bytes of the text were decoded as GBK by some program, and the result saved. The
damage is reversible: encoding the cell as GB18030 gives back the original UTF-8 bytes.
Often the cell's last character is cut: its UTF-8 bytes did not pair up as GBK and the
last byte became ``?`` or U+FFFD, so the last character of the original is lost.

The signal used here is strict: the GB18030 bytes of the whole cell (or of all but its
last character, for a cut cell) must decode as UTF-8 without a single error, to text that
reads as everyday Chinese. Ordinary Chinese almost never passes, because GB2312's common
characters begin with bytes that UTF-8 only allows in the middle of a character; for cells
of three characters or more the test is reliable (recall and false positives are measured
in ``tests/connectors/test_tabular_mojibake.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from volunteer_standard.text import Text

MIN_CHARS = 3
_CUT_MARKS = ("?", "\ufffd", "？")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = set("，。、；：？！“”‘’（）《》【】—…·")


@dataclass(frozen=True)
class Garbled:
    """A cell's probable original and whether its last character was lost."""

    repaired: str
    last_lost: bool

    def text(self) -> Text:
        """The hint in Chinese and English."""
        if self.last_lost:
            return Text(
                f"像是被当作 GBK 解码的 UTF-8 文字；原文可能是 {self.repaired!r}，"
                "后面还有一个字已经丢失，需要重新录入",
                self.hint(),
            )
        return Text(f"像是被当作 GBK 解码的 UTF-8 文字；原文可能是 {self.repaired!r}", self.hint())

    def hint(self) -> str:
        if self.last_lost:
            return (
                f"looks like UTF-8 text decoded as GBK; probably {self.repaired!r} followed by "
                "one more character that was lost (retype it)"
            )
        return f"looks like UTF-8 text decoded as GBK; probably {self.repaired!r}"


@cache
def _everyday(char: str) -> bool:
    if char.isascii():
        return char.isprintable()
    if char in _PUNCT:
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _reads_as_chinese(text: str) -> bool:
    """At least one CJK character, and nothing but everyday characters."""
    return bool(_CJK.search(text)) and all(_everyday(c) for c in text)


def _utf8_of(text: str) -> str | None:
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        return None
    # Valid UTF-8 loses nothing when invalid bytes are ignored: checked without raising
    # (the usual answer is no, and an exception costs more than decoding twice).
    if len(raw.decode("utf-8", "ignore").encode("utf-8")) != len(raw):
        return None
    return raw.decode("utf-8")


def _utf8_prefix_of(text: str) -> str | None:
    """The UTF-8 text behind ``text`` when only its final character is incomplete."""
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.start < len(raw) - 3:
            return None
        try:
            return raw[: exc.start].decode("utf-8")
        except UnicodeDecodeError:
            return None


def detect(text: str) -> Garbled | None:
    """The repair of a cell garbled by a UTF-8 → GBK decoding, or ``None``."""
    if text.isascii() or len(text) < MIN_CHARS:
        return None
    whole = _utf8_of(text)
    if whole is not None and whole != text and _reads_as_chinese(whole):
        return Garbled(whole, False)
    head = text[:-1]
    if text[-1] not in _CUT_MARKS or len(head) < MIN_CHARS - 1 or head.isascii():
        return None
    cut = _utf8_prefix_of(head)
    if cut is None or cut == head or not _reads_as_chinese(cut):
        return None
    return Garbled(cut, True)


__all__ = ["MIN_CHARS", "Garbled", "detect"]
