"""Print a certificate as a self-contained A4 HTML page (QR code inline as SVG).

The page prints on A4 from any browser (``@page { size: A4 }``) and asks for a CJK serif
font installed on the reader's machine (Noto Serif CJK SC, Source Han Serif SC, SimSun,
Songti SC), with sans-serif CJK faces as fallback. Every value is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import segno

from volunteer_standard.certificates._files import write_atomic
from volunteer_standard.certificates.face import LEGAL_BASIS, face_of
from volunteer_standard.models import Certificate

_CSS = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; background: #ddd; color: #222;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; }
.page { width: 210mm; height: 297mm; margin: 0 auto; padding: 10mm; background: #f9f4ec;
  position: relative; }
.frame { border: 1.4mm solid #9e1b1b; height: 100%; padding: 2mm; }
.inner { border: 0.35mm solid #9e1b1b; height: 100%; padding: 8mm 14mm; position: relative; }
.no { text-align: right; font-size: 9pt; color: #6e6e6e; }
h1 { text-align: center; color: #9e1b1b; font-size: 30pt; letter-spacing: 0.5em;
  margin: 8mm 0 0 0.5em; }
.sub { text-align: center; color: #6e6e6e; font-size: 10.5pt; letter-spacing: 0.1em;
  border-bottom: 0.5mm solid #9e1b1b; width: 90mm; margin: 1mm auto 8mm; padding-bottom: 2mm; }
dl { display: grid; grid-template-columns: 28mm auto; row-gap: 1.5mm; margin: 0 0 5mm 4mm; }
dt { color: #6e6e6e; } dd { margin: 0; } dd.name { font-weight: bold; font-size: 13pt; }
p.statement { text-indent: 2em; font-size: 12pt; line-height: 1.8; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; background: #fff; }
th { background: #9e1b1b; color: #fff; padding: 2mm; border: 0.2mm solid #cdb4a0; }
td { padding: 2mm; border: 0.2mm solid #cdb4a0; }
td.n, td.p { text-align: center; } td.h { text-align: right; }
tr.total td { background: #f9f4ec; font-weight: bold; text-align: right; }
tr.total td.h { color: #9e1b1b; }
.end { text-indent: 2em; font-size: 12pt; margin-top: 5mm; }
.bottom { position: absolute; left: 14mm; right: 14mm; bottom: 22mm; display: flex;
  justify-content: space-between; align-items: flex-end; }
.qr { font-size: 8.5pt; color: #6e6e6e; } .qr svg { width: 34mm; height: 34mm; display: block; }
.issuer { text-align: right; font-size: 10.5pt; line-height: 1.9; }
.seal { width: 38mm; height: 38mm; border: 0.3mm dashed #9e1b1b; border-radius: 50%;
  margin-left: auto; margin-right: 14mm; display: flex; flex-direction: column;
  justify-content: center; align-items: center; text-align: center; }
.seal small { color: #e2aaaa; font-size: 8pt; } .seal b { white-space: nowrap; }
.legal { position: absolute; left: 14mm; right: 14mm; bottom: 6mm; font-size: 7.5pt;
  color: #6e6e6e; border-top: 0.2mm solid #cdb4a0; padding-top: 1.5mm; }
.revoked { position: absolute; top: 45%; left: 0; right: 0; text-align: center;
  transform: rotate(-30deg); color: rgba(200, 30, 30, 0.8); font-size: 40pt; font-weight: bold; }
@media print { body { background: none; } .page { margin: 0; } }
"""


def html_text(certificate: Certificate) -> str:
    """The certificate as one HTML document."""
    face = face_of(certificate)
    qr = segno.make(face.qr_payload, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=1, dark="#000", light="#fff", omitsize=True)
    e = escape
    rows = "\n".join(
        f'<tr><td class="n">{line.number}</td><td>{e(line.title)}</td>'
        f'<td class="p">{e(line.period)}</td><td class="h">{e(line.hours)}</td></tr>'
        for line in face.lines
    )
    id_row = f"<dt>证件信息</dt><dd>{e(face.id_line)}</dd>" if face.id_line else ""
    signature = (
        f"电子签名 Ed25519，密钥标识 {e(face.key_id)}。" if face.key_id else "本件未经电子签名。"
    )
    contact = f"<br>核实联系：{e(face.contact)}" if face.contact else ""
    revoked = '<div class="revoked">已撤销 REVOKED</div>' if face.revoked else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>志愿服务证明 {e(face.certificate_no)}</title>
<style>{_CSS}</style>
</head>
<body>
<div class="page"><div class="frame"><div class="inner">
<div class="no">证明编号 No. {e(face.certificate_no)}</div>
<h1>志愿服务证明</h1>
<div class="sub">CERTIFICATE OF VOLUNTEER SERVICE</div>
<dl>
<dt>姓　　名</dt><dd class="name">{e(face.name)}</dd>
<dt>志愿者编号</dt><dd>{e(face.volunteer_no)}</dd>
{id_row}
</dl>
<p class="statement">{e(face.statement)}</p>
<table>
<thead><tr><th>序号</th><th>服务项目</th><th>服务期间</th><th>时长(小时)</th></tr></thead>
<tbody>
{rows}
<tr class="total"><td colspan="3">累计服务时长 Total hours</td>
<td class="h">{e(face.total_hours)}</td></tr>
</tbody>
</table>
<p class="end">特此证明。</p>
<div class="bottom">
<div class="qr">{svg}核验码 {e(face.verification_code)}<br>
扫码或用 vstd certificate verify 核验</div>
<div class="issuer">
<div class="seal"><small>盖章处 SEAL</small>出具单位（盖章）<b>{e(face.issuer)}</b></div>
负责人：{e(face.responsible_person) or "　　　　"}　　经办人：{e(face.handler) or "　　　　"}<br>
出具日期：{e(face.issued_on)}{contact}
</div>
</div>
<div class="legal">{e(LEGAL_BASIS)} {signature}</div>
{revoked}
</div></div></div>
</body>
</html>
"""


def write_html(certificate: Certificate, path: str | Path) -> Path:
    """Write the HTML page atomically."""
    return write_atomic(path, html_text(certificate).encode("utf-8"))


__all__ = ["html_text", "write_html"]
