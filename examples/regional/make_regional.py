"""Generate the synthetic regional export in this folder (GB18030 CSV, Chinese headers).

It imitates what a city platform's "导出 Excel/CSV" button produces: labels instead of
codes (男, 中共党员, 本科), the residence split over 所在省/所在市/所在区, dates as
1990/3/5, service time in minutes, a running number (序号) and columns the standard has no
field for (所属队伍, 项目名称). Everyone in it is invented: names are random combinations
of common characters, identity numbers are random with valid check characters
(``make_resident_id``), mobile numbers are in virtual-operator ranges, team names end in
"（示例）". Four rows are broken on purpose, to show the reject file:

* volunteers.csv: a political status label the code list does not know ("党员同志");
* volunteers.csv: an impossible birth date (1990/2/30);
* service_hours.csv: an impossible start time (2024/2/30 09:00);
* service_hours.csv: an unknown review status ("待定").

Run ``python examples/regional/make_regional.py`` to regenerate (fixed seed).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from volunteer_standard.identifiers.generate import make_mobile, make_resident_id, make_uscc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏宇浩凯欣怡晨雪琳佳"

#: (省, 市, 区, code): Nanjing districts, plus people living in two 直辖市.
PLACES = [
    ("江苏省", "南京市", "玄武区", "320102"),
    ("江苏省", "南京市", "秦淮区", "320104"),
    ("江苏省", "南京市", "建邺区", "320105"),
    ("江苏省", "南京市", "鼓楼区", "320106"),
    ("江苏省", "南京市", "栖霞区", "320113"),
    ("北京市", "北京市", "朝阳区", "110105"),
    ("上海市", "上海市", "浦东新区", "310115"),
]
TEAMS = [
    ("T320102001", "玄武区阳光志愿服务队（示例）", "志愿服务团体", 0, "否"),
    ("T320106002", "鼓楼区爱心助老协会（示例）", "志愿服务组织", 3, "否"),
    ("T320113003", "栖霞区应急救援志愿队（示例）", "志愿服务团体", 4, "是"),
]
PROJECTS = [
    ("P2024-001", "社区助老陪伴", "社区服务"),
    ("P2024-002", "秦淮河环境整治", "环境保护"),
    ("P2024-003", "青少年课业辅导", "支教助学"),
    ("P2024-004", "地铁站文明引导", "交通引导"),
]
POLITICAL = ["群众"] * 5 + ["共青团员"] * 3 + ["中共党员"] * 2 + ["中共预备党员"]
EDUCATION = ["本科", "本科", "大专", "硕士", "高中"]
SKILLS = ["医疗急救", "法律服务", "信息技术", "教育培训", "心理咨询", "摄像摄影", "驾驶运输"]
STATUS = ["已审核"] * 8 + ["待审核", "已驳回"]
RECORDERS = ["系统管理员", "队伍管理员"]

VOLUNTEER_HEADER = [
    "序号", "志愿者编号", "姓名", "性别", "证件类型", "证件号码", "出生日期", "民族",
    "政治面貌", "学历", "手机号", "所在省", "所在市", "所在区", "详细地址", "个人特长",
    "注册日期", "所属队伍编号", "所属队伍", "备注",
]  # fmt: skip
HOURS_HEADER = [
    "记录编号", "志愿者编号", "姓名", "项目编号", "项目名称", "服务组织编号", "服务组织",
    "开始时间", "结束时间", "服务时长（分钟）", "服务类别", "服务内容", "审核状态", "录入人",
]  # fmt: skip
TEAM_HEADER = [
    "队伍编号", "队伍名称", "队伍类型", "统一社会信用代码", "所在省", "所在市", "所在区",
    "负责人", "联系电话", "成立日期", "成员人数", "是否应急队伍",
]  # fmt: skip


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def make(folder: Path, seed: int = 2024, volunteers: int = 30, records: int = 80) -> None:
    """Write teams.csv, volunteers.csv and service_hours.csv into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)

    teams = []
    for code, name, kind, place, emergency in TEAMS:
        province, city, district, _ = PLACES[place]
        founded = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        # Registered organisations (志愿服务组织) have a credit code; informal groups do not.
        uscc = make_uscc(rng, region_code=PLACES[place][3]) if kind == "志愿服务组织" else ""
        teams.append(
            [code, name, kind, uscc, province, city, district, _name(rng), make_mobile(rng),
             f"{founded.year}年{founded.month}月{founded.day}日", str(rng.randrange(12, 80)),
             emergency]
        )  # fmt: skip
    _write(folder / "teams.csv", TEAM_HEADER, teams)

    people = []
    rows = []
    for number in range(1, volunteers + 1):
        province, city, district, region = rng.choice(PLACES)
        gender = rng.choice(("1", "2"))
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        registered = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 5))
        team = rng.choice(TEAMS)
        volunteer_no = f"ZY{region}{number:06d}"
        name = _name(rng)
        skills = "、".join(rng.sample(SKILLS, rng.choice((0, 1, 1, 2))))
        row = [
            str(number), volunteer_no, name, "男" if gender == "1" else "女", "身份证",
            make_resident_id(rng, region_code=region, birth_date=birth, gender=gender),
            f"{birth.year}/{birth.month}/{birth.day}", rng.choice(["汉族"] * 9 + ["回族"]),
            rng.choice(POLITICAL), rng.choice(EDUCATION), make_mobile(rng),
            province, city, district, f"{district}示例路{rng.randrange(1, 300)}号",
            skills, registered.isoformat(), team[0], team[1],
            rng.choice(["", "", "", "周末可服务", "有急救证"]),
        ]  # fmt: skip
        if number == 7:
            row[8] = "党员同志"  # unknown label
        if number == 12:
            row[6] = "1990/2/30"  # impossible date
        if number not in (7, 12):  # rejected volunteers have no service records
            people.append((volunteer_no, name))
        rows.append(row)
    _write(folder / "volunteers.csv", VOLUNTEER_HEADER, rows)

    rows = []
    busy: dict[str, date] = {}
    for number in range(1, records + 1):
        volunteer_no, name = rng.choice(people)
        day = busy.get(volunteer_no, date(2024, 3, 1)) + timedelta(days=rng.randrange(1, 9))
        busy[volunteer_no] = day
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=rng.choice((8, 9, 14, 15)), minutes=rng.choice((0, 30))
        )
        minutes = rng.choice((30, 45, 60, 90, 120, 150, 180, 240))
        end = start + timedelta(minutes=minutes)
        project = rng.choice(PROJECTS)
        team = rng.choice(TEAMS)
        row = [
            f"JL{day.year}{number:06d}", volunteer_no, name, project[0], project[1],
            team[0], team[1], f"{start:%Y}/{start.month}/{start.day} {start:%H:%M}",
            f"{end:%Y}/{end.month}/{end.day} {end:%H:%M}", str(minutes), project[2],
            f"{project[1]}：第{number}次服务", rng.choice(STATUS), rng.choice(RECORDERS),
        ]  # fmt: skip
        if number == 20:
            row[7] = "2024/2/30 09:00"  # impossible date
        if number == 33:
            row[12] = "待定"  # unknown label
        rows.append(row)
    _write(folder / "service_hours.csv", HOURS_HEADER, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(Path(__file__).parent))
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    make(Path(args.folder), seed=args.seed)


if __name__ == "__main__":
    main()
