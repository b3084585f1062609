"""The operators' dashboard: one server-rendered page (zh/en) with inline SVG charts.

It shows, per source system, the records held and the data quality of its submissions
(issues by rule over time), when each system last synced, and service hours by province
and month. It shows counts only: no record content and no personal data.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Engine, func, select

from volunteer_standard.codelists import regions
from volunteer_standard.hub import db
from volunteer_standard.text import Lang, Text

CST = timezone(timedelta(hours=8))
_PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777")

T = {
    "title": Text("志愿服务数据归集中心", "Volunteer data hub"),
    "systems": Text("来源系统", "Source systems"),
    "system": Text("系统", "System"),
    "records": Text("现存记录", "Records held"),
    "accepted": Text("已接收", "Accepted"),
    "rejected": Text("已拒收", "Rejected"),
    "last_sync": Text("最近同步（北京时间）", "Last sync (Beijing time)"),
    "quality": Text("数据质量：各规则问题数（按日）", "Data quality: issues by rule per day"),
    "hours": Text("服务时长（小时）：按省份和月份", "Service hours by province and month"),
    "none": Text("暂无数据", "No data yet"),
    "other": Text("English", "中文"),
    "code": Text("规则", "Rule"),
    "day": Text("日期", "Day"),
    "count": Text("问题数", "Issues"),
    "region": Text("地区", "Region"),
    "month": Text("月份", "Month"),
    "unknown": Text("未知地区", "Unknown region"),
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _stamp(us: int) -> str:
    return datetime.fromtimestamp(us / 1e6, UTC).astimezone(CST).strftime("%Y-%m-%d %H:%M")


def _province(code: str, lang: Lang) -> str:
    if len(code) < 2:
        return T["unknown"].get(lang)
    found = regions.lookup(code[:2] + "0000")
    if found is None:
        return code[:2] + "0000"
    return found.name if lang == "zh" else f"{code[:2]}0000 {found.name}"


def _column_chart(
    chart_id: str,
    title: str,
    columns: list[str],
    series: dict[str, dict[str, float]],
) -> str:
    """Grouped columns as inline SVG: one group per column label, one colour per series."""
    width, height, left, bottom, top = 720, 260, 48, 40, 16
    names = sorted(series)
    peak = max((v for s in series.values() for v in s.values()), default=0.0) or 1.0
    group = (width - left - 8) / max(len(columns), 1)
    bar = max(2.0, min(28.0, (group - 8) / max(len(names), 1)))
    desc = "; ".join(
        f"{name} {col}: {series[name].get(col, 0):g}" for name in names for col in columns
    )
    parts = [
        f'<svg id="{chart_id}" class="chart" role="img" '
        f'viewBox="0 0 {width} {height + 20 * ((len(names) + 3) // 4)}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(desc)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#64748b"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{peak:g}</text>',
    ]
    for ci, col in enumerate(columns):
        x0 = left + ci * group + 4
        for si, name in enumerate(names):
            value = series[name].get(col, 0.0)
            h = (height - bottom - top) * value / peak
            colour = _PALETTE[si % len(_PALETTE)]
            parts.append(
                f'<rect x="{x0 + si * bar:.1f}" y="{height - bottom - h:.1f}" '
                f'width="{bar - 1:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{_e(name)} {_e(col)}: {value:g}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group / 2 - 4:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11">{_e(col)}</text>'
        )
    for si, name in enumerate(names):
        lx = left + (si % 4) * 170
        ly = height + 4 + 20 * (si // 4)
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" '
            f'fill="{_PALETTE[si % len(_PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{ly + 11}" font-size="12">{_e(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_dashboard(engine: Engine, lang: Lang) -> str:
    """The dashboard page in ``lang``."""
    t = {key: text.get(lang) for key, text in T.items()}
    with engine.connect() as conn:
        systems = conn.execute(select(db.systems).order_by(db.systems.c.source_system)).all()
        held: dict[str, int] = dict(
            conn.execute(
                select(db.records.c.source_system, func.count())
                .where(db.records.c.deleted.is_(False))
                .group_by(db.records.c.source_system)
            ).all()
        )
        quality = conn.execute(select(db.quality).order_by(db.quality.c.day)).all()
        hours_rows = conn.execute(
            select(db.records.c.region, db.records.c.data).where(
                db.records.c.entity_type == "service_record", db.records.c.deleted.is_(False)
            )
        )
        hours: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        months: set[str] = set()
        for row in hours_rows:
            data = row.data or {}
            if data.get("status") != "effective":
                continue
            month = str(data.get("start", ""))[:7]
            months.add(month)
            hours[_province(row.region, lang)][month] += float(Decimal(str(data.get("hours", 0))))
    rows = "".join(
        f"<tr><td>{_e(s.source_system)}</td><td>{held.get(s.source_system, 0)}</td>"
        f"<td>{s.accepted}</td><td>{s.rejected}</td><td>{_stamp(s.last_sync)}</td></tr>"
        for s in systems
    )
    system_table = (
        f"<table><thead><tr><th>{t['system']}</th><th>{t['records']}</th>"
        f"<th>{t['accepted']}</th><th>{t['rejected']}</th><th>{t['last_sync']}</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
        if systems
        else f"<p>{t['none']}</p>"
    )
    by_code: dict[str, dict[str, float]] = defaultdict(dict)
    days: list[str] = []
    per_system: Counter[tuple[str, str]] = Counter()
    for q in quality:
        if q.day not in days:
            days.append(q.day)
        count = int(q._mapping["count"])
        by_code[q.code][q.day] = by_code[q.code].get(q.day, 0) + count
        per_system[(q.source_system, q.code)] += count
    quality_chart = (
        _column_chart("quality-chart", t["quality"], days[-14:], dict(by_code))
        if by_code
        else f"<p>{t['none']}</p>"
    )
    quality_table = "".join(
        f"<tr><td>{_e(sys)}</td><td>{_e(code)}</td><td>{n}</td></tr>"
        for (sys, code), n in sorted(per_system.items())
    )
    hours_chart = (
        _column_chart(
            "hours-chart", t["hours"], sorted(months)[-12:], {k: dict(v) for k, v in hours.items()}
        )
        if hours
        else f"<p>{t['none']}</p>"
    )
    other = "en" if lang == "zh" else "zh"
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["title"]}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;
background:#f8fafc;color:#0f172a}}
header{{background:#1e3a8a;color:#fff;padding:16px 24px;display:flex;
justify-content:space-between}}
header a{{color:#bfdbfe}}
main{{padding:16px 24px;max-width:1100px}}
section{{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px;
margin:0 0 16px}}
table{{border-collapse:collapse;width:100%}}
th,td{{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0}}
svg.chart{{width:100%;height:auto}}
</style></head>
<body><header><h1>{t["title"]}</h1><a href="?lang={other}">{t["other"]}</a></header>
<main>
<section><h2>{t["systems"]}</h2>{system_table}</section>
<section><h2>{t["quality"]}</h2>{quality_chart}
<table><thead><tr><th>{t["system"]}</th><th>{t["code"]}</th><th>{t["count"]}</th></tr></thead>
<tbody>{quality_table}</tbody></table></section>
<section><h2>{t["hours"]}</h2>{hours_chart}</section>
</main></body></html>
"""
