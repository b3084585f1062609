"""Write the synthetic fixture pages of the zyh tests (``tests/data/*.jsonl``).

The items are the bundled synthetic sample (invented people, valid checksums) in the
API's wire form, made with the connector's own field map, plus the platform's own fields
(points, ranking, 荣誉/信用 hours …) and ascending modification times with some ties.
Run: ``.venv/bin/python plugins/vstd-connector-zyh/scripts/make_fixtures.py``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from vstd_connector_zyh import ZyhConnector

from volunteer_standard.connectors.http.items import ItemMapper
from volunteer_standard.samples import generate

OUT = Path(__file__).resolve().parent.parent / "tests" / "data"
ENDPOINTS = {"volunteer": "volunteers", "activity": "activities", "service_record": "hours"}


def main() -> None:
    api = ZyhConnector().api()
    mappers = {name: ItemMapper(api.endpoint_map(name)) for name in ENDPOINTS.values()}
    lines: dict[str, list[str]] = {name: [] for name in ENDPOINTS.values()}
    start = datetime(2025, 3, 1, 8, 0, 0)
    totals: dict[str, Decimal] = {}
    for entity in generate():
        if entity.type == "service_record":
            hours = Decimal(str(entity.model_dump(mode="json")["hours"]))
            vid = entity.model_dump()["volunteer_id"]
            totals[vid] = totals.get(vid, Decimal(0)) + hours
    for entity in generate():
        name = ENDPOINTS.get(entity.type)
        if name is None:
            continue
        item = mappers[name].item(entity)
        n = len(lines[name])
        # Every fifth item shares its modification time with the one before (ties).
        item["update_time"] = (start + timedelta(minutes=n - n // 5)).strftime("%Y-%m-%d %H:%M:%S")
        if name == "volunteers":
            system = totals.get(entity.id, Decimal(0))
            history = Decimal(n % 7) * Decimal("1.50")
            item.update(
                {
                    "username": f"user{n + 1:05d}",
                    "points": 10 * (n + 1),
                    "ranking": n + 1,
                    "hours_system": f"{system:.2f}",
                    "hours_history": f"{history:.2f}",
                    "hours_totalduration": f"{system + history:.2f}",
                    "trainTime": f"{n % 4 * 2}.00",
                }
            )
        if name == "activities":
            item.update({"departmentName": "示例志愿服务队", "signupPeople": n % 9})
        lines[name].append(json.dumps(item, ensure_ascii=False))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in lines.items():
        (OUT / f"{name}.jsonl").write_text("".join(r + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: {len(rows)} items")


if __name__ == "__main__":
    main()
