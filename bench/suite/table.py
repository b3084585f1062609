"""What the suite prints: one table per size, the verdict check, the targets (stdlib only)."""

from __future__ import annotations

from typing import Any

#: The floor each measured path is compared with ("vs floor").
FLOOR_OF = {
    "floor": "floor",
    "vstd-national": "floor",
    "vstd-structure": "floor",
    "vstd-jobs": "floor",
    "jsonschema-rs": "floor",
    "jsonschema-py": "floor",
    "ajv": "floor",
    "package-floor": "package-floor",
    "package-vstd": "package-floor",
    "flatcsv-floor": "flatcsv-floor",
    "flatcsv-vstd": "flatcsv-floor",
    "csv-floor": "csv-floor",
    "csv-vstd": "csv-floor",
    "xlsx-openpyxl": "xlsx-openpyxl",
    "xlsx-calamine": "xlsx-openpyxl",
    "xlsx-vstd": "xlsx-openpyxl",
}
LABELS = {
    "floor": "orjson loads+dumps (floor)",
    "vstd-national": "vstd validate (national)",
    "vstd-structure": "vstd validate (structure)",
    "vstd-jobs": "vstd validate --jobs (national)",
    "jsonschema-rs": "jsonschema-rs (schema only)",
    "jsonschema-py": "jsonschema Py (subsample)",
    "ajv": "ajv on node (schema only)",
    "package-floor": "orjson -> package (floor)",
    "package-vstd": "vstd convert -> package",
    "flatcsv-floor": "orjson+csv -> flat (floor)",
    "flatcsv-vstd": "vstd convert -> flat CSV",
    "csv-floor": "csv+orjson GB18030 (floor)",
    "csv-vstd": "vstd convert CSV mapping",
    "xlsx-openpyxl": "openpyxl read-only (ref.)",
    "xlsx-calamine": "python-calamine alone",
    "xlsx-vstd": "vstd convert XLSX",
}
#: Reference validators, for the "vs" columns of the JSON Lines validation rows.
REFERENCES = ("jsonschema-rs", "ajv", "jsonschema-py")
VALIDATION_ROWS = frozenset({"floor", "vstd-national", "vstd-structure", "vstd-jobs", *REFERENCES})


def _ratio(item: dict[str, Any], other: dict[str, Any] | None) -> str:
    if not other or "rps" not in other or "rps" not in item:
        return ""
    return f"{item['rps'] / other['rps']:.2f}x"


def size_table(size: int, by_path: dict[str, dict[str, Any]]) -> list[str]:
    """Records/s, ratios (throughput / other's throughput) and peak RSS of every path."""
    head = (
        f"{'path':<32} {'records':>9} {'seconds':>8} {'rec/s':>10} {'vs floor':>8} "
        f"{'vs rs':>7} {'vs ajv':>7} {'vs jsPy':>8} {'peak RSS':>9}"
    )
    out = [f"\n== N = {size:,} service records", head, "-" * len(head)]
    for path, item in by_path.items():
        label = LABELS.get(path, path)
        if "unavailable" in item:
            out.append(f"{label:<32} not available: {item['unavailable']}")
            continue
        refs = ["", "", ""]
        if path in VALIDATION_ROWS:
            refs = [_ratio(item, by_path.get(name)) for name in REFERENCES]
        floor = _ratio(item, by_path.get(FLOOR_OF.get(path, "")))
        out.append(
            f"{label:<32} {item['records']:>9,} {item['seconds']:>8.2f} {item['rps']:>10,.0f} "
            f"{floor:>8} {refs[0]:>7} {refs[1]:>7} {refs[2]:>8} {item['rss_mib']:>7.0f}Mi"
        )
        if "workers_rss_mib" in item:
            out.append(f"{'':<32} workers' largest peak RSS {item['workers_rss_mib']:.0f}Mi")
    out.append(
        "ratios are throughput / throughput of the other path in this run (higher = faster);"
        " 'floor' is each path's own floor; peak RSS of the measuring child process"
    )
    return out


def helper_lines(size: int, helpers: dict[str, dict[str, Any]]) -> list[str]:
    """Figures of the other helpers' scripts (their own data and floors, one process)."""
    out = [f"\nhelper scripts at N={size:,} (their own data and floors; not judged)"]
    for name, result in helpers.items():
        script = name.removeprefix("helper-")
        if "unavailable" in result:
            out.append(f"  {script}: {result['unavailable']}")
            continue
        figures = result["figures"]
        floors = {k.split("-")[0]: (k, v) for k, v in figures.items() if "floor" in k}
        first = next(iter(floors.values()), None)
        for key, rps in figures.items():
            floor = floors.get(key.split("-")[0], first)
            ratio = f"{rps / floor[1]:.2f}x {floor[0]}" if floor else ""
            out.append(f"  {script:<12} {key:<32} {rps:>10,.0f}/s  {ratio}")
    return out


def verdict_lines(size: int, result: dict[str, Any]) -> list[str]:
    """The verdict check: invalid counts per validator, and every difference (loudly)."""
    counts = ", ".join(f"{name} {n}" for name, n in result["invalid"].items())
    out = [f"\nverdicts at N={size:,}: {result['records']:,} records, invalid: {counts}"]
    for name, why in result["skipped"].items():
        out.append(f"  {name} skipped: {why}")
    if result["difference_count"]:
        out.append(
            f"  !!! VERDICTS DIFFER on {result['difference_count']} records "
            f"(first {len(result['differences'])} listed):"
        )
        for diff in result["differences"]:
            said = ", ".join(f"{k}={'valid' if v else 'invalid'}" for k, v in diff["valid"].items())
            out.append(f"    line {diff['line']} {diff['type']} {diff['id']}: {said}")
    else:
        out.append("  all validators agree on every record")
    return out


def startup_lines(startup: dict[str, Any]) -> list[str]:
    out = ["\nstart-up (wall time of the whole command, median of several runs; CPU = user+sys)"]
    for _key, item in startup.items():
        runs = ", ".join(f"{t:.3f}" for t in item["runs"])
        cpu = f"CPU {item['cpu_median']:.3f} s, " if "cpu_median" in item else ""
        out.append(f"  {item['command']:<26} median {item['median']:.3f} s ({cpu}runs {runs})")
    return out


def target_lines(rows: list[dict[str, str]]) -> list[str]:
    width = max(len(r["target"]) for r in rows)
    out = ["\nTargets (issue 13)", f"{'target':<{width}}  {'verdict':<13}  figure"]
    for row in rows:
        out.append(f"{row['target']:<{width}}  {row['verdict']:<13}  {row['figure']}")
    return out
