"""Builders for small, consistent datasets used by the rule tests.

``dataset()`` returns records that pass every rule of the national profile; each test edits
one thing and checks that exactly the intended code appears. Identity numbers are built with
the independent check-character implementation in ``tests/identifiers/_id_expected.py``; the
GB 11643-1999 worked example 11010519491231002X (born 1949-12-31, female) is the adult's.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tests.identifiers._id_expected import ric, uscc
from volunteer_standard import validate
from volunteer_standard.validation import Issue, Report

#: The example number printed in GB 11643-1999 (address 110105, born 1949-12-31, female).
GB11643_EXAMPLE = "11010519491231002X"
#: A valid civil-affairs (51 = 社会团体) credit code in 110105, built with both check characters.
USCC_51 = uscc("51110105", "MA01234A")
USCC_52 = uscc("52110105", "MA01235B")
TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=8)))


def rid(region: str, birth: str, seq: str = "123") -> str:
    """A valid 18-character number for a region code, YYYYMMDD and 3-digit sequence."""
    return ric(region + birth + seq)


def at(day: str, hhmm: str, offset: str = "+08:00") -> str:
    return f"{day}T{hhmm}:00{offset}"


def dataset() -> dict[str, dict[str, Any]]:
    """One record of each kind that matters, consistent under the national profile."""
    return copy.deepcopy(
        {
            "org": {
                "type": "organization",
                "id": "org-1",
                "name": "示例区志愿者协会（示例）",
                "team_type": "2",
                "uscc": USCC_51,
                "address": {"region_code": "110105", "postcode": "100020"},
            },
            "org2": {
                "type": "organization",
                "id": "org-2",
                "name": "示例区志愿服务中心（示例）",
                "team_type": "2",
                "uscc": USCC_52,
            },
            "vol": {
                "type": "volunteer",
                "id": "vol-1",
                "volunteer_no": "V1100002201000004V",
                "name": "测试甲",
                "id_document": {"type": "01", "number": GB11643_EXAMPLE},
                "gender": "2",
                "birth_date": "1949-12-31",
                "phone": "13800138000",
                "organization_ids": ["org-1"],
            },
            "prj": {
                "type": "project",
                "id": "prj-1",
                "title": "社区助老",
                "organization_id": "org-1",
                "service_categories": ["0001"],
                "start": at("2024-03-01", "08:00"),
                "end": at("2024-12-31", "22:00"),
            },
            "act": {
                "type": "activity",
                "id": "act-1",
                "project_id": "prj-1",
                "title": "第一场",
                "start": at("2024-03-05", "08:00"),
                "end": at("2024-03-05", "18:00"),
            },
            "rec": {
                "type": "service_record",
                "id": "rec-1",
                "volunteer_id": "vol-1",
                "organization_id": "org-1",
                "project_id": "prj-1",
                "activity_id": "act-1",
                "start": at("2024-03-05", "09:00"),
                "end": at("2024-03-05", "11:30"),
                "hours": "2.50",
                "hours_type": "1",
                "status": "effective",
            },
            "cert": {
                "type": "certificate",
                "id": "crt-1",
                "certificate_no": "ZM2024-0001",
                "volunteer": {
                    "volunteer_id": "vol-1",
                    "volunteer_no": "V1100002201000004V",
                    "name": "测试甲",
                },
                "issuer": {
                    "organization_id": "org-1",
                    "name": "示例区志愿者协会（示例）",
                    "responsible_person": "负责人",
                    "handler": "经办人",
                },
                "lines": [
                    {
                        "project_id": "prj-1",
                        "project_title": "社区助老",
                        "period": {"start": "2024-03-05", "end": "2024-03-05"},
                        "hours": "2.50",
                        "service_record_ids": ["rec-1"],
                    }
                ],
                "total_hours": "2.50",
                "period": {"start": "2024-03-01", "end": "2024-03-31"},
                "issued_on": "2024-04-01",
                "status": "issued",
            },
        }
    )


def record(rec_id: str, start: str, end: str, hours: str, **extra: Any) -> dict[str, Any]:
    """A service record of vol-1 for org-1 on prj-1 (edit with ``extra``)."""
    base = {
        "type": "service_record",
        "id": rec_id,
        "volunteer_id": "vol-1",
        "organization_id": "org-1",
        "project_id": "prj-1",
        "start": start,
        "end": end,
        "hours": hours,
        "hours_type": "1",
        "status": "effective",
    }
    base.update(extra)
    return base


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def run(
    tmp_path: Path,
    records: list[dict[str, Any]],
    name: str = "in.jsonl",
    **kwargs: Any,
) -> tuple[Report, list[Issue]]:
    """Validate ``records`` as JSON Lines with the test clock; returns the report and issues."""
    issues: list[Issue] = []
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("now", NOW)
    report = validate(write_jsonl(tmp_path / name, records), on_issue=issues.append, **kwargs)
    assert report.input_error is None, report.input_error
    return report, issues


def codes(issues: list[Issue]) -> list[str]:
    return sorted(i.code for i in issues)


def rule_codes(issues: list[Issue]) -> list[str]:
    """Codes of the business rules only (VR), sorted."""
    return sorted(i.code for i in issues if i.code.startswith("VR"))


def only(issues: list[Issue], code: str) -> list[Issue]:
    return [i for i in issues if i.code == code]


def messages(issue: Issue) -> str:
    """Both languages of a message and its JSON form, for leak checks."""
    return " ".join([issue.message("en"), issue.message("zh"), json.dumps(issue.to_dict("en"))])
