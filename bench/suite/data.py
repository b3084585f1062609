"""Seeded inputs of the suite, written in a child process (generation needs the library).

* ``jsonl``: the sample generator's stream (volunteers, organisations, projects … and N
  service records in all), with known-broken records mixed in: every ``BROKEN_EVERY``-th
  record gets one deliberate, schema-visible error (`mutate`), and the lines of the bundled
  ``broken.jsonl`` whose problem the JSON Schema can express are inserted near the start, so
  that the verdict check's subsample always holds invalid records.
* ``regional``: a GB18030 regional CSV export (the layout of ``examples/regional``) with
  about N rows, streamed row by row, plus a few rows broken the same ways as there.
* ``xlsx``: the JSON Lines converted to the standard's flat XLSX layout by ``vstd convert``.
"""

from __future__ import annotations

import csv
import importlib.util
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REGIONAL = ROOT / "examples" / "regional"
BROKEN_EVERY = 100
#: Size of the untimed warm-up inputs.
WARM_RECORDS = 300
#: Codes of broken.jsonl that the JSON Schema cannot express (version checks): left out.
BEYOND_SCHEMA = frozenset({"", "VS130", "VS131", "VS132"})
#: Insert the broken lines after this many generated lines.
BROKEN_AT = 40
#: XLSX holds at most 1,048,576 rows a sheet; the service-record sheet would overflow.
XLSX_MAX_RECORDS = 1_000_000


def spec_for(records: int, seed: int) -> Any:
    """The same proportions as bench/validate_scale.py: N service records, N/200 people."""
    from volunteer_standard.samples import SampleSpec

    return SampleSpec(
        volunteers=max(50, records // 200),
        organizations=max(5, records // 100_000),
        projects=max(10, records // 20_000),
        service_records=records,
        seed=seed,
    )


def mutate(data: dict[str, Any], index: int) -> dict[str, Any]:
    """One deliberate error the published schema also rejects, chosen by ``index``."""
    out = dict(data)
    kind = data.get("type")
    specific: list[tuple[str, Any]] = []
    if kind == "volunteer":
        specific = [("gender", "M"), ("birth_date", "1990-02-30")]
    elif kind == "service_record":
        specific = [("hours", float(data.get("hours", 1))), ("start", data["start"][:19])]
    elif kind == "organization":
        specific = [("member_count", str(data.get("member_count", 1)))]
    choices: list[tuple[str, Any]] = [("nickname", "小志"), ("id", 7), *specific]
    key, value = choices[index % len(choices)]
    out[key] = value
    return out


def write_jsonl(path: Path, records: int, seed: int) -> dict[str, int]:
    """Write the JSON Lines input; return counts of lines, broken lines and bytes."""
    import orjson

    from volunteer_standard.samples import broken_records, generate

    broken = [line for code, line in broken_records() if code not in BEYOND_SCHEMA]
    lines = mutated = 0
    with path.open("wb") as out:
        for index, entity in enumerate(generate(spec_for(records, seed))):
            data = entity.model_dump(mode="json", exclude_none=True)
            if index % BROKEN_EVERY == BROKEN_EVERY - 1:
                data = mutate(data, index // BROKEN_EVERY)
                mutated += 1
            out.write(orjson.dumps(data) + b"\n")
            lines += 1
            if lines == BROKEN_AT:
                out.writelines(line + b"\n" for line in broken)
                lines += len(broken)
    return {"lines": lines, "broken": mutated + len(broken), "bytes": path.stat().st_size}


def _make_regional() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_regional", REGIONAL / "make_regional.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_regional(folder: Path, rows: int, seed: int) -> dict[str, int]:
    """A regional export of about ``rows`` rows (teams, volunteers, service hours), GB18030.

    Streams: only each volunteer's place (one byte) is kept, so memory stays small at 5M.
    One row in 500 of each file is broken as in examples/regional (unknown label,
    impossible date) and must be rejected.
    """
    reg = _make_regional()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    volunteers = max(30, rows // 5)
    records = max(1, rows - volunteers - len(reg.TEAMS))
    with (folder / "teams.csv").open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(reg.TEAM_HEADER)
        for code, name, kind, place, emergency in reg.TEAMS:
            province, city, district, region = reg.PLACES[place]
            uscc = reg.make_uscc(rng, region_code=region) if kind == "志愿服务组织" else ""
            writer.writerow(
                [code, name, kind, uscc, province, city, district, reg._name(rng),
                 reg.make_mobile(rng), "2018年4月9日", "40", emergency]
            )  # fmt: skip
    places = bytearray()
    with (folder / "volunteers.csv").open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(reg.VOLUNTEER_HEADER)
        for number in range(1, volunteers + 1):
            writer.writerow(_volunteer_row(reg, rng, number, places))
    with (folder / "service_hours.csv").open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(reg.HOURS_HEADER)
        for number in range(1, records + 1):
            writer.writerow(_hours_row(reg, rng, number, places))
    return {"lines": volunteers + records + len(reg.TEAMS), "volunteers": volunteers}


def _volunteer_row(
    reg: ModuleType, rng: random.Random, number: int, places: bytearray
) -> list[str]:
    place = rng.randrange(len(reg.PLACES))
    places.append(place)
    province, city, district, region = reg.PLACES[place]
    gender = rng.choice(("1", "2"))
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
    registered = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 5))
    team = rng.choice(reg.TEAMS)
    skills = "、".join(rng.sample(reg.SKILLS, rng.choice((0, 1, 1, 2))))
    row = [
        str(number), f"ZY{region}{number:07d}", reg._name(rng), "男" if gender == "1" else "女",
        "身份证", reg.make_resident_id(rng, region_code=region, birth_date=birth, gender=gender),
        f"{birth.year}/{birth.month}/{birth.day}", rng.choice(["汉族"] * 9 + ["回族"]),
        rng.choice(reg.POLITICAL), rng.choice(reg.EDUCATION), reg.make_mobile(rng),
        province, city, district, f"{district}示例路{rng.randrange(1, 300)}号",
        skills, registered.isoformat(), team[0], team[1], rng.choice(["", "", "周末可服务"]),
    ]  # fmt: skip
    if number % 500 == 7:
        row[8] = "党员同志"  # unknown label: rejected
    return row


def _hours_row(reg: ModuleType, rng: random.Random, number: int, places: bytearray) -> list[str]:
    who = rng.randrange(len(places))
    volunteer_no = f"ZY{reg.PLACES[places[who]][3]}{who + 1:07d}"
    day = date(2024, 3, 1) + timedelta(days=rng.randrange(600))
    start = datetime(day.year, day.month, day.day, rng.choice((8, 9, 14, 15)), rng.choice((0, 30)))
    minutes = rng.choice((30, 45, 60, 90, 120, 150, 180, 240))
    end = start + timedelta(minutes=minutes)
    project = rng.choice(reg.PROJECTS)
    team = rng.choice(reg.TEAMS)
    row = [
        f"JL{day.year}{number:07d}", volunteer_no, reg._name(rng), project[0], project[1],
        team[0], team[1], f"{start:%Y}/{start.month}/{start.day} {start:%H:%M}",
        f"{end:%Y}/{end.month}/{end.day} {end:%H:%M}", str(minutes), project[2],
        f"{project[1]}：第{number}次服务", rng.choice(reg.STATUS), rng.choice(reg.RECORDERS),
    ]  # fmt: skip
    if number % 500 == 20:
        row[7] = "2024/2/30 09:00"  # impossible date: rejected
    return row


def write_xlsx(jsonl: Path, target: Path) -> dict[str, int]:
    """The JSON Lines in the standard's flat XLSX layout (one sheet per type)."""
    from volunteer_standard.engine import convert

    summary = convert(
        str(jsonl),
        str(target),
        target_connector="tabular",
        profile=None,
        rejects=target.with_suffix(".rejects.jsonl"),
    )
    return {"lines": summary.written, "bytes": target.stat().st_size}
