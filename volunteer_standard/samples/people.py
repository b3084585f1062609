"""Invented people: names from common characters, ID numbers with valid check characters.

ID numbers are unique by construction: `IdNumbers` draws a number as before (place, birth
date, random sequence code) and, when that number was already handed out, takes the next free
sequence code of the same sex for the same place and birth date. Drawing twice by chance was
not rare: 25k volunteers shared two numbers. Nothing is re-drawn, so the random streams, and
every sample without a clash (the bundled examples among them), stay byte for byte the same.
"""

from __future__ import annotations

import random
from datetime import date

from volunteer_standard.identifiers import resident_id_check_char
from volunteer_standard.identifiers.generate import make_resident_id

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
_GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林晨阳"
_GIVEN_F = "芳娜敏静丽艳娟霞秀玲桂英华玉兰萍红梅琳雪婷倩颖洁佳欣怡悦雯岚"
#: Extra place-of-registration codes for ID numbers, all in use since 1981.
BIRTH_CODES = ("110101", "110102", "110105", "110108", "310101", "310104", "310105")
#: Sequence codes (positions 15-17) of one sex: the last digit is odd for men, even for women.
_SEQUENCES_PER_SEX = 500


def person_name(rng: random.Random, gender: str, surname: str | None = None) -> str:
    """A random surname (or ``surname``) and one or two given-name characters of the sex."""
    given = _GIVEN_M if gender == "1" else _GIVEN_F
    chars = "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + chars


class IdNumbers:
    """Hands out synthetic resident ID numbers, never the same one twice.

    State: one integer per number handed out, which is what the world keeps per volunteer
    anyway.
    """

    def __init__(self) -> None:
        self._taken: set[int] = set()

    def issue(self, rng: random.Random, *, region_code: str, birth_date: date, gender: str) -> str:
        """A valid number for the place, birth date and sex that no earlier call returned."""
        drawn = make_resident_id(rng, region_code=region_code, birth_date=birth_date, gender=gender)
        body = drawn[:17]
        if int(body) not in self._taken:
            self._taken.add(int(body))
            return drawn
        body = self._next_free(body)
        self._taken.add(int(body))
        return body + resident_id_check_char(body)

    def _next_free(self, body: str) -> str:
        """The next untaken sequence code after ``body``'s, of the same parity (so sex), cyclic."""
        head, sequence = body[:14], int(body[14:])
        for step in range(1, _SEQUENCES_PER_SEX):
            candidate = f"{head}{(sequence + 2 * step) % 1000:03d}"
            if int(candidate) not in self._taken:
                return candidate
        raise ValueError(
            f"more than {_SEQUENCES_PER_SEX} volunteers of one sex born on one day in one place; "
            "the sample cannot give them distinct ID numbers"
        )
