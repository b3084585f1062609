"""Encodings: UTF-8 (with and without BOM), GB18030/GBK, UTF-16, bad bytes and mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from volunteer_standard.connectors import ConnectorError, get_connector
from volunteer_standard.connectors.tabular import mojibake_hint, sniff_encoding
from volunteer_standard.connectors.tabular.readers import read_csv

ROWS = "id,volunteer_no,name,remarks\nv1,N1,张三,喆堃（生僻字）\nv2,N2,李四,€ 不在 GBK 里\n"


def _read(path: Path, **config: object) -> list[dict[str, object]]:
    records = list(get_connector("tabular")({"entity": "volunteer", **config}).read(str(path)))
    assert all(not r.problems for r in records), [r.problems for r in records]
    return [r.data or {} for r in records]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", ROWS),
        ("utf-8-sig", ROWS),
        ("utf-16", ROWS),
        ("gb18030", ROWS),
        ("gbk", ROWS.replace("€ 不在 GBK 里", "在 GBK 里")),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode(encoding))
    data = _read(path)
    assert [d["name"] for d in data] == ["张三", "李四"]
    assert data[0]["remarks"] == "喆堃（生僻字）"
    assert data[0]["id"] == "v1"  # no BOM left on the first header


def test_sniffing_defers_on_ascii_and_reads_gb18030_later(tmp_path: Path) -> None:
    # 70 KB of ASCII rows first: the sniffed sample says nothing; the first Chinese line decides.
    ascii_rows = "".join(f"v{i},N{i},name{i},x\n" for i in range(4000))
    text = "id,volunteer_no,name,remarks\n" + ascii_rows + "v9999,N9999,王五,备注\n"
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode("gb18030"))
    assert sniff_encoding(path.read_bytes()[:65536]) is None
    data = _read(path)
    assert data[-1]["name"] == "王五" and len(data) == 4001


def test_sniff_encoding() -> None:
    assert sniff_encoding(b"\xef\xbb\xbfa,b") == "utf-8-sig"
    assert sniff_encoding("张三".encode()) == "utf-8"
    assert sniff_encoding("张三".encode("gb18030")) == "gb18030"
    # A character cut at the end of the sample does not make UTF-8 fail.
    assert sniff_encoding("张三".encode()[:-1]) == "utf-8"


def test_an_explicit_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(ROWS.encode("gb18030"))
    assert _read(path, encoding="gbk")[0]["name"] == "张三"


def test_bad_bytes_are_reported_on_their_row(tmp_path: Path) -> None:
    good = "id,volunteer_no,name\nv1,N1,张三\n".encode()
    bad = b"v2,N2,\xff\xfe\n"
    path = tmp_path / "v.csv"
    path.write_bytes(good + bad + "v3,N3,王五\n".encode())
    records = list(get_connector("tabular")({"entity": "volunteer"}).read(str(path)))
    assert [r.location.line for r in records] == [2, 3, 4]
    assert records[0].problems == [] and records[2].problems == []
    (problem,) = records[1].problems
    assert problem.code == "TAB100"
    assert problem.text().startswith("row 3: line 3 has bytes that are not valid utf-8")
    assert "(first: ff at byte 6)" in problem.text()


def test_undetectable_encoding_stops_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(b"id,name\n" + bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(ConnectorError, match="neither UTF-8 nor GB18030"):
        list(read_csv(path).rows)
    path.write_bytes("id,name\n张三".encode("utf-16-le"))
    with pytest.raises(ConnectorError, match="NUL bytes"):
        list(read_csv(path).rows)
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ConnectorError, match="Excel workbook"):
        list(read_csv(path).rows)


@pytest.mark.parametrize(
    ("garbled", "meant"),
    [
        ("鏉庡洓", "李四"),  # UTF-8 read as GBK, saved again
        ("寮犱笁", "张三"),
        ("浣犲ソ涓栫晫", "你好世界"),
        ("蹇楁効鏈嶅姟闃", "志愿服务…"),  # last character cut
        ("æ\x9d\x8eå\x9b\x9b", "李四"),  # UTF-8 read as Latin-1
    ],
)
def test_mojibake_is_recognised(garbled: str, meant: str) -> None:
    hint = mojibake_hint(garbled)
    assert hint is not None and repr(meant) in hint


@pytest.mark.parametrize(
    "text", ["李四", "王喆", "欧阳喆堃", "北京市朝阳区", "示例（测试）", "Café", "Müller", "é©", ""]
)
def test_real_text_is_not_mojibake(text: str) -> None:
    assert mojibake_hint(text) is None


def test_code_list_labels_and_region_names_are_not_mojibake() -> None:
    from volunteer_standard.codelists import all_codelists, regions

    names = [r.name for r in regions.all_regions()]
    names += [c.label_zh for codes in all_codelists() for c in codes.codes]
    assert [n for n in names if mojibake_hint(n)] == []


def test_replacement_characters_mean_data_was_lost() -> None:
    assert "already lost" in (mojibake_hint("张三锟斤拷") or "")
    assert "already lost" in (mojibake_hint("张\ufffd") or "")


def test_mojibake_rows_are_rejected_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,volunteer_no,name\nv1,N1,张三\nv2,N2,鏉庡洓\n", encoding="utf-8")
    first, second = get_connector("tabular")({"entity": "volunteer"}).read(str(path))
    assert first.problems == []
    (problem,) = second.problems
    assert (problem.code, problem.field) == ("TAB101", "name")
    assert "row 3, column 'name'" in problem.text("en") and "'李四'" in problem.text("en")
    assert "第 3 行" in problem.text("zh") and "原文可能是 '李四'" in problem.text("zh")
    kept = list(
        get_connector("tabular")({"entity": "volunteer", "mojibake": "ignore"}).read(str(path))
    )
    assert kept[1].problems == []
