"""Laying issued certificates out as files: one file, or a folder named by number."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from volunteer_standard.certificates import (
    IssueOptions,
    IssueOutput,
    SigningKey,
    issue,
    read_certificate,
    write_issued,
)

BATCH = IssueOptions(organization_id="org-a", issued_on=date(2025, 1, 10))


def test_one_certificate_goes_to_one_file_by_default(
    data_jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = IssueOptions(organization_id="org-a", volunteers=frozenset({"VS0001"}))
    [cert] = issue(data_jsonl, one).certificates
    [(written, path)] = list(write_issued([cert], IssueOutput()))
    assert path == Path("certificate.json") and written.proof is None
    assert read_certificate(tmp_path / path).certificate_no == cert.certificate_no


def test_several_go_to_a_folder_named_by_number_signed_and_printed(
    data_jsonl: Path, tmp_path: Path, key_folder: tuple[Path, SigningKey]
) -> None:
    certs = issue(data_jsonl, BATCH).certificates
    assert len(certs) > 1
    folder = tmp_path / "out"
    output = IssueOutput(folder, key=key_folder[1], html=True)
    written = list(write_issued(certs, output))
    assert [p.name for _, p in written] == [f"{c.certificate_no}.json" for c in certs]
    assert all(c.proof is not None for c, _ in written)
    assert sorted(os.listdir(folder)) == sorted(
        f"{c.certificate_no}{suffix}" for c in certs for suffix in (".json", ".html")
    )


def test_batch_mode_or_an_existing_folder_means_a_folder_even_for_one(tmp_path: Path) -> None:
    assert IssueOutput(folder=True).layout(1) == (Path("certificates"), True)
    assert IssueOutput(tmp_path).layout(1) == (tmp_path, True)
    assert IssueOutput(tmp_path / "c.json").layout(1) == (tmp_path / "c.json", False)
    assert IssueOutput().layout(2) == (Path("certificates"), True)
