"""``vstd certificate``: issue, render, sign, verify and revoke 志愿服务证明.

Each command is a few lines over :mod:`volunteer_standard.certificates`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.errors import VstdError
from volunteer_standard.text import Lang

if TYPE_CHECKING:  # imported inside each command: ``vstd --help`` need not load them
    from volunteer_standard import certificates as vc

app = typer.Typer(
    help="Certificates of volunteer service (志愿服务证明): issue, render, sign, verify, revoke.",
    no_args_is_help=True,
)


class RenderFormat(StrEnum):
    pdf = "pdf"
    html = "html"


def _render(certificate: vc.Certificate, path: Path, fmt: RenderFormat | None) -> None:
    from volunteer_standard import certificates as vc

    kind = fmt or (RenderFormat.html if path.suffix.lower() in (".html", ".htm") else None)
    if kind is RenderFormat.html:
        vc.write_html(certificate, path)
    else:
        vc.write_pdf(certificate, path)


def _cannot_write(exc: OSError, lang: Lang) -> str:
    where = exc.filename or ""
    why = exc.strerror or type(exc).__name__
    return f"无法写入 {where}：{why}" if lang == "zh" else f"cannot write {where}: {why}"


def _say(lang: Lang, zh: str, en: str) -> None:
    typer.echo(zh if lang == "zh" else en, err=True)


@app.command("issue")
def issue_command(
    data: Annotated[Path, typer.Argument(help="Standard dataset (JSON package or JSON Lines).")],
    org: Annotated[str, typer.Option("--org", help="Id of the issuing organization.")],
    volunteer: Annotated[
        list[str] | None,
        typer.Option("--volunteer", help="Volunteer id or number (repeatable)."),
    ] = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="One certificate per volunteer with hours.")
    ] = False,
    start: Annotated[
        str | None, typer.Option("--from", help="First day counted, YYYY-MM-DD.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day counted, YYYY-MM-DD.")] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Certificate file (default certificate.json); a folder (default "
            "certificates/) when several are issued.",
        ),
    ] = None,
    key: Annotated[
        Path | None, typer.Option("--key", help="Sign with this private key (or key folder).")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF next to each.")] = False,
    html: Annotated[bool, typer.Option("--html", help="Also write an HTML page.")] = False,
    handler: Annotated[str | None, typer.Option("--handler", help="经办人.")] = None,
    responsible: Annotated[
        str | None, typer.Option("--responsible", help="负责人 (default: the org's leader).")
    ] = None,
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="Code list certificate_purpose.")
    ] = None,
    issued_on: Annotated[
        str | None, typer.Option("--date", help="Date of issue (default: today).")
    ] = None,
    verify_url: Annotated[
        str | None, typer.Option("--verify-url", help="Base URL the QR code points to.")
    ] = None,
    lang: LangArg = None,
) -> None:
    """Issue certificates from the organization's effective service records."""
    from volunteer_standard import certificates as vc

    language = resolve_lang(lang)
    if bool(volunteer) == batch:
        fail("give --volunteer V (repeatable) or --batch, not both / 请指定 --volunteer 或 --batch")
    try:
        options = vc.IssueOptions(
            organization_id=org,
            volunteers=None if batch else frozenset(volunteer or ()),
            start=_day(start),
            end=_day(end),
            issued_on=_day(issued_on) or date.today(),
            purpose=purpose,
            handler=handler,
            responsible_person=responsible,
            verify_url=verify_url,
        )
    except ValueError as exc:
        fail(f"invalid date / 日期无效: {exc}")
    try:
        signing_key = vc.load_private_key(key) if key else None
        result = vc.issue(data, options)
        files = vc.IssueOutput(output, folder=batch, key=signing_key, pdf=pdf, html=html)
        for certificate, path in vc.write_issued(result.certificates, files):
            typer.echo(f"{certificate.certificate_no}\t{certificate.total_hours}\t{path}")
    except VstdError as exc:
        fail(exc.message(language), 1)
    except OSError as exc:
        fail(_cannot_write(exc, language))
    typer.echo(result.summary().get(language), err=True)
    for missing in result.without_hours:
        _say(language, f"无可出具的时长：{missing}", f"no hours to certify for {missing}")


def _day(text: str | None) -> date | None:
    """A YYYY-MM-DD option (ValueError when it is not one)."""
    return date.fromisoformat(text) if text else None


@app.command("sign")
def sign_command(
    file: Annotated[Path, typer.Argument(help="Certificate file (JSON).")],
    key: Annotated[Path, typer.Option("--key", help="Private key file or key folder.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Signed file (default: in place).")
    ] = None,
    lang: LangArg = None,
) -> None:
    """Sign a certificate with the issuing organization's private key."""
    from volunteer_standard import certificates as vc

    language = resolve_lang(lang)
    try:
        signed = vc.sign_certificate(vc.read_certificate(file), vc.load_private_key(key))
        vc.write_certificate(signed, output or file)
    except VstdError as exc:
        fail(exc.message(language))
    except OSError as exc:
        fail(_cannot_write(exc, language))
    assert signed.proof is not None
    _say(language, f"已签名，密钥 {signed.proof.key_id}", f"signed with key {signed.proof.key_id}")


@app.command("render")
def render_command(
    file: Annotated[Path, typer.Argument(help="Certificate file (JSON).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF or HTML file to write.")],
    fmt: Annotated[
        RenderFormat | None, typer.Option("--format", "-f", help="pdf or html (default: suffix).")
    ] = None,
    lang: LangArg = None,
) -> None:
    """Print a certificate as an A4 PDF (embedded CJK font) or HTML page."""
    from volunteer_standard import certificates as vc

    language = resolve_lang(lang)
    try:
        _render(vc.read_certificate(file), output, fmt)
    except VstdError as exc:
        fail(exc.message(language))
    except OSError as exc:
        fail(_cannot_write(exc, language))


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="Signed certificate file.")],
    keys: Annotated[
        Path | None, typer.Option("--keys", help="Folder of trusted issuer public keys.")
    ] = None,
    key: Annotated[Path | None, typer.Option("--key", help="The issuer's public key.")] = None,
    revocations: Annotated[
        Path | None, typer.Option("--revocations", help="The issuer's signed revocation list.")
    ] = None,
    lang: LangArg = None,
) -> None:
    """Check signature, issuer key, integrity and revocation; explain any failure.

    Exit codes: 0 valid, 2 unreadable, 3 not a certificate, 4 not signed, 5 key not
    trusted, 6 altered, 7 revoked, 8 revocation list not usable.
    """
    from volunteer_standard import certificates as vc

    language = resolve_lang(lang)
    if (keys is None) == (key is None):
        fail("give --keys DIR or --key PEM / 请指定 --keys 或 --key")
    try:
        trusted: vc.KeyRing | vc.PublicKey = (
            vc.KeyRing.from_folder(keys) if keys is not None else vc.load_public_key(key or "")
        )
    except VstdError as exc:
        fail(exc.message(language))
    except OSError as exc:
        fail(_cannot_write(exc, language))
    verdict = vc.verify_file(file, trusted, revocations)
    line = verdict.message(language)
    if verdict.ok:
        typer.echo(("✓ " if language == "zh" else "OK ") + line)
    else:
        typer.echo(f"{file}: " + line, err=True)
    raise typer.Exit(verdict.exit_code)


@app.command("revoke")
def revoke_command(
    file: Annotated[Path, typer.Argument(help="The certificate to revoke.")],
    key: Annotated[Path, typer.Option("--key", help="The issuer's private key or key folder.")],
    revocations: Annotated[
        Path, typer.Option("--revocations", help="Revocation list to update (made if missing).")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why it is revoked.")],
    lang: LangArg = None,
) -> None:
    """Add a certificate to the issuer's signed revocation list."""
    from volunteer_standard import certificates as vc

    language = resolve_lang(lang)
    try:
        certificate = vc.read_certificate(file)
        listing = vc.revoke(
            revocations,
            vc.load_private_key(key),
            certificate_no=certificate.certificate_no,
            organization_id=certificate.issuer.organization_id,
            issuer_name=certificate.issuer.name,
            reason=reason,
        )
    except VstdError as exc:
        fail(exc.message(language))
    except OSError as exc:
        fail(_cannot_write(exc, language))
    _say(
        language,
        f"已撤销 {certificate.certificate_no}；清单共 {len(listing.entries)} 条",
        f"revoked {certificate.certificate_no}; the list has {len(listing.entries)} entries",
    )
