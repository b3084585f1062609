"""Printable certificates: A4 PDF with an embedded CJK font and QR code; HTML page."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from volunteer_standard.certificates import (
    IssueOptions,
    html_text,
    issue,
    sign_certificate,
    write_pdf,
)
from volunteer_standard.certificates.fonts import FontNotFound, find_cjk_font
from volunteer_standard.models import Certificate

from .conftest import ID_A


@pytest.fixture
def certificate(data_jsonl: Path, key_folder: tuple[Path, object], cjk_font: None) -> Certificate:
    options = IssueOptions(
        organization_id="org-a",
        volunteers=frozenset({"VS0001"}),
        issued_on=date(2025, 1, 10),
        handler="陈经办",
        verify_url="https://verify.example.org/c",
    )
    [cert] = issue(data_jsonl, options).certificates
    from volunteer_standard.certificates import load_private_key

    return sign_certificate(cert, load_private_key(key_folder[0]))


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required in CI (poppler-utils, installed by .ci/run)")
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    return found


def test_pdf_is_a4_with_embedded_cjk_font_and_the_facts(
    tmp_path: Path, certificate: Certificate
) -> None:
    path = write_pdf(certificate, tmp_path / "cert.pdf")
    reader = PdfReader(path)
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # pypdf reads fpdf2's 2-byte CID text with NULs between characters; pdftotext does not.
    text = page.extract_text().replace("\x00", "")
    compact = "".join(text.split())
    assert "李小花" in compact and "志愿服务证明" in compact
    assert "13.85" in compact and certificate.certificate_no in compact
    assert ID_A not in compact and ID_A[:6] + "********" + ID_A[-4:] in compact
    fonts = page["/Resources"]["/Font"]
    embedded = [
        f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts.values()
        if "/DescendantFonts" in f.get_object()
    ]
    assert embedded, "no CID (CJK) font in the PDF"
    assert all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in embedded), (
        "the CJK font is not embedded"
    )


def test_pdf_page_renders_and_is_not_blank(tmp_path: Path, certificate: Certificate) -> None:
    pdftoppm = _need("pdftoppm")
    path = write_pdf(certificate, tmp_path / "cert.pdf")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    [png] = sorted(tmp_path.glob("page*.png"))
    from PIL import Image

    with Image.open(png) as image:
        gray = image.convert("L")
        histogram = gray.histogram()
        dark = sum(histogram[:128])
        assert dark > 0.01 * gray.width * gray.height, "the rendered page is (nearly) blank"
        assert gray.width < gray.height  # portrait


def test_pdf_text_with_pdftotext(tmp_path: Path, certificate: Certificate) -> None:
    pdftotext = _need("pdftotext")
    path = write_pdf(certificate, tmp_path / "cert.pdf")
    out = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "李小花" in out and "13.85" in out


def test_revoked_certificate_is_marked(tmp_path: Path, certificate: Certificate) -> None:
    revoked = certificate.model_copy(update={"status": "revoked"})
    data = write_pdf(revoked, tmp_path / "r.pdf").read_bytes()
    assert "REVOKED" in PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\x00", "")


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VSTD_CJK_FONT", str(tmp_path / "none.ttf"))
    with pytest.raises(FontNotFound, match="does not exist"):
        find_cjk_font()


def test_font_is_found_here(cjk_font: None) -> None:
    font = find_cjk_font()
    assert font.regular.path.is_file()
    assert "SC" in font.family or "Hei" in font.family or "Ming" in font.family


def test_html_page_escapes_and_carries_the_facts(certificate: Certificate) -> None:
    page = html_text(certificate)
    assert "@page { size: A4" in page and "<svg" in page
    assert "李小花" in page and "13.85" in page and certificate.certificate_no in page
    hostile = certificate.model_copy(
        update={"volunteer": certificate.volunteer.model_copy(update={"name": "<b>x</b>"})}
    )
    assert "<b>x</b>" not in html_text(hostile) and "&lt;b&gt;x&lt;/b&gt;" in html_text(hostile)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("CI") and shutil.which("chromium") is None,
    reason="chromium is not installed (it is installed and required in CI)",
)
def test_html_prints_on_one_a4_page_in_chromium(tmp_path: Path, certificate: Certificate) -> None:
    chromium = shutil.which("chromium")
    assert chromium is not None, "CI must provide chromium (.ci/run installs it)"
    page = tmp_path / "cert.html"
    page.write_text(html_text(certificate), encoding="utf-8")
    printed = tmp_path / "cert.pdf"
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reader = PdfReader(printed)
    assert len(reader.pages) == 1, "the HTML certificate does not fit one A4 page"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    # Chromium's ToUnicode maps some glyphs to Kangxi radicals (⼩ for 小): NFKC folds them.
    text = unicodedata.normalize("NFKC", "".join(reader.pages[0].extract_text().split()))
    assert "李小花" in text and "13.85" in text
