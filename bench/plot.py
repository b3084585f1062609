"""Bar chart of a suite run (``bench/run.py --json``) as a small hand-written SVG.

Each bar is a path's throughput as a multiple of its own floor measured in the same run
(log scale), with the issue-13 target as a red mark; labels in English and Chinese, since
the docs share one image. No plotting library: the SVG is a few rectangles and lines.

    .venv/bin/python bench/plot.py results.json              # -> docs/images/benchmark.svg
    .venv/bin/python bench/plot.py results.json -o chart.svg
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "images" / "benchmark.svg"
#: (path, its floor, label, target as a multiple of the floor or None, vstd's own path?)
BARS: tuple[tuple[str, str, str, float | None, bool], ...] = (
    ("vstd-national", "floor", "vstd validate, national · 校验（全国配置）", 0.20, True),
    ("vstd-structure", "floor", "vstd validate, structure · 仅结构校验", 0.30, True),
    ("vstd-jobs", "floor", "vstd validate --jobs · 多进程校验", None, True),
    ("jsonschema-rs", "floor", "jsonschema-rs, schema only · 仅模式", None, False),
    ("ajv", "floor", "ajv (node), schema only · 仅模式", None, False),
    ("jsonschema-py", "floor", "Python jsonschema · 仅模式", None, False),
    ("csv-vstd", "csv-floor", "CSV (GB18030) + mapping → JSONL · 映射转换", 0.30, True),
    ("package-vstd", "package-floor", "JSONL → JSON package · 转数据包", 0.5, True),
    ("flatcsv-vstd", "flatcsv-floor", "JSONL → flat CSV · 转平面 CSV", 0.5, True),
    ("xlsx-vstd", "xlsx-openpyxl", "XLSX → standard vs openpyxl · 读 XLSX", 10.0, True),
)
LOW, HIGH = 0.001, 100.0  # log axis range (multiples of the floor)
LEFT, WIDTH, ROW, TOP = 330, 420, 26, 64


def _x(ratio: float) -> float:
    ratio = min(max(ratio, LOW), HIGH)
    span = math.log10(HIGH) - math.log10(LOW)
    return LEFT + WIDTH * (math.log10(ratio) - math.log10(LOW)) / span


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start",
          fill: str = "#222") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def bars(document: dict[str, Any]) -> tuple[int, list[tuple[str, float, float | None, bool]]]:
    """The largest size's bars: (label, ratio to floor, target, vstd's own)."""
    results = document["results"]
    size = max(results, key=int)
    by_path = results[size]
    out = []
    for path, floor, label, target, own in BARS:
        item, base = by_path.get(path), by_path.get(floor)
        if item and base and "rps" in item and "rps" in base:
            out.append((label, item["rps"] / base["rps"], target, own))
    return int(size), out


def render(document: dict[str, Any]) -> str:
    size, rows = bars(document)
    height = TOP + ROW * len(rows) + 56
    machine = document.get("machine", {})
    when = machine.get("date", "")[:10]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + 90}" '
        f'height="{height}" font-family="sans-serif" role="img">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        _text(10, 22, f"Throughput as a multiple of each path's floor, same run, N = {size:,}", 14),
        _text(10, 42, f"吞吐量相对于同一次运行中各自基准的倍数（对数刻度）· {when}, "
              f"{machine.get('cores', '?')} cores", 12, fill="#555"),
    ]  # fmt: skip
    for tick in (0.001, 0.01, 0.1, 1, 10, 100):
        x = _x(tick)
        bottom = TOP + ROW * len(rows)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{"#888" if tick == 1 else "#ddd"}"/>'
        )
        parts.append(_text(x, bottom + 16, f"{tick:g}x", 11, "middle", "#555"))
    for index, (label, ratio, target, own) in enumerate(rows):
        y = TOP + ROW * index
        colour = "#2f6db5" if own else "#9a9a9a"
        parts.append(_text(LEFT - 8, y + 15, label, 12, "end"))
        parts.append(
            f'<rect x="{LEFT}" y="{y + 4}" width="{max(_x(ratio) - LEFT, 1):.1f}" '
            f'height="{ROW - 8}" fill="{colour}"/>'
        )
        parts.append(_text(_x(ratio) + 4, y + 15, f"{ratio:.2f}x", 11))
        if target is not None:
            tx = _x(target)
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + ROW - 1}" '
                'stroke="#d62728" stroke-width="2.5"/>'
            )
    legend_y = TOP + ROW * len(rows) + 38
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 10}" width="12" height="12" fill="#2f6db5"/>')
    parts.append(_text(LEFT + 16, legend_y, "vstd", 11))
    parts.append(
        f'<rect x="{LEFT + 60}" y="{legend_y - 10}" width="12" height="12" fill="#9a9a9a"/>'
    )
    parts.append(_text(LEFT + 76, legend_y, "reference 参照", 11))
    parts.append(
        f'<line x1="{LEFT + 180}" y1="{legend_y - 11}" x2="{LEFT + 180}" y2="{legend_y + 2}" '
        'stroke="#d62728" stroke-width="2.5"/>'
    )
    parts.append(_text(LEFT + 188, legend_y, "target 目标 (issue 13)", 11))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="JSON written by bench/run.py --json")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUT))
    args = parser.parse_args()
    document = json.loads(Path(args.results).read_text(encoding="utf-8"))
    Path(args.output).write_text(render(document), encoding="utf-8")
    print(args.output)


if __name__ == "__main__":
    main()
