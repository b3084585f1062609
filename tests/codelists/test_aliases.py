"""Short labels (民盟 for 民盟盟员) are aliases in the code lists, and unambiguous."""

from __future__ import annotations

from volunteer_standard import codelists
from volunteer_standard.connectors.tabular.mapping import mapping_from_dict
from volunteer_standard.connectors.tabular.rows import RowTranslator
from volunteer_standard.io.reader import Location


def test_every_alias_names_an_existing_code_and_no_other_label() -> None:
    for name in codelists.names():
        found = codelists.aliases(name)
        if not found:
            continue
        codes = codelists.get(name)
        labels = {c.label_zh: c.code for c in codes.codes}
        for alias, code in found.items():
            assert code in codes, (name, alias)
            assert labels.get(alias, code) == code, (name, alias)


def test_aliases_cover_the_short_party_names() -> None:
    assert codelists.aliases("political_status")["民盟"] == "05"
    assert codelists.aliases("political_status")["九三学社"] == "10"
    assert codelists.aliases("nonexistent") == {}


def test_a_mapping_reads_a_short_label_without_a_value_map() -> None:
    mapping = mapping_from_dict(
        {
            "entities": [
                {
                    "type": "volunteer",
                    "fields": {
                        "id": "编号",
                        "volunteer_no": "编号",
                        "name": "姓名",
                        "political_status": "政治面貌",
                    },
                }
            ]
        }
    )
    cells = {"编号": "V1", "姓名": "张三", "政治面貌": "民盟"}
    (record,) = RowTranslator(mapping).translate(cells, Location("t", 2), {}, [])
    assert record.data is not None and record.data["political_status"] == "05"
    assert record.problems == []
