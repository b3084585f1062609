"""Mapping errors exist in Chinese and English: a data steward reads them in either."""

from __future__ import annotations

import re
from typing import Any

import pytest

from volunteer_standard.connectors.tabular import MappingError, mapping_from_dict

_FIELDS = {"id": "编号", "volunteer_no": "编号", "name": "姓名"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: English sentence fragments that must not be left in the Chinese text.
_ENGLISH = re.compile(
    r"is required|is not|has no|give |did you mean|one of|should|unknown|not mapped|"
    r"at least|Field required|Input|must|list at|use |offset|time zone|directive"
)


def _volunteer(**fields: Any) -> dict[str, Any]:
    return {"entities": [{"type": "volunteer", "file": "v.csv", "fields": {**_FIELDS, **fields}}]}


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (
            _volunteer(nmae="姓名2"),
            "entities[0].fields.nmae: the entity has no field 'nmae'; did you mean name?",
        ),
        (
            _volunteer(**{"residence.region_code": {"columns": []}}),
            "entities[0].fields.residence.region_code.columns: list at least one column",
        ),
        (
            _volunteer(gender={"column": "性别", "codelist": "gendr"}),
            "entities[0].fields.gender.codelist: unknown code list 'gendr'",
        ),
        (
            _volunteer(volunteer_no={"template": "V-001"}),
            "entities[0].fields.volunteer_no.template: name at least one {column}",
        ),
        (
            {**_volunteer(), "timezone": "Mars/Base"},
            "timezone: unknown time zone 'Mars/Base'",
        ),
        (
            _volunteer(birth_date={"column": "出生日期", "timezone": "+25:00"}),
            "entities[0].fields.birth_date.timezone: offset out of range: '+25:00'",
        ),
        (
            _volunteer(name={"colum": "姓名"}),
            "entities[0].fields.name.colum: unknown option (did you mean 'column'?)",
        ),
        (
            {"entities": [{"type": "volunteer", "fiels": {}}]},
            "entities[0].fiels: unknown option (did you mean 'fields'?)",
        ),
        (
            _volunteer(**{"id_document.number": "证件号码"}),
            "entities[0].fields: id_document.type is required when id_document is mapped",
        ),
        (
            _volunteer(birth_date={"column": "出生日期", "format": "%Y年%m月%Q"}),
            "unsupported directive %Q",
        ),
        (
            {"entities": [{"type": "volunter", "fields": {}}]},
            "entities[0].type: 'volunter' is not an entity type (did you mean 'volunteer'?)",
        ),
        ({"entities": []}, "entities: List should have at least 1 item"),
        ({"version": 2, "entities": [{"type": "volunteer", "fields": {}}]}, "version: Input"),
    ],
)
def test_mapping_errors_speak_chinese_and_english(data: dict[str, Any], english: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(data, "m.yaml")
    error = caught.value
    assert english in error.message("en")
    assert str(error) == error.message("en")
    assert error.message("en").startswith("m.yaml: ")
    zh = error.message("zh")
    assert zh.startswith("m.yaml：")
    assert _CJK.search(zh), zh
    assert not _ENGLISH.search(zh), zh
    assert "is required" not in zh
    assert zh == "m.yaml：" + "；".join(p.zh for p in error.problems)


def test_each_problem_is_kept_in_both_languages() -> None:
    data = _volunteer(nmae="x", gender={"column": "性别", "codelist": "gendr"})
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(data, "m.yaml")
    problems = caught.value.problems
    assert [p.en.split(":")[0] for p in problems] == [
        "entities[0].fields.nmae",
        "entities[0].fields.gender.codelist",
    ]
    assert "该实体没有字段 'nmae'" in problems[0].zh
    assert "未知的代码表 'gendr'" in problems[1].zh
    assert caught.value.message("en") == "m.yaml: " + "; ".join(p.en for p in problems)
    assert caught.value.message("zh") == "m.yaml：" + "；".join(p.zh for p in problems)


def test_a_mapping_that_is_not_an_object() -> None:
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(["entities"], "m.yaml")
    assert caught.value.message("en") == (
        "m.yaml: a mapping must be an object with an 'entities' list"
    )
    assert _CJK.search(caught.value.message("zh"))


def test_digest_without_a_key_is_explained_in_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VSTD_ID_KEY", raising=False)
    data = _volunteer(id={"template": "V-{digest:证件号码}"})
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(data, "m.yaml")
    assert "VSTD_ID_KEY" in caught.value.message("en")
    assert "密钥" in caught.value.message("zh")
    assert not _ENGLISH.search(caught.value.message("zh").replace("digest", ""))
