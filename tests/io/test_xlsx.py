"""The streaming XLSX reader gives the values python-calamine gives, in flat memory.

python-calamine (the reader before this one, still a test dependency) is the reference:
generated workbooks of every cell kind, and hand-written sheet XML for what writers other
than xlsxwriter produce, must read the same through both.
"""

from __future__ import annotations

import random
import string
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from volunteer_standard.connectors.tabular.cells import restore
from volunteer_standard.io import xlsx
from volunteer_standard.io.limits import LimitExceeded, Limits
from volunteer_standard.io.xlsx import XlsxBook, XlsxError


def calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    with CalamineWorkbook.from_path(str(path)) as book:
        return list(book.get_sheet_by_name(sheet).iter_rows())


def streamed_rows(path: Path, sheet: str, **options: Any) -> list[list[Any]]:
    with XlsxBook(path, **options) as book:
        return list(book.rows(sheet))


# -- generated workbooks (xlsxwriter, shared and inline strings) ---------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + " _&<>'\"=-\t\n" + "张三李四鏉庡志愿")),
    max_size=8,
)
_DATES = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))
_MOMENTS = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 30))
_CELLS = st.one_of(
    st.tuples(st.just("text"), _TEXT),
    st.tuples(st.just("number"), st.floats(allow_nan=False, allow_infinity=False)),
    st.tuples(st.just("number"), st.integers(-(10**17), 10**17)),
    st.tuples(st.just("bool"), st.booleans()),
    st.tuples(st.just("date"), _DATES),
    st.tuples(st.just("datetime"), _MOMENTS),
    st.tuples(st.just("time"), st.times()),
    st.tuples(st.just("duration"), st.floats(0, 1000)),
    st.tuples(st.just("formula"), _TEXT),
    st.tuples(st.just("blank"), st.none()),
)
_GRID = st.dictionaries(
    st.tuples(st.integers(0, 12), st.integers(0, 6)), _CELLS, min_size=0, max_size=40
)


def _write(path: Path, grid: dict[tuple[int, int], tuple[str, Any]], constant: bool) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant})
    formats = {
        "date": book.add_format({"num_format": "yyyy/m/d"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "time": book.add_format({"num_format": "hh:mm:ss"}),
        "duration": book.add_format({"num_format": "[h]:mm:ss"}),
        "blank": book.add_format({"bold": True}),
    }
    sheet = book.add_worksheet("数据")
    book.add_worksheet("hidden").hide()
    for (row, col), (kind, value) in sorted(grid.items()):
        if kind == "text":
            sheet.write_string(row, col, value)
        elif kind == "number":
            sheet.write_number(row, col, value)
        elif kind == "bool":
            sheet.write_boolean(row, col, value)
        elif kind in ("date", "datetime", "time"):
            sheet.write_datetime(row, col, value, formats[kind])
        elif kind == "duration":
            sheet.write_number(row, col, value, formats[kind])
        elif kind == "formula":
            sheet.write_formula(row, col, '="x"', None, value)
        else:
            sheet.write_blank(row, col, None, formats["blank"])
    book.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=_GRID, constant=st.booleans())
def test_generated_workbooks_read_as_calamine_reads_them(
    tmp_path_factory: pytest.TempPathFactory, grid: dict[tuple[int, int], Any], constant: bool
) -> None:
    path = tmp_path_factory.mktemp("gen") / "book.xlsx"
    _write(path, grid, constant)
    assert streamed_rows(path, "数据") == calamine_rows(path, "数据")


def test_sheets_and_their_visibility(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _write(path, {(0, 0): ("text", "x")}, constant=False)
    with XlsxBook(path) as book:
        assert [(s.name, s.visible) for s in book.sheets] == [("数据", True), ("hidden", False)]
        assert list(book.rows("hidden")) == []
        with pytest.raises(XlsxError, match="no sheet named 'nope'"):
            book.sheet("nope")


def test_spilled_shared_strings_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.xlsx"
    grid = {
        (r, c): ("text", f"文本{r}-{c}" if c else "'=1+1") for r in range(300) for c in range(3)
    }
    _write(path, grid, constant=False)  # type: ignore[arg-type]
    expected = calamine_rows(path, "数据")
    monkeypatch.setattr(xlsx, "SPILL_BYTES", 0)
    assert streamed_rows(path, "数据") == expected
    restored = streamed_rows(path, "数据", apostrophe=lambda text: text[1:])
    assert {row[0] for row in restored} == {"=1+1"}


# -- hand-written sheet XML (other writers: Excel, WPS, LibreOffice, generated files) ------

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_REL = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships">{}</Relationships>'
)
_NS = "http://schemas.openxmlformats.org/"


def craft(
    path: Path,
    sheet_data: str,
    strings: Sequence[str] = (),
    formats: Sequence[tuple[int, str | None]] = (),
    *,
    date1904: bool = False,
    prefix: str = "",
) -> Path:
    """A minimal workbook whose sheet XML, shared strings and number formats are given."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns{':' + prefix if prefix else ''}"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}="{_NS}spreadsheetml/'
        f'2006/main"><{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>'
    )
    sst = (
        f'<?xml version="1.0"?><sst xmlns="{_NS}spreadsheetml/2006/main">'
        + "".join(f"<si>{s}</si>" for s in strings)
        + "</sst>"
    )
    custom = "".join(f'<numFmt numFmtId="{i}" formatCode="{c}"/>' for i, c in formats if c)
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{i}"/>' for i, _ in formats)
    styles = (
        f'<?xml version="1.0"?><styleSheet xmlns="{_NS}spreadsheetml/2006/main"><numFmts>'
        f"{custom}</numFmts><cellXfs>{xfs}</cellXfs></styleSheet>"
    )
    pr = ' date1904="1"' if date1904 else ""
    workbook = (
        f'<?xml version="1.0"?><workbook xmlns="{_NS}spreadsheetml/2006/main" xmlns:r="'
        f'{_NS}officeDocument/2006/relationships"><workbookPr{pr}/><sheets><sheet name="S" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    kinds = _NS + "officeDocument/2006/relationships/"
    rels = _REL.format(
        f'<Relationship Id="rId1" Type="{kinds}worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{kinds}sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{kinds}styles" Target="/xl/styles.xml"/>'
    )
    root = _REL.format(
        f'<Relationship Id="rId1" Type="{kinds}officeDocument" Target="xl/workbook.xml"/>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", root)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", rels)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", sst)
        book.writestr("xl/styles.xml", styles)
    return path


STRINGS = [
    "<t>s0</t>",
    "<t> s1 </t>",  # trimmed: no xml:space="preserve"
    '<r><t>r</t></r><r><rPr><b/></rPr><t xml:space="preserve">2 </t></r>'
    '<rPh sb="0" eb="1"><t>PH</t></rPh><phoneticPr fontId="1"/>',
    "<t>&amp;x&#x4E2D;_x000D_</t>",
    "<t/>",
]
SHEETS = {
    "leading rows and columns, gaps": '<row r="3"><c r="C3" t="s"><v>0</v></c></row>'
    '<row r="6"><c r="B6"><v>1</v></c><c r="E6" s="1"/></row>',
    "attributes in any order, single quotes": '<row r=\'1\'><c t="s" r="A1"><v>1</v></c>'
    '<c s=\'1\' r=\'B1\'><v>45356.5</v></c><c cm="1" r="C1" t="b"><v>1</v></c></row>',
    "no references": '<row><c><v>1</v></c><c t="s"><v>0</v></c></row><row><c r="C2"><v>2</v>'
    "</c><c><v>3</v></c></row>",
    "formulas, errors, booleans": '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" '
    't="str"><f>"a"</f><v> a&amp;b </v></c><c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="D1" t="b"><v>0</v></c><c r="E1"><f>NOW()</f></c><c r="F1"><v>1e3</v></c></row>',
    "plain inline strings (one <t>: the fast path)": '<row r="1"><c r="A1" t="inlineStr">'
    '<is><t>plain</t></is></c><c r="B1" t="inlineStr"><is><t> padded\t</t></is></c><c r="C1" '
    't="inlineStr"><is><t>&amp;&lt;&#x4E2D;&#20013;_x000D_x</t></is></c><c r="D1" '
    't="inlineStr"><is><t></t></is></c><c r="E1" s="1" t="inlineStr"><is><t>45000</t></is>'
    '</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>志愿</t></is></c><c r="B2"><v>2</v>'
    "</c></row>",
    "inline and rich strings": '<row r="1"><c r="A1" t="inlineStr"><is><t> x </t></is></c>'
    '<c r="B1" t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r></is>'
    '</c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>1</v>'
    "</c></row>",
    "dates and durations by format": '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1">'
    '<v>60</v></c><c r="C1" s="1"><v>61.25</v></c><c r="D1" s="2"><v>1.5</v></c><c r="E1" '
    's="3"><v>45000</v></c><c r="F1" s="4"><v>45000</v></c><c r="G1" s="1"><v>-1</v></c>'
    '<c r="H1" s="1"><v>3000000</v></c><c r="I1" s="5"><v>0.75</v></c></row>',
    "ISO dates (t=d)": '<row r="1"><c r="A1" t="d"><v>2024-03-05</v></c><c r="B1" t="d"><v>'
    '2024-03-05T08:30:00</v></c><c r="C1" t="d"><v>08:30:00</v></c></row>',
    "odd numbers": '<row r="1"><c r="A1"><v>12345678901234567890</v></c><c r="B1"><v>-0</v>'
    '</c><c r="C1"><v> 5 </v></c><c r="D1"><v>1_0</v></c><c r="E1"><v>x</v></c></row>',
    "empty rows": '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"/><row r="3" spans="1:2">'
    '</row><row r="4"><c r="A4" s="1"/></row>',
}
FORMATS = [
    (14, None),
    (46, None),
    (164, "yyyy&quot;年&quot;m&quot;月&quot;"),
    (165, "0.00%"),
    (21, None),
]


def test_empty_shared_strings_keep_their_place(tmp_path: Path) -> None:
    body = '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>3</v></c></row>'
    path = tmp_path / "c.xlsx"
    craft(path, body, ["<t>a</t>", "<t>b</t>", "<t>c</t>", "<t>d</t>"])
    with zipfile.ZipFile(path) as book:
        parts = {i.filename: book.read(i) for i in book.infolist()}
    sst = parts["xl/sharedStrings.xml"].replace(b"<si><t>a</t></si>", b"<si/>")
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, sst if name == "xl/sharedStrings.xml" else data)
    assert streamed_rows(path, "S") == calamine_rows(path, "S") == [["b", "d"]]


@pytest.mark.parametrize("case", sorted(SHEETS))
@pytest.mark.parametrize("date1904", [False, True])
def test_sheet_xml_reads_as_calamine_reads_it(tmp_path: Path, case: str, date1904: bool) -> None:
    path = craft(tmp_path / "c.xlsx", SHEETS[case], STRINGS, FORMATS, date1904=date1904)
    assert streamed_rows(path, "S") == calamine_rows(path, "S")


def test_inline_strings_read_the_same_in_a_row_of_plain_cells_or_not(tmp_path: Path) -> None:
    """A row of plain cells takes the fast path; one odd cell sends it down the general
    one: an inline string (apostrophe rule included) reads the same either way."""
    texts = ["'=1+1", "''@x", "'plain", " 'x ", "a&amp;b", "_x0041_", "志愿者"]
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{t}</t></is></c>' for i, t in enumerate(texts)
    )
    # Odd cells no writer makes, read as the general expression reads them.
    cells += (
        '<c r="H1" t="inlineStr"><v>5</v></c><c r="I1" t="inlineStr"/><c r="J1" t="str"><is>'
        '<t>x</t></is></c><c r="K1"><is><t>y</t></is></c><c r="L1" t="s"><is><t>z</t></is></c>'
    )
    odd = '<c r="Z1"><f>1+1</f><v>2</v></c>'
    fast = craft(tmp_path / "fast.xlsx", f'<row r="1">{cells}</row>')
    general = craft(tmp_path / "general.xlsx", f'<row r="1">{cells}{odd}</row>')
    for options in ({}, {"apostrophe": restore}):
        (one,) = streamed_rows(fast, "S", **options)
        (other,) = streamed_rows(general, "S", **options)
        assert one == other[: len(one)]
    assert one[: len(texts)] == ["=1+1", "'@x", "'plain", "'x", "a&b", "A", "志愿者"]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_row_of_inline_strings_only_reads_as_any_other_row(tmp_path: Path, prefix: str) -> None:
    """Rows of inline strings alone (vstd's own workbooks) take the fast cell path: the
    same cells as through the general one, whatever the text."""
    texts = [
        "plain", " padded\t", "\r\nx\n", "", "   ", "a&amp;b", "&#x4E2D;", "_x000D_", "'=1",
        "''@x", "志愿 者", "x>y", "'",
    ]  # fmt: skip
    p = f"{prefix}:" if prefix else ""
    rng = random.Random(4)
    rows = []
    styles = ["", ' s="1"']
    for number in range(1, 40):
        cells = [
            f'<{p}c r="{chr(66 + i)}{number}"{rng.choice(styles)} t="inlineStr">'
            f"<{p}is><{p}t>{rng.choice(texts)}</{p}t></{p}is></{p}c>"
            for i in range(rng.randrange(1, 6))
            if rng.random() < 0.8
        ]
        rows.append(f'<{p}row r="{number}">{"".join(cells)}</{p}row>')
    odd = f'<{p}c r="A{{n}}"><{p}f>1</{p}f><{p}v>1</{p}v></{p}c>'  # the per-cell path
    one = craft(tmp_path / "one.xlsx", "".join(rows), prefix=prefix)
    other = "".join(r.replace(">", ">" + odd.format(n=i + 1), 1) for i, r in enumerate(rows))
    general = craft(tmp_path / "general.xlsx", other, prefix=prefix)
    for options in ({}, {"apostrophe": restore}):
        fast_rows = streamed_rows(one, "S", **options)
        slow_rows = [r[1:] for r in streamed_rows(general, "S", **options)]
        assert fast_rows == slow_rows
    if not prefix:
        assert streamed_rows(one, "S") == calamine_rows(one, "S")


def test_a_namespace_prefix_reads_the_same(tmp_path: Path) -> None:
    body = '<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2"><x:v>7</x:v></x:c></x:row>'
    plain = craft(tmp_path / "plain.xlsx", body.replace("x:", ""), STRINGS)
    prefixed = craft(tmp_path / "prefixed.xlsx", body, STRINGS, prefix="x")
    assert streamed_rows(prefixed, "S") == calamine_rows(plain, "S") == [[""] * 2, ["s0", 7.0]]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("yyyy-mm-dd", 1),
        ("H:MM:SS;@", 1),
        ("[h]:mm:ss", 2),
        ("[Blue]\\+[h]:mm;[Red]\\-[h]:mm", 2),
        ('"Y: "0.00"m"', 0),
        ("#,##0.00_);[Red](#,##0.00)", 0),
        ("0.00%", 0),
        ("\\Y000000", 0),
        ("h AM/PM", 1),
        ("[$-404]e/m/d", 1),
        ("General", 0),
    ],
)
def test_number_formats_that_mean_a_date(code: str, kind: int) -> None:
    assert xlsx._number_kind(code) == kind


# -- limits and damage ----------------------------------------------------------------------


def test_a_sheet_beyond_the_limits_is_refused_before_any_row(tmp_path: Path) -> None:
    path = craft(tmp_path / "c.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>'
                 '<row r="9"><c r="Z9"><v>1</v></c></row>')  # fmt: skip
    with XlsxBook(path, bounds=Limits(max_sheet_cells=100)) as book:
        rows = book.rows("S")
        with pytest.raises(LimitExceeded, match="9 rows × 26 columns"):
            next(rows)


def test_a_row_longer_than_a_record_is_refused(tmp_path: Path) -> None:
    noise = random.Random(1)
    text = "".join(noise.choices(string.ascii_letters, k=200_000))  # not a zip bomb
    path = craft(
        tmp_path / "c.xlsx", f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    )
    with (
        XlsxBook(path, bounds=Limits(max_record_bytes=100_000)) as book,
        pytest.raises(LimitExceeded, match="longer than 100,000 bytes"),
    ):
        list(book.rows("S"))


@pytest.mark.parametrize(
    ("part", "body"),
    [
        ("xl/workbook.xml", b"<workbook><sheets><sheet name='S' r:id='rId9'/></sheets>"),
        ("xl/worksheets/sheet1.xml", b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
    ],
    ids=["sheet part missing", "shared string missing"],
)
def test_damaged_workbooks_end_in_a_clear_error(tmp_path: Path, part: str, body: bytes) -> None:
    source = craft(tmp_path / "c.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            new.writestr(info, body if info.filename == part else old.read(info))
    with pytest.raises(XlsxError), XlsxBook(path) as book:
        list(book.rows("S"))


# -- memory -----------------------------------------------------------------------------------


def _big(path: Path, rows: int, shared: bool) -> Path:
    """A narrow sheet of ``rows`` rows with a unique text per row (written directly)."""
    if shared:
        cells = '<c r="A{n}" t="s"><v>{i}</v></c><c r="B{n}"><v>{n}.5</v></c>'
        strings = [f"<t>志愿者{i:07d}</t>" for i in range(rows)]
    else:
        cells = (
            '<c r="A{n}" t="inlineStr"><is><t>志愿者{i:07d}</t></is></c><c r="B{n}"><v>{n}</v></c>'
        )
        strings = []
    body = "".join(f'<row r="{i + 1}">{cells.format(n=i + 1, i=i)}</row>' for i in range(rows))
    return craft(path, body, strings)


def _peak(path: Path) -> int:
    tracemalloc.start()
    try:
        with XlsxBook(path) as book:
            for _row in book.rows("S"):
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shared", [False, True], ids=["inline strings", "shared strings"])
def test_memory_does_not_grow_with_the_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: bool
) -> None:
    monkeypatch.setattr(xlsx, "SPILL_BYTES", 256 << 10)  # spill early: keep the test small
    small = _peak(_big(tmp_path / "small.xlsx", 20_000, shared))
    large = _peak(_big(tmp_path / "large.xlsx", 200_000, shared))
    assert large < small * 1.5, (small, large)


def test_excel_dates_match_their_serial_numbers() -> None:
    assert xlsx.excel_date(45356.0, 1, False) == date(2024, 3, 5)
    assert xlsx.excel_date(45356.5, 1, False) == datetime(2024, 3, 5, 12)
    assert xlsx.excel_date(0.5, 1, False) == time(12)
    assert xlsx.excel_date(1.5, 2, False) == timedelta(days=1, hours=12)
    assert xlsx.excel_date(43894.0, 1, True) == date(2024, 3, 5)
    assert xlsx.excel_date(3e6, 1, False) == 3e6  # beyond year 9999: the number
