"""志愿服务证明: issue, print, sign, verify and revoke certificates of volunteer service.

A library first; ``vstd certificate`` and ``vstd keys`` are thin layers over it::

    from volunteer_standard import certificates as vc

    result = vc.issue("data.jsonl", vc.IssueOptions(organization_id="org-001",
                                                    volunteers=frozenset({"VS20210000003"})))
    key = vc.load_private_key("keys/org-001")
    signed = vc.sign_certificate(result.certificates[0], key)
    vc.write_certificate(signed, "cert.json")
    verdict = vc.verify_file("cert.json", vc.load_public_key("keys/org-001/public.pem"))

The printable forms are :func:`write_html` and :func:`write_pdf` (the ``pdf`` extra).
"""

from volunteer_standard.certificates.documents import (
    certificate_document,
    read_certificate,
    sign_certificate,
    write_certificate,
)
from volunteer_standard.certificates.errors import CertificateError, SigningKeyError
from volunteer_standard.certificates.html import html_text, write_html
from volunteer_standard.certificates.issue import (
    IssueOptions,
    IssueResult,
    IssueStats,
    issue,
    mask_id_number,
)
from volunteer_standard.certificates.keys import (
    KeyRing,
    PublicKey,
    SigningKey,
    generate_key,
    generate_key_files,
    load_private_key,
    load_public_key,
    save_private_key,
    save_public_key,
)
from volunteer_standard.certificates.numbering import (
    certificate_number,
    is_well_formed,
    verification_code,
)
from volunteer_standard.certificates.pdf import pdf_bytes, write_pdf
from volunteer_standard.certificates.revocation import (
    RevocationList,
    load_revocation_list,
    revoke,
)
from volunteer_standard.certificates.signing import PROOF_TYPE, file_form, signing_input
from volunteer_standard.certificates.verify import (
    EXIT_CODES,
    Outcome,
    Verdict,
    verify_bytes,
    verify_file,
)
from volunteer_standard.models import Certificate

__all__ = [
    "EXIT_CODES",
    "PROOF_TYPE",
    "Certificate",
    "CertificateError",
    "IssueOptions",
    "IssueResult",
    "IssueStats",
    "KeyRing",
    "Outcome",
    "PublicKey",
    "RevocationList",
    "SigningKey",
    "SigningKeyError",
    "Verdict",
    "certificate_document",
    "certificate_number",
    "file_form",
    "generate_key",
    "generate_key_files",
    "html_text",
    "is_well_formed",
    "issue",
    "load_private_key",
    "load_public_key",
    "load_revocation_list",
    "mask_id_number",
    "pdf_bytes",
    "read_certificate",
    "revoke",
    "save_private_key",
    "save_public_key",
    "sign_certificate",
    "signing_input",
    "verification_code",
    "verify_bytes",
    "verify_file",
    "write_certificate",
    "write_html",
    "write_pdf",
]
