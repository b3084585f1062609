"""``vstd keys``: make and export an issuing organization's Ed25519 signing keys.

Private keys are written with owner-only permissions and never printed.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from volunteer_standard.commands._common import LangArg, fail, resolve_lang
from volunteer_standard.errors import VstdError

app = typer.Typer(help="Signing keys of issuing organizations (签名密钥).", no_args_is_help=True)


class KeyFormat(StrEnum):
    pem = "pem"
    jwk = "jwk"


@app.command("generate")
def generate_command(
    folder: Annotated[Path, typer.Argument(help="Key folder to create (private.pem, public.pem).")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing private key (it is lost).")
    ] = False,
    lang: LangArg = None,
) -> None:
    """Generate an Ed25519 key: FOLDER/private.pem (mode 0600) and FOLDER/public.pem."""
    from volunteer_standard.certificates import keys as keystore

    language = resolve_lang(lang)
    try:
        key = keystore.generate_key_files(folder, overwrite=force)
    except VstdError as exc:
        fail(exc.message(language))
    if language == "zh":
        typer.echo(f"已生成密钥 {key.kid}：{folder / keystore.PRIVATE_NAME}（仅本人可读）")
    else:
        typer.echo(f"generated key {key.kid}: {folder / keystore.PRIVATE_NAME} (owner-only)")


@app.command("export")
def export_command(
    key: Annotated[Path, typer.Argument(help="Key folder, private key or public key file.")],
    fmt: Annotated[KeyFormat, typer.Option("--format", "-f", help="pem or jwk.")] = KeyFormat.pem,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    lang: LangArg = None,
) -> None:
    """Export the PUBLIC key as SubjectPublicKeyInfo PEM or as a JWK with its key id."""
    from volunteer_standard.certificates import keys as keystore

    language = resolve_lang(lang)
    try:
        public = keystore.load_public_key(key)
    except VstdError as exc:
        fail(exc.message(language))
    if fmt is KeyFormat.jwk:
        data = json.dumps(public.to_jwk(), indent=2) + "\n"
    else:
        data = public.to_pem().decode("ascii")
    if output is None:
        typer.echo(data, nl=False)
    else:
        from volunteer_standard.certificates._files import write_atomic

        write_atomic(output, data.encode("ascii"))
