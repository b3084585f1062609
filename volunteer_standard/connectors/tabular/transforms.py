"""Value transforms of the tabular connector, each with its inverse for writing.

Pure functions: they take a cell (text, or a number/date from XLSX) and return a value in
the standard's form, or raise :class:`TransformError` with a message that names the
expected form. The mapping decides which ones apply to a column; ``connector`` adds the
row and column to the message.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from volunteer_standard.connectors.tabular.cells import Cell, cell_text
from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text

#: Separators of several values in one cell, tried together when splitting.
DEFAULT_SEPARATORS = ("、", ",", "，", ";", "；")

_WHITESPACE = " \t\r\n\u3000\u00a0\ufeff\u200b"
_HALFWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CENT = Decimal("0.01")
_MAX_HOURS = Decimal("99999.99")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31


class TransformError(VstdError, ValueError):
    """A cell value does not fit the transform; the message says what was expected."""


def trim(text: str) -> str:
    """Strip spaces, including the ideographic space and no-break spaces exports leave."""
    return text.strip(_WHITESPACE)


def halfwidth(text: str) -> str:
    """Full-width ASCII forms (１２３, ＡＢＣ, ：) and U+3000 to their half-width forms."""
    # ASCII text has nothing to convert: skip the per-character table walk.
    return text if text.isascii() else text.translate(_HALFWIDTH)


def split_values(text: str, separators: Sequence[str]) -> list[str]:
    """Split a multi-value cell on any of ``separators``; items are trimmed, blanks dropped."""
    parts = [text]
    for sep in separators:
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p for p in (trim(x) for x in parts) if p]


# -- dates and times -----------------------------------------------------------------------

_FORMAT_TOKEN = re.compile(r"%(-?)([YmdHMS%])")
_SUPPORTED = set("YmdHMS%")


def check_format(fmt: str) -> None:
    """Raise ``ValueError`` for format directives other than %Y %m %d %H %M %S (and %-m …)."""
    for match in re.finditer(r"%(-?)(.)", fmt):
        if match.group(2) not in _SUPPORTED:
            raise ValueError(
                f"unsupported directive %{match.group(1)}{match.group(2)} in {fmt!r} "
                "(use %Y %m %d %H %M %S, or %-m %-d %-H for no leading zero)"
            )


def format_datetime_text(value: datetime | date, fmt: str) -> str:
    """Format with a portable subset of strftime: ``%-m`` means no leading zero anywhere."""

    def field(match: re.Match[str]) -> str:
        bare, token = match.group(1), match.group(2)
        if token == "%":
            return "%"
        if token == "Y":
            return f"{value.year:04d}"
        number = {
            "m": value.month,
            "d": value.day,
            "H": getattr(value, "hour", 0),
            "M": getattr(value, "minute", 0),
            "S": getattr(value, "second", 0),
        }[token]
        return str(number) if bare else f"{number:02d}"

    return _FORMAT_TOKEN.sub(field, fmt)


#: strptime's own patterns for the directives a mapping may use (CPython ``_strptime``),
#: so that a compiled format accepts exactly what ``datetime.strptime`` accepts.
_STRPTIME_PATTERNS = {
    "d": r"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])",
    "H": r"(?P<H>2[0-3]|[0-1]\d|\d)",
    "m": r"(?P<m>1[0-2]|0[1-9]|[1-9])",
    "M": r"(?P<M>[0-5]\d|\d)",
    "S": r"(?P<S>6[0-1]|[0-5]\d|\d)",
    "Y": r"(?P<Y>\d\d\d\d)",
    "%": "%",
}
_REGEX_CHARS = re.compile(r"([\\.^$*+?\(\){}\[\]|])")


@dataclass(frozen=True, slots=True)
class CompiledFormat:
    """A date format compiled once: strptime's regex and where each field's group is."""

    regex: re.Pattern[str]
    groups: tuple[int | None, ...]  # group numbers of Y, m, d, H, M, S (None: absent)


@functools.lru_cache(maxsize=256)
def compiled_format(fmt: str) -> CompiledFormat | None:
    """``fmt`` (``%-m`` allowed) as strptime would compile it; ``None`` when only strptime
    itself can say (a directive outside %Y %m %d %H %M %S %%, a repeated directive)."""
    pattern = _REGEX_CHARS.sub(r"\\\1", fmt.replace("%-", "%"))
    pattern = re.sub(r"\s+", r"\\s+", pattern)
    out = ""
    while "%" in pattern:
        at = pattern.index("%")
        directive = pattern[at + 1 : at + 2]
        if directive not in _STRPTIME_PATTERNS:
            return None
        out += pattern[:at] + _STRPTIME_PATTERNS[directive]
        pattern = pattern[at + 2 :]
    try:
        regex = re.compile(out + pattern, re.IGNORECASE)
    except re.error:
        return None
    index = regex.groupindex
    return CompiledFormat(regex, tuple(index.get(name) for name in "YmdHMS"))


def _strptime(text: str, fmt: str) -> datetime | None:
    """``datetime.strptime(text, fmt)`` with ``%-m`` read as ``%m``; ``None`` where strptime
    raises ``ValueError``. The format is compiled once (strptime parses it on every call)."""
    compiled = compiled_format(fmt)
    if compiled is None:
        try:
            return datetime.strptime(text, fmt.replace("%-", "%"))
        except ValueError:
            return None
    found = compiled.regex.match(text)
    if found is None or found.end() != len(text):
        return None
    values = found.groups()
    y, mo, d, h, mi, s = compiled.groups
    try:
        return datetime(
            1900 if y is None else int(values[y - 1]),
            1 if mo is None else int(values[mo - 1]),
            1 if d is None else int(values[d - 1]),
            0 if h is None else int(values[h - 1]),
            0 if mi is None else int(values[mi - 1]),
            0 if s is None else int(values[s - 1]),
        )
    except ValueError:
        return None


_YMD = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_DATE_RE = re.compile(rf"^{_YMD}$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME_RE = re.compile(
    rf"^{_YMD}(?:\s*[T\s]\s*(\d{{1,2}})\s*[:时]\s*(\d{{1,2}})"
    r"(?:\s*[:分]\s*(\d{1,2})(?:\.(\d{1,6}))?\s*秒?)?\s*分?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT_DATETIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$")
_SERIAL_RE = re.compile(r"^\d{1,7}(?:\.\d+)?$")


def excel_serial(value: float) -> datetime:
    """An Excel serial date (days since 1899-12-30, 1900 date system) as a naive datetime."""
    if not 0 < value <= _MAX_SERIAL:
        raise TransformError(f"{value:g} is not an Excel date serial number (1–{_MAX_SERIAL})")
    moment = _EXCEL_EPOCH + timedelta(days=value)
    # Serial fractions are binary floats: round to the second.
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _make_date(y: str, m: str, d: str, text: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise TransformError(
            Text(f"{text!r} 不是一个存在的日期", f"{text!r} is not a calendar date")
        ) from None


def parse_date(value: Cell, formats: Sequence[str] = ()) -> date:
    """A date from a cell: XLSX dates, Excel serials, or text in ``formats``/common forms.

    Common forms: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, an Excel serial
    number (45356), and any of these followed by a midnight time (00:00:00).
    """
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise TransformError(f"{value.isoformat()!r} has a time of day; expected a date")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise TransformError("expected a date, got a boolean")
    if isinstance(value, int | float):
        return excel_serial(float(value)).date()
    text = halfwidth(trim(cell_text(value)))
    for fmt in formats:
        parsed = _strptime(text, fmt)
        if parsed is not None:
            return parsed.date()
    text = re.sub(r"\s+0{1,2}[:时]0{1,2}(?:[:分]0{1,2}(?:\.0+)?秒?)?$", "", text)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match is not None:
        year, month, day = match.groups()
        return _make_date(year, month, day, text)
    if _SERIAL_RE.match(text):
        return excel_serial(float(text)).date()
    expected = " or ".join(repr(f) for f in formats) if formats else "a date"
    raise TransformError(
        Text(
            f"{text!r} 不是日期（可用写法：2024-03-05、2024/3/5、2024年3月5日、20240305、"
            "Excel 日期）",
            f"{text!r} is not {expected} (accepted: 2024-03-05, 2024/3/5, 2024年3月5日, "
            "20240305, an Excel date)",
        )
    )


def parse_timezone(text: str) -> tzinfo:
    """``+08:00``, ``+0800``, ``Z``/``UTC``, or an IANA name such as ``Asia/Shanghai``."""
    value = text.strip()
    if value.upper() in ("Z", "UTC"):
        return UTC
    if match := re.fullmatch(r"([+-])(\d{2}):?(\d{2})", value):
        sign = 1 if match.group(1) == "+" else -1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        if delta >= timedelta(hours=24):
            raise ValueError(f"offset out of range: {text!r}")
        return timezone(sign * delta)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {text!r} (use an offset such as +08:00 or a name such as "
            "Asia/Shanghai)"
        ) from None


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def parse_datetime(value: Cell, tz: tzinfo, formats: Sequence[str] = ()) -> datetime:
    """A date-time with an offset; naive values (the usual case) get ``tz``.

    Accepts XLSX date-times, Excel serials with a fraction, text in ``formats`` or common
    forms (2024-03-05 09:00, 2024/3/5 9:00:00, 2024-03-05T09:00:00+08:00,
    2024年3月5日 9时30分, 202403050930); a date alone means midnight.
    """
    if isinstance(value, datetime):
        return _aware(value, tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tz)
    if isinstance(value, bool):
        raise TransformError("expected a date-time, got a boolean")
    if isinstance(value, int | float):
        return _aware(excel_serial(float(value)), tz)
    text = halfwidth(trim(cell_text(value)))
    for fmt in formats:
        parsed = _strptime(text, fmt)
        if parsed is not None:
            return _aware(parsed, tz)
    if match := _DATETIME_RE.match(text):
        y, mo, d, h, mi, s, frac, offset = match.groups()
        day = _make_date(y, mo, d, text)
        try:
            clock = time(int(h or 0), int(mi or 0), int(s or 0), int((frac or "0").ljust(6, "0")))
        except ValueError:
            raise TransformError(
                Text(f"{text!r} 的时刻不存在", f"{text!r} has an impossible time of day")
            ) from None
        zone = tz if offset is None else parse_timezone(offset)
        return datetime.combine(day, clock, zone)
    if match := _COMPACT_DATETIME_RE.match(text):
        y, mo, d, h, mi, s = match.groups()
        day = _make_date(y, mo, d, text)
        try:
            clock = time(int(h), int(mi), int(s or 0))
        except ValueError:
            raise TransformError(
                Text(f"{text!r} 的时刻不存在", f"{text!r} has an impossible time of day")
            ) from None
        return datetime.combine(day, clock, tz)
    if _SERIAL_RE.match(text):
        return _aware(excel_serial(float(text)), tz)
    expected = " or ".join(repr(f) for f in formats) if formats else "a date-time"
    raise TransformError(
        Text(
            f"{text!r} 不是日期时间（可用写法：2024-03-05 09:00、2024/3/5 9:00:00、"
            "2024-03-05T09:00:00+08:00、Excel 日期时间）",
            f"{text!r} is not {expected} (accepted: 2024-03-05 09:00, 2024/3/5 9:00:00, "
            "2024-03-05T09:00:00+08:00, an Excel date-time)",
        )
    )


def iso_datetime(moment: datetime) -> str:
    """The standard's form: ``2024-03-05T09:00:00+08:00`` (seconds always, offset always)."""
    return moment.isoformat(timespec="seconds" if not moment.microsecond else "microseconds")


def format_datetime(moment: datetime, tz: tzinfo, fmt: str | None) -> str:
    """A date-time for a cell: converted to ``tz`` and formatted (ISO when ``fmt`` is None)."""
    local = moment.astimezone(tz)
    if fmt is None:
        return local.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    return format_datetime_text(local, fmt)


# -- numbers and hours ---------------------------------------------------------------------


def parse_decimal(value: Cell) -> Decimal:
    """A decimal number from text (full-width digits and thousands commas allowed) or XLSX."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TransformError(f"expected a number, got {cell_text(value)!r}")
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = halfwidth(trim(value)).replace(",", "")
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", text):
        raise TransformError(Text(f"{value!r} 不是数字", f"{value!r} is not a number"))
    try:
        return Decimal(text)
    except InvalidOperation:
        raise TransformError(f"{value!r} is not a number") from None


def hours_text(amount: Decimal) -> str:
    """Hours as the standard writes them: a 2-decimal string such as ``"1.50"``."""
    rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded < 0 or rounded > _MAX_HOURS:
        raise TransformError(f"{amount} hours is outside 0–99999.99")
    return f"{rounded}"


def parse_hours(value: Cell, unit: str = "hours") -> str:
    """Hours (or minutes, converted) as a 2-decimal string, rounded half up."""
    amount = parse_decimal(value)
    if amount < 0:
        raise TransformError(
            Text(
                f"{cell_text(value)!r}：服务时长不能为负数",
                f"{cell_text(value)!r}: service time cannot be negative",
            )
        )
    if unit == "minutes":
        amount = amount / 60
    return hours_text(amount)


def format_hours(hours: str, unit: str = "hours", decimals: int | None = None) -> str:
    """The inverse of :func:`parse_hours`: hours as given, or whole minutes."""
    amount = Decimal(hours)
    if unit == "minutes":
        minutes = (amount * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{minutes}"
    if decimals is not None:
        return f"{amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)}"
    return hours


def parse_integer(value: Cell) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise TransformError(
            Text(f"{cell_text(value)!r} 不是整数", f"{cell_text(value)!r} is not a whole number")
        )
    return int(number)


def parse_number(value: Cell) -> float:
    return float(parse_decimal(value))


TRUE_WORDS = ("是", "有", "true", "yes", "y", "1", "√", "✓", "对")
FALSE_WORDS = ("否", "无", "false", "no", "n", "0", "×", "✗", "错")


def parse_bool(value: Cell, true_words: Iterable[str], false_words: Iterable[str]) -> bool:
    if isinstance(value, bool):
        return value
    text = halfwidth(trim(cell_text(value))).lower()
    if text in {w.lower() for w in true_words}:
        return True
    if text in {w.lower() for w in false_words}:
        return False
    raise TransformError(
        Text(
            f"{cell_text(value)!r} 不是“是/否”（可用：{'、'.join(true_words)} / "
            f"{'、'.join(false_words)}）",
            f"{cell_text(value)!r} is not yes/no (accepted: {', '.join(true_words)} / "
            f"{', '.join(false_words)})",
        )
    )


# -- regions (GB/T 2260) -------------------------------------------------------------------

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def _short(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    name: str
    level: int
    in_use: bool


class RegionIndex:
    """Names ↔ GB/T 2260 codes, by province, prefecture and county.

    Names repeat across China (six 朝阳区/朝阳县), so a county is looked up under its
    prefecture (or, in a 直辖市, under its province). Codes in use win over retired ones
    with the same name; a retired name is still found, because old exports keep it.
    """

    def __init__(self) -> None:
        from volunteer_standard.codelists import regions

        self._entries: dict[str, _Entry] = {}
        self._provinces: dict[str, list[_Entry]] = {}
        self._children: dict[str, list[_Entry]] = {}  # 2-digit prefix → levels 2 and 3
        for region in regions.all_regions():
            if region.level == 0:
                continue
            names = dict.fromkeys([region.name, *(p.name for p in reversed(region.periods))])
            for name in names:
                entry = _Entry(region.code, name, region.level, region.in_use)
                if name == region.name:
                    self._entries[region.code] = entry
                if region.level == 1:
                    for key in {name, _short(name, _PROVINCE_SUFFIXES)}:
                        self._provinces.setdefault(key, []).append(entry)
                else:
                    self._children.setdefault(region.code[:2], []).append(entry)

    @staticmethod
    def _best(found: list[_Entry]) -> _Entry | None:
        if not found:
            return None
        return sorted(found, key=lambda e: (not e.in_use, e.code))[0]

    def _match(self, candidates: list[_Entry], name: str) -> _Entry | None:
        exact = [e for e in candidates if e.name == name]
        if exact:
            return self._best(exact)
        short = _short(name, ("市", "区", "县", "旗"))
        loose = [e for e in candidates if _short(e.name, ("市", "区", "县", "旗")) == short]
        codes = {e.code for e in loose}
        return self._best(loose) if len(codes) == 1 else None

    @staticmethod
    def _suggest(name: str, candidates: Iterable[_Entry]) -> Text:
        names = sorted({e.name for e in candidates if e.in_use})
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
        if not close:
            return Text("", "")
        return Text(f"；是否为 {'、'.join(close)}？", f"; did you mean {', '.join(close)}?")

    def province(self, name: str) -> str:
        found = self._best(self._provinces.get(name, []))
        if found is None:
            everything = [e for group in self._provinces.values() for e in group]
            hint = self._suggest(name, everything)
            raise TransformError(
                Text(f"未知的省份 {name!r}{hint.zh}", f"unknown province {name!r}{hint.en}")
            )
        return found.code

    def code_for(self, province: str, city: str = "", county: str = "") -> str:
        """The code for up to three names; empty trailing names give a higher level."""
        province, city, county = trim(province), trim(city), trim(county)
        if not province:
            if city or county:
                raise TransformError("the province is empty but the city or district is not")
            raise TransformError("no region names")
        prov = self.province(province)
        under = self._children.get(prov[:2], [])
        city_code, direct = self._city(prov, under, city, county)
        if direct is not None:
            return direct
        if not county:
            return city_code or prov
        scope = [e for e in under if e.level == 3]
        if city_code is not None:
            scope = [e for e in scope if e.code[:4] == city_code[:4]]
        found = self._match(scope, county)
        if found is None:
            parent = self._entries[city_code or prov].name
            hint = self._suggest(county, scope)
            raise TransformError(
                Text(
                    f"{parent}没有区县 {county!r}{hint.zh}",
                    f"no district or county {county!r} in {parent}{hint.en}",
                )
            )
        return found.code

    def _city(
        self, prov: str, under: list[_Entry], city: str, county: str
    ) -> tuple[str | None, str | None]:
        """(the city's code, or the code of a county-level city directly under the province)."""
        municipality = prov[:2] in MUNICIPALITIES
        if not city or (municipality and self._is_municipality_city(city, prov)):
            return None, None
        if city in _PLACEHOLDER_CITIES:
            return None, None
        found = self._match([e for e in under if e.level == 2], city)
        if found is not None:
            return found.code, None
        # A county-level city directly under the province (仙桃市, 济源市).
        direct = self._match([e for e in under if e.level == 3], city)
        if direct is not None and county in ("", city, direct.name):
            return None, direct.code
        where = self._entries[prov].name
        hint = self._suggest(city, under)
        raise TransformError(
            Text(f"{where}没有城市 {city!r}{hint.zh}", f"no city {city!r} in {where}{hint.en}")
        )

    def _is_municipality_city(self, city: str, prov: str) -> bool:
        name = self._entries[prov].name
        return city in (name, _short(name, _PROVINCE_SUFFIXES), *_PLACEHOLDER_CITIES)

    def code_for_text(self, text: str) -> str:
        """A code from one cell: a 6-digit code, or names run together ("北京市朝阳区")
        or separated by spaces, slashes or hyphens."""
        value = halfwidth(trim(text))
        if re.fullmatch(r"\d{6}", value):
            if value not in self._entries:
                raise TransformError(f"{value!r} is not a GB/T 2260 region code")
            return value
        parts = [p for p in re.split(r"[\s/\\\-—>＞]+", value) if p]
        if len(parts) > 3:
            raise TransformError(f"{text!r} has more than three region names")
        if len(parts) > 1:
            return self.code_for(*[*parts, "", ""][:3])
        return self._code_for_run(value)

    def _code_for_run(self, text: str) -> str:
        for pname in sorted(self._provinces, key=len, reverse=True):
            if not text.startswith(pname):
                continue
            rest = text[len(pname) :]
            splits = [(rest, ""), ("", rest)] + [(rest[:i], rest[i:]) for i in range(2, len(rest))]
            for city, county in splits:
                try:
                    return self.code_for(pname, city, county)
                except TransformError:
                    continue
            raise TransformError(f"cannot read the region names in {text!r}")
        raise TransformError(f"{text!r} does not start with a province name")

    def names_for(self, code: str, municipality_city: str = "same") -> tuple[str, str, str]:
        """Province, city and county names for ``code`` (inverse of :meth:`code_for`).

        In a 直辖市 the city is written as the province name (``same``, the usual export
        convention: 北京市/北京市/朝阳区), as ``市辖区``, or left empty (``""``).
        """
        entry = self._entries.get(code)
        if entry is None:
            raise TransformError(f"{code!r} is not a GB/T 2260 region code")
        province = self._entries[code[:2] + "0000"].name
        if entry.level == 1:
            return province, "", ""
        if entry.level == 2:
            return province, entry.name, ""
        city = self._entries.get(code[:4] + "00")
        if city is not None and city.level == 2:
            return province, city.name, entry.name
        if code[:2] in MUNICIPALITIES:
            town = province if municipality_city == "same" else municipality_city
            return province, town, entry.name
        return province, entry.name, ""

    def province_names(self) -> list[str]:
        """Names of the provinces in use, in code order (for drop-down lists)."""
        return [
            e.name
            for code, e in sorted(self._entries.items())
            if e.level == 1 and e.in_use and code != "000000"
        ]


@functools.cache
def region_index() -> RegionIndex:
    """The shared index, built on first use (about 4,000 names)."""
    return RegionIndex()


def suggest(value: str, choices: Iterable[str]) -> str:
    """ ", did you mean …?" for a mistyped label, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""
