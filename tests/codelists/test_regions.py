"""Administrative division codes with history."""

from __future__ import annotations

import csv
import dataclasses
import time
from pathlib import Path

import pytest

from volunteer_standard.codelists import _build_regions, data_dir, regions

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "admin-divisions"
needs_shared = pytest.mark.skipif(
    not (SHARED / "result.csv").is_file(), reason="shared reference data not available"
)


def test_bundled_file_header_and_licence() -> None:
    with (data_dir() / "regions.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == regions.REGIONS_HEADER
    licence = (data_dir() / "REGIONS-LICENSE.txt").read_text(encoding="utf-8")
    assert "yescallop/areacodes" in licence
    assert "CC0 1.0" in licence


def test_first_load_is_fast() -> None:
    regions._raw.cache_clear()
    start = time.perf_counter()
    lines = regions._raw()["440305"]
    assert regions._build("440305", lines).name == "南山区"
    # the target is < 100 ms; the bound is loose so that slow CI machines do not flake
    assert time.perf_counter() - start < 0.5


def test_retired_code_with_successor() -> None:
    region = regions.lookup("110103")
    assert region is not None
    assert region.name == "崇文区"
    assert region.level == 3
    assert region.in_use is False
    assert (region.valid_from, region.valid_to) == (1981, 2010)
    assert region.successors == ("110101",)
    assert regions.status("110103") == "retired"
    assert regions.successor_chain("110103") == ("110101",)
    assert regions.name("110103") == "崇文区"


def test_in_use_code() -> None:
    region = regions.lookup("110101")
    assert region is not None
    assert (region.name, region.level, region.in_use) == ("东城区", 3, True)
    assert region.valid_to is None
    assert region.successors == ()
    assert regions.status("110101") == "in_use"
    assert regions.successor_chain("110101") == ("110101",)


@pytest.mark.parametrize(
    ("code", "name"),
    [("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区")],
)
def test_taiwan_hong_kong_macao_in_use(code: str, name: str) -> None:
    region = regions.lookup(code)
    assert region is not None
    assert (region.name, region.level, region.in_use) == (name, 1, True)
    assert regions.status(code) == "in_use"
    assert regions.valid_in_year(code, 2024)


def test_nationwide() -> None:
    region = regions.lookup("000000")
    assert region is not None
    assert (region.name, region.level, region.in_use) == ("全国", 0, True)
    assert regions.status("000000") == "in_use"
    assert regions.valid_in_year("000000", 1990)
    assert regions.lookup("000000000000000000") == region
    assert regions.province_of("000000") is None


def test_long_area_ids_use_first_six_digits() -> None:
    assert regions.name("110101001") == "东城区"  # NBS 9-digit (township)
    assert regions.name("110101001001") == "东城区"  # NBS 12-digit
    assert regions.name("110101001001000000") == "东城区"  # NVSI 18-digit areaid
    assert regions.status("110103000000000000") == "retired"
    assert regions.province_of("440305000000000000") == "广东省"
    assert regions.lookup("100000000000000000") is None  # NVSI special node, not GB/T 2260


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "11010",
        "1101011",
        "11010100",
        "1101010010",
        "1101010010010000000",
        "11010a",
        "１１０１０１",
        "110101\n",
        " 110101",
        "一一〇一〇一",
    ],
)
def test_malformed_codes_are_unknown(bad: str) -> None:
    assert regions.lookup(bad) is None
    assert regions.status(bad) == "unknown"
    assert regions.name(bad) is None
    assert regions.province_of(bad) is None
    assert regions.valid_in_year(bad, 2000) is False
    assert regions.successor_chain(bad) == ()


def test_non_strings_are_unknown() -> None:
    assert regions.lookup(110101) is None  # type: ignore[arg-type]
    assert regions.lookup(None) is None  # type: ignore[arg-type]


def test_unknown_well_formed_code() -> None:
    assert regions.lookup("999999") is None
    assert regions.status("999999") == "unknown"


def test_valid_in_year() -> None:
    assert regions.valid_in_year("110103", 1995)
    assert regions.valid_in_year("110103", 2010)  # retired during 2010
    assert not regions.valid_in_year("110103", 2011)
    assert regions.valid_in_year("110103", 1975)  # data starts 1981: earlier years count
    assert not regions.valid_in_year("460302", 2019)  # 三沙市西沙区 from 2020
    assert regions.valid_in_year("460302", 2020)
    assert regions.valid_in_year("110101000000000000", 2024)


def test_reused_code_has_periods() -> None:
    region = regions.lookup("120110")
    assert region is not None
    assert [p.name for p in region.periods] == ["东郊区", "东丽区"]
    assert region.name == "东丽区"
    assert region.name_in(1990) == "东郊区"
    assert region.name_in(1993) == "东丽区"
    assert region.name_in(1992) == "东丽区"  # renamed that year: the later name wins
    assert region.in_use


def test_code_retired_then_reused() -> None:
    region = regions.lookup("130107")
    assert region is not None
    assert len(region.periods) == 2
    first, second = region.periods
    assert first.valid_to == 1989
    assert first.successors == ("130121",)
    assert second.valid_from == 1992
    assert second.valid_to is None
    assert not regions.valid_in_year("130107", 1991)
    assert regions.valid_in_year("130107", 1993)


def test_province_of() -> None:
    assert regions.province_of("110101") == "北京市"
    assert regions.province_of("820000") == "澳门特别行政区"
    assert regions.province_of("990101") is None


def test_regions_are_immutable() -> None:
    region = regions.lookup("110101")
    assert region is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.name = "x"  # type: ignore[misc]


def test_all_regions() -> None:
    everything = list(regions.all_regions())
    assert everything[0].code == "000000"
    codes = [r.code for r in everything]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    in_use = [r for r in everything if r.in_use and r.level > 0]
    assert len(in_use) == 3213  # the MCA 2024 table
    assert {r.level for r in everything} == {0, 1, 2, 3}
    assert (
        str(max(y for r in everything for p in r.periods for y in (p.valid_from, p.valid_to) if y))
        == regions.REGIONS_VINTAGE
    )


def test_successor_chains_end_in_codes_in_use() -> None:
    reached = 0
    for region in regions.all_regions():
        if region.in_use:
            continue
        chain = regions.successor_chain(region.code)
        assert all(regions.status(code) == "in_use" for code in chain), region.code
        reached += bool(chain)
    assert reached > 3000


def test_successor_chain_follows_several_steps() -> None:
    # 崇文区 → 东城区 is one step; a prefecture abolished twice over needs more
    chain = regions.successor_chain("110103")
    assert chain == ("110101",)
    multi = [
        r.code
        for r in regions.all_regions()
        if not r.in_use
        and r.successors
        and any(regions.status(s) == "retired" for s in r.successors)
    ]
    assert multi, "expected some retired codes whose successors were retired too"
    for code in multi[:50]:
        assert regions.successor_chain(code), code


@needs_shared
def test_in_use_codes_match_mca_2024() -> None:
    mca: dict[str, str] = {}
    for line in (SHARED / "mca-2024.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            code, label = line.split(maxsplit=1)
            mca[code] = label.strip()
    ours = {r.code: r.name for r in regions.all_regions() if r.in_use and r.level > 0}
    assert ours == mca


@needs_shared
def test_build_script_reproduces_bundled_file(tmp_path: Path) -> None:
    out = tmp_path / "regions.csv"
    assert _build_regions.main([str(SHARED / "result.csv"), "--out", str(out)]) == 0
    assert out.read_bytes() == (data_dir() / "regions.csv").read_bytes()
