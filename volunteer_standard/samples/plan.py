"""The record plan: every service record as a lightweight tuple, lazily, in time order.

Records are planned volunteer by volunteer, on a per-volunteer timeline (so one volunteer's
records never overlap), and merged in time order through a heap; the state kept is bounded
by the number of volunteers (and organisations), never by the number of records. Star levels
depend on every record but volunteers come first, so the plan is run twice from the same
seed: once to add hours up (`first_pass`), once to emit the records.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from volunteer_standard.samples.common import hours_of, rng_for
from volunteer_standard.samples.spec import (
    CERT_RECORDS,
    DAY_CLOSE,
    DAY_OPEN,
    GRID,
    MAX_MINUTES,
    MIN_MINUTES,
    MINOR_MAX_MINUTES,
    WINDOW_DAYS,
)
from volunteer_standard.samples.world import World


class Plan(NamedTuple):
    """One planned service record: where and when, and the dice already rolled for it."""

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
class Cursor:
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
    return lo + GRID * _below(rng, (hi - lo) // GRID + 1)


def _duration(rng: random.Random, heavy: bool, cap: int) -> int:
    """Minutes of one record: long for the busy volunteers, mostly up to 4 hours otherwise."""
    hi = min(cap, MAX_MINUTES if heavy or rng.random() < 0.1 else MINOR_MAX_MINUTES)
    lo = min(240, hi) if heavy else MIN_MINUTES
    return _on_grid(rng, lo, hi)


def _next_slot(rng: random.Random, cur: Cursor, heavy: bool, minor: bool) -> tuple[int, int, int]:
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
                minutes = _duration(rng, False, MINOR_MAX_MINUTES)
                start = _on_grid(rng, 8 * 60, 18 * 60 - minutes)
            else:
                minutes = _duration(rng, heavy, MAX_MINUTES)
                start = _on_grid(rng, 7 * 60, DAY_CLOSE - minutes)
            cur.day = day + 1
            cur.remaining -= 1
            return day, start, minutes
        cur.per_day = -(-cur.remaining // left)
        cur.slot = 0
    width = (DAY_CLOSE - DAY_OPEN) // cur.per_day // GRID * GRID
    minutes = _duration(rng, heavy, min(width, MINOR_MAX_MINUTES) if minor else width)
    start = DAY_OPEN + cur.slot * width + _on_grid(rng, 0, width - minutes)
    day = cur.day
    cur.slot += 1
    cur.remaining -= 1
    if cur.slot == cur.per_day:
        cur.day += 1
        cur.per_day = 0
    return day, start, minutes


def plan_records(world: World) -> Iterator[Plan]:
    """Every service record, in start-time order; same seed, same plan, on every run."""
    rng = rng_for(world.spec.seed, "records")
    cursors = [Cursor(remaining=p.records) for p in world.people]
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
        yield Plan(
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


def counts_as_credit(plan: Plan) -> bool:
    """Effective volunteer-service hours count towards stars and certificates."""
    return plan.status == "effective" and plan.hours_type == "1"


@dataclass(slots=True)
class Totals:
    """What the first pass over the plan learns; bounded by volunteers x organisations."""

    credit: list[Decimal]
    pair_count: dict[tuple[int, int], int]
    pair_cutoff: dict[tuple[int, int], int]  # day of the pair's last certifiable record
    evaluated: list[Plan]  # a reservoir sample of effective records


def first_pass(world: World) -> Totals:
    """Run the plan once for what volunteers and certificates need before the records."""
    rng = rng_for(world.spec.seed, "evaluations-pick")
    totals = Totals([Decimal(0)] * len(world.people), {}, {}, [])
    size = world.spec.evaluations
    effective = 0
    for plan in plan_records(world):
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
        totals.credit[plan.volunteer] += hours_of(plan.minutes)
        pair = (plan.volunteer, world.projects[plan.project].org)
        n = totals.pair_count.get(pair, 0) + 1
        totals.pair_count[pair] = n
        if n <= CERT_RECORDS:
            totals.pair_cutoff[pair] = plan.day
    totals.evaluated.sort()
    return totals
