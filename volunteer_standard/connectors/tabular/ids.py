"""Ids built from a row: the id rule, keyed digests, and what an id must never be.

The standard's id rule: 1 to 128 characters, letters ``A-Z a-z``, digits ``0-9`` and
``. _ : -``, starting with a letter or a digit. Ledgers rarely have such a column, so a
mapping builds ids with templates:

* ``{column}`` the cell as is (a 志愿者编号 that already follows the rule);
* ``{_row}`` the row number in the source file (the original row when re-reading a
  reject file), ``{_file}`` the source file's name without its suffix;
* ``{digest:column1,column2}`` a keyed, non-reversible digest of the cells (HMAC-SHA256,
  first 20 hex digits). The key comes from an environment variable (``VSTD_ID_KEY`` unless
  the mapping's ``id_key_env`` says otherwise): the same key gives the same ids on every run,
  and without the key nobody can test a guessed ID number against an id.

An id is never derived from an ID number in clear: the mapping is refused, and a value
that looks like a resident ID number is rejected.
"""

from __future__ import annotations

import hmac
import os
import re

from volunteer_standard.connectors.tabular.transforms import halfwidth
from volunteer_standard.errors import VstdError
from volunteer_standard.identifiers import check_resident_id
from volunteer_standard.text import Text

DEFAULT_KEY_ENV = "VSTD_ID_KEY"
DIGEST_LENGTH = 20
ID_RULE = Text(
    "编号只能由英文字母 A-Z a-z、数字 0-9 和 . _ : - 组成，以字母或数字开头，长度 1 到 128 个字符",
    "an id may contain only the letters A-Z a-z, the digits 0-9 and . _ : -, must start "
    "with a letter or a digit, and is 1 to 128 characters long",
)
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._:-]{0,127}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9Xx]")

#: Column names real systems give the ID number (身份证号 and its variants).
ID_NUMBER_HEADERS = frozenset(
    {
        "身份证号",
        "身份证号码",
        "身份证",
        "证件号码",
        "证件号",
        "公民身份号码",
        "身份证件号码",
        "证件编号",
    }
)


class IdKeyMissing(VstdError):
    """A ``{digest:…}`` template needs a key and its environment variable is not set."""


def id_key(env: str = DEFAULT_KEY_ENV) -> bytes:
    """The digest key from the environment (raises :class:`IdKeyMissing` when unset)."""
    value = os.environ.get(env, "")
    if len(value) < 16:
        raise IdKeyMissing(
            Text(
                f"{{digest:…}} 模板需要密钥：请设置环境变量 {env}（至少 16 个字符，"
                "每次转换使用同一个密钥，编号才会一致；密钥不要写进映射文件）",
                f"a {{digest:…}} template needs a key: set the environment variable {env} "
                "to 16 characters or more, the same on every run (the same key gives the same "
                "ids), and never put the key in the mapping file",
            )
        )
    return value.encode("utf-8")


def normalise_part(value: str) -> str:
    """A cell as digested: trimmed, half-width, upper case (``x`` and ``X`` agree)."""
    return halfwidth(value.strip()).upper()


def keyed_digest(values: list[str], key: bytes) -> str:
    """HMAC-SHA256 of the cells (unit-separated), first :data:`DIGEST_LENGTH` hex digits."""
    message = "\x1f".join([normalise_part(v) for v in values]).encode("utf-8")
    return hmac.digest(key, message, "sha256").hex()[:DIGEST_LENGTH]


def is_valid_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


#: A valid id holding no run of 18 characters a resident ID number could be: one for which
#: :func:`id_problem` has nothing to say, found with one expression.
_PLAIN_ID = re.compile(r"(?![\s\S]*[0-9]{17}[0-9Xx])[0-9A-Za-z][0-9A-Za-z._:-]{0,127}")


def plainly_valid_id(value: str) -> bool:
    """``True`` only when :func:`id_problem` returns ``None`` (the usual id, checked fast);
    ``False`` says nothing: ask :func:`id_problem`."""
    return _PLAIN_ID.fullmatch(value) is not None


def looks_like_resident_id(value: str) -> bool:
    """18 characters whose check character matches: a resident ID number."""
    if _RESIDENT_ID.fullmatch(value) is None:
        return False
    return not any(p.code == "id.checksum" for p in check_resident_id(value).problems)


def id_problem(value: str) -> Text | None:
    """Why ``value`` cannot be an id (``None`` when it can); never quotes the value."""
    # Most ids hold no run of 18 digits at all: one search settles it.
    if _RESIDENT_ID.search(value) is not None and (
        looks_like_resident_id(value)
        or any(looks_like_resident_id(m.group()) for m in _RESIDENT_ID.finditer(value))
    ):
        return Text(
            "编号里含有身份证号：不得用明文身份证号作编号，请用 {digest:列名} 生成",
            "the id holds an ID number: an id must never contain an ID number in clear; "
            "derive it with {digest:column}",
        )
    if is_valid_id(value):
        return None
    if _CJK.search(value):
        return Text(
            f"编号含有汉字；{ID_RULE.zh}。用队伍名称等中文列作编号时，"
            "请用 {digest:列名} 从该列生成编号",
            f"the id holds Chinese characters; {ID_RULE.en}. To use a Chinese column such "
            "as a team name as the id, derive the id from it with {digest:column}",
        )
    return Text(f"编号不符合规则：{ID_RULE.zh}", f"not a valid id: {ID_RULE.en}")


def is_id_path(path: str) -> bool:
    """A field holding an id or a reference (``id``, ``volunteer_id``, ``organization_ids``)."""
    last = path.rsplit(".", 1)[-1]
    return last == "id" or last.endswith(("_id", "_ids"))


__all__ = [
    "DEFAULT_KEY_ENV",
    "ID_NUMBER_HEADERS",
    "ID_RULE",
    "IdKeyMissing",
    "id_key",
    "id_problem",
    "is_id_path",
    "is_valid_id",
    "keyed_digest",
    "looks_like_resident_id",
    "plainly_valid_id",
]
