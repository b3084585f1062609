"""Issue 13's targets, judged on the figures of one run (standard library only).

``results[size][measurement]`` holds ``rps`` (records/s), ``rss_mib`` and ``records`` of
each measured path, or ``unavailable``. Throughput targets are judged at the largest size
where both sides were measured; memory targets need particular sizes.
"""

from __future__ import annotations

from typing import Any

Results = dict[int, dict[str, dict[str, Any]]]
MET, NOT_MET = "met", "NOT met"
NOT_MEASURED = "not measured"
NOT_AVAILABLE = "not available"
#: vstd's own paths, whose memory must stay flat.
VSTD_PATHS = (
    "vstd-national",
    "vstd-structure",
    "vstd-jobs",
    "package-vstd",
    "flatcsv-vstd",
    "csv-vstd",
    "xlsx-vstd",
)
MIB_LIMIT = 200.0
STARTUP_LIMIT = 0.3


def _row(target: str, verdict: str, figure: str) -> dict[str, str]:
    return {"target": target, "verdict": verdict, "figure": figure}


def _pair(results: Results, a: str, b: str) -> tuple[int, dict[str, Any], dict[str, Any]] | str:
    """The largest size with both measurements, or why there is none."""
    why = NOT_MEASURED
    for size in sorted(results, reverse=True):
        first, second = results[size].get(a), results[size].get(b)
        if first is None or second is None:
            continue
        for item in (first, second):
            if "unavailable" in item:
                why = f"{NOT_AVAILABLE}: {item['unavailable']}"
                break
        else:
            return size, first, second
    return why


def ratio_target(results: Results, target: str, a: str, b: str, minimum: float) -> dict[str, str]:
    """``a`` must process at least ``minimum`` times the records per second of ``b``."""
    found = _pair(results, a, b)
    if isinstance(found, str):
        return _row(target, found.split(":")[0], found)
    size, first, second = found
    ratio = first["rps"] / second["rps"]
    figure = f"{ratio:.2f}x ({first['rps']:,.0f} vs {second['rps']:,.0f} rec/s, N={size:,})"
    return _row(target, MET if ratio >= minimum else NOT_MET, figure)


def memory_growth(
    results: Results,
    small: int,
    large: int,
    paths: tuple[str, ...],
    factor: float,
    limit: float | None,
) -> tuple[str, str]:
    """Verdict and figure for "peak RSS at ``large`` ≤ factor x at ``small``" on ``paths``."""
    if small not in results or large not in results:
        return NOT_MEASURED, "not measured at these sizes"
    worst: tuple[float, str] | None = None
    peak: tuple[float, str] = (0.0, "")
    for path in paths:
        a, b = results[small].get(path), results[large].get(path)
        if not a or not b or "unavailable" in a or "unavailable" in b:
            continue
        growth = b["rss_mib"] / a["rss_mib"]
        worst = max(worst or (growth, path), (growth, path))
        peak = max(peak, (b["rss_mib"], path))
    if worst is None:
        return NOT_MEASURED, "no vstd path measured at both sizes"
    ok = worst[0] <= factor and (limit is None or peak[0] < limit)
    figure = (
        f"worst growth {worst[0]:.2f}x ({worst[1]}); largest peak {peak[0]:.0f} MiB ({peak[1]})"
    )
    return (MET if ok else NOT_MET), figure


def evaluate(
    results: Results, verdicts: dict[int, dict[str, Any]], startup: dict[str, Any]
) -> list[dict[str, str]]:
    """Every target of issue 13 with its verdict and the measured figure."""
    return [
        ratio_target(
            results,
            "validate, national profile, 1 process >= 0.20x floor",
            "vstd-national",
            "floor",
            0.20,
        ),
        ratio_target(
            results,
            "validate, structure profile, 1 process >= 0.30x floor",
            "vstd-structure",
            "floor",
            0.30,
        ),
        ratio_target(
            results,
            "validate --jobs (all cores) >= 1.7x one process",
            "vstd-jobs",
            "vstd-national",
            1.7,
        ),
        ratio_target(
            results,
            "validate --jobs, national >= jsonschema-rs schema only",
            "vstd-jobs",
            "jsonschema-rs",
            1.0,
        ),
        _verdict_row(verdicts),
        ratio_target(
            results,
            "CSV (GB18030, mapping) -> JSONL >= 0.30x csv+orjson floor",
            "csv-vstd",
            "csv-floor",
            0.30,
        ),
        ratio_target(
            results,
            "XLSX -> standard >= 10x openpyxl read-only",
            "xlsx-vstd",
            "xlsx-openpyxl",
            10.0,
        ),
        _row(
            "XLSX peak memory at 1M rows <= 2x at 100k",
            *memory_growth(results, 100_000, 1_000_000, ("xlsx-vstd",), 2.0, None),
        ),
        ratio_target(
            results, "JSONL -> JSON package >= 0.5x floor", "package-vstd", "package-floor", 0.5
        ),
        ratio_target(
            results, "JSONL -> flat CSV >= 0.5x floor", "flatcsv-vstd", "flatcsv-floor", 0.5
        ),
        _startup_row(startup, "help", "vstd --help starts in <= 0.3 s"),
        _startup_row(startup, "validate", "vstd validate small.jsonl <= 0.3 s"),
        _row(
            "memory flat: 5M <= 1.2x 100k and < 200 MiB, every vstd path",
            *memory_growth(results, 100_000, 5_000_000, VSTD_PATHS, 1.2, MIB_LIMIT),
        ),
        _row("peak RSS < 200 MiB, every vstd path at every size measured", *_under(results)),
    ]


def _verdict_row(verdicts: dict[int, dict[str, Any]]) -> dict[str, str]:
    target = "same verdict per record: vstd structure, jsonschema-rs, jsonschema, ajv"
    if not verdicts:
        return _row(target, NOT_MEASURED, NOT_MEASURED)
    checked = sum(v["records"] for v in verdicts.values())
    differ = sum(v["difference_count"] for v in verdicts.values())
    names = sorted({name for v in verdicts.values() for name in v["invalid"]})
    skipped = {k: why for v in verdicts.values() for k, why in v["skipped"].items()}
    figure = f"{differ} differences in {checked:,} records ({', '.join(names)})"
    if skipped:
        figure += "; skipped " + ", ".join(f"{k} ({why})" for k, why in skipped.items())
    return _row(target, MET if differ == 0 else NOT_MET, figure)


def _startup_row(startup: dict[str, Any], key: str, target: str) -> dict[str, str]:
    if key not in startup:
        return _row(target, NOT_MEASURED, NOT_MEASURED)
    median = startup[key]["median"]
    figure = f"median {median:.3f} s of {len(startup[key]['runs'])} runs"
    if "cpu_median" in startup[key]:
        figure += f" (CPU {startup[key]['cpu_median']:.3f} s)"
    return _row(target, MET if median <= STARTUP_LIMIT else NOT_MET, figure)


def _under(results: Results) -> tuple[str, str]:
    peaks = [
        (item["rss_mib"], path, size)
        for size, by_path in results.items()
        for path, item in by_path.items()
        if path in VSTD_PATHS and "rss_mib" in item
    ]
    if not peaks:
        return NOT_MEASURED, NOT_MEASURED
    mib, path, size = max(peaks)
    return (MET if mib < MIB_LIMIT else NOT_MET), f"largest {mib:.0f} MiB ({path}, N={size:,})"
