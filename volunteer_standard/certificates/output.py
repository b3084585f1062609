"""Writing issued certificates to files: one file, or a folder of them, signed and printed.

``vstd certificate issue`` and any other caller lay certificates out the same way: one
certificate goes to one file (``certificate.json`` by default); several — or any number in
batch mode, or when the target is an existing folder — go to a folder (``certificates/``
by default), each named by its certificate number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from volunteer_standard.certificates.documents import sign_certificate, write_certificate
from volunteer_standard.certificates.html import write_html
from volunteer_standard.certificates.keys import SigningKey
from volunteer_standard.certificates.pdf import write_pdf
from volunteer_standard.models import Certificate


@dataclass(frozen=True)
class IssueOutput:
    """Where and how issued certificates are written."""

    #: A certificate file, or a folder when several are written (None: the defaults).
    target: Path | None = None
    #: Always write a folder, even for one certificate (batch mode).
    folder: bool = False
    #: Sign each certificate with this key before writing it.
    key: SigningKey | None = None
    #: Also write a PDF / an HTML page next to each certificate file.
    pdf: bool = False
    html: bool = False

    def layout(self, count: int) -> tuple[Path, bool]:
        """(target, whether it is a folder) for ``count`` certificates."""
        several = self.folder or count > 1 or bool(self.target and self.target.is_dir())
        target = self.target or Path("certificates" if several else "certificate.json")
        return target, several


def write_issued(
    certificates: Sequence[Certificate], output: IssueOutput
) -> Iterator[tuple[Certificate, Path]]:
    """Sign and write each certificate (and its printable forms), atomically, one by one.

    Yields each certificate as written (signed, if a key was given) with its file, so a
    caller can report progress; stops at the first error (``VstdError`` or ``OSError``).
    """
    target, several = output.layout(len(certificates))
    if several:
        target.mkdir(parents=True, exist_ok=True)
    for certificate in certificates:
        if output.key is not None:
            certificate = sign_certificate(certificate, output.key)
        path = target / f"{certificate.certificate_no}.json" if several else target
        write_certificate(certificate, path)
        if output.pdf:
            write_pdf(certificate, path.with_suffix(".pdf"))
        if output.html:
            write_html(certificate, path.with_suffix(".html"))
        yield certificate, path


__all__ = ["IssueOutput", "write_issued"]
