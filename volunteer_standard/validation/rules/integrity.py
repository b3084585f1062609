"""VR6xx: references resolve, nothing is duplicated, and the profile's required fields exist.

References may point forward in the file, so they are resolved in ``finish()`` against the
index of every record read. A record that failed structural checks still exists: references
to it resolve (its own problems are reported once, not again for each reference).
Duplicates are found among structurally valid records only, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from volunteer_standard.privacy import scrub_text
from volunteer_standard.validation.rules.base import Emit, RecordRef, Rule, issue_type
from volunteer_standard.validation.rules.index import KIND_NO, KINDS, DatasetIndex

INTEGRITY_TYPES = (
    issue_type(
        "VR601",
        "reference-unresolved",
        "error",
        "integrity",
        (
            "{field} 引用的{expected} {value} 不在数据集中",
            "{field} refers to {expected} {value}, which is not in the dataset",
        ),
        (
            "补充被引用的记录，或改正编号；只导出部分数据时，请一并导出被引用的对象。",
            "add the referenced record or fix the id; partial exports must include what "
            "they reference.",
        ),
        "志愿服务条例 art. 19 (records 互联互通)",
    ),
    issue_type(
        "VR602",
        "duplicate-id",
        "error",
        "integrity",
        (
            "编号 {value} 与第 {line} 行的同类记录重复",
            "id {value} repeats the id of the same-type record at line {line}",
        ),
        (
            "每类对象的编号在数据集中必须唯一；合并重复记录或重新编号。",
            "ids are unique per type in a dataset; merge the duplicates or renumber.",
        ),
        "volunteer-standard data model (Entity.id)",
    ),
    issue_type(
        "VR603",
        "duplicate-id-number",
        "error",
        "integrity",
        (
            "证件号码与志愿者 {value}（第 {line} 行）相同",
            "the identity number equals that of volunteer {value} (line {line})",
        ),
        (
            "同一证件号码只能注册一次：合并重复的志愿者。",
            "an identity number registers once: merge the duplicate volunteers.",
        ),
        "NVSI uniqueness (使用该证件号码的志愿者已经注册过)",
    ),
    issue_type(
        "VR604",
        "duplicate-volunteer-no",
        "error",
        "integrity",
        (
            "志愿者编号与志愿者 {value}（第 {line} 行）相同",
            "volunteer_no equals that of volunteer {value} (line {line})",
        ),
        ("志愿者编号是唯一的公开标识。", "volunteer_no is the unique public key of a volunteer."),
        "MZ/T 061-2015 志愿者统一编号",
    ),
    issue_type(
        "VR605",
        "duplicate-service-record",
        "error",
        "integrity",
        (
            "与服务记录 {value}（第 {line} 行）的志愿者、开始和结束时间完全相同",
            "same volunteer, start and end as service record {value} (line {line})",
        ),
        ("删除重复录入的记录。", "remove the double entry."),
        "NVSI time entry (重复录入)",
    ),
    issue_type(
        "VR610",
        "required-by-profile",
        "warning",
        "integrity",
        ("规则配置 {value} 要求填写 {field}", "the profile {value} requires {field}"),
        (
            "补充该字段；各地规则配置可以要求标准之外的必填项。",
            "add the field; profiles may require fields the schema leaves optional.",
        ),
        "rule profile (慈善法 art. 66 real-name registration; 志愿服务条例 art. 7; "
        "民发〔2015〕149号 issuer block)",
    ),
)

_LABELS = {
    "organization": "organization",
    "volunteer": "volunteer",
    "project": "project",
    "activity": "activity",
    "service_record": "service record",
    "station": "station",
}
_LABELS_ZH = {
    "organization": "组织",
    "volunteer": "志愿者",
    "project": "项目",
    "activity": "活动",
    "service_record": "服务记录",
    "station": "站点",
}

#: Columns of the ``rec`` table that reference other records.
REC_REFERENCES = (
    ("vol", "/volunteer_id", "volunteer"),
    ("org", "/organization_id", "organization"),
    ("proj", "/project_id", "project"),
    ("act", "/activity_id", "activity"),
)
#: Award subject_type → the entity type its subject_id names.
AWARD_SUBJECTS = {"1": "organization", "2": "project", "3": "volunteer"}


#: A reference found in a record: (JSON pointer, target entity type, target id).
Reference = tuple[str, str, str]


def _each(path: str, target: str, ids: Iterable[str] | None) -> list[Reference]:
    """One reference per element of an optional list of ids, pointing at its index."""
    return [(f"{path}/{i}", target, rid) for i, rid in enumerate(ids or ())]


def _present(*refs: tuple[str, str, str | None]) -> list[Reference]:
    """The optional references whose id is filled in."""
    return [(path, target, rid) for path, target, rid in refs if rid is not None]


def _volunteer_references(obj: Any) -> list[Reference]:
    return _each("/organization_ids", "organization", obj.organization_ids)


def _organization_references(obj: Any) -> list[Reference]:
    return _present(("/parent_id", "organization", obj.parent_id))


def _project_references(obj: Any) -> list[Reference]:
    return [("/organization_id", "organization", obj.organization_id)]


def _activity_references(obj: Any) -> list[Reference]:
    return [("/project_id", "project", obj.project_id)]


def _training_references(obj: Any) -> list[Reference]:
    return [
        ("/volunteer_id", "volunteer", obj.volunteer_id),
        *_present(("/organization_id", "organization", obj.organization_id)),
    ]


def _award_references(obj: Any) -> list[Reference]:
    """An award's subject is an organisation, project or volunteer, as its subject_type says."""
    target = AWARD_SUBJECTS.get(obj.subject_type)
    return [] if target is None else [("/subject_id", target, obj.subject_id)]


def _evaluation_references(obj: Any) -> list[Reference]:
    return [
        ("/volunteer_id", "volunteer", obj.volunteer_id),
        *_present(
            ("/organization_id", "organization", obj.organization_id),
            ("/project_id", "project", obj.project_id),
            ("/service_record_id", "service_record", obj.service_record_id),
        ),
    ]


def _certificate_references(obj: Any) -> list[Reference]:
    """The holder, the issuer, and each line's project and service records."""
    out = _present(("/volunteer/volunteer_id", "volunteer", obj.volunteer.volunteer_id))
    out.append(("/issuer/organization_id", "organization", obj.issuer.organization_id))
    for i, line in enumerate(obj.lines):
        out += _present((f"/lines/{i}/project_id", "project", line.project_id))
        out += _each(f"/lines/{i}/service_record_ids", "service_record", line.service_record_ids)
    return out


def _station_references(obj: Any) -> list[Reference]:
    return _present(("/organization_id", "organization", obj.organization_id))


def _demand_references(obj: Any) -> list[Reference]:
    return [
        *_each("/matched_project_ids", "project", obj.matched_project_ids),
        *_present(("/station_id", "station", obj.station_id)),
    ]


#: How to find the references of each entity type; service records have their own columns
#: (REC_REFERENCES), and a type missing here references nothing.
_REFERENCES_OF: dict[str, Callable[[Any], list[Reference]]] = {
    "volunteer": _volunteer_references,
    "project": _project_references,
    "activity": _activity_references,
    "organization": _organization_references,
    "training_record": _training_references,
    "award": _award_references,
    "evaluation": _evaluation_references,
    "certificate": _certificate_references,
    "station": _station_references,
    "demand": _demand_references,
}


def references(kind: str, obj: Any) -> list[Reference]:
    """(pointer, target type, id) of every reference of a record other than service records."""
    extract = _REFERENCES_OF.get(kind)
    return [] if extract is None else extract(obj)


_SERVICE_RECORD = KIND_NO["service_record"]


def _unresolved(kind: str, column: str, with_bad: bool, with_records: bool) -> str:
    """SQL: no record of type ``kind`` with id ``column`` exists.

    Valid records are in "ent" (service records in "rec"); structurally broken ones in "bad",
    which is usually empty, so its probe is left out when it is.
    """
    sql = f"NOT EXISTS (SELECT 1 FROM ent e WHERE e.kind = {kind} AND e.id = {column})"
    if with_bad:
        sql += f" AND NOT EXISTS (SELECT 1 FROM bad b WHERE b.kind = {kind} AND b.id = {column})"
    if with_records:
        sql += (
            f" AND NOT ({kind} = {_SERVICE_RECORD} AND EXISTS "
            f"(SELECT 1 FROM rec r2 WHERE r2.id = {column}))"
        )
    return sql


def _missing(kind: int, column: str, with_bad: bool) -> str:
    """SQL: ``column`` (not NULL) is the id of no record of type ``kind``, valid or broken.

    For a type known in advance, ``NOT IN`` a subquery: SQLite makes a transient index of
    the type's ids once and probes it per row, cheaper than a correlated ``NOT EXISTS``.
    """
    sql = f"{column} NOT IN (SELECT id FROM ent WHERE kind = {kind})"
    if with_bad:
        sql += f" AND {column} NOT IN (SELECT id FROM bad WHERE kind = {kind})"
    return sql


def _ref_params(path: str, target: str, rid: str) -> dict[str, str]:
    return {
        "field": path,
        "value": repr(rid),
        "expected": _LABELS.get(target, target),
        "expected_zh": _LABELS_ZH.get(target, target),
    }


class ReferenceRule(Rule):
    """Every ``*_id`` reference resolves to a record of the right type in the dataset."""

    issue_types = tuple(t for t in INTEGRITY_TYPES if t.code == "VR601")
    needs = frozenset({"ref", "rec"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        bad = index.db.execute("SELECT 1 FROM bad LIMIT 1").fetchone() is not None
        # One pass over the service records, testing their four references together.
        tests = [
            f"(r.{column} IS NOT NULL AND {_missing(KIND_NO[target], 'r.' + column, bad)})"
            for column, _path, target in REC_REFERENCES
        ]
        columns = ", ".join(f"r.{column}" for column, _p, _t in REC_REFERENCES)
        rows = index.query(
            f"SELECT r.seq, {columns}, {', '.join(tests)} FROM rec r "
            f"WHERE {' OR '.join(tests)} ORDER BY r.seq"
        )
        n = len(REC_REFERENCES)
        for row in rows:
            seq, ids, missing = row[0], row[1 : 1 + n], row[1 + n :]
            for (_column, path, target), rid, gone in zip(
                REC_REFERENCES, ids, missing, strict=True
            ):
                if gone:
                    emit(index.issue("VR601", seq, path, _ref_params(path, target, rid)))
        rows = index.query(
            "SELECT f.seq, f.path, f.kind, f.id FROM ref f WHERE "
            f"{_unresolved('f.kind', 'f.id', bad, index.has('rec'))} ORDER BY f.seq"
        )
        for seq, path, kind_no, rid in rows:
            emit(index.issue("VR601", seq, path, _ref_params(path, KINDS[kind_no], rid)))


class DuplicateRule(Rule):
    """Duplicate ids, identity numbers (compared as salted hashes), volunteer numbers, records."""

    issue_types = tuple(
        t for t in INTEGRITY_TYPES if t.code in ("VR602", "VR603", "VR604", "VR605")
    )
    needs = frozenset({"vol", "rec"})

    def finish(self, index: DatasetIndex, emit: Emit) -> None:
        """Two phases: find the (usually few) duplicate groups with a covering index scan,
        then fetch each group's later members through the index; never a full join."""
        on = self.ctx.on
        if on("VR602"):
            groups = index.query(
                "SELECT kind, id, MIN(seq) FROM ent GROUP BY kind, id HAVING COUNT(*) > 1"
            )
            for kind, rid, first in groups:
                later = index.query(
                    "SELECT seq FROM ent WHERE kind = ? AND id = ? AND seq > ? ORDER BY seq",
                    (kind, rid, first),
                )
                self._report(index, emit, "VR602", "/id", rid, first, later)
            groups = index.query("SELECT id, MIN(seq) FROM rec GROUP BY id HAVING COUNT(*) > 1")
            for rid, first in groups:
                later = index.query(
                    "SELECT seq FROM rec WHERE id = ? AND seq > ? ORDER BY seq", (rid, first)
                )
                self._report(index, emit, "VR602", "/id", rid, first, later)
        for code, column, path, order in (
            ("VR603", "idh", "/id_document/number", " ORDER BY MIN(seq)"),
            ("VR604", "vno", "/volunteer_no", ""),
        ):
            if not on(code):
                continue
            # Groups in the order of their first record: the hashes of ID numbers change
            # with each run's salt, and the issues must not.
            groups = index.query(
                f"SELECT {column}, MIN(seq) FROM vol WHERE {column} IS NOT NULL "
                f"GROUP BY {column} HAVING COUNT(*) > 1{order}"
            )
            for key, first in groups:
                (first_id,) = index.db.execute(
                    "SELECT id FROM vol WHERE seq = ?", (first,)
                ).fetchone()
                later = index.query(
                    f"SELECT seq FROM vol WHERE {column} = ? AND seq > ? AND id != ? ORDER BY seq",
                    (key, first, first_id),
                )
                self._report(index, emit, code, path, first_id, first, later)
        if on("VR605"):
            groups = index.query(
                "SELECT vol, s, e, MIN(seq) FROM rec WHERE status >= 1 "
                "GROUP BY vol, s, e HAVING COUNT(*) > 1"
            )
            for vol, start, end, first in groups:
                (first_id,) = index.db.execute(
                    "SELECT id FROM rec WHERE seq = ?", (first,)
                ).fetchone()
                later = index.query(
                    "SELECT seq FROM rec WHERE vol = ? AND s = ? AND e = ? AND status >= 1 "
                    "AND seq > ? AND id != ? ORDER BY seq",
                    (vol, start, end, first, first_id),
                )
                self._report(index, emit, "VR605", "/start", first_id, first, later)

    @staticmethod
    def _report(
        index: DatasetIndex,
        emit: Emit,
        code: str,
        path: str,
        first_id: str,
        first: int,
        later: Any,
    ) -> None:
        _kind, _rid, location = index.locate(first)
        line = str(location.line) if location.line is not None else "?"
        shown = scrub_text(first_id)  # a record id that is an ID number is never printed whole
        for (seq,) in later:
            where = index.named_line(first, line, seq)
            emit(index.issue(code, seq, path, {"value": repr(shown), "line": where}))


class RequiredFieldsRule(Rule):
    """Fields the profile requires beyond the schema (dotted paths, e.g. issuer.handler)."""

    issue_types = tuple(t for t in INTEGRITY_TYPES if t.code == "VR610")

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.required = {
            kind: tuple((tuple(p.split(".")), "/" + p.replace(".", "/")) for p in paths)
            for kind, paths in ctx.profile.required.items()
            if paths
        }
        self.profile_name = ctx.profile.name

    def kinds(self) -> frozenset[str]:
        return frozenset(self.required)

    def active(self) -> bool:
        return bool(self.required) and super().active()

    def check(self, obj: Any, rec: RecordRef) -> None:
        for parts, pointer in self.required.get(rec.kind, ()):
            value = obj
            for part in parts:
                value = getattr(value, part, None)
                if value is None:
                    break
            if value is None or value == [] or value == "":
                rec.issue("VR610", pointer, {"field": pointer, "value": self.profile_name})
