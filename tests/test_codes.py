"""Every structural issue code is spelled once, in ``volunteer_standard.codes``."""

from __future__ import annotations

import re
from pathlib import Path

from volunteer_standard import codes
from volunteer_standard.catalogue import STRUCTURE

ROOT = Path(__file__).resolve().parents[1] / "volunteer_standard"


def test_every_structural_code_has_its_constant() -> None:
    spelled = {getattr(codes, name) for name in codes.__all__}
    assert spelled == set(STRUCTURE)
    for name in codes.__all__:
        item = STRUCTURE[getattr(codes, name)]
        assert name == item.name.upper().replace("-", "_") or name.startswith(
            item.name.upper().replace("-", "_")
        )


def test_modules_that_report_them_use_the_constants() -> None:
    literal = re.compile(r"[\"'](VS1[0-9][0-9]|VC100)[\"']")
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "codes.py" or "samples" in path.parts:
            continue  # the sample data spells the codes its broken lines are meant to trigger
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
