"""Deliberately broken files: one line or package per structural problem, with its code.

Built from the first valid record of each type of a tiny sample, so that each broken line
carries exactly one deliberate problem and the tests can check that validation reports
exactly the intended code on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from volunteer_standard.samples.dataset import generate, sample_metadata
from volunteer_standard.samples.spec import SampleSpec

#: Codes that broken.jsonl triggers. VS122 is absent: no code list has a deprecated code yet.
BROKEN_JSONL_CODES = frozenset(
    {
        "VS100",
        "VS101",
        "VS102",
        "VS103",
        "VS110",
        "VS111",
        "VS112",
        "VS113",
        "VS114",
        "VS115",
        "VS119",
        "VS120",
        "VS121",
        "VS130",
        "VS131",
        "VS132",
    }
)
#: Codes of broken-package.json (valid metadata, so that undeclared extensions are seen).
BROKEN_PACKAGE_CODES = frozenset({"VS104", "VS105", "VS150"})
#: Codes of broken-metadata.json: invalid metadata hides extension checks, hence its own file.
BROKEN_METADATA_CODES = frozenset({"VS140"})
#: Codes of broken-no-metadata.json.
BROKEN_NO_METADATA_CODES = frozenset({"VS141"})

_TINY = SampleSpec(
    volunteers=12,
    organizations=2,
    projects=3,
    activities_per_project=1,
    service_records=20,
    training_records=0,
    awards=0,
    evaluations=2,
    certificates=0,
    demands=0,
    stations=1,
)


def _valid_examples() -> dict[str, dict[str, Any]]:
    """The first valid record of each type of a tiny sample, as JSON-ready dicts."""
    found: dict[str, dict[str, Any]] = {}
    for entity in generate(_TINY):
        found.setdefault(entity.type, entity.model_dump(mode="json", exclude_none=True))
    return found


def _line(data: Any) -> bytes:
    return orjson.dumps(data)


def broken_records() -> list[tuple[str, bytes]]:
    """Lines of ``broken.jsonl`` as (intended issue code, line); the first line is valid.

    Each broken line carries one deliberate problem.
    """
    ok = _valid_examples()
    org, vol, rec = ok["organization"], ok["volunteer"], ok["service_record"]
    act, evl = ok["activity"], ok["evaluation"]

    def edit(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
        data = dict(base)
        data.update(changes)
        return data

    def drop(base: dict[str, Any], key: str) -> dict[str, Any]:
        return {k: v for k, v in base.items() if k != key}

    rows: list[tuple[str, bytes]] = [
        ("", _line(org)),
        ("VS100", b'{"type": "volunteer", "id": "vol-broken", "name": "\xe6\x9c\xaa\xe5\xae\x8c'),
        ("VS101", _line(["an", "array", "is", "not", "a", "record"])),
        ("VS102", _line(drop(edit(vol, id="vol-no-type"), "type"))),
        ("VS103", _line(edit(vol, id="vol-bad-type", type="volunter"))),
        ("VS110", _line(drop(edit(rec, id="sr-no-hours"), "hours"))),
        ("VS111", _line(edit(org, id="org-bad-count", member_count=str(org["member_count"])))),
        ("VS112", _line(edit(rec, id="sr-naive-start", start=rec["start"][:19]))),
        ("VS113", _line(edit(evl, id="evl-score-6", scores={**evl["scores"], "overall": 6}))),
        ("VS114", _line(edit(vol, id="vol-extra-field", nickname="小志"))),
        ("VS115", _line(edit(rec, id="sr-float-hours", hours=float(rec["hours"])))),
        (
            "VS119",
            _line(
                edit(
                    act,
                    id="act-bad-kind",
                    checkin_points=[{**act["checkin_points"][0], "kind": "inout"}],
                )
            ),
        ),
        ("VS120", _line(edit(vol, id="vol-bad-gender", gender="M"))),
        # organization_ids: only org (line 1) is in this file; others would be VR601.
        (
            "VS121",
            _line(edit(vol, id="vol-new-skill", skills=["88"], organization_ids=[org["id"]])),
        ),
        ("VS130", _line(edit(org, id="org-v2", schema_version="2.0"))),
        (
            "VS131",
            _line(
                edit(org, id="org-v10", schema_version="1.0", modified="2024-03-01T08:00:00+08:00")
            ),
        ),
        ("VS132", _line(edit(org, id="org-v19", schema_version="1.9"))),
    ]
    return rows


def broken_files() -> dict[str, tuple[bytes, frozenset[str]]]:
    """Every broken file's bytes and the issue codes it is meant to trigger."""
    ok = _valid_examples()
    meta = sample_metadata().model_dump(mode="json", exclude_none=True)
    jsonl = b"".join(line + b"\n" for _code, line in broken_records())

    def package(data: dict[str, Any]) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"

    broken_package = package(
        {
            "metadata": meta,
            "organizations": [ok["organization"]],
            "volunteers": [ok["project"]],  # VS105: a project in the volunteers array
            "volunteer_list": [ok["volunteer"]],  # VS104: not a collection of the standard
            "stations": [{**ok["station"], "extensions": {"undeclared": {"note": "VS150"}}}],
        }
    )
    broken_meta = package(
        {
            "metadata": {k: v for k, v in meta.items() if k != "generated_at"},  # VS140
            "organizations": [ok["organization"]],
        }
    )
    no_meta = package({"organizations": [ok["organization"]]})  # VS141
    return {
        "broken.jsonl": (jsonl, BROKEN_JSONL_CODES),
        "broken-package.json": (broken_package, BROKEN_PACKAGE_CODES),
        "broken-metadata.json": (broken_meta, BROKEN_METADATA_CODES),
        "broken-no-metadata.json": (no_meta, BROKEN_NO_METADATA_CODES),
    }


def write_broken(out_dir: Path) -> dict[str, Path]:
    """Write the broken files next to the sample (see ``broken_files``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, (data, _codes) in broken_files().items():
        paths[name] = out_dir / name
        paths[name].write_bytes(data)
    return paths
