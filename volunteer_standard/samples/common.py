"""Small pieces every builder of the sample shares: random streams, the clock, bookkeeping."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from volunteer_standard.models import Identifier, Provenance
from volunteer_standard.samples.spec import (
    EXTENSION_NAMESPACE,
    GENERATED_AT,
    SOURCE_SYSTEM,
    STAR_THRESHOLDS,
    TZ,
    WINDOW_START,
)

_CENT = Decimal("0.01")


def rng_for(seed: int, label: str) -> random.Random:
    """An independent stream per purpose, so adding one kind of data never shifts another."""
    return random.Random(f"vstd-sample:{seed}:{label}")


def hours_of(minutes: int) -> Decimal:
    """Hours of a duration, rounded half-up to 2 decimals (the standard's rule)."""
    return (Decimal(minutes) / Decimal(60)).quantize(_CENT, rounding=ROUND_HALF_UP)


def window_moment(day: int, minute: int) -> datetime:
    """The +08:00 date-time of a window day and minute of that day."""
    d = WINDOW_START + timedelta(days=day)
    return datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=TZ)


def moment(d: date, hour: int, minute: int = 0) -> datetime:
    """The +08:00 date-time of a calendar day at ``hour:minute``."""
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` inclusive."""
    return first + timedelta(days=rng.randint(0, (last - first).days))


def age_on(birth: date, on: date) -> int:
    """Completed years of age on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def star_level(credit: Decimal) -> str | None:
    """The star level earned by ``credit`` effective credit hours, or None below 100 hours."""
    for threshold, level in STAR_THRESHOLDS:
        if credit >= threshold:
            return level
    return None


def provenance(kind: str, index: int) -> Provenance | None:
    """Provenance on every third record, so both cases appear in the sample."""
    if index % 3:
        return None
    return Provenance(
        source_system=SOURCE_SYSTEM,
        source_id=f"{kind}:{index + 1}",
        retrieved_at=GENERATED_AT,
    )


def national_ids(prefix: str, index: int) -> list[Identifier] | None:
    """A national-system id on every fourth record."""
    if index % 4 != 1:
        return None
    return [Identifier(scheme="nvsi", value=f"{prefix}{index + 1:08d}")]


def extensions(kind: str, index: int) -> dict[str, dict[str, Any]]:
    """Data under the declared ``sample`` namespace, to exercise extension handling."""
    return {EXTENSION_NAMESPACE: {"synthetic": True, "kind": kind, "ordinal": index + 1}}
