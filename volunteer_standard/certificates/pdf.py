"""Print a certificate as an A4 PDF with a real, embedded (subset) CJK font.

Layout: a double red frame, the title, the certificate number, the statement, a table of
projects and hours with the total, the issuer block with a seal area, signatures and date,
and a QR code with the verification code. Needs the ``pdf`` extra (fpdf2) and a CJK font
(:mod:`.fonts`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from volunteer_standard.certificates._files import write_atomic
from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.certificates.face import LEGAL_BASIS, Face, face_of
from volunteer_standard.certificates.fonts import CjkFont, find_cjk_font
from volunteer_standard.models import Certificate
from volunteer_standard.text import Text

RED = (158, 27, 27)
INK = (34, 34, 34)
GREY = (110, 110, 110)
PALE = (249, 244, 236)
LINE = (205, 180, 160)
W, H = 210.0, 297.0
LEFT, RIGHT = 27.0, 183.0


def _fpdf() -> Any:
    try:
        from fpdf import FPDF
    except ImportError:
        raise CertificateError(
            Text(
                "生成 PDF 需要 fpdf2：pip install 'volunteer-standard[pdf]'",
                "PDF output needs fpdf2: pip install 'volunteer-standard[pdf]'",
            )
        ) from None
    return FPDF


def _frame(pdf: Any) -> None:
    pdf.set_fill_color(*PALE)
    pdf.rect(8, 8, W - 16, H - 16, style="F")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.4)
    pdf.rect(10, 10, W - 20, H - 20)
    pdf.set_line_width(0.35)
    pdf.rect(13, 13, W - 26, H - 26)
    for x, y in ((13, 13), (W - 13, 13), (13, H - 13), (W - 13, H - 13)):
        pdf.set_fill_color(*RED)
        pdf.rect(x - 2.2, y - 2.2, 4.4, 4.4, style="F")


def _header(pdf: Any, face: Face) -> float:
    pdf.set_text_color(*GREY)
    pdf.set_font("cjk", size=9)
    pdf.set_xy(LEFT, 20)
    pdf.cell(RIGHT - LEFT, 5, f"证明编号 No. {face.certificate_no}", align="R")
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", "B", size=30)
    pdf.set_xy(LEFT, 34)
    pdf.cell(RIGHT - LEFT, 14, "志 愿 服 务 证 明", align="C")
    pdf.set_font("cjk", size=10.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(LEFT, 49)
    pdf.cell(RIGHT - LEFT, 6, "CERTIFICATE OF VOLUNTEER SERVICE", align="C")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.5)
    pdf.line(80, 58, 130, 58)
    return 66.0


def _holder(pdf: Any, face: Face, y: float) -> float:
    pdf.set_text_color(*INK)
    rows = [("姓　　名", face.name), ("志愿者编号", face.volunteer_no)]
    if face.id_line:
        rows.append(("证件信息", face.id_line))
    for label, value in rows:
        pdf.set_xy(LEFT + 4, y)
        pdf.set_font("cjk", size=11)
        pdf.set_text_color(*GREY)
        pdf.cell(28, 7, label)
        pdf.set_text_color(*INK)
        pdf.set_font(
            "cjk", "B" if label.startswith("姓") else "", size=13 if label.startswith("姓") else 11
        )
        pdf.cell(120, 7, value)
        y += 8
    pdf.set_font("cjk", size=12)
    y += 3
    for line in wrap_cjk(pdf, "　　" + face.statement, RIGHT - LEFT):
        pdf.set_xy(LEFT, y)
        pdf.cell(RIGHT - LEFT, 8, line)
        y += 8
    return y + 3


#: Characters that may not begin a line (Chinese line-breaking rules, 避头点).
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")
_TOKEN = re.compile(r"[0-9A-Za-z.\-]+|.", re.DOTALL)


def wrap_cjk(pdf: Any, text: str, width: float) -> list[str]:
    """Break Chinese text into lines of at most ``width``: between any two characters,
    but never inside a number or Latin word, and never before closing punctuation."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        if current and pdf.get_string_width(current + token) > width:
            if token in _NO_LINE_START:
                current, token = current[:-1], current[-1] + token
            lines.append(current)
            current = token
        else:
            current += token
    if current:
        lines.append(current)
    return lines


def _table(pdf: Any, face: Face, y: float) -> float:
    widths = (14.0, 76.0, 44.0, 22.0)
    heads = ("序号", "服务项目", "服务期间", "时长(小时)")
    pdf.set_xy(LEFT, y)
    pdf.set_fill_color(*RED)
    pdf.set_text_color(255, 255, 255)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.set_font("cjk", "B", size=10.5)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 9, head, border=1, align="C", fill=True)
    pdf.ln(9)
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", size=10)
    for line in face.lines:
        title = line.title if pdf.get_string_width(line.title) < widths[1] - 4 else None
        height = 9.0 if title else 13.0
        x0, y0 = LEFT, float(pdf.get_y())
        if y0 + height > 226:
            pdf.add_page()
            _frame(pdf)
            x0, y0 = LEFT, 25.0
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x0, y0, sum(widths), height, style="F")
        pdf.set_xy(x0, y0)
        pdf.cell(widths[0], height, str(line.number), border=1, align="C")
        if title:
            pdf.cell(widths[1], height, title, border=1)
        else:
            pdf.multi_cell(widths[1], height / 2, line.title, border=1, max_line_height=height / 2)
            pdf.set_xy(x0 + widths[0] + widths[1], y0)
        pdf.set_font("cjk", size=9)
        pdf.cell(widths[2], height, line.period, border=1, align="C")
        pdf.set_font("cjk", size=10)
        pdf.cell(widths[3], height, line.hours, border=1, align="R")
        pdf.set_xy(x0, y0 + height)
    pdf.set_x(LEFT)
    pdf.set_font("cjk", "B", size=11)
    pdf.set_fill_color(*PALE)
    pdf.cell(sum(widths[:3]), 10, "累计服务时长 Total hours", border=1, align="R", fill=True)
    pdf.set_text_color(*RED)
    pdf.cell(widths[3], 10, face.total_hours, border=1, align="R", fill=True)
    pdf.set_text_color(*INK)
    pdf.ln(14)
    pdf.set_font("cjk", size=12)
    pdf.set_x(LEFT)
    pdf.cell(RIGHT - LEFT, 7, "　　特此证明。")
    return float(pdf.get_y()) + 10


def _qr(pdf: Any, face: Face, x: float, y: float, size: float) -> None:
    matrix = face.qr_matrix()
    n = len(matrix)
    module = size / (n + 2)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(
                    x + module * (start + 1),
                    y + module * (r + 1),
                    module * (c - start),
                    module,
                    style="F",
                )
            else:
                c += 1


def _footer(pdf: Any, face: Face, top: float) -> None:
    # QR and verification, bottom left
    _qr(pdf, face, LEFT, top, 34)
    pdf.set_text_color(*GREY)
    pdf.set_font("cjk", size=8.5)
    pdf.set_xy(LEFT, top + 35)
    pdf.cell(60, 4.5, f"核验码 {face.verification_code}")
    pdf.set_xy(LEFT, top + 39.5)
    pdf.cell(60, 4.5, "扫码或用 vstd certificate verify 核验")
    # issuer, seal area, signatures, bottom right
    cx, cy, radius = 150.0, top + 6, 19.0
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1.2, gap=1.2)
    pdf.circle(x=cx, y=cy, radius=radius)
    pdf.set_dash_pattern()
    pdf.set_text_color(226, 170, 170)
    pdf.set_font("cjk", size=8)
    pdf.set_xy(cx - radius, cy - radius + 4)
    pdf.cell(2 * radius, 4, "盖章处 SEAL", align="C")
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", size=10)
    pdf.set_xy(cx - 45, cy - 9)
    pdf.cell(90, 5, "出具单位（盖章）", align="C")
    pdf.set_font("cjk", "B", size=12)
    size = 12.0
    while pdf.get_string_width(face.issuer) > 92 and size > 8:
        size -= 0.5
        pdf.set_font("cjk", "B", size=size)
    pdf.set_xy(cx - 47, cy - 3)
    pdf.cell(94, 7, face.issuer, align="C")
    pdf.set_font("cjk", size=10.5)
    pdf.set_xy(92, top + 27)
    pdf.cell(
        RIGHT - 92,
        6,
        f"负责人：{face.responsible_person or '　　　　'}　　经办人：{face.handler or '　　　　'}",
        align="R",
    )
    pdf.set_xy(92, top + 34)
    pdf.cell(RIGHT - 92, 6, f"出具日期：{face.issued_on}", align="R")
    if face.contact:
        pdf.set_font("cjk", size=9)
        pdf.set_text_color(*GREY)
        pdf.set_xy(92, top + 40)
        pdf.cell(RIGHT - 92, 5, f"核实联系：{face.contact}", align="R")
    # legal note
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.line(LEFT, 275, RIGHT, 275)
    pdf.set_font("cjk", size=7.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(LEFT, 276.5)
    note = LEGAL_BASIS
    if face.key_id:
        note += f" 电子签名 Ed25519，密钥标识 {face.key_id}。"
    else:
        note += " 本件未经电子签名。"
    pdf.multi_cell(RIGHT - LEFT, 3.8, note, align="L")


def _revoked_mark(pdf: Any) -> None:
    pdf.set_text_color(200, 30, 30)
    pdf.set_font("cjk", "B", size=40)
    with pdf.rotation(30, x=W / 2, y=H / 2):
        pdf.set_xy(30, H / 2 - 10)
        pdf.cell(W - 60, 20, "已撤销  REVOKED", align="C")


def pdf_bytes(certificate: Certificate, font: CjkFont | None = None) -> bytes:
    """The certificate as an A4 PDF."""
    fpdf_class = _fpdf()
    chosen = font or find_cjk_font()
    face = face_of(certificate)
    pdf = fpdf_class(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"志愿服务证明 {face.certificate_no}")
    pdf.set_creator("volunteer-standard")
    pdf.add_font("cjk", "", str(chosen.regular.path), collection_font_number=chosen.regular.index)
    pdf.add_font("cjk", "B", str(chosen.bold.path), collection_font_number=chosen.bold.index)
    pdf.add_page()
    _frame(pdf)
    y = _header(pdf, face)
    y = _holder(pdf, face, y)
    y = _table(pdf, face, y)
    _footer(pdf, face, top=min(228.0, max(y + 22, 165.0)))
    if face.revoked:
        _revoked_mark(pdf)
    return bytes(pdf.output())


def write_pdf(certificate: Certificate, path: str | Path, font: CjkFont | None = None) -> Path:
    """Write the PDF atomically."""
    return write_atomic(path, pdf_bytes(certificate, font))


__all__ = ["pdf_bytes", "write_pdf"]
