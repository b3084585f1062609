"""VR4xx: minors (age at the service date) and insurance for risky service.

Ages are computed from ``birth_date`` at the day of each service record, in the record's own
offset, because a volunteer can be 13 for one record and 14 for the next. Messages say "under
14", never the exact age or birth date. Thresholds and categories come from the profile
(domain.md §1f: PIPL art. 31 guardian consent under 14; 团中央 registration rules for 14-18;
Zhejiang/Shandong/Chongqing bans on emergency and fire service for minors).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from volunteer_standard.models import Project, Volunteer
from volunteer_standard.validation.rules.base import Emit, RecordRef, Rule, issue_type
from volunteer_standard.validation.rules.index import NO_DAY, DatasetIndex, ymd

MINORS_TYPES = (
    issue_type(
        "VR401",
        "minor-without-guardian-consent",
        "error",
        "minors",
        (
            "服务日志愿者未满 {expected} 周岁，但没有监护人同意的记录",
            "the volunteer was under {expected} at the service date and no guardian consent "
            "is recorded",
        ),
        (
            "在 volunteer.guardian.consent_on 或 consents（by_guardian）中记录监护人同意及日期。",
            "record the guardian's consent and its date in volunteer.guardian.consent_on or "
            "consents (by_guardian).",
        ),
        "个人信息保护法 art. 31 (under 14: guardian consent); 上海市志愿服务条例 art. 13",
    ),
    issue_type(
        "VR402",
        "minor-forbidden-category",
        "warning",
        "minors",
        (
            "服务日志愿者未满 {expected} 周岁，不应参加 {value} 类服务（规则配置禁止）",
            "the volunteer was under {expected} at the service date; the profile closes "
            "{value} service to minors",
        ),
        (
            "不得组织未成年人参加抢险救灾等可能发生人身危险的志愿服务；改派适合年龄的岗位。",
            "minors must not be assigned to emergency rescue or other dangerous service; "
            "assign an age-appropriate post.",
        ),
        "浙江省志愿服务条例 (2018); 山东省志愿服务条例 (2021); 重庆 (2015, 火灾扑救); "
        "慈善法 art. 67",
    ),
    issue_type(
        "VR403",
        "minor-without-consent",
        "warning",
        "minors",
        (
            "服务日志愿者为 {value}–{expected} 周岁的未成年人，没有法定监护人同意的记录",
            "the volunteer was a minor aged {value}-{expected} at the service date and no "
            "guardian consent is recorded",
        ),
        (
            "14–18 周岁参加志愿服务需经法定代理人同意；补充同意记录。",
            "volunteers aged 14-18 need their legal representative's consent; record it.",
        ),
        "中国注册志愿者管理办法 (团中央, rev. 2013/2014) art. 4",
    ),
    issue_type(
        "VR404",
        "child-without-guardian",
        "error",
        "minors",
        (
            "志愿者未满 {expected} 周岁，但没有监护人或监护人同意",
            "the volunteer is under {expected} and has no guardian or guardian consent",
        ),
        (
            "处理不满十四周岁未成年人个人信息须取得监护人同意：补充 guardian。",
            "processing a child's data needs a guardian's consent: add guardian.",
        ),
        "个人信息保护法 art. 28, 31",
    ),
    issue_type(
        "VR405",
        "below-project-min-age",
        "warning",
        "minors",
        (
            "服务日志愿者未达到项目 {value} 要求的最低年龄 {expected} 周岁",
            "the volunteer was younger than the minimum age {expected} of project {value}",
        ),
        (
            "岗位应与志愿者年龄相适应；核对项目年龄要求或记录。",
            "assignments must fit the volunteer's age; check the project's requirement.",
        ),
        "志愿服务条例 art. 15; 慈善法 art. 67; GB/T 40143-2021 §6.1",
    ),
    issue_type(
        "VR410",
        "insurance-missing",
        "error",
        "insurance",
        (
            "项目含有风险类服务（{value}），但保障中没有志愿者保险（{expected}）",
            "the project includes risky service ({value}) but its guarantees lack volunteer "
            "insurance ({expected})",
        ),
        (
            "开展可能危及人身安全的志愿服务前应为志愿者购买意外保险，并在 guarantees 中写明。",
            "buy accident insurance before service that may endanger volunteers and list it "
            "in guarantees.",
        ),
        "志愿服务条例 art. 17; 慈善法 art. 69; NVSI albx0019 (01 志愿者保险)",
    ),
)


def consent_window(volunteer: Volunteer) -> tuple[int | None, int | None]:
    """(first day, last day) of guardian consent as YYYYMMDD; (None, None) when there is none.

    A guardian without a consent date counts as consent of unknown date (from day 0): the
    record holds the guardian, and a false alarm costs more than a miss here.
    """
    starts: list[int] = []
    ends: list[int] = []
    open_ended = False
    guardian = volunteer.guardian
    if guardian is not None:
        starts.append(ymd(guardian.consent_on) if guardian.consent_on is not None else 0)
        open_ended = True
    for consent in volunteer.consents or ():
        if consent.by_guardian or consent.purpose == "minors_guardian":
            starts.append(ymd(consent.given_at.date()))
            if consent.withdrawn_at is None:
                open_ended = True
            else:
                ends.append(ymd(consent.withdrawn_at.date()))
    if not starts:
        return None, None
    return min(starts), None if open_ended else max(ends)


def age_on(birth: date, day: date) -> int:
    """Completed years; a 29 February birthday falls on 1 March in other years."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class ChildRegistrationRule(Rule):
    """A volunteer under the guardian-consent age today has a guardian or guardian consent."""

    issue_types = tuple(t for t in MINORS_TYPES if t.code == "VR404")
    entity_types = frozenset({"volunteer"})

    def check(self, obj: Volunteer, rec: RecordRef) -> None:
        birth = obj.birth_date
        if birth is None:
            return
        limit = self.ctx.profile.minors.guardian_consent_under
        if age_on(birth, self.ctx.today) < limit and consent_window(obj)[0] is None:
            rec.issue("VR404", "/guardian", {"expected": str(limit)})


class InsuranceRule(Rule):
    """Projects in risky categories list volunteer insurance among their guarantees."""

    issue_types = tuple(t for t in MINORS_TYPES if t.code == "VR410")
    entity_types = frozenset({"project"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        policy = ctx.profile.insurance
        self.risky = frozenset(policy.risky_categories)
        self.guarantee = policy.guarantee

    def active(self) -> bool:
        return bool(self.risky) and super().active()

    def check(self, obj: Project, rec: RecordRef) -> None:
        risky = self.risky.intersection(obj.service_categories)
        if risky and self.guarantee not in (obj.guarantees or ()):
            params = {"value": ", ".join(sorted(risky)), "expected": self.guarantee}
            rec.issue("VR410", "/guarantees", params)


_AGE = "((r.day / 10000 - v.birth / 10000) - ((r.day % 10000) < (v.birth % 10000)))"


class MinorsRule(Rule):
    """Consent and forbidden categories by age at each service date (cross-record)."""

    issue_types = tuple(t for t in MINORS_TYPES if t.code in ("VR401", "VR402", "VR403", "VR405"))
    needs = frozenset({"rec", "vol", "proj"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        policy = self.ctx.profile.minors
        adult, under = policy.adult_age, policy.guardian_consent_under
        if index.min_day != NO_DAY:
            # Born on or before this day: of age at every service date (ages are those at
            # each record's date, so the earliest date bounds them, not today's).
            cut = index.min_day - adult * 10000
            self._minors(index, emit, cut, adult, under, policy.consent_until_adult)
        if self.ctx.on("VR405") and index.min_day != NO_DAY:
            self._below_min_age(index, emit)

    @staticmethod
    def _below_min_age(index: DatasetIndex, emit: Emit) -> None:
        """VR405: younger than the project's minimum age at the service date. Volunteers
        of the highest minimum age at the earliest service date are of every project's
        minimum age at every date: only the others are visited, volunteers first."""
        (highest,) = index.db.execute("SELECT MAX(min_age) FROM proj").fetchone()
        if highest is None:
            return
        rows = index.query(
            f"SELECT r.seq, p.id, p.min_age FROM vol v CROSS JOIN rec r ON r.vol = v.id "
            f"JOIN proj p ON p.id = r.proj WHERE v.birth > ? AND p.min_age IS NOT NULL "
            f"AND r.status >= 1 AND {_AGE} < p.min_age ORDER BY r.seq",
            (index.min_day - int(highest) * 10000,),
        )
        for seq, project, min_age in rows:
            params = {"value": repr(project), "expected": str(min_age)}
            emit(index.issue("VR405", seq, "/volunteer_id", params))

    def _minors(
        self,
        index: DatasetIndex,
        emit: Emit,
        cut: int,
        adult: int,
        under: int,
        consent_until_adult: bool,
    ) -> None:
        # Volunteers first (CROSS JOIN keeps that order): the few minors, then their records
        # through rec_vol; left to itself, SQLite would visit every record.
        rows = index.query(
            f"""
            SELECT r.seq, {_AGE} AS age, r.day, v.cfrom, v.cto, r.ban, COALESCE(p.ban, 0)
            FROM vol v CROSS JOIN rec r ON r.vol = v.id LEFT JOIN proj p ON p.id = r.proj
            WHERE v.birth > ? AND r.status >= 1 AND {_AGE} < ?
            ORDER BY r.seq
            """,
            (cut, adult),
        )
        forbidden = ", ".join(self.ctx.profile.minors.forbidden_categories)
        for seq, age, day, cfrom, cto, ban, project_ban in rows:
            consented = cfrom is not None and cfrom <= day and (cto is None or day <= cto)
            if age < under:
                if not consented:
                    emit(index.issue("VR401", seq, "/volunteer_id", {"expected": str(under)}))
            elif consent_until_adult and not consented:
                params = {"value": str(under), "expected": str(adult)}
                emit(index.issue("VR403", seq, "/volunteer_id", params))
            if ban or project_ban:
                params = {"value": forbidden, "expected": str(adult)}
                path = "/service_category" if ban else "/project_id"
                emit(index.issue("VR402", seq, path, params))
