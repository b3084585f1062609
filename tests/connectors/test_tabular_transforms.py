"""Transforms of the tabular connector, table-driven: each case reads, and writes back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from volunteer_standard.connectors.tabular.transforms import (
    TransformError,
    format_datetime,
    format_datetime_text,
    format_hours,
    halfwidth,
    iso_datetime,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_integer,
    parse_timezone,
    region_index,
    split_values,
    trim,
)

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("2024.03.05", "2024-03-05"),
        ("2024年3月5日", "2024-03-05"),
        (" 2024 年 3 月 5 日 ", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("２０２４－０３－０５", "2024-03-05"),  # full-width
        ("2024-03-05 00:00:00", "2024-03-05"),  # Excel exports add midnight
        ("45356", "2024-03-05"),  # Excel serial as text
        (45356.0, "2024-03-05"),  # Excel serial as a number
        (date(2024, 3, 5), "2024-03-05"),  # calamine date
        (datetime(2024, 3, 5), "2024-03-05"),  # calamine date-time at midnight
        ("1900/3/1", "1900-03-01"),
    ],
)
def test_dates(cell: object, expected: str) -> None:
    assert parse_date(cell).isoformat() == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2024-02-30", "not a calendar date"),
        ("2023年2月29日", "not a calendar date"),
        ("2024/13/1", "not a calendar date"),
        ("03/05/2024", "is not a date"),  # month-first is ambiguous: give a format
        ("下周一", "is not a date"),
        (datetime(2024, 3, 5, 9, 30), "has a time of day"),
        (True, "got a boolean"),
        ("0", "0 is not an Excel date"),
    ],
)
def test_bad_dates(cell: object, message: str) -> None:
    with pytest.raises(TransformError, match=message):
        parse_date(cell)  # type: ignore[arg-type]


def test_explicit_date_formats() -> None:
    assert parse_date("05/03/2024", ["%d/%m/%Y"]) == date(2024, 3, 5)
    assert format_datetime_text(date(2024, 3, 5), "%Y/%-m/%-d") == "2024/3/5"
    assert format_datetime_text(date(2024, 3, 5), "%Y年%m月%d日") == "2024年03月05日"
    assert format_datetime_text(datetime(2024, 3, 5, 9, 5), "%-H:%M %%") == "9:05 %"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-05 09:00", "2024-03-05T09:00:00+08:00"),
        ("2024/3/5 9:00:00", "2024-03-05T09:00:00+08:00"),
        ("2024-03-05T09:00:00", "2024-03-05T09:00:00+08:00"),
        ("2024-03-05T09:00:00+09:00", "2024-03-05T09:00:00+09:00"),
        ("2024-03-05T01:00:00Z", "2024-03-05T01:00:00+00:00"),
        ("2024年3月5日 9时30分", "2024-03-05T09:30:00+08:00"),
        ("202403050930", "2024-03-05T09:30:00+08:00"),
        ("20240305093015", "2024-03-05T09:30:15+08:00"),
        ("2024-03-05", "2024-03-05T00:00:00+08:00"),
        ("45356.375", "2024-03-05T09:00:00+08:00"),
        (45356.375, "2024-03-05T09:00:00+08:00"),
        (datetime(2024, 3, 5, 9), "2024-03-05T09:00:00+08:00"),
        (datetime(2024, 3, 5, 9, tzinfo=UTC), "2024-03-05T09:00:00+00:00"),
    ],
)
def test_datetimes(cell: object, expected: str) -> None:
    assert iso_datetime(parse_datetime(cell, CST)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["2024-02-30 09:00", "2024-03-05 25:00", "昨天", "9:00"])
def test_bad_datetimes(cell: str) -> None:
    with pytest.raises(TransformError):
        parse_datetime(cell, CST)


def test_datetimes_are_written_in_the_mapping_zone() -> None:
    moment = datetime(2024, 3, 5, 1, 0, tzinfo=UTC)
    assert format_datetime(moment, CST, "%Y/%-m/%-d %H:%M") == "2024/3/5 09:00"
    assert format_datetime(moment, CST, None) == "2024-03-05 09:00:00"


@pytest.mark.parametrize(
    ("text", "tz"),
    [("+08:00", CST), ("+0800", CST), ("Z", UTC), ("UTC", UTC)],
)
def test_timezones(text: str, tz: timezone) -> None:
    assert parse_timezone(text) == tz


def test_named_timezones() -> None:
    zone = parse_timezone("Asia/Shanghai")
    assert datetime(2024, 3, 5, tzinfo=zone).utcoffset() == timedelta(hours=8)
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_timezone("Mars/Olympus")


@pytest.mark.parametrize(
    ("cell", "unit", "hours", "back"),
    [
        ("90", "minutes", "1.50", "90"),
        ("100", "minutes", "1.67", "100"),  # rounded half up; minutes come back whole
        ("１２０", "minutes", "2.00", "120"),
        (45.0, "minutes", "0.75", "45"),
        ("1.5", "hours", "1.50", "1.50"),
        ("2", "hours", "2.00", "2.00"),
        ("0.005", "hours", "0.01", "0.01"),
        ("1,234.5", "hours", "1234.50", "1234.50"),
        (3, "hours", "3.00", "3.00"),
    ],
)
def test_hours_and_minutes(cell: object, unit: str, hours: str, back: str) -> None:
    assert parse_hours(cell, unit) == hours  # type: ignore[arg-type]
    assert format_hours(hours, unit) == back


@pytest.mark.parametrize("cell", ["-30", "abc", "1.2.3", "", "100000"])
def test_bad_hours(cell: str) -> None:
    with pytest.raises(TransformError):
        parse_hours(cell)


def test_hours_decimals_when_writing() -> None:
    assert format_hours("1.50", "hours", 1) == "1.5"
    assert format_hours("1.50", "hours", 0) == "2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３", "ABC123"),
        ("１３８００１３８０００", "13800138000"),
        ("（示例）", "(示例)"),
        ("a\u3000b", "a b"),
    ],
)
def test_halfwidth(text: str, expected: str) -> None:
    assert halfwidth(text) == expected


def test_trim_strips_ideographic_and_no_break_spaces() -> None:
    assert trim("\u3000 张三\u00a0\t") == "张三"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("医疗急救、法律服务", ["医疗急救", "法律服务"]),
        ("a,b，c;d；e", ["a", "b", "c", "d", "e"]),
        (" a 、、 b ", ["a", "b"]),
        ("", []),
    ],
)
def test_split(text: str, items: list[str]) -> None:
    assert split_values(text, ("、", ",", "，", ";", "；")) == items


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("Y", True), ("true", True), ("0", False), (True, True)],
)
def test_booleans(cell: object, expected: bool) -> None:
    assert parse_bool(cell, ("是", "y", "true", "1"), ("否", "n", "false", "0")) is expected  # type: ignore[arg-type]


def test_integers() -> None:
    assert parse_integer("25") == 25
    assert parse_integer(25.0) == 25
    with pytest.raises(TransformError, match="whole number"):
        parse_integer("2.5")


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (("北京市", "北京市", "朝阳区"), "110105"),  # 直辖市: the city repeats the province
        (("北京市", "市辖区", "朝阳区"), "110105"),
        (("北京", "", "朝阳区"), "110105"),
        (("吉林省", "长春市", "朝阳区"), "220104"),  # the same name elsewhere
        (("江苏省", "南京市", "玄武区"), "320102"),
        (("江苏省", "南京市", ""), "320100"),
        (("江苏省", "", ""), "320000"),
        (("广东", "广州", "天河区"), "440106"),  # short names
        (("广东省", "东莞市", ""), "441900"),  # a prefecture without counties
        (("河南省", "济源市", ""), "419001"),  # a county-level city under the province
        (("湖北省", "仙桃市", "仙桃市"), "429004"),
        (("重庆市", "重庆市", "巫山县"), "500237"),
        (("新疆维吾尔自治区", "乌鲁木齐市", "天山区"), "650102"),
    ],
)
def test_region_names_to_codes_and_back(names: tuple[str, str, str], code: str) -> None:
    index = region_index()
    assert index.code_for(*names) == code
    province, city, county = index.names_for(code)
    assert index.code_for(province, city, county) == code


def test_region_names_for_municipalities() -> None:
    index = region_index()
    assert index.names_for("110105") == ("北京市", "北京市", "朝阳区")
    assert index.names_for("110105", "市辖区") == ("北京市", "市辖区", "朝阳区")
    assert index.names_for("110105", "") == ("北京市", "", "朝阳区")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("北京市朝阳区", "110105"),
        ("广东省深圳市南山区", "440305"),
        ("四川省 成都市 武侯区", "510107"),
        ("江苏省/南京市", "320100"),
        ("110105", "110105"),
    ],
)
def test_region_in_one_cell(text: str, code: str) -> None:
    assert region_index().code_for_text(text) == code


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("火星省", "", ""), "unknown province"),
        (("广东省", "深川市", "南山区"), "no city '深川市' in 广东省; did you mean 深圳市"),
        (("北京市", "北京市", "潮阳区"), "did you mean 朝阳区"),
        (("", "南京市", ""), "the province is empty"),
    ],
)
def test_bad_region_names(names: tuple[str, str, str], message: str) -> None:
    with pytest.raises(TransformError, match=message):
        region_index().code_for(*names)


def test_unknown_region_code() -> None:
    with pytest.raises(TransformError, match="not a GB/T 2260 region code"):
        region_index().code_for_text("999999")
