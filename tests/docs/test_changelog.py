"""CHANGELOG.md stays in Keep a Changelog form."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RELEASE = re.compile(r"^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$")


def test_changelog_follows_keep_a_changelog() -> None:
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Changelog"
    assert "Keep a Changelog" in "\n".join(lines[:8])
    releases = [line for line in lines if line.startswith("## ")]
    assert releases[0] in ("## Unreleased", "## [Unreleased]"), "Unreleased comes first"
    for heading in releases[1:]:
        assert RELEASE.match(heading), f"a release is '## [x.y.z] - YYYY-MM-DD': {heading}"
    for number, line in enumerate(lines):
        if line.startswith(("## ", "### ")):
            assert lines[number - 1] == "", f"line {number + 1}: blank line before a heading"
        if line.startswith("### "):
            following = next(t for t in lines[number + 1 :] if t.strip())
            assert following.startswith("- "), f"line {number + 1}: a section lists changes"
