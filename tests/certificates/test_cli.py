"""End to end from the command line: keys → issue → sign → verify; tamper → verify fails."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from volunteer_standard.cli import app

runner = CliRunner()


def _vstd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "volunteer_standard", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_issue_sign_verify_tamper_revoke(tmp_path: Path, data_jsonl: Path) -> None:
    keys = tmp_path / "keys" / "org-a"
    result = _vstd("keys", "generate", str(keys))
    assert result.returncode == 0, result.stderr
    private = (keys / "private.pem").read_text()
    assert "PRIVATE" not in result.stdout + result.stderr
    assert stat.S_IMODE((keys / "private.pem").stat().st_mode) == 0o600

    exported = _vstd("keys", "export", str(keys), "--format", "jwk")
    jwk = json.loads(exported.stdout)
    assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"} and "d" not in jwk
    assert "".join(private.splitlines()[1:-1]) not in exported.stdout

    cert = tmp_path / "cert.json"
    issued = _vstd(
        "certificate",
        "issue",
        str(data_jsonl),
        "--org",
        "org-a",
        "--volunteer",
        "VS0001",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "-o",
        str(cert),
        "--lang",
        "en",
    )
    assert issued.returncode == 0, issued.stderr
    assert "6.85" in issued.stdout and "issued 1 certificate" in issued.stderr
    assert json.loads(cert.read_text())["total_hours"] == "6.85"

    signed = _vstd("certificate", "sign", str(cert), "--key", str(keys), "--lang", "en")
    assert signed.returncode == 0, signed.stderr
    assert jwk["kid"] in signed.stderr

    ok = _vstd("certificate", "verify", str(cert), "--keys", str(tmp_path / "keys"), "--lang", "en")
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout

    tampered = tmp_path / "tampered.json"
    tampered.write_text(cert.read_text(encoding="utf-8").replace("6.85", "9.85"), encoding="utf-8")
    bad = _vstd(
        "certificate", "verify", str(tampered), "--key", str(keys / "public.pem"), "--lang", "zh"
    )
    assert bad.returncode == 6
    assert "篡改" in bad.stderr and "签名与内容不符" in bad.stderr

    revocations = tmp_path / "revocations.json"
    revoked = _vstd(
        "certificate",
        "revoke",
        str(cert),
        "--key",
        str(keys),
        "--revocations",
        str(revocations),
        "--reason",
        "信息有误",
    )
    assert revoked.returncode == 0, revoked.stderr
    after = _vstd(
        "certificate",
        "verify",
        str(cert),
        "--key",
        str(keys / "public.pem"),
        "--revocations",
        str(revocations),
        "--lang",
        "en",
    )
    assert after.returncode == 7 and "revoked" in after.stderr and "信息有误" in after.stderr


def test_batch_issue_signs_and_renders(tmp_path: Path, data_jsonl: Path) -> None:
    keys = tmp_path / "org-a"  # a key folder is trusted for the organization it is named after
    assert runner.invoke(app, ["keys", "generate", str(keys)]).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "certificate",
            "issue",
            str(data_jsonl),
            "--org",
            "org-a",
            "--batch",
            "-o",
            str(out),
            "--key",
            str(keys),
            "--html",
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.json"))
    assert len(files) == 2 and len(list(out.glob("*.html"))) == 2
    for path in files:
        verdict = runner.invoke(app, ["certificate", "verify", str(path), "--keys", str(keys)])
        assert verdict.exit_code == 0, verdict.output


def test_render_pdf_from_the_cli(tmp_path: Path, data_jsonl: Path, cjk_font: None) -> None:
    cert = tmp_path / "c.json"
    runner.invoke(
        app,
        [
            "certificate",
            "issue",
            str(data_jsonl),
            "--org",
            "org-a",
            "--volunteer",
            "vol-2",
            "-o",
            str(cert),
        ],
    )
    result = runner.invoke(app, ["certificate", "render", str(cert), "-o", str(tmp_path / "c.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")


def test_usage_errors_are_one_line(tmp_path: Path, data_jsonl: Path) -> None:
    both = runner.invoke(app, ["certificate", "issue", str(data_jsonl), "--org", "org-a"])
    assert both.exit_code == 2 and "--batch" in both.output
    unknown = runner.invoke(
        app,
        [
            "certificate",
            "issue",
            str(data_jsonl),
            "--org",
            "nope",
            "--batch",
            "--lang",
            "en",
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert unknown.exit_code == 1 and "no organization with id nope" in unknown.output
    nokey = runner.invoke(app, ["certificate", "verify", str(data_jsonl)])
    assert nokey.exit_code == 2
    again = runner.invoke(app, ["keys", "generate", str(tmp_path / "k")])
    assert again.exit_code == 0
    refused = runner.invoke(app, ["keys", "generate", str(tmp_path / "k"), "--lang", "en"])
    assert refused.exit_code == 2 and "refusing to overwrite" in refused.output


def test_unwritable_output_is_one_line(tmp_path: Path, data_jsonl: Path) -> None:
    target = tmp_path / "missing-folder" / "c.json"
    result = runner.invoke(
        app,
        [
            "certificate",
            "issue",
            str(data_jsonl),
            "--org",
            "org-a",
            "--volunteer",
            "vol-2",
            "-o",
            str(target),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 2 and "cannot write" in result.output
    assert "Traceback" not in result.output
