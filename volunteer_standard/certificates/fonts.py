"""Find a CJK font to embed in printed certificates.

Order: ``VSTD_CJK_FONT`` (a path, optionally ``path#index`` for a collection), then the
fonts of common Linux packages (Debian/Ubuntu ``fonts-noto-cjk``, ``fonts-wqy-microhei``,
``fonts-wqy-zenhei``, ``fonts-arphic-uming``; Fedora ``google-noto-serif-cjk-fonts``),
then whatever ``fc-match`` offers for Simplified Chinese. Within a collection (``.ttc``)
the Simplified Chinese face is chosen. No font, no PDF: :class:`FontNotFound` says which
package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from volunteer_standard.certificates.errors import CertificateError
from volunteer_standard.text import Text

#: (regular, bold) candidates, best first; serif faces look right on a certificate.
CANDIDATES: tuple[tuple[str, str | None], ...] = (
    (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/google-noto-serif-cjk-fonts/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-serif-cjk-fonts/NotoSerifCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),
)

INSTALL_HINT = "apt-get install fonts-noto-cjk"


class FontNotFound(CertificateError):
    """No CJK font was found on this machine."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (``index`` selects the face of a collection)."""

    path: Path
    index: int = 0


@dataclass(frozen=True)
class CjkFont:
    """The regular and bold faces used to print certificates."""

    regular: FontFace
    bold: FontFace

    @property
    def family(self) -> str:
        """The face's family name (for the HTML font stack)."""
        return _family(self.regular)


def _family(face: FontFace) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    try:
        return str(font["name"].getDebugName(1) or face.path.stem)
    finally:
        font.close()


def _simplified_face(path: Path) -> FontFace:
    """The Simplified Chinese face of a collection (first face otherwise)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return FontFace(path)
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            name = str(font["name"].getDebugName(1) or "")
            if name.endswith(" SC") or "Micro Hei" in name or "Zen Hei" in name:
                return FontFace(path, index)
    finally:
        collection.close()
    return FontFace(path)


def _from_env(value: str) -> CjkFont:
    path_text, _, index = value.partition("#")
    path = Path(path_text)
    if not path.is_file():
        raise FontNotFound(
            Text(
                "VSTD_CJK_FONT 指向的字体文件 {path} 不存在。",
                "VSTD_CJK_FONT points to {path}, which does not exist.",
            ).format(path=path)
        )
    face = FontFace(path, int(index)) if index else _simplified_face(path)
    return CjkFont(face, face)


def _fc_match() -> Path | None:
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        found = subprocess.run(
            [tool, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(found) if found else None
    if path and path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc") and path.is_file():
        return path
    return None


def find_cjk_font() -> CjkFont:
    """The CJK font to embed, or :class:`FontNotFound` with what to install."""
    env = os.environ.get("VSTD_CJK_FONT")
    if env:
        return _from_env(env)
    for regular, bold in CANDIDATES:
        if Path(regular).is_file():
            face = _simplified_face(Path(regular))
            bold_face = _simplified_face(Path(bold)) if bold and Path(bold).is_file() else face
            return CjkFont(face, bold_face)
    matched = _fc_match()
    if matched is not None:
        face = _simplified_face(matched)
        return CjkFont(face, face)
    raise FontNotFound(
        Text(
            "找不到中文字体，无法生成 PDF。请安装（如 {hint}），或用环境变量 VSTD_CJK_FONT "
            "指定 .ttf/.otf/.ttc 字体文件。",
            "no CJK font found, so no PDF can be made. Install one (e.g. {hint}) or point "
            "VSTD_CJK_FONT at a .ttf/.otf/.ttc font file.",
        ).format(hint=INSTALL_HINT)
    )


__all__ = ["CANDIDATES", "CjkFont", "FontFace", "FontNotFound", "find_cjk_font"]
