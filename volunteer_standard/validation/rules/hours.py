"""VR3xx: service hours and records — time order, one calendar day, limits, overlaps, periods.

The rules follow the national system's time-entry checks (domain.md §4e: start before end,
one calendar day, at least 1 minute and at most 24 hours, nothing in the future, hours equal
to the duration rounded to 2 decimals, inside the project's period, no overlap with effective
records) and the rule that hours are actual service time (办法 art. 4; domain.md §1c).
At most 2 decimals is enforced by the data model (VS115).
"""

from __future__ import annotations

from typing import Any

from volunteer_standard.models import ServiceRecord
from volunteer_standard.validation.rules.base import Emit, RecordRef, Rule, issue_type
from volunteer_standard.validation.rules.index import DatasetIndex, epoch

_NVSI = "NVSI 2.0 time entry (JoinedList.vue, TimeEntryChildDrawer.vue)"

HOURS_TYPES = (
    issue_type(
        "VR301",
        "start-not-before-end",
        "error",
        "hours",
        ("结束时间早于开始时间", "end is before start"),
        (
            "检查开始和结束时间是否填反，或日期是否有误。",
            "check whether start and end are swapped.",
        ),
        _NVSI,
    ),
    issue_type(
        "VR302",
        "record-spans-days",
        "error",
        "hours",
        (
            "一条服务记录跨越了日历日（按记录自身的时区）",
            "the record spans more than one calendar day",
        ),
        (
            "跨天的服务请按天拆成多条记录。",
            "split service that runs past midnight into one record per day.",
        ),
        _NVSI,
    ),
    issue_type(
        "VR303",
        "record-too-short",
        "error",
        "hours",
        ("服务时长不足 {expected} 分钟", "the record lasts less than {expected} minute(s)"),
        ("删除零时长记录，或改正开始和结束时间。", "remove zero-length records or fix the times."),
        _NVSI,
    ),
    issue_type(
        "VR304",
        "record-too-long",
        "error",
        "hours",
        ("一条记录的时长超过 {expected} 小时", "the record lasts more than {expected} hours"),
        ("按实际服务时间拆分记录。", "split it into records of the actual service time."),
        _NVSI,
    ),
    issue_type(
        "VR305",
        "record-in-future",
        "error",
        "hours",
        ("服务时间晚于当前时间", "the service ends in the future"),
        ("只能记录已经完成的服务。", "record service only after it has taken place."),
        _NVSI,
    ),
    issue_type(
        "VR306",
        "hours-exceed-duration",
        "error",
        "hours",
        (
            "服务时长 {value} 小时超过开始至结束的时间（{expected} 小时）",
            "hours {value} exceed the time from start to end ({expected} h)",
        ),
        (
            "服务时长是实际服务时间（不含往返途中），按 (结束-开始) 折算并保留两位小数。",
            "hours are actual service time (no travel): (end - start) rounded to 2 decimals.",
        ),
        _NVSI + "; 办法 (民政部令第67号) art. 4; 中国注册志愿者证 usage rules",
    ),
    issue_type(
        "VR307",
        "record-outside-project",
        "error",
        "hours",
        (
            "服务时间不在项目 {value} 的起止时间内",
            "the service lies outside the period of project {value}",
        ),
        (
            "核对记录时间或项目起止时间；补录的项目请使用补录项目（recruitment.scope 5）。",
            "check the record's or the project's dates; record past projects as backfilled.",
        ),
        _NVSI + " (start ≥ project start, ≤ project end)",
    ),
    issue_type(
        "VR308",
        "record-outside-activity",
        "warning",
        "hours",
        (
            "服务时间不在活动 {value} 的起止时间内",
            "the service lies outside the period of activity {value}",
        ),
        ("核对记录时间或活动（场次）时间。", "check the record's or the activity's times."),
        "GB/T 40143-2021 (project and activity); NVSI activity sessions",
    ),
    issue_type(
        "VR310",
        "overlapping-records",
        "error",
        "hours",
        (
            "与同一志愿者已生效的记录 {value}（第 {line} 行）时间重叠",
            "overlaps the same volunteer's effective record {value} (line {line})",
        ),
        (
            "同一时间只能记录一次服务：删除重复录入或改正时间。",
            "a volunteer can serve only once at a time: remove the double entry or fix the times.",
        ),
        _NVSI + " (录入时长与已生效的时长存在重复)",
    ),
)


class HoursRule(Rule):
    """Per-record time checks of service records (and start/end order of other entities)."""

    issue_types = tuple(t for t in HOURS_TYPES if t.code <= "VR306")
    entity_types = frozenset({"service_record", "activity", "project", "training_record"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        policy = ctx.profile.hours
        self.min_seconds = policy.min_minutes * 60
        self.max_seconds = int(policy.max_hours * 3600)
        self.tolerance = int(policy.tolerance * 3600)  # in seconds
        self.now_ts = epoch(ctx.now)
        self.min_minutes = str(policy.min_minutes)
        self.max_hours = f"{policy.max_hours.normalize():f}"

    def check(self, obj: Any, rec: RecordRef) -> None:
        if rec.kind != "service_record":
            if obj.end is not None and obj.end < obj.start:
                rec.issue("VR301", "/end")
            return
        # Epoch seconds and hours in cents were computed once by the engine.
        seconds = rec.end_ts - rec.start_ts
        if seconds < 0:
            rec.issue("VR301", "/end")
        else:
            if seconds < self.min_seconds:
                rec.issue("VR303", "/end", {"expected": self.min_minutes})
            if seconds > self.max_seconds:
                rec.issue("VR304", "/end", {"expected": self.max_hours})
            if not _same_day(obj, rec.raw):
                rec.issue("VR302", "/end")
            # hours (cents) * 36 = seconds; rounding to 2 decimals may add up to 36 s.
            if rec.hours_cents * 36 > seconds + self.tolerance:
                span = f"{seconds / 3600:.2f}"
                rec.issue("VR306", "/hours", {"value": str(obj.hours), "expected": span})
        if rec.end_ts > self.now_ts:
            rec.issue("VR305", "/end")


def _same_day(obj: ServiceRecord, raw: Any) -> bool:
    """Start and end on one calendar day, in the record's own offset.

    The ISO strings already carry the local date: when both end alike after the seconds (same
    offset, the usual case), comparing their first ten characters is exact and far cheaper
    than converting datetimes.
    """
    start, end = raw.get("start"), raw.get("end")
    if type(start) is str and type(end) is str and start[19:] == end[19:]:
        return start[:10] == end[:10]
    return bool(obj.start.date() == obj.end.astimezone(obj.start.tzinfo).date())


class ProjectPeriodRule(Rule):
    """A record lies inside its project's (and activity's) period; resolved after the load."""

    issue_types = tuple(t for t in HOURS_TYPES if t.code in ("VR307", "VR308"))
    needs = frozenset({"rec", "proj", "act"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        if self.ctx.on("VR307"):
            rows = index.query(
                "SELECT r.seq, r.proj FROM rec r JOIN proj p ON p.id = r.proj "
                "WHERE r.s < p.s OR (p.e IS NOT NULL AND r.e > p.e) ORDER BY r.seq"
            )
            for seq, project in rows:
                emit(index.issue("VR307", seq, "/start", {"value": repr(project)}))
        if self.ctx.on("VR308"):
            rows = index.query(
                "SELECT r.seq, r.act FROM rec r JOIN act a ON a.id = r.act "
                "WHERE r.s < a.s OR r.e > a.e ORDER BY r.seq"
            )
            for seq, activity in rows:
                emit(index.issue("VR308", seq, "/start", {"value": repr(activity)}))


#: Epoch seconds of the earliest and latest instants a datetime holds (years 1 to 9999,
#: offsets of less than a day): every end lies between, in ``_END_BITS`` bits.
_EARLIEST = (1 - 719163) * 86400 - 86400
_LATEST = (3652059 - 719163 + 1) * 86400 + 86400
_END_BITS = (_LATEST - _EARLIEST).bit_length()


class OverlapRule(Rule):
    """No two effective records of one volunteer overlap, wherever they sit in the input.

    One sorted pass per volunteer: a running maximum of the end times of the earlier records
    (``MAX(...) OVER`` a window) finds every record that starts before an earlier one ended,
    even when the earlier one is not its direct predecessor. The maximum packs (end, seq) into
    one integer (ends relative to the earliest) so that the conflicting record can be named.
    Exact duplicates (same start and end) are left to VR605 when that rule is on.
    """

    issue_types = tuple(t for t in HOURS_TYPES if t.code == "VR310")
    needs = frozenset({"rec"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        (last,) = index.db.execute("SELECT MAX(seq) FROM rec").fetchone()
        if last is None:
            return
        # Ends are packed relative to the earliest possible one (no scan for the earliest
        # actual one), which leaves room for 23 bits of seq; beyond, relative to the earliest.
        bits = int(last).bit_length()
        low = _EARLIEST
        if _END_BITS + bits > 62:
            low, high = index.db.execute(
                "SELECT MIN(e), MAX(e) FROM rec WHERE status = 2"
            ).fetchone()
            if low is None:
                return
            if (int(high) - int(low)).bit_length() + bits > 62:
                raise OverflowError("too many records to pack (end, seq) into 63 bits")
        mask = (1 << bits) - 1
        skip_duplicates = self.ctx.on("VR605")
        rows = index.query(
            f"""
            SELECT seq, s, e, prev & {mask} AS prev_seq FROM (
                SELECT seq, s, e, MAX(((e - ?) << {bits}) | seq) OVER (
                    PARTITION BY vol ORDER BY s, e, seq
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                ) AS prev
                FROM rec WHERE status = 2
            ) WHERE prev IS NOT NULL AND (prev >> {bits}) + ? > s
            ORDER BY seq
            """,
            (low, low),
        )
        for seq, start, end, prev_seq in rows:
            if skip_duplicates:
                other = index.db.execute(
                    "SELECT s, e FROM rec WHERE seq = ?", (prev_seq,)
                ).fetchone()
                if other is not None and tuple(other) == (start, end):
                    continue
            _kind, rid, location = index.locate(prev_seq)
            line = str(location.line) if location.line is not None else "?"
            where = index.named_line(prev_seq, line, seq)
            emit(index.issue("VR310", seq, "/start", {"value": repr(rid), "line": where}))
