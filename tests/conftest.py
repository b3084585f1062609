"""Shared fixtures: minimal valid records of every entity type."""

from __future__ import annotations

import copy
from typing import Any

import pytest

MINIMAL: dict[str, dict[str, Any]] = {
    "organization": {
        "type": "organization",
        "id": "org-1",
        "name": "示例志愿者协会",
        "team_type": "2",
    },
    "volunteer": {
        "type": "volunteer",
        "id": "vol-1",
        "volunteer_no": "V1100002201000004V",
        "name": "测试甲",
    },
    "project": {
        "type": "project",
        "id": "prj-1",
        "title": "社区助老",
        "organization_id": "org-1",
        "service_categories": ["0001"],
        "start": "2024-03-01T08:00:00+08:00",
    },
    "activity": {
        "type": "activity",
        "id": "act-1",
        "project_id": "prj-1",
        "title": "第一场",
        "start": "2024-03-05T09:00:00+08:00",
        "end": "2024-03-05T11:00:00+08:00",
    },
    "service_record": {
        "type": "service_record",
        "id": "rec-1",
        "volunteer_id": "vol-1",
        "organization_id": "org-1",
        "start": "2024-03-05T09:00:00+08:00",
        "end": "2024-03-05T11:30:00+08:00",
        "hours": "2.50",
        "status": "effective",
    },
    "training_record": {
        "type": "training_record",
        "id": "trn-1",
        "volunteer_id": "vol-1",
        "topic": "急救培训",
        "start": "2024-02-01T09:00:00+08:00",
    },
    "award": {
        "type": "award",
        "id": "awd-1",
        "subject_type": "3",
        "subject_id": "vol-1",
        "title": "优秀志愿者",
        "awarded_on": "2024-12-05",
        "granted_by": "示例区文明办",
    },
    "evaluation": {
        "type": "evaluation",
        "id": "evl-1",
        "direction": "org_to_volunteer",
        "volunteer_id": "vol-1",
        "scores": {"punctuality": 5},
        "evaluated_on": "2024-03-06",
    },
    "certificate": {
        "type": "certificate",
        "id": "crt-1",
        "certificate_no": "ZM2024-0001",
        "volunteer": {"volunteer_no": "V1100002201000004V", "name": "测试甲"},
        "issuer": {"organization_id": "org-1", "name": "示例志愿者协会"},
        "lines": [{"project_title": "社区助老", "hours": "2.50"}],
        "total_hours": "2.50",
        "issued_on": "2024-04-01",
        "status": "issued",
    },
    "demand": {
        "type": "demand",
        "id": "dmd-1",
        "title": "陪伴老人",
        "service_categories": ["0017"],
        "status": "open",
    },
    "station": {
        "type": "station",
        "id": "stn-1",
        "name": "示例社区志愿服务站",
        "station_type": "community",
        "address": {"region_code": "110105"},
    },
}


@pytest.fixture
def minimal() -> dict[str, dict[str, Any]]:
    """A fresh copy of one minimal valid record per entity type."""
    return copy.deepcopy(MINIMAL)
