"""The tabular reading path's fast paths give exactly what the plain code gave.

Each fast path is compared with a reference on generated data, broken data included:
compiled date formats with ``datetime.strptime``; remembered field values with the
straightforward reading of the cells (the code before the fast paths, kept here); the
remembered mojibake verdicts with checking every cell; and the whole read of a broken
regional export with the records the reference implementation read (a digest).
"""

from __future__ import annotations

import hashlib
import pickle
import random
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.connectors.regional_broken import (
    DATES,
    DATETIMES,
    LABELS,
    MINUTES,
    MOJIBAKE,
    REGIONS,
    TEXT,
    dump,
    dump_read,
    make,
    make_workbook,
)
from volunteer_standard.connectors.base import Problem
from volunteer_standard.connectors.tabular import mapping as mapping_module
from volunteer_standard.connectors.tabular import transforms
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty
from volunteer_standard.connectors.tabular.connector import _GarbleCheck, _hint_text
from volunteer_standard.connectors.tabular.encoding import mojibake_hint
from volunteer_standard.connectors.tabular.mapping import FieldRule, load_mapping
from volunteer_standard.connectors.tabular.mojibake import detect
from volunteer_standard.connectors.tabular.readers import Row
from volunteer_standard.connectors.tabular.transforms import TransformError, region_index
from volunteer_standard.text import Text

REGIONAL = Path(__file__).resolve().parents[2] / "examples" / "regional"

#: Digest of ``regional_broken.dump(make(dir))`` as read by the reference implementation
#: (commit 2b032e9, before the fast paths). A deliberate change of messages or values
#: changes it: regenerate with ``python tests/connectors/regional_broken.py DIR --dump
#: FILE``, after comparing FILE with what the previous code dumps.
# Since the reference read (2b032e9) the only change is deliberate: the Chinese text of
# TAB101 hints is Chinese (it was the English hint).
BROKEN_EXPORT_DIGEST = "37e6c8d99ac16fc58f86c5bfc79285008d2da9d76892c2d91777c321ad618565"

FORMATS = [
    "%Y/%-m/%-d %H:%M",
    "%Y年%-m月%-d日",
    "%Y/%-m/%-d",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y",
    "%H:%M",
    "%m/%d",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M",
    "%Y %m %d",
    "%Y/%m/%d %%",
    "(%Y)[%m]",
    "%Y|%m|%d",
    "%Y-%m-%d %d",  # a repeated directive: strptime itself fails (re.error)
    "%Y-%",  # a stray %: ValueError
    "%y",  # not supported by mappings: strptime decides
]
SAMPLES = [
    "2024/3/5 09:30", "2024/03/05 9:5", "2024年3月5日", " 5.3.2024", "2/29", "02/29", "24:00",
    "23:59", "2024/2/30", "2024-03-05 10:00:61", "2024-03-05 10:00:60", "20240305",
    "2024 3 5", "2024  3\t5", "2024/3/5 %", "(2024)[3]", "2024|3|5", "١٢٣٤/3/5", "0000/1/1",
    "2024/3/5 9:00 ", "2024-03-05t10:00", "2024/ 3/ 5", "24", "",
]  # fmt: skip


def _outcome(call: Any) -> Any:
    try:
        return call()
    except ValueError:
        return ValueError
    except Exception as exc:  # the same failure, whatever it is
        return type(exc)


def _samples(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    alphabet = "0123456789/-: .年月日Tt%()[]|\u3000\t١"
    found = [*SAMPLES, *DATETIMES, *DATES]
    for _ in range(count):
        found.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 18))))
        base = rng.choice(SAMPLES)
        cut = rng.randrange(len(base) + 1)
        found.append(base[:cut] + rng.choice(alphabet) + base[cut + 1 :])
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_compiled_formats_accept_what_strptime_accepts(fmt: str) -> None:
    # strptime compiles a format it cannot cache (a repeated directive) on every call
    for text in _samples(600 if "%d %d" not in fmt else 0):
        expected = _outcome(partial(datetime.strptime, text, fmt.replace("%-", "%")))
        got = _outcome(partial(transforms._strptime, text, fmt))
        assert (ValueError if got is None else got) == expected, (fmt, text)


# -- field values ---------------------------------------------------------------------------


def _reference_read(rule: FieldRule, cells: Mapping[str, Cell]) -> Any:
    """``FieldRule.read`` as it was before values were remembered."""
    if rule.template is not None:
        built = rule._render(cells)
        return rule.default if built is None else built
    if not rule.columns:
        return rule.constant
    values = [rule._clean(cells.get(c, "")) for c in rule.columns]
    if all(is_empty(v) for v in values):
        return rule.default
    if rule.kind == "region" and len(rule.columns) > 1:
        return region_index().code_for(*(cell_text(v) for v in values))
    if len(values) == 1:
        value: Cell = values[0]
    else:
        value = " ".join(cell_text(v) for v in values if not is_empty(v))
    if rule.is_list:
        items = transforms.split_values(cell_text(value), rule.separators)
        return [rule._scalar(item) for item in items]
    return rule._scalar(value)


def _read_outcome(read: Any, cells: Mapping[str, Cell]) -> Any:
    try:
        return ("value", read(cells))
    except TransformError as exc:
        return ("error", exc.text.zh, exc.text.en)


def _cell_values(column: str) -> list[Any]:
    pool: list[Any] = [*TEXT, *MOJIBAKE, *LABELS, *MINUTES, *REGIONS, *DATES, *DATETIMES]
    pool += ["男", "女", "汉族", "本科", "中共党员", "已审核", "身份证", "南京市", "玄武区"]
    pool += ["2024/3/9 08:00", "1990/2/3", "90", "医疗急救、摄像摄影", "是", "否", "  "]
    pool += [12, 12.5, 45356.0, True]  # what a workbook gives
    return pool


def test_remembered_field_values_match_the_plain_reading() -> None:
    mapping = load_mapping(REGIONAL / "mapping.yaml")
    rng = random.Random(11)
    for entity in mapping.entities:
        columns = list(dict.fromkeys(c for r in entity.rules for c in r.columns))
        pools = {c: _cell_values(c) for c in columns}
        for _ in range(400):
            cells: dict[str, Cell] = {c: rng.choice(pools[c]) for c in columns}
            cells |= {"_row": "7", "_file": "export", "记录编号": rng.choice(["JL1", " ", "'x"])}
            for rule in entity.rules:
                expected = _read_outcome(partial(_reference_read, rule), cells)
                assert _read_outcome(rule.read, cells) == expected, (
                    rule.path,
                    cells,
                )


def test_remembered_values_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping_module, "_MEMO_SIZE", 50)
    rule = next(
        r for r in load_mapping(REGIONAL / "mapping.yaml").entities[2].rules if r.path == "start"
    )
    for minute in range(300):
        assert rule.read({"开始时间": f"2024/3/9 {minute // 60:02d}:{minute % 60:02d}"})
    assert 0 < len(rule._memo) <= 50


def test_a_failing_cell_is_never_remembered() -> None:
    rule = next(
        r for r in load_mapping(REGIONAL / "mapping.yaml").entities[2].rules if r.path == "status"
    )
    for _ in range(2):
        with pytest.raises(TransformError):
            rule.read({"审核状态": "待定"})
    assert "待定" not in rule._memo


def test_a_mapping_in_use_can_be_pickled() -> None:
    """Worker processes get the mapping; the readers and memos stay behind."""
    mapping = load_mapping(REGIONAL / "mapping.yaml")
    rule = next(r for r in mapping.entities[2].rules if r.path == "status")
    assert rule.read({"审核状态": "已审核"}) == "effective"
    copy = pickle.loads(pickle.dumps(mapping))
    again = next(r for r in copy.entities[2].rules if r.path == "status")
    assert again._memo == {}
    assert again.read({"审核状态": "已审核"}) == "effective"


# -- mojibake -------------------------------------------------------------------------------


def _reference_mojibake(row: Row, header: list[str]) -> list[Problem]:
    """The mojibake check as it was: every text cell, every row."""
    problems = []
    for name, cell in zip(header, row.cells, strict=False):
        if not isinstance(cell, str) or cell.isascii():
            continue
        where = Text(f"第 {row.number} 行，列 {name!r}：", f"row {row.number}, column {name!r}: ")
        garbled = detect(cell)
        if garbled is not None:
            problems.append(Problem("TAB101", where + f"{cell!r} " + garbled.text(), name))
            continue
        hint = mojibake_hint(cell)
        if hint is not None:
            problems.append(Problem("TAB101", where + f"{cell!r} " + _hint_text(hint), name))
    return problems


def test_remembered_mojibake_verdicts_match_checking_every_cell() -> None:
    rng = random.Random(3)
    header = ["a", "b", "c", "d"]
    pool: list[Any] = [*MOJIBAKE, *TEXT, "张三", "ascii", "", "锟斤拷x", "å¼ ä¸\x89", 7, 1.5]
    check = _GarbleCheck()
    for number in range(2, 1500):
        cells = [rng.choice(pool) for _ in range(rng.choice((3, 4, 5)))]
        row = Row(number, cells)
        assert check.problems(row, header) == _reference_mojibake(row, header)


def test_recurring_cells_outlive_cells_seen_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fine cells are remembered in two generations: the same verdicts as checking every
    cell, and a name that recurs among descriptions seen once is checked only once."""
    from volunteer_standard.connectors.tabular import connector as connector_module

    monkeypatch.setattr(connector_module, "_REMEMBERED", 20)
    checked: list[str] = []
    verdict = connector_module.cell_verdict

    def counted(cell: str) -> Any:
        checked.append(cell)
        return verdict(cell)

    monkeypatch.setattr(connector_module, "cell_verdict", counted)
    check = _GarbleCheck()
    header = ["name", "content", "other"]
    rng = random.Random(8)
    for number in range(2, 400):
        row = Row(number, ["张三", f"社区服务第{number}次", rng.choice([*MOJIBAKE, "李四"])])
        assert check.problems(row, header) == _reference_mojibake(row, header)
    assert checked.count("张三") == 1
    assert len(check.fine) <= 20 and len(check.fine_before) <= 20


# -- the whole read -------------------------------------------------------------------------


def test_a_broken_export_reads_as_with_the_reference_implementation(tmp_path: Path) -> None:
    folder = make(tmp_path / "export")
    dumped = dump(folder)
    assert len(dumped.splitlines()) == 357
    assert hashlib.sha256(dumped).hexdigest() == BROKEN_EXPORT_DIGEST


#: Digest of ``regional_broken.dump_read`` of ``make_workbook(dir)`` (the broken export as a
#: workbook: numbers, dates and text cells through a mapping) as read by commit 95fa497,
#: before the row checks moved into the read loop.
BROKEN_WORKBOOK_DIGEST = "806d7494f6d39e708f4a26b2b93ceadc72592225072e2d558540b929fbe1aabb"


def test_a_broken_workbook_reads_as_with_the_reference_implementation(tmp_path: Path) -> None:
    book = make_workbook(tmp_path)
    dumped = dump_read(book, tmp_path / "mapping.yaml")
    assert len(dumped.splitlines()) == 311
    assert hashlib.sha256(dumped).hexdigest() == BROKEN_WORKBOOK_DIGEST


def test_mojibake_hints_are_in_both_languages() -> None:
    """Regression: TAB101's hint was English in the Chinese message too."""
    text = _hint_text("contains '锟斤拷': characters were already lost by a wrong decoding before")
    assert text.zh.startswith("含有 '锟斤拷'") and text.en.startswith("contains")
    assert (
        "原文可能是 '张三'"
        in _hint_text("looks like UTF-8 text decoded as GBK; probably '张三'").zh
    )


#: Field options the fast readers depend on: formats (first one tried alone), trimming,
#: half-width conversion, a named time zone, ``kind`` overridden, a value map.
OPTION_FIELDS: dict[str, Any] = {
    "id": {"column": "h", "values": {"甲": "a-1", "乙": "b-2"}},
    "volunteer_id": {"column": "f", "kind": "date", "format": "%Y", "formats": ["%Y/%m"]},
    "organization_id": {"constant": "o"},
    "start": {"column": "a", "format": "%Y/%-m/%-d %H:%M", "formats": ["%Y-%m-%d %H:%M:%S"]},
    "end": {"column": "b", "format": "%Y年%-m月%-d日 %H时%M分", "trim": False},
    "recorded_at": {"column": "c", "format": "%Y-%m-%d %H:%M", "timezone": "Asia/Shanghai"},
    "modified": {
        "column": "d",
        "format": "%Y/%m/%d %H:%M",
        "halfwidth": False,
        "timezone": "-03:30",
    },
    "project_id": {"column": "e", "kind": "date", "format": "%d.%m.%Y %H", "formats": ["%Y"]},
    "hours": {"constant": "1.00"},
    "status": {"constant": "effective"},
}
OPTION_VALUES = [
    *DATES, *DATETIMES, "2024/3/9 08:00", "2024-03-09 08:00:00", "2024年3月9日 8时5分",
    "２０２４/３/９ ０８:００", "\u30002024/3/9 08:00\u3000", "\u00a02024-03-09 08:00", "9.3.2024",
    "202403090800", "2024", "2024/03/09 08:00", "2024/3/9 8:00", " ", "", "甲", "乙", "丙",
    "9.3.2024 07", "31.2.2024 07", "2024/3", "2024/13", "２０２４", " 2024 ",
    12.0, 45356.25, True,
]  # fmt: skip


def test_fast_date_readers_match_the_plain_reading_whatever_the_options() -> None:
    """Dates and date-times read through their first format's expression alone (on a
    miss) give what the plain reading gives, failures included, for every option that
    changes the text: trim, halfwidth, a named time zone, several formats, ``kind``."""
    mapping = mapping_module.mapping_from_dict(
        {"entities": [{"type": "service_record", "fields": OPTION_FIELDS}]}
    )
    (entity,) = mapping.entities
    rng = random.Random(3)
    for _ in range(3000):
        cells: dict[str, Cell] = {c: rng.choice(OPTION_VALUES) for c in "abcdefh"}
        for rule in entity.rules:
            expected = _read_outcome(partial(_reference_read, rule), cells)
            assert _read_outcome(rule.read, cells) == expected, (rule.path, cells)


def test_remembered_lists_are_each_callers_own() -> None:
    """A list field's items are remembered: each read gets an equal, separate list."""
    mapping = load_mapping(REGIONAL / "mapping.yaml")
    rule = next(r for r in mapping.entities[1].rules if r.path == "skills")
    first = rule.read({"个人特长": "医疗急救、摄像摄影"})
    assert first == _reference_read(rule, {"个人特长": "医疗急救、摄像摄影"})
    first.append("changed")
    again = rule.read({"个人特长": "医疗急救、摄像摄影"})
    assert again == first[:-1] and again is not first
    assert rule.read({"个人特长": " "}) is None
    with pytest.raises(TransformError):
        rule.read({"个人特长": "医疗急救、不存在的特长"})
    assert "医疗急救、不存在的特长" not in rule._memo


def test_remembered_digest_ids_match_the_plain_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Digest templates are remembered by the cells they read (not when ``_row`` is read)."""
    monkeypatch.setenv("VSTD_ID_KEY", "a-test-key-that-is-long-enough")
    mapping = mapping_module.mapping_from_dict(
        {
            "entities": [
                {
                    "type": "volunteer",
                    "fields": {
                        "id": {"template": "V-{digest:证件号码,姓名}"},
                        "volunteer_no": {"template": "N{digest:_file,_row}-{姓名}"},
                        "name": "姓名",
                        "phone": {"template": "{digest:证件号码}", "default": "none"},
                    },
                }
            ]
        }
    )
    rng = random.Random(9)
    pool: list[Any] = ["张三", " 张三 ", "ＡＢ１", "ab1", "AB1", "", "  ", 12.0, 12, True, "12"]
    (entity,) = mapping.entities
    for _ in range(2000):
        cells: dict[str, Cell] = {c: rng.choice(pool) for c in ("证件号码", "姓名")}
        cells |= {"_row": str(rng.randrange(5)), "_file": "台账"}
        for rule in entity.rules:
            expected = _read_outcome(partial(_reference_read, rule), cells)
            assert _read_outcome(rule.read, cells) == expected, (rule.path, cells)


def test_fingerprints_are_json_dumps_hashed() -> None:
    """Dedup fingerprints: each field's ``json.dumps(..., sort_keys=True,
    ensure_ascii=False, default=str)`` hashed, as before the encoder was made once."""
    import json
    from decimal import Decimal

    from volunteer_standard.connectors.tabular.dedup import _fingerprint

    data = {
        "name": "张三",
        "n": 1,
        "f": 1.0,
        "b": True,
        "none": None,
        "list": ["b", "a", {"z": 1, "a": [1.5, "x"]}],
        "obj": {"y": "中", "x": Decimal("1.50")},
    }
    expected = tuple(
        sorted(
            (k, hash(json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)))
            for k, v in data.items()
        )
    )
    assert _fingerprint(data) == expected


@given(st.text(alphabet=st.sampled_from(list("0123456789Xx" * 4 + "abZ._:- 中\n")), max_size=140))
@settings(max_examples=600, deadline=None)
def test_an_id_plainly_valid_is_one_id_problem_accepts(value: str) -> None:
    """The fast id check never accepts what ``id_problem`` refuses."""
    from volunteer_standard.connectors.tabular.ids import id_problem, plainly_valid_id

    if plainly_valid_id(value):
        assert id_problem(value) is None
    if id_problem(value) is None and not any(c.isdigit() for c in value):
        assert plainly_valid_id(value)  # only runs of digits send an id down the long way
