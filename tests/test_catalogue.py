"""Every message a person reads exists in Chinese and English: the issue catalogue (the
structural codes, every rule's codes), the label tables, and pydantic's own errors."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

import volunteer_standard as vs
from volunteer_standard import labels
from volunteer_standard.catalogue import CATALOGUE
from volunteer_standard.text import Text

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {
        name.removesuffix("_zh") for _, name, _, _ in string.Formatter().parse(template) if name
    }


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_issue_type_speaks_both_languages(code: str) -> None:
    item = CATALOGUE[code]
    for text in (item.message_zh, item.message_en, item.hint_zh, item.hint_en):
        assert text.strip(), f"{code}: an empty text"
    assert _CJK.search(item.message_zh) and _CJK.search(item.hint_zh), f"{code}: zh is not Chinese"
    assert re.search("[A-Za-z]{3}", item.message_en), f"{code}: en is not English"
    assert _fields(item.message_zh) == _fields(item.message_en), f"{code}: placeholders differ"
    assert item.category in labels.CATEGORIES, f"{code}: category {item.category!r} has no label"
    assert item.severity in labels.SEVERITIES


def test_the_label_tables_are_complete() -> None:
    for table in (labels.CATEGORIES, labels.SEVERITIES, labels.ENTITY_TYPES):
        for key, text in table.items():
            assert isinstance(text, Text) and text.zh and text.en, key
            assert _CJK.search(text.zh), key
    assert set(labels.ENTITY_TYPES) == set(vs.ENTITY_MODELS)


BAD = [
    {"type": "volunteer", "id": "v1", "volunteer_no": "V1", "name": "甲", "gender": "男"},
    {"type": "volunteer", "id": "v2", "volunteer_no": "V1", "name": "乙", "birth_date": "2024-1-1"},
    {
        "type": "volunteer",
        "id": "v3",
        "volunteer_no": "V1",
        "name": "丙",
        "real_name_verified": "x",
    },
    {
        "type": "service_record",
        "id": "r1",
        "volunteer_id": "v1",
        "organization_id": "o1",
        "start": "2024-03-05T09:00:00",
        "end": "2024-03-05T11:00:00+08:00",
        "hours": 2.5,
        "status": "effective",
    },
    {"type": "project", "id": "p1", "title": "x", "organization_id": "o", "start": 5},
    {"type": "organization", "id": "o1", "name": "x", "team_type": "2", "member_count": -3},
]


def test_pydantic_errors_are_translated(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in BAD), "utf-8")
    issues: list[vs.Issue] = []
    vs.validate(path, profile="structure", on_issue=issues.append)
    assert len(issues) >= len(BAD)
    for issue in issues:
        zh, en = issue.message("zh"), issue.message("en")
        assert _CJK.search(zh), zh
        assert "Input should" not in zh and "String should" not in zh, zh
        assert "{" not in zh and "{" not in en, (zh, en)
