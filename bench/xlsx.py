"""XLSX → standard: throughput against openpyxl read-only, and peak memory at two sizes.

Throughput (one run, same workbook): a regional volunteers sheet (20 columns, dates as
date cells, shared strings as Excel saves them) read by openpyxl ``read_only`` (values
only), by python-calamine, by vstd's streaming reader, and converted to standard JSON
Lines by ``vstd convert`` (library call, national profile). Ratios are against openpyxl.

Memory (each case a fresh child process, peak RSS: ``VmHWM``): a narrow sheet
(volunteer number, name, gender, birth date) written straight to the zip, with every
text in the shared-strings table, read by the streaming reader and converted, at two
sizes.

    .venv/bin/python bench/xlsx.py --rows 20000 --memory 100000 1000000

openpyxl is a benchmark dependency only (the dev extra).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHEET = "志愿者"

WIDE_MAPPING = """version: 1
timezone: "+08:00"
extensions_namespace: tabular
entities:
  - type: volunteer
    sheet: 志愿者
    fields:
      id: 志愿者编号
      volunteer_no: 志愿者编号
      name: 姓名
      gender: 性别
      id_document.type: {column: 证件类型, values: {身份证: "01"}}
      id_document.number: 证件号码
      birth_date: 出生日期
      ethnicity: 民族
      political_status: 政治面貌
      education: {column: 学历, values: {本科: "20", 大专: "30", 硕士: "14", 高中: "60"}}
      phone: 手机号
      residence.region_code: {columns: [所在省, 所在市, 所在区]}
      residence.address: 详细地址
      skills: {column: 个人特长, split: "、"}
      registered_on: 注册日期
      remarks: 备注
"""

NARROW_MAPPING = """version: 1
entities:
  - type: volunteer
    sheet: 志愿者
    fields:
      id: 志愿者编号
      volunteer_no: 志愿者编号
      name: 姓名
      gender: 性别
      birth_date: 出生日期
"""


def _regional() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_regional", ROOT / "examples" / "regional" / "make_regional.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_wide(path: Path, rows: int) -> None:
    """The regional export's volunteers as a workbook (xlsxwriter: shared strings)."""
    import xlsxwriter

    mr = _regional()
    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(SHEET)
    day = book.add_format({"num_format": "yyyy/m/d"})
    sheet.write_row(0, 0, mr.VOLUNTEER_HEADER)
    for n in range(1, rows + 1):
        province, city, district, region = rng.choice(mr.PLACES)
        gender = rng.choice(("1", "2"))
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        team = rng.choice(mr.TEAMS)
        skills = "、".join(rng.sample(mr.SKILLS, rng.choice((0, 1, 1, 2))))
        resident = mr.make_resident_id(rng, region_code=region, birth_date=birth, gender=gender)
        sheet.write_row(
            n, 0, [n, f"ZY{region}{n:08d}", mr._name(rng), "男" if gender == "1" else "女"]
        )
        sheet.write_row(n, 4, ["身份证", resident])
        sheet.write_datetime(n, 6, birth, day)
        sheet.write_row(
            n,
            7,
            [
                rng.choice(["汉族"] * 9 + ["回族"]),
                rng.choice(mr.POLITICAL),
                rng.choice(mr.EDUCATION),
                mr.make_mobile(rng),
                province,
                city,
                district,
                f"{district}示例路{rng.randrange(1, 300)}号",
                skills,
            ],
        )
        registered = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 5))
        sheet.write_datetime(n, 16, registered, day)
        sheet.write_row(n, 17, [team[0], team[1], rng.choice(["", "", "周末可服务"])])
    book.close()


def make_narrow(path: Path, rows: int) -> None:
    """Four columns, every text shared (as Excel saves it), written straight to the zip."""
    ns = "http://schemas.openxmlformats.org/"
    rel = ns + "officeDocument/2006/relationships/"
    names = "王李张刘陈杨黄赵吴周"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="'
            f'{ns}officeDocument/2006/relationships"><sheets><sheet name="{SHEET}" sheetId="1"'
            ' r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0"?><styleSheet xmlns="{ns}spreadsheetml/2006/main"><cellXfs>'
            '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        )
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0"?><sst xmlns="{ns}spreadsheetml/2006/main">'.encode())
            fixed = ["志愿者编号", "姓名", "性别", "出生日期", "男", "女"]
            out.write("".join(f"<si><t>{s}</t></si>" for s in fixed).encode())
            for start in range(0, rows, 10_000):
                out.write(
                    "".join(
                        f"<si><t>V{n:09d}</t></si><si><t>{names[n % 10]}志愿{n}</t></si>"
                        for n in range(start, min(start + 10_000, rows))
                    ).encode()
                )
            out.write(b"</sst>")
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(
                f'<?xml version="1.0"?><worksheet xmlns="{ns}spreadsheetml/2006/main">'
                '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
                '</c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'.encode()
            )
            for start in range(0, rows, 10_000):
                out.write(
                    "".join(
                        f'<row r="{n + 2}"><c r="A{n + 2}" t="s"><v>{6 + 2 * n}</v></c>'
                        f'<c r="B{n + 2}" t="s"><v>{7 + 2 * n}</v></c><c r="C{n + 2}" t="s">'
                        f'<v>{4 + n % 2}</v></c><c r="D{n + 2}" s="1"><v>{25000 + n % 9000}'
                        "</v></c></row>"
                        for n in range(start, min(start + 10_000, rows))
                    ).encode()
                )
            out.write(b"</sheetData></worksheet>")


# -- the cases ---------------------------------------------------------------------------


def _openpyxl(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in book[SHEET].iter_rows(values_only=True))
    book.close()
    return count


def _calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as book:
        return sum(1 for _ in book.get_sheet_by_name(SHEET).iter_rows())


def _streamed(path: Path) -> int:
    from volunteer_standard.connectors.tabular.readers import read_sheet

    return 1 + sum(1 for _ in read_sheet(path, SHEET).rows)


def _convert(path: Path) -> int:
    from volunteer_standard.engine import convert

    out = path.with_suffix(".jsonl")
    summary = convert(
        str(path),
        str(out),
        source_connector="tabular",
        source_config={"mapping": str(path.with_name("mapping.yaml"))},
        rejects=path.with_suffix(".rejects.jsonl"),
    )
    assert summary.balanced
    return summary.read + 1


CASES: dict[str, Callable[[Path], int]] = {
    "openpyxl read-only": _openpyxl,
    "python-calamine": _calamine,
    "vstd reader": _streamed,
    "vstd convert": _convert,
}


#: Modules each case imports before its clock starts (the import is not reading).
WARM = {
    "openpyxl read-only": "openpyxl",
    "python-calamine": "python_calamine",
    "vstd reader": "volunteer_standard.connectors.tabular.readers",
    "vstd convert": "volunteer_standard.engine",
}


def _child(case: str, path: str) -> None:
    importlib.import_module(WARM[case])
    if case == "vstd convert":
        importlib.import_module("volunteer_standard.connectors.tabular.connector")
    start = time.perf_counter()
    rows = CASES[case](Path(path))
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mib": _peak_mib()}))


def _peak_mib() -> float:
    """This process's peak resident memory. ``VmHWM`` where there is /proc: on Linux,
    ``ru_maxrss`` also counts the parent's peak from before the exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(case: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", case, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the wide sheet")
    parser.add_argument("--memory", type=int, nargs=2, default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="vstd-bench-xlsx-") as tmp:
        wide = Path(tmp) / "wide" / "volunteers.xlsx"
        wide.parent.mkdir()
        (wide.parent / "mapping.yaml").write_text(WIDE_MAPPING, encoding="utf-8")
        make_wide(wide, args.rows)
        print(f"wide sheet: {args.rows:,} rows × 20 columns, {wide.stat().st_size:,} bytes")
        rates: dict[str, float] = {}
        for case in CASES:
            runs = [_run(case, wide) for _ in range(args.rounds)]
            best = min(runs, key=lambda r: r["seconds"])
            rates[case] = best["rows"] / best["seconds"]
        floor = rates["openpyxl read-only"]
        print(f"{'case':<22}{'rows/s':>12}{'× openpyxl':>12}")
        for case, rate in rates.items():
            print(f"{case:<22}{rate:>12,.0f}{rate / floor:>12.2f}")
        print(f"\nnarrow sheet (4 columns, shared strings), peak RSS at {args.memory} rows:")
        peaks: dict[str, list[float]] = {"vstd reader": [], "vstd convert": []}
        for size in args.memory:
            narrow = Path(tmp) / f"narrow{size}" / "volunteers.xlsx"
            narrow.parent.mkdir()
            (narrow.parent / "mapping.yaml").write_text(NARROW_MAPPING, encoding="utf-8")
            make_narrow(narrow, size)
            for case, found in peaks.items():
                found.append(_run(case, narrow)["peak_mib"])
            narrow.unlink()
        for case, (small, large) in peaks.items():
            print(f"{case:<22}{small:>9.1f} MiB{large:>9.1f} MiB   ratio {large / small:.2f}")


if __name__ == "__main__":
    main()
