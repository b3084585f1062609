"""A small synthetic dataset whose certificate we can compute by hand."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from volunteer_standard.certificates import generate_key_files
from volunteer_standard.certificates.keys import SigningKey
from volunteer_standard.identifiers.generate import make_resident_id, make_uscc

RNG = random.Random(11)
ID_A = make_resident_id(RNG, region_code="110105", birth_date=date(2006, 5, 4), gender="2")
ID_B = make_resident_id(RNG, region_code="310101", birth_date=date(1990, 1, 2), gender="1")
USCC_A = make_uscc(RNG)


def _record(n: int, vol: str, org: str, prj: str | None, day: str, hours: str, status: str) -> Any:
    record = {
        "type": "service_record",
        "id": f"sr-{n:03d}",
        "volunteer_id": vol,
        "organization_id": org,
        "start": f"{day}T09:00:00+08:00",
        "end": f"{day}T12:00:00+08:00",
        "hours": hours,
        "status": status,
    }
    if prj:
        record["project_id"] = prj
    return record


def dataset() -> list[dict[str, Any]]:
    """Two organizations, two volunteers, records of every status."""
    org = {"type": "organization", "team_type": "2"}
    return [
        {
            **org,
            "id": "org-a",
            "name": "示例区阳光志愿服务协会",
            "uscc": USCC_A,
            "leader_name": "王负责",
            "contact": {"phone": "19600000001", "phone_visibility": "public"},
        },
        {**org, "id": "org-b", "name": "另一个志愿服务队"},
        *(
            {
                "type": "project",
                "id": pid,
                "title": title,
                "organization_id": "org-a",
                "service_categories": ["0001"],
                "start": "2024-01-01T00:00:00+08:00",
                "region_code": "110105",
            }
            for pid, title in (("prj-1", "社区助老陪伴"), ("prj-2", "文明交通引导"))
        ),
        {
            "type": "volunteer",
            "id": "vol-1",
            "volunteer_no": "VS0001",
            "name": "李小花",
            "id_document": {"type": "01", "number": ID_A},
        },
        {
            "type": "volunteer",
            "id": "vol-2",
            "volunteer_no": "VS0002",
            "name": "赵大山",
            "id_document": {"type": "01", "number": ID_B},
        },
        _record(1, "vol-1", "org-a", "prj-1", "2024-03-02", "2.50", "effective"),
        _record(2, "vol-1", "org-a", "prj-1", "2024-05-20", "1.25", "effective"),
        _record(3, "vol-1", "org-a", "prj-2", "2024-04-01", "3.00", "effective"),
        _record(4, "vol-1", "org-a", "prj-1", "2024-06-01", "5.00", "pending"),
        _record(5, "vol-1", "org-a", "prj-1", "2024-06-02", "4.00", "rejected"),
        _record(6, "vol-1", "org-b", "prj-1", "2024-06-03", "4.00", "effective"),
        _record(7, "vol-1", "org-a", "prj-1", "2023-12-31", "7.00", "effective"),
        _record(8, "vol-1", "org-a", None, "2024-07-01", "0.10", "effective"),
        _record(9, "vol-2", "org-a", "prj-2", "2024-02-01", "1.20", "effective"),
        _record(10, "vol-2", "org-a", "prj-2", "2024-02-02", "1.10", "effective"),
    ]


@pytest.fixture
def data_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in dataset()))
    return path


@pytest.fixture(scope="session")
def key_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SigningKey]:
    folder = tmp_path_factory.mktemp("keys") / "org-a"
    return folder, generate_key_files(folder)


@pytest.fixture
def cjk_font() -> None:
    """Skip PDF tests on a machine without a CJK font, except in CI (which installs one)."""
    import os

    from volunteer_standard.certificates.fonts import FontNotFound, find_cjk_font

    try:
        find_cjk_font()
    except FontNotFound:
        if os.environ.get("CI"):
            raise
        pytest.skip("no CJK font here (apt-get install fonts-noto-cjk)")
