"""Generate the synthetic service ledger (志愿服务台账) in this folder: one GB18030 CSV sheet.

It imitates what a street office or a school keeps by hand: one row per service, the same
volunteers on many rows, each team only by its name, service time in minutes, dates typed
in three styles (2024/3/5, 2024-03-05, 2024年3月5日). Everyone in it is invented: names are
random combinations of common characters, identity numbers are random with valid check
characters (``make_resident_id``), mobile numbers are in virtual-operator ranges, team
names end in "（示例）".

Five rows are broken on purpose, to show the reject file and the fix-and-reimport loop
(:data:`BROKEN` says which and how to fix them):

* an identity number with a wrong check character (a person who appears only there);
* 1500 minutes (25 hours) for a morning's service;
* a political status the code list does not know ("党员同志");
* an impossible date (2024-02-30);
* an empty name.

Run ``python examples/ledger/make_ledger.py`` to regenerate (fixed seed).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from volunteer_standard.identifiers.generate import make_mobile, make_resident_id

HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "手机号码",
    "政治面貌",
    "所属组织",
    "活动名称",
    "服务日期",
    "开始时间",
    "结束时间",
    "服务时长（分钟）",
    "备注",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏宇浩凯欣怡晨雪琳佳"
PLACES = ("320102", "320104", "320105", "320106", "310115", "110105")
STATUSES = ("群众", "中共党员", "共青团员", "民盟", "九三学社", "预备党员")
TEAMS = (
    "玄武区阳光助老志愿服务队（示例）",
    "秦淮区文明交通志愿服务队（示例）",
    "鼓楼区青少年科普志愿服务队（示例）",
    "建邺区环保行动志愿服务队（示例）",
)
ACTIVITIES = ("社区助老探访", "文明交通劝导", "青少年科普讲座", "河道垃圾清理", "图书馆整理")
ROWS = 60
#: Row numbers (the header is row 1) broken on purpose → the column to fix and its fix.
BROKEN: dict[int, tuple[str, str]] = {}


def _person(rng: random.Random, index: int) -> dict[str, str]:
    gender = rng.choice("12")
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
    return {
        "姓名": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        "身份证号": make_resident_id(
            rng, region_code=rng.choice(PLACES), birth_date=birth, gender=gender
        ),
        "手机号码": make_mobile(rng),
        "政治面貌": STATUSES[index % len(STATUSES)],
        "所属组织": TEAMS[index % len(TEAMS)],
    }


def _date_text(day: date, style: int) -> str:
    if style == 0:
        return f"{day.year}/{day.month}/{day.day}"
    if style == 1:
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日"


def ledger_rows(seed: int = 8) -> list[dict[str, str]]:
    """The ledger's rows (header names → cells), broken rows included."""
    rng = random.Random(seed)
    people = [_person(rng, i) for i in range(12)]
    rows: list[dict[str, str]] = []
    for n in range(ROWS):
        person = people[rng.randrange(len(people))]
        day = date(2024, 3, 1) + timedelta(days=rng.randrange(90))
        start = rng.choice((8, 9, 10, 14, 15)) * 60 + rng.choice((0, 30))
        minutes = rng.choice((60, 90, 120, 150, 180))
        rows.append(
            {
                "序号": str(n + 1),
                **person,
                "活动名称": ACTIVITIES[rng.randrange(len(ACTIVITIES))],
                "服务日期": _date_text(day, n % 3),
                "开始时间": f"{start // 60:02d}:{start % 60:02d}",
                "结束时间": f"{(start + minutes) // 60:02d}:{(start + minutes) % 60:02d}",
                "服务时长（分钟）": str(minutes),
                "备注": "",
            }
        )
    _break(rows, rng)
    return rows


def _break(rows: list[dict[str, str]], rng: random.Random) -> None:
    """Five rows broken on purpose (row number = list index + 2)."""
    BROKEN.clear()
    # A newcomer whose ID number has a wrong check character.
    newcomer = _person(rng, 3)
    good = newcomer["身份证号"]
    wrong = "0" if good[-1] != "0" else "1"
    rows[6].update(newcomer, 身份证号=good[:-1] + wrong)
    BROKEN[8] = ("身份证号", good)
    # 25 hours for a morning.
    rows[17]["服务时长（分钟）"] = "1500"
    BROKEN[19] = ("服务时长（分钟）", _minutes(rows[17]))
    # A label the code list does not know, for a newcomer.
    other = _person(rng, 1)
    rows[29].update(other, 政治面貌="党员同志")
    BROKEN[31] = ("政治面貌", "中共党员")
    # An impossible date.
    rows[41]["服务日期"] = "2024-02-30"
    BROKEN[43] = ("服务日期", "2024-02-28")
    # An empty name, for a newcomer.
    third = _person(rng, 2)
    rows[52].update(third, 姓名="")
    BROKEN[54] = ("姓名", third["姓名"])


def _minutes(row: dict[str, str]) -> str:
    h1, m1 = map(int, row["开始时间"].split(":"))
    h2, m2 = map(int, row["结束时间"].split(":"))
    return str(h2 * 60 + m2 - h1 * 60 - m1)


def write_ledger(path: Path, seed: int = 8) -> Path:
    """Write the ledger as GB18030 CSV (what Excel saves on a Chinese Windows)."""
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER)
        writer.writeheader()
        writer.writerows(ledger_rows(seed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("台账.csv"))
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    write_ledger(args.out, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
