"""What to generate (`SampleSpec`) and the fixed points every part of the sample keeps to.

Why fixed: the output must not depend on the day it is generated, so the clock, the service
window and the publisher are constants, and the seed alone decides everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

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
#: Emergency rescue and fire safety: minors never serve on them, projects insure for them.
RISKY_CATEGORIES = frozenset({"0012", "0013"})

DAY_OPEN = 6 * 60  # records and sessions run between 06:00 and 22:00
DAY_CLOSE = 22 * 60
MIN_MINUTES = 30
MAX_MINUTES = 8 * 60
MINOR_MAX_MINUTES = 4 * 60  # minors serve at most 4 hours, between 08:00 and 18:00
GRID = 5  # times on a 5-minute grid: hours such as 0.42 exercise the rounding rule
#: A volunteer's records fit in 06:00-22:00 at 30 minutes each, every day of the window.
MAX_RECORDS_PER_VOLUNTEER = (DAY_CLOSE - DAY_OPEN) // MIN_MINUTES * WINDOW_DAYS
#: A certificate covers at most this many records (plus the rest of the cut-off day).
CERT_RECORDS = 40


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
