"""VR5xx: certificates (谁记录谁证明) and star levels.

A certificate is issued free of charge and truthfully *from the record* (条例 art. 19), only by
the organisation that recorded the service (办法, MCA: "谁组织谁记录，谁记录谁证明"), with
the hours of each project line (民发〔2015〕149号). Revoked certificates are not counted:
their lines are not checked against records and their totals are history. Star levels are a
regional policy (domain.md §3): thresholds come from the profile.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from volunteer_standard.models import Certificate, Period
from volunteer_standard.validation.rules.base import Emit, RecordRef, Rule, issue_type
from volunteer_standard.validation.rules.index import DatasetIndex

_GUIDE = "民发〔2015〕149号 关于规范志愿服务记录证明工作的指导意见"
_WHO = "志愿服务记录与证明出具办法（试行）(民政部令第67号): 谁记录谁证明"

CERTIFICATE_TYPES = (
    issue_type(
        "VR501",
        "certificate-total-mismatch",
        "error",
        "certificates",
        (
            "累计服务时长 {value} 不等于各行时长之和 {expected}",
            "total_hours {value} differs from the sum of the lines {expected}",
        ),
        ("累计时长必须等于各项目行时长之和。", "the total must equal the sum of the lines' hours."),
        _GUIDE,
    ),
    issue_type(
        "VR502",
        "certificate-period-not-covering",
        "error",
        "certificates",
        (
            "证明期间没有覆盖第 {value} 行的服务期间",
            "the certificate period does not cover line {value}",
        ),
        ("调整证明期间，使其包含所有行的服务期间。", "widen the period to include every line."),
        _GUIDE,
    ),
    issue_type(
        "VR503",
        "certificate-foreign-record",
        "error",
        "certificates",
        (
            "服务记录 {value} 不是出具组织记录的（谁记录谁证明）",
            "service record {value} was not recorded by the issuing organisation (谁记录谁证明)",
        ),
        (
            "只能证明本组织记录的服务；其他组织的服务由其自行出具证明。",
            "an organisation certifies only the service it recorded; others certify theirs.",
        ),
        _WHO,
    ),
    issue_type(
        "VR504",
        "certificate-record-other-volunteer",
        "error",
        "certificates",
        (
            "服务记录 {value} 属于其他志愿者",
            "service record {value} belongs to another volunteer",
        ),
        ("从证明中删除不属于持证志愿者的记录。", "remove records of other volunteers."),
        _WHO,
    ),
    issue_type(
        "VR505",
        "certificate-line-hours-mismatch",
        "error",
        "certificates",
        (
            "第 {line} 行时长 {value} 与所列服务记录之和 {expected} 不符",
            "line {line}: hours {value} differ from the sum of its service records {expected}",
        ),
        ("证明必须依据记录出具：按记录重新计算。", "certificates follow the record: recompute."),
        "志愿服务条例 art. 19; " + _GUIDE,
    ),
    issue_type(
        "VR506",
        "certificate-record-not-effective",
        "error",
        "certificates",
        (
            "服务记录 {value} 尚未生效（或已拒绝、删除），不能用于证明",
            "service record {value} is not effective (pending, rejected or deleted) and "
            "cannot be certified",
        ),
        ("只证明已生效的记录。", "certify effective records only."),
        "NVSI albx0174 (2 已生效); " + _WHO,
    ),
    issue_type(
        "VR507",
        "certificate-record-outside-line",
        "error",
        "certificates",
        (
            "服务记录 {value} 的日期不在第 {line} 行的服务期间内",
            "service record {value} is outside the period of line {line}",
        ),
        ("核对行的服务期间或所列记录。", "check the line's period or the records it lists."),
        _GUIDE,
    ),
    issue_type(
        "VR508",
        "certificate-holder-mismatch",
        "error",
        "certificates",
        (
            "持证人的志愿者编号与志愿者 {value} 的编号不一致",
            "the holder's volunteer_no differs from that of volunteer {value}",
        ),
        ("核对持证人信息。", "check the holder block."),
        _GUIDE + " (志愿者编号)",
    ),
    issue_type(
        "VR509",
        "certificate-revoked-at-on-issued",
        "error",
        "certificates",
        ("证明状态为已出具，却有撤销时间", "the certificate is 'issued' but has revoked_at"),
        ("已撤销的证明状态应为 revoked。", "a revoked certificate has status 'revoked'."),
        _GUIDE,
    ),
    issue_type(
        "VR510",
        "certificate-revoked-without-time",
        "warning",
        "certificates",
        ("证明已撤销，但没有撤销时间", "the certificate is revoked but has no revoked_at"),
        ("补充撤销时间，便于核验。", "add revoked_at so that verifiers can tell when."),
        _GUIDE,
    ),
    issue_type(
        "VR511",
        "certificate-issued-in-future",
        "error",
        "certificates",
        ("出具日期晚于今天", "issued_on is in the future"),
        ("改正出具日期。", "correct the date of issue."),
        _GUIDE,
    ),
    issue_type(
        "VR512",
        "certificate-issued-before-service",
        "error",
        "certificates",
        (
            "出具日期早于所证明服务的结束日期",
            "the certificate was issued before the service it certifies ended",
        ),
        ("只能证明已经完成的服务。", "certify only service that has taken place."),
        "志愿服务条例 art. 19; " + _GUIDE,
    ),
)

STAR_TYPES = (
    issue_type(
        "VR520",
        "star-level-too-high",
        "warning",
        "stars",
        (
            "星级 {value} 需要 {expected} 小时有效信用时长，数据中只有 {actual} 小时",
            "star level {value} needs {expected} effective credit hours; the data hold {actual}",
        ),
        (
            "按规则配置的星级标准核对星级；若数据只包含部分记录，可忽略本规则。",
            "check the level against the profile's thresholds; ignore this rule when the "
            "data hold only part of the volunteer's records.",
        ),
        "星级认定 (团中央 / regional schemes); NVSI albp0026",
    ),
    issue_type(
        "VR521",
        "star-level-below-earned",
        "info",
        "stars",
        (
            "有效信用时长 {actual} 小时已达到 {expected} 星，但记录的星级为 {value}",
            "{actual} effective credit hours qualify for {expected} star(s); the recorded "
            "level is {value}",
        ),
        (
            "星级通常需本人申请并公示，未申请时可忽略。",
            "stars are usually applied for and publicised; ignore if not yet applied for.",
        ),
        "星级认定 (Guangdong: stars applied for in order)",
    ),
)


def _hours(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _revocation_code(obj: Certificate) -> str | None:
    """VR510 for a revoked certificate without revoked_at, VR509 for an issued one with it."""
    revoked = obj.status == "revoked"
    if revoked and obj.revoked_at is None:
        return "VR510"
    if not revoked and obj.revoked_at is not None:
        return "VR509"
    return None


def _before(earlier: date | None, later: date | None) -> bool:
    """``earlier < later`` when both are known: an open end is never out of bounds."""
    return earlier is not None and later is not None and earlier < later


def _outside(period: Period | None, line_period: Period | None) -> bool:
    """Whether a line's period starts before or ends after the certificate's."""
    if period is None or line_period is None:
        return False
    return _before(line_period.start, period.start) or _before(period.end, line_period.end)


def _last_service_day(obj: Certificate) -> date | None:
    """The latest end date among the certificate's period and its lines' periods."""
    periods = [obj.period, *(line.period for line in obj.lines)]
    ends = [p.end for p in periods if p is not None and p.end is not None]
    return max(ends, default=None)


class CertificateRule(Rule):
    """Per-certificate checks: total, period, dates and revocation."""

    issue_types = tuple(
        t
        for t in CERTIFICATE_TYPES
        if t.code in ("VR501", "VR502", "VR509", "VR510", "VR511", "VR512")
    )
    entity_types = frozenset({"certificate"})

    def check(self, obj: Certificate, rec: RecordRef) -> None:
        code = _revocation_code(obj)
        if code is not None:
            rec.issue(code, "/revoked_at")
        if obj.issued_on > self.ctx.today:
            rec.issue("VR511", "/issued_on")
        if obj.status == "revoked":
            return  # history: its lines and totals are not checked again
        total = sum((line.hours for line in obj.lines), Decimal(0))
        if total != obj.total_hours:
            rec.issue(
                "VR501", "/total_hours", {"value": str(obj.total_hours), "expected": str(total)}
            )
        for i, line in enumerate(obj.lines):
            if _outside(obj.period, line.period):
                rec.issue("VR502", f"/lines/{i}/period", {"value": str(i + 1)})
        last = _last_service_day(obj)
        if last is not None and obj.issued_on < last:
            rec.issue("VR512", "/issued_on")


class CertificateRecordsRule(Rule):
    """Lines agree with the records they list, and the holder with the volunteer."""

    issue_types = tuple(
        t
        for t in CERTIFICATE_TYPES
        if t.code in ("VR503", "VR504", "VR505", "VR506", "VR507", "VR508")
    )
    needs = frozenset({"rec", "cline", "chours", "chold", "vol"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        on = self.ctx.on
        rows = index.query(
            """
            SELECT c.seq, c.li, c.k, c.rid, r.org != c.org, c.vol IS NOT NULL AND r.vol != c.vol,
                   r.status != 2,
                   (c.ps IS NOT NULL AND r.day < c.ps) OR (c.pe IS NOT NULL AND r.day > c.pe)
            FROM cline c JOIN rec r ON r.id = c.rid
            ORDER BY c.seq, c.li, c.k
            """
        )
        for seq, li, k, rid, foreign, other, pending, outside in rows:
            path = f"/lines/{li}/service_record_ids/{k}"
            value = {"value": repr(rid)}
            if foreign and on("VR503"):
                emit(index.issue("VR503", seq, path, value))
            if other and on("VR504"):
                emit(index.issue("VR504", seq, path, value))
            if pending and on("VR506"):
                emit(index.issue("VR506", seq, path, value))
            if outside and on("VR507"):
                emit(index.issue("VR507", seq, path, {**value, "line": str(li + 1)}))
        if on("VR505"):
            rows = index.query(
                """
                SELECT h.seq, h.li, h.hours, h.n, COUNT(r.seq), COALESCE(SUM(r.hours), 0)
                FROM chours h JOIN cline c ON c.seq = h.seq AND c.li = h.li
                LEFT JOIN rec r ON r.id = c.rid
                GROUP BY h.seq, h.li ORDER BY h.seq, h.li
                """
            )
            for seq, li, hours, n, found, total in rows:
                if found == n and total != hours:
                    params = {
                        "line": str(li + 1),
                        "value": _hours(hours),
                        "expected": _hours(total),
                    }
                    emit(index.issue("VR505", seq, f"/lines/{li}/hours", params))
        if on("VR508"):
            rows = index.query(
                "SELECT DISTINCT c.seq, c.vol FROM chold c JOIN vol v ON v.id = c.vol "
                "WHERE v.vno != c.vno ORDER BY c.seq"
            )
            for seq, volunteer in rows:
                emit(
                    index.issue("VR508", seq, "/volunteer/volunteer_no", {"value": repr(volunteer)})
                )


class StarRule(Rule):
    """Recorded star levels agree with effective credit hours under the profile's thresholds."""

    issue_types = STAR_TYPES
    needs = frozenset({"rec", "vol"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        thresholds = [int(t * 100) for t in self.ctx.profile.stars.thresholds]
        rows = index.query(
            """
            SELECT v.seq, v.star, COALESCE(t.total, 0) FROM vol v
            LEFT JOIN (SELECT vol, SUM(credit) AS total FROM rec WHERE status = 2 GROUP BY vol) t
                ON t.vol = v.id
            WHERE v.star IS NOT NULL OR t.total >= ?
            ORDER BY v.seq
            """,
            (thresholds[0],),
        )
        for seq, star, total in rows:
            earned = sum(1 for t in thresholds if total >= t)
            declared = star or 0
            if declared > earned and self.ctx.on("VR520"):
                params = {
                    "value": str(declared),
                    "expected": _hours(thresholds[declared - 1]),
                    "actual": _hours(total),
                }
                emit(index.issue("VR520", seq, "/star_level", params))
            elif declared < earned and self.ctx.on("VR521"):
                params = {
                    "value": str(star or "-"),
                    "expected": str(earned),
                    "actual": _hours(total),
                }
                emit(index.issue("VR521", seq, "/star_level", params))


def star_level(credit_hours: Decimal, thresholds: Any) -> int:
    """The star level (0-5) that ``credit_hours`` earn under ``thresholds``."""
    return sum(1 for t in thresholds if credit_hours >= t)
