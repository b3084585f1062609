"""A regional export (examples/regional) with cells turned into unusual and broken values.

Used to check that the tabular reading path gives the same records, problems and messages
as the reference: dates in every accepted and many refused forms, full-width digits,
labels off the code lists, mojibake, empty required cells, extra cells, stray quotes and
bytes that are not GB18030. Deterministic for a seed.

    python tests/connectors/regional_broken.py OUT_DIR [--dump FILE]   # make (and dump)
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import random
import shutil
from pathlib import Path
from typing import Any

import orjson

REGIONAL = Path(__file__).resolve().parents[2] / "examples" / "regional"

DATETIMES = [
    "2024/2/30 09:00",
    "2024-03-05T09:00:00+08:00",
    "２０２４/３/５ ０９:３０",
    "2024年3月5日 9时30分",
    "45356.5",
    "20240305093000",
    " 2024/3/5 9:00 ",
    "2024/13/1 10:00",
    "2024/3/5 25:00",
    "",
    "abc",
    "2024/3/5",
    "2024/3/5 9:00:00",
    "2024/03/05 09:30",
    "2024/3/ 5 9:30",
    "2024/2/29 10:00",
    "2023/2/29 10:00",
    "2024/3/5\u30009:00",
    "2024/3/5  9:00",
    "2024/3/5 9:5",
    "0000/1/1 00:00",
    "2024/3/5 09:00Z",
    "2024.3.5 9:00",
    "2024/3/5 9:60",
    "45356",
    "2024/3/5 0:00",
    "\u00a02024/3/5 10:00",
    "2024/3/5 10:00\t",
    "2024/3/5T10:00",
    "2024/3/5 t 10:00",
    "2024/03/05 10:00:61",
    "2024/3/5 10:00:60",
    "2024/3/5 ９:００",
]
DATES = [
    "1990-2-3",
    "1990年2月3日",
    "19900203",
    "1990/2/30",
    "33000",
    "1990/2/3 00:00",
    "1990/2/3 10:00",
    "１９９０/２/３",
    "",
    "x",
    "1990/02/03",
    "1990/2/3 ",
    "2/3/1990",
    "1990/ 2/3",
    "1990/2/ 3",
    "1900/2/29",
    "1990.2.3",
    "1990年2月3日 0时0分",
    "2020年2月29日",
    "2021年2月29日",
]
LABELS = [
    "待定",
    "已审核 ",
    "ＥＦＦＥＣＴＩＶＥ",
    "effective",
    "Effective",
    "PENDING",
    "",
    "已审核\u3000",
]
MINUTES = [
    "-5",
    "９０",
    "1,200",
    "abc",
    "90.5",
    "",
    "0",
    "６０．５",
    "1e3",
    "+30",
    ".5",
    "99999999",
]
MOJIBAKE = ["鏉庡洓", "娴嬭瘯鏁版嵁", "锟斤拷", "æ\x9d\x8eå\x9b\x9b", "鐜嬩簲?", "绀惧尯鏈嶅姟"]
TEXT = [
    "张\u3000三",
    "Ｌｉ Ｌｅｉ",
    " 王五 ",
    "=1+1",
    "'=2",
    "@x",
    "-3",
    "李四",
    "\u200b赵六",
    'q"uote',
]
REGIONS = ["北京", "市辖区", "朝阳区", "南京", "江苏", "不存在区", "", "江苏省", "鼓楼"]
BY_COLUMN: dict[str, list[str]] = {
    "性别": ["男性", "M", "f", "1", "未知", ""],
    "政治面貌": ["党员同志", "中共党员", "群众 ", "團員", "01", ""],
    "个人特长": ["医疗急救,法律服务", "医疗急救；未知技能", "、、", "信息技术 、 教育培训", "未知"],
    "所在省": REGIONS,
    "所在市": REGIONS,
    "所在区": REGIONS,
}
IDS = ["ZY 001", "ZY中文", "", "11010519491231002X", "ZY-OK_1", "x" * 70]
YES_NO = ["是", "否", "Y", "n", "√", "对", "maybe", ""]
NUMBERS = ["12", "１２", "12.0", "12.5", "-1", "", "abc"]


def _value(rng: random.Random, column: str) -> str:
    if column in BY_COLUMN:
        return rng.choice(BY_COLUMN[column])
    for part, values in (
        ("时间", DATETIMES),
        ("日期", DATES),
        ("审核", LABELS),
        ("学历", LABELS),
        ("分钟", MINUTES),
        ("编号", IDS),
        ("是否", YES_NO),
        ("人数", NUMBERS),
    ):
        if part in column:
            return rng.choice(values)
    return rng.choice(TEXT + MOJIBAKE)


def _line(rng: random.Random, row: list[str], header: list[str]) -> bytes:
    if rng.random() < 0.4:
        for _ in range(rng.choice((1, 1, 2, 3))):
            index = rng.randrange(len(row))
            row[index] = _value(rng, header[index])
        if rng.random() < 0.05:
            row.append("extra")
    text = io.StringIO()
    csv.writer(text).writerow(row)
    line = text.getvalue().encode("gb18030")
    draw = rng.random()
    if draw < 0.02:
        line = line.replace(b",", b",\xff\xfe", 1)  # not GB18030
    elif draw < 0.03:
        line = line.replace(b",", b',"', 1)  # a stray quote
    elif draw < 0.04:
        line = b"\r\n"  # a blank row
    return line


def make(folder: Path, seed: int = 3, volunteers: int = 60, records: int = 300) -> Path:
    """The broken export in ``folder`` (with its mapping); returns ``folder``."""
    spec = importlib.util.spec_from_file_location("make_regional", REGIONAL / "make_regional.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(folder, seed=seed, volunteers=volunteers, records=records)
    shutil.copy(REGIONAL / "mapping.yaml", folder / "mapping.yaml")
    rng = random.Random(seed)
    for name in ("teams.csv", "volunteers.csv", "service_hours.csv"):
        path = folder / name
        with path.open(encoding="gb18030", newline="") as stream:
            header, *rows = list(csv.reader(stream))
        text = io.StringIO()
        csv.writer(text).writerow(header)
        lines = [text.getvalue().encode("gb18030")]
        lines += [_line(rng, row, header) for row in rows]
        path.write_bytes(b"".join(lines))
    return folder


def make_workbook(folder: Path, seed: int = 3) -> Path:
    """The broken export (see :func:`make`) as one workbook ``export.xlsx`` in ``folder``,
    a sheet per file, with its mapping ``mapping.yaml`` (sheets instead of files): numbers
    as numbers, now and then a number in a date format, rows that did not decode skipped."""
    import xlsxwriter

    make(folder / "csv", seed)
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(folder / "export.xlsx"))
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    mapping = (REGIONAL / "mapping.yaml").read_text(encoding="utf-8")
    for name in ("teams", "volunteers", "service_hours"):
        mapping = mapping.replace(f"file: {name}.csv", f"sheet: {name}")
        sheet = book.add_worksheet(name)
        raw = (folder / "csv" / f"{name}.csv").read_bytes().decode("gb18030", "replace")
        for r, row in enumerate(csv.reader(io.StringIO(raw, newline=""))):
            for c, cell in enumerate(row):
                draw = rng.random()
                if r and draw < 0.03:
                    sheet.write_number(r, c, 45356.5, dated)
                elif r and draw < 0.7 and cell.strip().lstrip("-").replace(".", "", 1).isdigit():
                    sheet.write_number(r, c, float(cell))
                else:
                    sheet.write_string(r, c, cell)
    book.close()
    (folder / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return folder / "export.xlsx"


def dump(folder: Path) -> bytes:
    """Every record the connector reads, with its location, raw cells and problems (both
    languages), as JSON Lines; the folder's path is written as ``<dir>``."""
    return dump_read(folder, folder / "mapping.yaml")


def dump_read(source: Path, mapping: Path) -> bytes:
    """:func:`dump` of ``source`` read with ``mapping``."""
    from volunteer_standard.connectors.tabular.connector import TabularConfig, TabularConnector
    from volunteer_standard.text import as_text

    connector = TabularConnector(TabularConfig(mapping=str(mapping)))
    folder = source if source.is_dir() else source.parent
    out = io.BytesIO()
    for record in connector.read(str(source)):
        problems: list[Any] = [
            [p.code, as_text(p.message).zh, as_text(p.message).en, p.field, dict(p.params)]
            for p in record.problems
        ]
        item = {
            "data": record.data,
            "at": [record.location.file, record.location.line],
            "raw": record.raw,
            "problems": problems,
        }
        out.write(orjson.dumps(item) + b"\n")
    return out.getvalue().replace(str(folder).encode(), b"<dir>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--dump", help="write the records read to this file")
    args = parser.parse_args()
    folder = make(Path(args.folder))
    if args.dump:
        Path(args.dump).write_bytes(dump(folder))


if __name__ == "__main__":
    main()
