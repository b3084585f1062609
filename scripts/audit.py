"""Dependency audit for `make test`: fails on a known vulnerability, and says plainly when
the vulnerability service could not be reached (then nothing was audited).

pip-audit looks each installed distribution up in the PyPI vulnerability data. Where that
service is unreachable (a machine that reaches only a package mirror), every dependency is
"skipped"; pip-audit still prints "No known vulnerabilities found". This wrapper counts the
skips so that an audit that audited nothing never passes for one that found nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(f"audit: pip-audit failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return 1
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"audit: {dep['name']} {dep.get('version')}: {ids}", file=sys.stderr)
    if vulnerable:
        return 1
    if audited == 0 and deps:
        print(
            f"audit: the vulnerability service could not be reached: none of {len(deps)} "
            "dependencies was audited (nothing found, nothing checked)",
            file=sys.stderr,
        )
        return 0
    print(f"audit: {audited} dependencies audited, no known vulnerabilities", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
