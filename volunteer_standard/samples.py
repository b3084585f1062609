"""Synthetic sample data: a seeded, internally consistent dataset, and deliberately broken files.

Why: documentation, tests, benchmarks and demos need realistic data that no one can be
harmed by. Everything here is invented: names are random combinations of common surnames and
given-name characters, ID numbers and credit codes are random numbers with valid check
characters (``identifiers.generate``), organisation names carry "（示例）", e-mail addresses use
``example.com``. Only the region codes are real (in-use county codes), so that region checks
pass. A generated number can coincide with a real one by chance: never use one to look a
person up, and never replace sample data with real data.

The generator streams. Service records are planned lazily, volunteer by volunteer, on a
per-volunteer timeline (so one volunteer's records never overlap) and merged in time order
through a heap; the state kept is bounded by the number of volunteers (and organisations),
never by the number of records. Star levels depend on every record but volunteers come
first, so the record plan is run twice from the same seed: once to add hours up, once to
emit the records.

Run ``python -m volunteer_standard.samples OUT_DIR [--seed N]`` to regenerate ``examples/``.
"""

from __future__ import annotations

import argparse
import heapq
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.codelists import CODELISTS_VERSION, regions
from volunteer_standard.identifiers import mask_resident_id
from volunteer_standard.identifiers.generate import make_mobile, make_resident_id, make_uscc
from volunteer_standard.io.writer import JsonlWriter, PackageWriter
from volunteer_standard.models import (
    Activity,
    Address,
    ApprovingUnit,
    Award,
    Certificate,
    CertificateHolder,
    CertificateIssuer,
    CertificateLine,
    CheckinPoint,
    Consent,
    ContactPoint,
    Demand,
    Entity,
    Evaluation,
    Evidence,
    ExtensionDeclaration,
    GeoPoint,
    Guardian,
    IdDocument,
    Identifier,
    OpeningHours,
    Organization,
    PackageMetadata,
    Period,
    Project,
    Provenance,
    Publisher,
    Recruitment,
    Registration,
    Scores,
    ServiceRecord,
    Station,
    TrainingRecord,
    Verification,
    Volunteer,
)

__all__ = [
    "AS_OF",
    "BROKEN_JSONL_CODES",
    "BROKEN_METADATA_CODES",
    "BROKEN_NO_METADATA_CODES",
    "BROKEN_PACKAGE_CODES",
    "EXTENSION_NAMESPACE",
    "GENERATED_AT",
    "MAX_RECORDS_PER_VOLUNTEER",
    "SOURCE_SYSTEM",
    "STAR_THRESHOLDS",
    "SampleSpec",
    "broken_files",
    "broken_records",
    "generate",
    "main",
    "sample_metadata",
    "write_broken",
    "write_sample",
]

# -- fixed points: the output must not depend on the day it is generated -------------------

TZ = timezone(timedelta(hours=8))
#: The last day with data (issue, evaluation, publication dates); the package is generated
#: at the start of the next day, so nothing in it lies in its own future.
AS_OF = date(2025, 12, 30)
GENERATED_AT = datetime(2025, 12, 31, 0, 0, tzinfo=TZ)
#: Service records fall on days from WINDOW_START to WINDOW_END inclusive.
WINDOW_START = date(2024, 1, 1)
WINDOW_END = date(2025, 12, 20)
WINDOW_DAYS = (WINDOW_END - WINDOW_START).days + 1
SOURCE_SYSTEM = "vstd-sample"
EXTENSION_NAMESPACE = "sample"
PUBLISHER_NAME = "示例志愿服务平台 (synthetic)"
#: Effective credit hours needed for star levels 1-5.
STAR_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(1500), "5"),
    (Decimal(1000), "4"),
    (Decimal(600), "3"),
    (Decimal(300), "2"),
    (Decimal(100), "1"),
)
RISKY_CATEGORIES = frozenset({"0012", "0013"})

_DAY_OPEN = 6 * 60  # records and sessions run between 06:00 and 22:00
_DAY_CLOSE = 22 * 60
_MIN_MINUTES = 30
_MAX_MINUTES = 8 * 60
_MINOR_MAX_MINUTES = 4 * 60  # minors serve at most 4 hours, between 08:00 and 18:00
_GRID = 5  # times on a 5-minute grid: hours such as 0.42 exercise the rounding rule
#: A volunteer's records fit in 06:00-22:00 at 30 minutes each, every day of the window.
MAX_RECORDS_PER_VOLUNTEER = (_DAY_CLOSE - _DAY_OPEN) // _MIN_MINUTES * WINDOW_DAYS
#: A certificate covers at most this many records (plus the rest of the cut-off day).
_CERT_RECORDS = 40
_CENT = Decimal("0.01")


@dataclass
class SampleSpec:
    """How much to generate; the seed makes the output reproducible byte for byte."""

    volunteers: int = 50
    organizations: int = 5
    projects: int = 10
    activities_per_project: int = 2
    service_records: int = 300
    training_records: int = 40
    awards: int = 10
    evaluations: int = 40
    certificates: int = 10
    demands: int = 8
    stations: int = 6
    seed: int = 20241129

    def check(self) -> None:
        """Reject specs the generator cannot satisfy consistently."""
        counts = {k: v for k, v in vars(self).items() if k != "seed"}
        negative = [k for k, v in counts.items() if v < 0]
        if negative:
            raise ValueError(f"counts must not be negative: {', '.join(negative)}")
        if self.organizations < 1 or self.volunteers < 1:
            raise ValueError("a sample needs at least one organization and one volunteer")
        if self.projects < self.organizations:
            raise ValueError("projects must be >= organizations (each runs a year-round project)")
        if self.service_records > self.volunteers * MAX_RECORDS_PER_VOLUNTEER:
            raise ValueError(
                f"at most {MAX_RECORDS_PER_VOLUNTEER} service records per volunteer fit in the "
                "window without overlaps; add volunteers"
            )


# -- invented names and real places -------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
_GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林晨阳"
_GIVEN_F = "芳娜敏静丽艳娟霞秀玲桂英华玉兰萍红梅琳雪婷倩颖洁佳欣怡悦雯岚"


class _District(NamedTuple):
    code: str
    city: str
    name: str
    lat: float
    lng: float
    postcode: str


# Real, in-use county-level codes (GB/T 2260); coordinates are rough district centres.
_DISTRICTS: tuple[_District, ...] = (
    _District("110105", "北京市", "朝阳区", 39.9215, 116.4431, "100020"),
    _District("110108", "北京市", "海淀区", 39.9593, 116.2981, "100080"),
    _District("310104", "上海市", "徐汇区", 31.1886, 121.4365, "200030"),
    _District("310115", "上海市", "浦东新区", 31.2215, 121.5444, "200120"),
    _District("320102", "南京市", "玄武区", 32.0487, 118.7979, "210018"),
    _District("320106", "南京市", "鼓楼区", 32.0662, 118.7699, "210009"),
    _District("440106", "广州市", "天河区", 23.1247, 113.3612, "510620"),
    _District("440305", "深圳市", "南山区", 22.5329, 113.9305, "518052"),
    _District("510104", "成都市", "锦江区", 30.6558, 104.0808, "610021"),
    _District("510107", "成都市", "武侯区", 30.6421, 104.0431, "610041"),
)
# Extra place-of-registration codes for ID numbers, all in use since 1981.
_BIRTH_CODES = ("110101", "110102", "110105", "110108", "310101", "310104", "310105")

# (theme, categories, targets, year-round project title, its categories)
_ORG_THEMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("暖阳助老", ("0001", "0017"), ("03",), "社区助老陪伴服务", ("0017", "0001")),
    ("守护应急", ("0013", "0012", "0009"), ("11",), "社区平安宣传服务", ("0009",)),
    ("绿洲环保", ("0006",), ("11",), "河道环境巡护行动", ("0006",)),
    ("星火助学", ("0003", "0007"), ("01",), "周末课业辅导", ("0003",)),
    ("邻里互助", ("0001", "0010"), ("10",), "邻里文明劝导服务", ("0010", "0001")),
)
# (title, categories, targets)
_PROJECT_TEMPLATES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("应急救援技能演练", ("0013",), ("11",)),
    ("社区消防安全巡查", ("0012", "0009"), ("10",)),
    ("文明交通引导", ("0011", "0010"), ("11",)),
    ("孤寡老人上门探访", ("0017", "0001"), ("03",)),
    ("城市马拉松赛事服务", ("0018", "0015"), ("11",)),
    ("科普进社区", ("0007",), ("10",)),
    ("防汛应急值守", ("0013", "0009"), ("11",)),
    ("图书馆阅读推广", ("0008", "0003"), ("01",)),
    ("禁毒知识宣传", ("0014",), ("11",)),
    ("残障人士助行服务", ("0017",), ("04",)),
)
_CONTENT = {
    "0001": "协助社区开展便民服务",
    "0003": "为中小学生辅导作业",
    "0006": "清理河道垃圾并宣传垃圾分类",
    "0007": "讲解防诈骗和健康科普知识",
    "0008": "协助读者借阅并组织读书会",
    "0009": "参与治安巡逻和安全宣传",
    "0010": "劝导不文明行为，维护公共秩序",
    "0011": "在路口引导行人和非机动车",
    "0012": "检查楼道消防通道和灭火器",
    "0013": "参加应急救援演练和物资搬运",
    "0014": "发放禁毒宣传资料",
    "0015": "在补给站为参赛者服务",
    "0017": "陪伴老人聊天并协助购物",
    "0018": "负责赛事现场引导和秩序维护",
}


def _rng(seed: int, label: str) -> random.Random:
    """An independent stream per purpose, so adding one kind of data never shifts another."""
    return random.Random(f"vstd-sample:{seed}:{label}")


def _hours(minutes: int) -> Decimal:
    """Hours of a duration, rounded half-up to 2 decimals (the standard's rule)."""
    return (Decimal(minutes) / Decimal(60)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _at(day: int, minute: int) -> datetime:
    """The +08:00 date-time of a window day and minute of that day."""
    d = WINDOW_START + timedelta(days=day)
    return datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=TZ)


def _moment(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _name(rng: random.Random, gender: str, surname: str | None = None) -> str:
    given = _GIVEN_M if gender == "1" else _GIVEN_F
    chars = "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
    return (surname or rng.choice(_SURNAMES)) + chars


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _star(credit: Decimal) -> str | None:
    """The star level earned by ``credit`` effective credit hours, or None below 100 hours."""
    for threshold, level in STAR_THRESHOLDS:
        if credit >= threshold:
            return level
    return None


def _provenance(kind: str, index: int) -> Provenance | None:
    """Provenance on every third record, so both cases appear in the sample."""
    if index % 3:
        return None
    return Provenance(
        source_system=SOURCE_SYSTEM,
        source_id=f"{kind}:{index + 1}",
        retrieved_at=GENERATED_AT,
    )


def _identifiers(prefix: str, index: int) -> list[Identifier] | None:
    """A national-system id on every fourth record."""
    if index % 4 != 1:
        return None
    return [Identifier(scheme="nvsi", value=f"{prefix}{index + 1:08d}")]


def _extensions(kind: str, index: int) -> dict[str, dict[str, Any]]:
    """Data under the declared ``sample`` namespace, to exercise extension handling."""
    return {EXTENSION_NAMESPACE: {"synthetic": True, "kind": kind, "ordinal": index + 1}}


# -- the world: organisations, volunteers, projects, activities ---------------------------


@dataclass(slots=True)
class _Org:
    index: int
    id: str
    name: str
    district: _District
    theme: int
    registered: bool
    uscc: str | None
    leader: str
    handler: str
    phone: str
    members: int = 0


@dataclass(slots=True)
class _Person:
    index: int
    id: str
    volunteer_no: str
    name: str
    gender: str
    birth_date: date
    id_number: str
    district: _District
    orgs: tuple[int, ...]
    registered_on: date
    heavy: bool
    records: int = 0  # planned service records

    @property
    def minor(self) -> bool:
        """Under 18 on some day of the window (the sample's minors stay minors throughout)."""
        return _age(self.birth_date, WINDOW_END) < 18


@dataclass(slots=True)
class _Proj:
    index: int
    id: str
    title: str
    org: int
    categories: tuple[str, ...]
    targets: tuple[str, ...]
    first_day: int  # window days, inclusive
    last_day: int
    anchor: bool
    activities: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def risky(self) -> bool:
        return bool(RISKY_CATEGORIES.intersection(self.categories))


@dataclass(slots=True)
class _World:
    spec: SampleSpec
    orgs: list[_Org]
    people: list[_Person]
    projects: list[_Proj]
    eligible: list[tuple[int, ...]]  # per volunteer: project indexes they may serve on


def _build_world(spec: SampleSpec) -> _World:
    """Everything but the records: small (bounded by the spec's counts), kept in memory."""
    rng = _rng(spec.seed, "world")
    orgs: list[_Org] = []
    for i in range(spec.organizations):
        district = _DISTRICTS[(i * 3) % len(_DISTRICTS)]
        theme = i % len(_ORG_THEMES)
        registered = i < spec.organizations - 1 or spec.organizations == 1
        category = "123"[i % 3]
        if registered:
            suffix = {"1": "志愿服务协会", "2": "志愿服务中心", "3": "公益基金会"}[category]
            name = f"{district.name}{_ORG_THEMES[theme][0]}{suffix}（示例）"
            uscc: str | None = make_uscc(
                rng, authority="5", category=category, region_code=district.code
            )
        else:
            name = f"{district.name}示例社区{_ORG_THEMES[theme][0]}志愿服务队"
            uscc = None
        orgs.append(
            _Org(
                index=i,
                id=f"org-{i + 1:03d}",
                name=name,
                district=district,
                theme=theme,
                registered=registered,
                uscc=uscc,
                leader=_name(rng, rng.choice("12")),
                handler=_name(rng, rng.choice("12")),
                phone=make_mobile(rng),
            )
        )

    projects: list[_Proj] = []
    for i in range(spec.projects):
        org = i % spec.organizations
        if i < spec.organizations:  # the year-round project of organisation i
            _t, _c, targets, title, categories = _ORG_THEMES[orgs[org].theme]
            first, last = 0, WINDOW_DAYS - 1
        else:
            title, categories, targets = _PROJECT_TEMPLATES[
                (i - spec.organizations) % len(_PROJECT_TEMPLATES)
            ]
            first = rng.randint(0, WINDOW_DAYS - 60)
            last = min(WINDOW_DAYS - 1, first + rng.randint(30, 240))
        proj = _Proj(
            index=i,
            id=f"prj-{i + 1:03d}",
            title=f"{orgs[org].district.name}{title}",
            org=org,
            categories=categories,
            targets=targets,
            first_day=first,
            last_day=last,
            anchor=i < spec.organizations,
        )
        for j in range(spec.activities_per_project):
            span = last - first + 1
            a_first = first + rng.randrange(span)
            a_last = min(last, a_first + rng.randint(0, 13))
            proj.activities.append((f"act-{i + 1:03d}-{j + 1}", a_first, a_last))
        projects.append(proj)

    people: list[_Person] = []
    for i in range(spec.volunteers):
        gender = rng.choice("12")
        if i % 25 == 13:  # under 14 throughout the window: needs a guardian
            birth = _random_date(rng, date(2012, 1, 1), date(2012, 12, 31))
        elif i % 10 == 7:  # 14-17 throughout the window
            birth = _random_date(rng, date(2008, 1, 1), date(2009, 12, 31))
        else:
            birth = _random_date(rng, date(1958, 1, 1), date(2004, 12, 31))
        place = rng.choice([c for c in _BIRTH_CODES if regions.valid_in_year(c, birth.year)])
        minor = _age(birth, WINDOW_END) < 18
        joined = _random_date(rng, date(2023 if minor else 2019, 1, 1), date(2023, 6, 30))
        memberships = min(2, spec.organizations) if rng.random() < 0.4 else 1
        member_of = tuple(sorted(rng.sample(range(spec.organizations), memberships)))
        people.append(
            _Person(
                index=i,
                id=f"vol-{i + 1:05d}",
                volunteer_no=f"VS{joined.year}{i + 1:07d}",
                name=_name(rng, gender),
                gender=gender,
                birth_date=birth,
                id_number=make_resident_id(rng, region_code=place, birth_date=birth, gender=gender),
                district=rng.choice(_DISTRICTS),
                orgs=member_of,
                registered_on=joined,
                heavy=i < 3 and not minor,
            )
        )
    for person in people:
        for o in person.orgs:
            orgs[o].members += 1

    eligible = [
        tuple(p.index for p in projects if p.org in person.orgs and not (person.minor and p.risky))
        for person in people
    ]
    # Three busy adults get most of the hours, so that some star levels appear.
    weights = [(30, 14, 7)[p.index] if p.heavy else 1 for p in people]
    for person, count in zip(
        people, _allocate(spec.service_records, weights, MAX_RECORDS_PER_VOLUNTEER), strict=True
    ):
        person.records = count
    return _World(spec, orgs, people, projects, eligible)


def _allocate(total: int, weights: Sequence[int], cap: int) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), at most ``cap`` each."""
    if total > cap * len(weights):
        raise ValueError("too many records for the volunteers")
    counts = [0] * len(weights)
    active = [i for i, w in enumerate(weights) if w > 0]
    remaining = total
    while remaining and active:
        wsum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] for i in active}
        for i in active:
            counts[i] += shares[i] // wsum
        left = remaining - sum(shares[i] // wsum for i in active)
        by_rest = sorted(active, key=lambda i: (-(shares[i] % wsum), i))
        for i in by_rest[:left]:
            counts[i] += 1
        remaining = 0
        for i in active:
            if counts[i] > cap:
                remaining += counts[i] - cap
                counts[i] = cap
        active = [i for i in active if counts[i] < cap]
    return counts


# -- the record plan: a lazy, time-ordered stream of lightweight tuples -------------------


class _Plan(NamedTuple):
    seq: int
    volunteer: int
    project: int
    activity: str | None
    day: int
    start: int  # minute of the day
    minutes: int
    status: str
    hours_type: str
    entry_method: str
    lag: int  # minutes between the end of service and its recording
    flags: int  # random bits for optional fields


@dataclass(slots=True)
class _Cursor:
    """Where a volunteer's timeline stands; one per volunteer, whatever the record count."""

    day: int = 0
    slot: int = 0
    per_day: int = 0
    remaining: int = 0


def _below(rng: random.Random, n: int) -> int:
    """A random int in [0, n): cheaper than ``randrange``, which matters per record."""
    return int(rng.random() * n)


def _on_grid(rng: random.Random, lo: int, hi: int) -> int:
    """A random multiple of the grid step in [lo, hi] (lo on the grid)."""
    return lo + _GRID * _below(rng, (hi - lo) // _GRID + 1)


def _duration(rng: random.Random, heavy: bool, cap: int) -> int:
    hi = min(cap, _MAX_MINUTES if heavy or rng.random() < 0.1 else _MINOR_MAX_MINUTES)
    lo = min(240, hi) if heavy else _MIN_MINUTES
    return _on_grid(rng, lo, hi)


def _next_slot(rng: random.Random, cur: _Cursor, heavy: bool, minor: bool) -> tuple[int, int, int]:
    """Day, start minute and length of a volunteer's next record, after all earlier ones.

    With more days left than records, one record goes on a day chosen so that the rest
    still fit (at most one a day, daytime only for minors); otherwise each day is cut into
    equal slots, one record per slot.
    """
    if cur.per_day == 0:
        left = WINDOW_DAYS - cur.day
        if left >= cur.remaining:
            spare = left - cur.remaining
            day = cur.day + min(spare, int(rng.random() * 2 * spare / cur.remaining))
            if minor:
                minutes = _duration(rng, False, _MINOR_MAX_MINUTES)
                start = _on_grid(rng, 8 * 60, 18 * 60 - minutes)
            else:
                minutes = _duration(rng, heavy, _MAX_MINUTES)
                start = _on_grid(rng, 7 * 60, _DAY_CLOSE - minutes)
            cur.day = day + 1
            cur.remaining -= 1
            return day, start, minutes
        cur.per_day = -(-cur.remaining // left)
        cur.slot = 0
    width = (_DAY_CLOSE - _DAY_OPEN) // cur.per_day // _GRID * _GRID
    minutes = _duration(rng, heavy, min(width, _MINOR_MAX_MINUTES) if minor else width)
    start = _DAY_OPEN + cur.slot * width + _on_grid(rng, 0, width - minutes)
    day = cur.day
    cur.slot += 1
    cur.remaining -= 1
    if cur.slot == cur.per_day:
        cur.day += 1
        cur.per_day = 0
    return day, start, minutes


def _plan(world: _World) -> Iterator[_Plan]:
    """Every service record, in start-time order; same seed, same plan, on every run."""
    rng = _rng(world.spec.seed, "records")
    cursors = [_Cursor(remaining=p.records) for p in world.people]
    heap: list[tuple[int, int, int, int, int]] = []

    def push(v: int) -> None:
        if cursors[v].remaining:
            person = world.people[v]
            day, start, minutes = _next_slot(rng, cursors[v], person.heavy, person.minor)
            heapq.heappush(heap, (day * 1440 + start, v, day, start, minutes))

    for v in range(len(world.people)):
        push(v)
    seq = 0
    while heap:
        _key, v, day, start, minutes = heapq.heappop(heap)
        choices = [
            p
            for p in world.eligible[v]
            if world.projects[p].first_day <= day <= world.projects[p].last_day
        ]
        project = world.projects[choices[_below(rng, len(choices))]]
        activity = next((a for a, f, la in project.activities if f <= day <= la), None)
        roll = rng.random()
        status = "effective" if roll < 0.86 else "pending" if roll < 0.94 else "rejected"
        yield _Plan(
            seq=seq,
            volunteer=v,
            project=project.index,
            activity=activity,
            day=day,
            start=start,
            minutes=minutes,
            status=status,
            hours_type="2" if rng.random() < 0.05 else "1",
            entry_method="111134"[_below(rng, 6)],
            lag=10 + _below(rng, 2871),
            flags=rng.getrandbits(16),
        )
        seq += 1
        push(v)


def _counts_as_credit(plan: _Plan) -> bool:
    return plan.status == "effective" and plan.hours_type == "1"


@dataclass(slots=True)
class _Totals:
    """What the first pass over the plan learns; bounded by volunteers x organisations."""

    credit: list[Decimal]
    pair_count: dict[tuple[int, int], int]
    pair_cutoff: dict[tuple[int, int], int]  # day of the pair's last certifiable record
    evaluated: list[_Plan]  # a reservoir sample of effective records


def _first_pass(world: _World) -> _Totals:
    rng = _rng(world.spec.seed, "evaluations-pick")
    totals = _Totals([Decimal(0)] * len(world.people), {}, {}, [])
    size = world.spec.evaluations
    effective = 0
    for plan in _plan(world):
        if plan.status != "effective":
            continue
        effective += 1  # reservoir sampling keeps `size` records whatever the total
        if len(totals.evaluated) < size:
            totals.evaluated.append(plan)
        else:
            k = rng.randrange(effective)
            if k < size:
                totals.evaluated[k] = plan
        if plan.hours_type != "1":
            continue
        totals.credit[plan.volunteer] += _hours(plan.minutes)
        pair = (plan.volunteer, world.projects[plan.project].org)
        n = totals.pair_count.get(pair, 0) + 1
        totals.pair_count[pair] = n
        if n <= _CERT_RECORDS:
            totals.pair_cutoff[pair] = plan.day
    totals.evaluated.sort()
    return totals


# -- building the entities ------------------------------------------------------------------


def _org_entity(world: _World, org: _Org) -> Organization:
    theme = _ORG_THEMES[org.theme]
    d = org.district
    i = org.index
    founded = date(2012 + i % 8, 1 + i % 12, 1 + (i * 7) % 28)
    common: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "service_regions": [d.code],
        "service_categories": list(theme[1]),
        "address": Address(
            region_code=d.code,
            address=f"{d.city}{d.name}示例路{10 + i}号",
            postcode=d.postcode,
            geo=GeoPoint(lat=d.lat, lng=d.lng),
        ),
        "contact": ContactPoint(name=org.handler, phone=org.phone, phone_visibility="public"),
        "leader_name": org.leader,
        "founded_on": founded,
        "member_count": org.members,
        "status": "active",
        "emergency_team": bool(RISKY_CATEGORIES.intersection(theme[1])) or None,
        "description": f"{theme[0]}主题的志愿服务（虚构的示例组织）。",
        "identifiers": _identifiers("NVSI-ORG-", i),
        "provenance": _provenance("organization", i),
        "extensions": _extensions("organization", i) if i == 0 else None,
        "schema_version": SCHEMA_VERSION if i % 2 == 0 else None,
    }
    if org.registered:
        assert org.uscc is not None
        return Organization(
            **common,
            uscc=org.uscc,
            team_type="2",
            org_type={"1": "13", "2": "14", "3": "15"}[org.uscc[1]],
            registration=Registration(
                authority=f"{d.city}{d.name}民政局",
                authority_region=d.code,
                registered_on=founded,
            ),
            website=f"https://org{i + 1}.example.org/",
        )
    rng = _rng(world.spec.seed, f"approving-unit-{i}")
    return Organization(
        **common,
        team_type="1",
        approving_unit=ApprovingUnit(
            name=f"{d.name}示例第一中学（示例）",
            uscc=make_uscc(rng, authority="1", category="2", region_code=d.code),
            contact=ContactPoint(name=_name(rng, "2"), phone_visibility="private"),
        ),
    )


def _volunteer_entity(world: _World, person: _Person, credit: Decimal) -> Volunteer:
    rng = _rng(world.spec.seed, f"volunteer-{person.index}")
    i = person.index
    age = _age(person.birth_date, WINDOW_START)
    minor = person.minor
    given_at = _moment(person.registered_on, 10, rng.randrange(0, 60, _GRID))
    consents = [Consent(purpose="registration", given_at=given_at, by_guardian=minor or None)]
    guardian = None
    if minor:
        guardian_gender = rng.choice("12")
        guardian = Guardian(
            name=_name(rng, guardian_gender, person.name[0]),
            relation="51" if guardian_gender == "1" else "52",
            phone=make_mobile(rng),
            consent_on=person.registered_on,
        )
        consents.append(Consent(purpose="minors_guardian", given_at=given_at, by_guardian=True))
        consents.append(Consent(purpose="sensitive_id", given_at=given_at, by_guardian=True))
    elif rng.random() < 0.5:
        consents.append(Consent(purpose="sensitive_id", given_at=given_at))
    if age < 14:
        political, education, employment = "13", "80", "31"
        types = ["family", "student"]
    elif minor:
        political, education, employment = rng.choice(("03", "13")), "70", "31"
        types = ["student", "youth"]
    else:
        political = rng.choice(("13", "13", "13", "01", "03"))
        if person.birth_date.year >= 2001:
            education, employment = "30", "31"
        else:
            education = rng.choice(("20", "20", "30", "14", "60", "40"))
            employment = "80" if age >= 60 else rng.choice(("17", "13", "24", "21", "51"))
        types = ["community"]
        if political == "01":
            types.insert(0, "party_member")
        if age <= 35:
            types.append("youth")
        if age >= 60:
            types.append("senior")
    languages = ["zh"]
    if person.district.code.startswith("44"):
        languages.append("yue")
    if rng.random() < 0.2 and not age < 14:
        languages.append("en")
    categories: list[str] = []
    for o in person.orgs:
        for c in _ORG_THEMES[world.orgs[o].theme][1]:
            if c not in categories and not (minor and c in RISKY_CATEGORIES):
                categories.append(c)
    email = f"volunteer{i + 1:05d}@example.com" if not minor and rng.random() < 0.3 else None
    emergency = None
    if not minor and rng.random() < 0.4:
        emergency = ContactPoint(name=_name(rng, rng.choice("12")), phone=make_mobile(rng))
    return Volunteer(
        id=person.id,
        volunteer_no=person.volunteer_no,
        name=person.name,
        id_document=IdDocument(type="01", number=person.id_number),
        gender=person.gender,
        birth_date=person.birth_date,
        nationality="156",
        ethnicity=rng.choice(("01",) * 8 + ("03", "08", "11", "15")),
        political_status=political,
        education=education,
        employment_status=employment,
        phone=None if age < 14 else make_mobile(rng),
        email=email,
        residence=Address(
            region_code=person.district.code,
            address=f"{person.district.city}{person.district.name}示例小区{rng.randint(1, 30)}号楼",
        ),
        service_regions=[person.district.code],
        service_categories=categories or None,
        skills=sorted(
            rng.sample(("01", "05", "08", "13", "16", "18", "19", "23"), rng.randint(0, 2))
        )
        or None,
        languages=languages,
        availability=sorted(rng.sample([f"{n:02d}" for n in range(1, 25)], rng.randint(2, 4))),
        volunteer_types=types,
        registered_on=person.registered_on,
        registration_region=person.district.code,
        real_name_verified="1",
        status="active",
        star_level=_star(credit),
        guardian=guardian,
        emergency_contact=emergency,
        consents=consents,
        organization_ids=[world.orgs[o].id for o in person.orgs],
        identifiers=_identifiers("NVSI-V-", i),
        provenance=_provenance("volunteer", i),
        extensions=_extensions("volunteer", i) if i == 0 else None,
    )


def _project_entity(world: _World, proj: _Proj) -> Project:
    rng = _rng(world.spec.seed, f"project-{proj.index}")
    org = world.orgs[proj.org]
    d = org.district
    start = _at(proj.first_day, _DAY_OPEN)
    if proj.anchor:
        end = datetime(2026, 6, 30, 22, 0, tzinfo=TZ)
        status = "in_progress"
    else:
        end = _at(proj.last_day, _DAY_CLOSE)
        status = "completed"
    if proj.risky:
        guarantees = ["01", "07", "08", "10"]
        recruitment = Recruitment(
            start=start - timedelta(days=30),
            end=start - timedelta(days=1),
            scope="2",
            quota=rng.randint(10, 40),
            requirements="年满18周岁，身体健康，参加岗前培训。",
            skills=["01"],
            min_age=18,
        )
    else:
        guarantees = sorted({"01", *rng.sample(("04", "05", "07", "11"), 2)})
        recruitment = Recruitment(
            start=start - timedelta(days=20),
            end=start - timedelta(days=1),
            scope="1",
            quota=rng.randint(10, 80),
        )
    i = proj.index
    return Project(
        id=proj.id,
        project_no=f"P{start.year}{d.code}{i + 1:04d}",
        title=proj.title,
        organization_id=org.id,
        service_categories=list(proj.categories),
        service_targets=list(proj.targets),
        region_code=d.code,
        location=Address(region_code=d.code, address=f"{d.city}{d.name}示例广场"),
        start=start,
        end=end,
        recruitment=recruitment,
        guarantees=guarantees,
        status=status,
        description=f"{proj.title}（虚构的示例项目）。",
        funding_sources=[rng.choice("1235")],
        contact=ContactPoint(name=org.handler, phone=org.phone, phone_visibility="public"),
        identifiers=_identifiers("NVSI-P-", i),
        provenance=_provenance("project", i),
        extensions=_extensions("project", i) if i == 0 else None,
    )


def _activity_entities(world: _World, proj: _Proj) -> Iterator[Activity]:
    d = world.orgs[proj.org].district
    for j, (aid, first, last) in enumerate(proj.activities):
        k = proj.index * world.spec.activities_per_project + j
        yield Activity(
            id=aid,
            project_id=proj.id,
            title=f"{proj.title}第{j + 1}期",
            start=_at(first, _DAY_OPEN),
            end=_at(last, _DAY_CLOSE),
            location=Address(region_code=d.code, geo=GeoPoint(lat=d.lat, lng=d.lng)),
            quota=10 + 5 * j,
            checkin_points=[
                CheckinPoint(
                    kind="both", address=f"{d.name}示例广场东门", lat=d.lat, lng=d.lng, radius_m=300
                )
            ],
            status="finished",
            identifiers=_identifiers("NVSI-A-", k),
            provenance=_provenance("activity", k),
        )


def _record_entity(world: _World, plan: _Plan) -> ServiceRecord:
    proj = world.projects[plan.project]
    org = world.orgs[proj.org]
    start = _at(plan.day, plan.start)
    end = start + timedelta(minutes=plan.minutes)
    recorded_at = min(end + timedelta(minutes=plan.lag), GENERATED_AT)
    n = plan.seq
    return ServiceRecord(
        id=f"sr-{n + 1:07d}",
        volunteer_id=world.people[plan.volunteer].id,
        organization_id=org.id,
        project_id=proj.id,
        activity_id=plan.activity,
        start=start,
        end=end,
        hours=_hours(plan.minutes),
        hours_type=plan.hours_type,
        entry_method=plan.entry_method,
        status=plan.status,
        service_category=proj.categories[0],
        content=_CONTENT.get(proj.categories[0]) if plan.flags & 1 else None,
        recorded_by=org.handler if plan.entry_method == "1" else None,
        recorded_at=recorded_at,
        evidence=[Evidence(type="photo", title="现场照片")] if plan.flags & 6 == 6 else None,
        source_system=PUBLISHER_NAME if plan.flags & 8 else None,
        identifiers=_identifiers("NVSI-H-", n),
        provenance=_provenance("service_record", n),
        extensions=_extensions("service_record", n) if n % 50 == 0 else None,
    )


def _training_entities(world: _World) -> Iterator[TrainingRecord]:
    rng = _rng(world.spec.seed, "training")
    topics = (
        ("志愿服务通用知识", "1"),
        ("应急救护基础", "3"),
        ("岗位服务规范", "2"),
        ("心理疏导入门", "3"),
    )
    for i in range(world.spec.training_records):
        person = world.people[rng.randrange(len(world.people))]
        org = world.orgs[rng.choice(person.orgs)]
        day = _random_date(rng, date(2023, 7, 1), date(2023, 12, 28))
        start = _moment(day, rng.choice((9, 14, 19)))
        minutes = rng.choice((60, 90, 120, 180))
        topic, kind = topics[i % len(topics)]
        mode = rng.choice("122")
        yield TrainingRecord(
            id=f"trn-{i + 1:04d}",
            volunteer_id=person.id,
            organization_id=org.id,
            topic=topic,
            training_type=kind,
            mode=mode,
            start=start,
            end=start + timedelta(minutes=minutes),
            hours=_hours(minutes),
            location=Address(region_code=org.district.code) if mode == "2" else None,
            passed=rng.random() < 0.95,
            identifiers=_identifiers("NVSI-T-", i),
            provenance=_provenance("training_record", i),
        )


def _award_entities(world: _World, totals: _Totals) -> Iterator[Award]:
    rng = _rng(world.spec.seed, "awards")
    ranked = sorted(range(len(world.people)), key=lambda v: (-totals.credit[v], v))
    for i in range(world.spec.awards):
        kind = "312"[i % 3]
        if kind == "3":
            subject = world.people[ranked[(i // 3) % len(ranked)]].id
            title = "优秀志愿者"
        elif kind == "1":
            subject = world.orgs[(i // 3) % len(world.orgs)].id
            title = "优秀志愿服务组织"
        else:
            subject = world.projects[(i // 3) % len(world.projects)].id
            title = "最佳志愿服务项目"
        on = _random_date(rng, date(2025, 1, 10), date(2025, 12, 20))
        yield Award(
            id=f"awd-{i + 1:03d}",
            subject_type=kind,
            subject_id=subject,
            title=f"{on.year}年度{title}",
            awarded_on=on,
            granted_by="示例市志愿服务联合会（示例）",
            level=rng.choice(("区级", "市级")),
            document_no=f"示志联〔{on.year}〕{i + 1}号",
            identifiers=_identifiers("NVSI-AW-", i),
            provenance=_provenance("award", i),
        )


def _evaluation_entities(world: _World, totals: _Totals) -> Iterator[Evaluation]:
    rng = _rng(world.spec.seed, "evaluations")
    for i, plan in enumerate(totals.evaluated):
        proj = world.projects[plan.project]
        on = min(WINDOW_START + timedelta(days=plan.day + rng.randint(1, 10)), AS_OF)
        if i % 2 == 0:
            scores = Scores(
                punctuality=rng.randint(3, 5),
                attitude=rng.randint(3, 5),
                competence=rng.randint(3, 5),
                overall=rng.randint(3, 5),
            )
            direction, comment = "org_to_volunteer", "服务认真，按时到岗。"
        else:
            scores = Scores(
                training_quality=rng.randint(2, 5),
                teamwork=rng.randint(3, 5),
                execution=rng.randint(3, 5),
                overall=rng.randint(3, 5),
            )
            direction, comment = "volunteer_to_project", "组织有序，收获很大。"
        yield Evaluation(
            id=f"evl-{i + 1:04d}",
            direction=direction,
            volunteer_id=world.people[plan.volunteer].id,
            organization_id=world.orgs[proj.org].id,
            project_id=proj.id,
            service_record_id=f"sr-{plan.seq + 1:07d}",
            scores=scores,
            comment=comment if rng.random() < 0.6 else None,
            evaluated_on=on,
            identifiers=_identifiers("NVSI-E-", i),
            provenance=_provenance("evaluation", i),
        )


@dataclass(slots=True)
class _Line:
    ids: list[str] = field(default_factory=list)
    hours: Decimal = Decimal(0)
    first: int = WINDOW_DAYS
    last: int = -1


def _certificate_entity(
    world: _World, index: int, pair: tuple[int, int], lines: dict[int, _Line]
) -> Certificate:
    rng = _rng(world.spec.seed, f"certificate-{index}")
    person = world.people[pair[0]]
    org = world.orgs[pair[1]]
    built: list[CertificateLine] = []
    for p in sorted(lines):
        line, proj = lines[p], world.projects[p]
        built.append(
            CertificateLine(
                project_id=proj.id,
                project_title=proj.title,
                organization_name=org.name,
                region_code=org.district.code,
                period=Period(
                    start=WINDOW_START + timedelta(days=line.first),
                    end=WINDOW_START + timedelta(days=line.last),
                ),
                hours=line.hours,
                service_record_ids=line.ids,
            )
        )
    first = min(line.first for line in lines.values())
    last = max(line.last for line in lines.values())
    issued = min(WINDOW_START + timedelta(days=last + rng.randint(1, 20)), AS_OF)
    revoked = index == 1
    return Certificate(
        id=f"cert-{index + 1:03d}",
        certificate_no=f"ZM{issued.year}{org.district.code}{index + 1:05d}",
        volunteer=CertificateHolder(
            volunteer_id=person.id,
            volunteer_no=person.volunteer_no,
            name=person.name,
            id_type="01",
            id_number_masked=mask_resident_id(person.id_number),
        ),
        issuer=CertificateIssuer(
            organization_id=org.id,
            name=org.name,
            uscc=org.uscc,
            responsible_person=org.leader,
            handler=org.handler,
            contact=ContactPoint(phone=org.phone, phone_visibility="public"),
        ),
        lines=built,
        total_hours=sum((line.hours for line in lines.values()), Decimal(0)),
        period=Period(
            start=WINDOW_START + timedelta(days=first), end=WINDOW_START + timedelta(days=last)
        ),
        issued_on=issued,
        purpose=rng.choice(("study", "employment", "credit", "award")),
        status="revoked" if revoked else "issued",
        revoked_at=_moment(AS_OF, 9) if revoked else None,
        verification=Verification(
            url=f"https://verify.example.org/c/{index + 1:05d}",
            code=f"{rng.getrandbits(32):08X}",
        ),
        remarks="已撤销：信息有误，已重新出具（示例）" if revoked else None,
        identifiers=_identifiers("NVSI-C-", index),
        provenance=_provenance("certificate", index),
        extensions=_extensions("certificate", index) if index == 0 else None,
    )


def _demand_entities(world: _World) -> Iterator[Demand]:
    rng = _rng(world.spec.seed, "demands")
    needs = (
        ("独居老人助餐配送", ("0017", "0001"), ("03",)),
        ("社区儿童暑期托管", ("0003",), ("01",)),
        ("小区垃圾分类督导", ("0006", "0010"), ("10",)),
        ("残障人士出行陪护", ("0017",), ("04",)),
    )
    for i in range(world.spec.demands):
        title, categories, targets = needs[i % len(needs)]
        d = _DISTRICTS[rng.randrange(len(_DISTRICTS))]
        status = ("open", "matched", "fulfilled", "closed")[i % 4]
        if status == "open":
            start = _random_date(rng, date(2026, 1, 5), date(2026, 3, 31))
        else:
            start = _random_date(rng, date(2024, 3, 1), date(2025, 9, 30))
        until = start + timedelta(days=rng.randint(14, 90))
        matched = [p.id for p in world.projects if set(p.categories) & set(categories)][:2]
        yield Demand(
            id=f"dmd-{i + 1:03d}",
            title=title,
            description=f"{d.name}示例社区提出的需求：{title}（示例）。",
            requester=f"{d.name}示例社区居民委员会（示例）",
            service_categories=list(categories),
            service_targets=list(targets),
            location=Address(region_code=d.code),
            needed_from=start,
            needed_until=until,
            volunteers_needed=rng.randint(2, 20),
            status=status,
            published_at=_moment(min(start - timedelta(days=10), AS_OF), 9, 30),
            matched_project_ids=(matched or None) if status in ("matched", "fulfilled") else None,
            identifiers=_identifiers("NVSI-D-", i),
            provenance=_provenance("demand", i),
        )


def _station_entities(world: _World) -> Iterator[Station]:
    rng = _rng(world.spec.seed, "stations")
    kinds = (
        ("community", "示例社区居民委员会"),
        ("civilization_practice_center", "示例街道办事处"),
        ("smile_booth", "示例地铁站"),
        ("hospital", "示例人民医院"),
        ("transport_hub", "示例火车站"),
        ("school", "示例中学"),
    )
    for i in range(world.spec.stations):
        org = world.orgs[i % len(world.orgs)]
        d = org.district
        kind, host = kinds[i % len(kinds)]
        yield Station(
            id=f"stn-{i + 1:03d}",
            name=f"{d.name}{host}志愿服务站（示例）",
            station_type=kind,
            host_unit=f"{d.name}{host}（示例）",
            organization_id=org.id,
            address=Address(
                region_code=d.code,
                address=f"{d.city}{d.name}示例路{100 + i}号",
                geo=GeoPoint(
                    lat=round(d.lat + rng.uniform(-0.02, 0.02), 5),
                    lng=round(d.lng + rng.uniform(-0.02, 0.02), 5),
                ),
            ),
            opening_hours=[
                OpeningHours(
                    days=["mon", "tue", "wed", "thu", "fri"], opens="09:00", closes="17:00"
                ),
                OpeningHours(days=["sat", "sun"], opens="10:00", closes="16:00"),
            ],
            facilities=["饮用水", "急救箱", "雨具"],
            service_categories=list(_ORG_THEMES[org.theme][1][:2]),
            contact=ContactPoint(phone=org.phone, phone_visibility="public"),
            opened_on=date(2020 + i % 4, 3, 1),
            identifiers=_identifiers("NVSI-S-", i),
            provenance=_provenance("station", i),
        )


def generate(spec: SampleSpec | None = None) -> Iterator[Entity]:
    """Yield the sample's entities in dependency order, lazily.

    Memory is bounded by the number of volunteers, organisations and projects (plus the
    spec's small counts of evaluations and certificates), not by ``service_records``.
    """
    spec = spec or SampleSpec()
    spec.check()
    world = _build_world(spec)
    for org in world.orgs:
        yield _org_entity(world, org)
    totals = _first_pass(world)
    for person in world.people:
        yield _volunteer_entity(world, person, totals.credit[person.index])
    for proj in world.projects:
        yield _project_entity(world, proj)
    for proj in world.projects:
        yield from _activity_entities(world, proj)

    # The busiest (volunteer, organisation) pairs first, for multi-line certificates.
    ranked = sorted(totals.pair_count, key=lambda pair: (-totals.pair_count[pair], pair))
    wanted = min(spec.certificates, len(ranked))
    top = ranked[: min(3, wanted)]
    rest = sorted(ranked[len(top) :])
    chosen = sorted(top + _rng(spec.seed, "certificates").sample(rest, wanted - len(top)))
    collected: dict[tuple[int, int], dict[int, _Line]] = {pair: {} for pair in chosen}
    for plan in _plan(world):
        yield _record_entity(world, plan)
        pair = (plan.volunteer, world.projects[plan.project].org)
        lines = collected.get(pair)
        if lines is None or not _counts_as_credit(plan) or plan.day > totals.pair_cutoff[pair]:
            continue
        line = lines.setdefault(plan.project, _Line())
        line.ids.append(f"sr-{plan.seq + 1:07d}")
        line.hours += _hours(plan.minutes)
        line.first = min(line.first, plan.day)
        line.last = max(line.last, plan.day)

    yield from _training_entities(world)
    yield from _award_entities(world, totals)
    yield from _evaluation_entities(world, totals)
    for index, pair in enumerate(chosen):
        yield _certificate_entity(world, index, pair, collected[pair])
    yield from _station_entities(world)
    yield from _demand_entities(world)


# -- writing -----------------------------------------------------------------------------


def sample_metadata() -> PackageMetadata:
    """Fixed metadata, so that the package is byte-for-byte reproducible."""
    return PackageMetadata(
        schema_version=SCHEMA_VERSION,
        publisher=Publisher(name=PUBLISHER_NAME, system=SOURCE_SYSTEM),
        generated_at=GENERATED_AT,
        title="志愿服务示例数据（全部虚构） Synthetic volunteer-service sample",
        extensions=[
            ExtensionDeclaration(
                namespace=EXTENSION_NAMESPACE,
                title="Sample generator bookkeeping (synthetic flag, kind, ordinal)",
                version="1.0",
            )
        ],
        codelists_version=CODELISTS_VERSION,
        regions_vintage=regions.REGIONS_VINTAGE,
        license="CC0-1.0",
    )


def write_sample(out_dir: Path, spec: SampleSpec | None = None) -> dict[str, Path]:
    """Write ``sample.json`` (package) and ``sample.jsonl`` with the same records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"sample.json": out_dir / "sample.json", "sample.jsonl": out_dir / "sample.jsonl"}
    with (
        PackageWriter(paths["sample.json"], sample_metadata()) as package,
        JsonlWriter(paths["sample.jsonl"]) as lines,
    ):
        for entity in generate(spec):
            data = entity.model_dump(mode="json", exclude_none=True)
            package.write(data)
            lines.write(data)
    return paths


# -- deliberately broken files ---------------------------------------------------------------

#: Codes that broken.jsonl triggers. VS122 is absent: no code list has a deprecated code yet.
BROKEN_JSONL_CODES = frozenset(
    {
        "VS100",
        "VS101",
        "VS102",
        "VS103",
        "VS110",
        "VS111",
        "VS112",
        "VS113",
        "VS114",
        "VS115",
        "VS119",
        "VS120",
        "VS121",
        "VS130",
        "VS131",
        "VS132",
    }
)
#: Codes of broken-package.json (valid metadata, so that undeclared extensions are seen).
BROKEN_PACKAGE_CODES = frozenset({"VS104", "VS105", "VS150"})
#: Codes of broken-metadata.json: invalid metadata hides extension checks, hence its own file.
BROKEN_METADATA_CODES = frozenset({"VS140"})
#: Codes of broken-no-metadata.json.
BROKEN_NO_METADATA_CODES = frozenset({"VS141"})

_TINY = SampleSpec(
    volunteers=12,
    organizations=2,
    projects=3,
    activities_per_project=1,
    service_records=20,
    training_records=0,
    awards=0,
    evaluations=2,
    certificates=0,
    demands=0,
    stations=1,
)


def _valid_examples() -> dict[str, dict[str, Any]]:
    """The first valid record of each type of a tiny sample, as JSON-ready dicts."""
    found: dict[str, dict[str, Any]] = {}
    for entity in generate(_TINY):
        found.setdefault(entity.type, entity.model_dump(mode="json", exclude_none=True))
    return found


def _line(data: Any) -> bytes:
    return orjson.dumps(data)


def broken_records() -> list[tuple[str, bytes]]:
    """Lines of ``broken.jsonl`` as (intended issue code, line); the first line is valid.

    Each broken line carries one deliberate problem.
    """
    ok = _valid_examples()
    org, vol, rec = ok["organization"], ok["volunteer"], ok["service_record"]
    act, evl = ok["activity"], ok["evaluation"]

    def edit(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
        data = dict(base)
        data.update(changes)
        return data

    def drop(base: dict[str, Any], key: str) -> dict[str, Any]:
        return {k: v for k, v in base.items() if k != key}

    rows: list[tuple[str, bytes]] = [
        ("", _line(org)),
        ("VS100", b'{"type": "volunteer", "id": "vol-broken", "name": "\xe6\x9c\xaa\xe5\xae\x8c'),
        ("VS101", _line(["an", "array", "is", "not", "a", "record"])),
        ("VS102", _line(drop(edit(vol, id="vol-no-type"), "type"))),
        ("VS103", _line(edit(vol, id="vol-bad-type", type="volunter"))),
        ("VS110", _line(drop(edit(rec, id="sr-no-hours"), "hours"))),
        ("VS111", _line(edit(org, id="org-bad-count", member_count=str(org["member_count"])))),
        ("VS112", _line(edit(rec, id="sr-naive-start", start=rec["start"][:19]))),
        ("VS113", _line(edit(evl, id="evl-score-6", scores={**evl["scores"], "overall": 6}))),
        ("VS114", _line(edit(vol, id="vol-extra-field", nickname="小志"))),
        ("VS115", _line(edit(rec, id="sr-float-hours", hours=float(rec["hours"])))),
        (
            "VS119",
            _line(
                edit(
                    act,
                    id="act-bad-kind",
                    checkin_points=[{**act["checkin_points"][0], "kind": "inout"}],
                )
            ),
        ),
        ("VS120", _line(edit(vol, id="vol-bad-gender", gender="M"))),
        # organization_ids: only org (line 1) is in this file; others would be VR601.
        (
            "VS121",
            _line(edit(vol, id="vol-new-skill", skills=["88"], organization_ids=[org["id"]])),
        ),
        ("VS130", _line(edit(org, id="org-v2", schema_version="2.0"))),
        (
            "VS131",
            _line(
                edit(org, id="org-v10", schema_version="1.0", modified="2024-03-01T08:00:00+08:00")
            ),
        ),
        ("VS132", _line(edit(org, id="org-v19", schema_version="1.9"))),
    ]
    return rows


def broken_files() -> dict[str, tuple[bytes, frozenset[str]]]:
    """Every broken file's bytes and the issue codes it is meant to trigger."""
    ok = _valid_examples()
    meta = sample_metadata().model_dump(mode="json", exclude_none=True)
    jsonl = b"".join(line + b"\n" for _code, line in broken_records())

    def package(data: dict[str, Any]) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"

    broken_package = package(
        {
            "metadata": meta,
            "organizations": [ok["organization"]],
            "volunteers": [ok["project"]],  # VS105: a project in the volunteers array
            "volunteer_list": [ok["volunteer"]],  # VS104: not a collection of the standard
            "stations": [{**ok["station"], "extensions": {"undeclared": {"note": "VS150"}}}],
        }
    )
    broken_meta = package(
        {
            "metadata": {k: v for k, v in meta.items() if k != "generated_at"},  # VS140
            "organizations": [ok["organization"]],
        }
    )
    no_meta = package({"organizations": [ok["organization"]]})  # VS141
    return {
        "broken.jsonl": (jsonl, BROKEN_JSONL_CODES),
        "broken-package.json": (broken_package, BROKEN_PACKAGE_CODES),
        "broken-metadata.json": (broken_meta, BROKEN_METADATA_CODES),
        "broken-no-metadata.json": (no_meta, BROKEN_NO_METADATA_CODES),
    }


def write_broken(out_dir: Path) -> dict[str, Path]:
    """Write the broken files next to the sample (see ``broken_files``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, (data, _codes) in broken_files().items():
        paths[name] = out_dir / name
        paths[name].write_bytes(data)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the example files (the counts are printed; personal data never is)."""
    parser = argparse.ArgumentParser(
        prog="python -m volunteer_standard.samples",
        description="Write the synthetic sample and the deliberately broken example files.",
    )
    parser.add_argument("out_dir", type=Path, help="directory to write (e.g. examples)")
    parser.add_argument("--seed", type=int, default=SampleSpec.seed, help="random seed")
    args = parser.parse_args(argv)
    paths = write_sample(args.out_dir, SampleSpec(seed=args.seed))
    paths.update(write_broken(args.out_dir))
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
