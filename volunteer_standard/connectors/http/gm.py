"""China's national algorithms (国密 SM2, SM3, SM4) as request and response hooks.

Provincial government gateways (政务网关) and several volunteer platforms sign every
request with SM3 or SM2 over the sorted form parameters, encrypt personal fields with the
platform's SM2 public key and sometimes encrypt the whole payload with SM4. This module
holds those operations once, as plain functions and as :data:`RequestHook` /
:data:`ResponseHook` factories, so any vendor connector on the HTTP base can use them.

The algorithms come from maintained libraries, never from hand-written code: SM3 and SM4
from ``cryptography`` (OpenSSL, C speed for large payloads), SM2 from ``gmalg`` (pure
Python, randomness from :mod:`secrets`, checks C3 when decrypting). Both are in the
``gm`` extra: ``pip install 'volunteer-standard[gm]'``. The test suite checks them against
the GB/T 32905 (SM3), GB/T 32907 (SM4) and GB/T 32918 (SM2) worked examples.

Keys are secrets: functions accept :class:`~pydantic.SecretStr` and the hooks keep them
inside closures, so they never appear in a ``repr``, a log line or an error message.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import hmac as _hmac
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from pydantic import SecretStr

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.text import Text

#: The default user id of SM2 signatures (GB/T 35276: ``1234567812345678``).
DEFAULT_SM2_UID = b"1234567812345678"
#: Form field that carries the signature in the gateway pattern.
SIGN_FIELD = "sign"

Encoding = Literal["hex", "base64"]
SM4Mode = Literal["ecb", "cbc"]
SM2CipherOrder = Literal["c1c3c2", "c1c2c3"]
SignatureFormat = Literal["rs", "der"]
Secret = SecretStr | str | bytes


class GmError(ConnectorError):
    """A national-algorithm operation failed (bad key, wrong key, damaged ciphertext).

    The message never contains key material or the data being processed.
    """


class _HasForm(Protocol):
    """What the hooks need of a request (:class:`~.hooks.OutgoingRequest` has it)."""

    form: dict[str, str] | None


R = TypeVar("R", bound=_HasForm)


# -- keys --------------------------------------------------------------------------------


def _reveal(secret: Secret) -> str | bytes:
    return secret.get_secret_value() if isinstance(secret, SecretStr) else secret


def key_bytes(secret: Secret, length: int, *, what: str = "key") -> bytes:
    """Key material as bytes: ``length`` raw bytes, ``2*length`` hex digits, or a text of
    ``length`` ASCII characters (some platforms configure SM4 keys as 16-character text)."""
    value = _reveal(secret)
    if isinstance(value, bytes):
        raw = value
    else:
        text = value.strip()
        if len(text) == 2 * length:
            try:
                raw = bytes.fromhex(text)
            except ValueError:
                raw = text.encode("utf-8")
        else:
            raw = text.encode("utf-8")
    if len(raw) != length:
        raise GmError(
            Text(
                f"{what}长度不对：应为 {length} 字节（或 {2 * length} 位十六进制）",
                f"{what} has the wrong length: expected {length} bytes "
                f"(or {2 * length} hex digits)",
            )
        )
    return raw


def _hex_key(secret: Secret, *, what: str) -> bytes:
    value = _reveal(secret)
    if isinstance(value, bytes):
        return value
    text = value.strip()
    if text.lower().startswith("0x"):
        text = text[2:]
    try:
        return bytes.fromhex(text)
    except ValueError:
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise GmError(
                Text(f"{what}不是十六进制或 Base64 文本", f"{what} is neither hex nor base64")
            ) from None


def _public_point(public_key: Secret) -> bytes:
    """An SM2 public key as the uncompressed point ``04 || x || y``, checked to lie on
    the curve (a wrong or truncated key is refused here, not deep inside a request)."""
    raw = _hex_key(public_key, what="SM2 公钥 / SM2 public key")
    if len(raw) == 64:
        raw = b"\x04" + raw
    if len(raw) != 65 or raw[0] != 4 or not _valid_point(raw):
        raise GmError(
            Text(
                "SM2 公钥无效：应为曲线上的点 x||y（64 字节，可带前缀 04）",
                "invalid SM2 public key: it must be a curve point x||y (64 bytes, "
                "optionally prefixed with 04)",
            )
        )
    return raw


@functools.lru_cache(maxsize=64)
def _valid_point(raw: bytes) -> bool:
    try:
        return bool(_gmalg().SM2().verify_pk(raw))
    except Exception:  # malformed bytes are simply not a valid key
        return False


def _private_scalar(private_key: Secret) -> bytes:
    raw = _hex_key(private_key, what="SM2 私钥 / SM2 private key")
    if len(raw) != 32:
        raise GmError(Text("SM2 私钥应为 32 字节", "an SM2 private key is 32 bytes"))
    return raw


def _gmalg() -> Any:
    try:
        import gmalg
    except ImportError:  # pragma: no cover - the extra is part of dev
        raise GmError(
            Text(
                "缺少国密算法库：请安装 volunteer-standard[gm]",
                "the national-algorithm library is missing: install volunteer-standard[gm]",
            )
        ) from None
    return gmalg


def sm2_keypair() -> tuple[str, str]:
    """A new SM2 key pair as hex: (private key, public key ``04||x||y``)."""
    sm2 = _gmalg().SM2()
    private, public = sm2.generate_keypair()
    return private.rjust(32, b"\x00").hex(), public.hex()


def sm2_public_key(private_key: Secret) -> str:
    """The public key (hex ``04||x||y``) of an SM2 private key."""
    sm2 = _gmalg().SM2()
    return str(sm2.generate_pk(_private_scalar(private_key)).hex())


# -- SM3 ---------------------------------------------------------------------------------


def sm3(data: bytes) -> bytes:
    """The SM3 digest (GB/T 32905) of ``data``: 32 bytes."""
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: Secret, data: bytes) -> bytes:
    """HMAC (RFC 2104) with SM3 as the hash: a keyed signature that needs no key pair."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as chmac

    value = _reveal(key)
    mac = chmac.HMAC(value.encode("utf-8") if isinstance(value, str) else value, hashes.SM3())
    mac.update(data)
    return mac.finalize()


# -- SM4 ---------------------------------------------------------------------------------


def _pkcs7_pad(data: bytes) -> bytes:
    n = 16 - len(data) % 16
    return data + bytes([n]) * n


def _pkcs7_unpad(data: bytes) -> bytes:
    n = data[-1] if data else 0
    if not data or len(data) % 16 or not 1 <= n <= 16 or data[-n:] != bytes([n]) * n:
        raise GmError(
            Text(
                "SM4 解密失败：密钥不对，或密文已损坏",
                "SM4 decryption failed: the key is wrong or the ciphertext is damaged",
            )
        )
    return data[:-n]


@dataclass(frozen=True)
class SM4:
    """SM4 (GB/T 32907) with PKCS#7 padding, in ECB or CBC mode as the platforms use it.

    ``key`` and ``iv`` are 16 bytes each (hex or 16-character text accepted); CBC needs an
    ``iv``. The key is not shown in ``repr``.
    """

    key: bytes = dataclasses.field(repr=False)
    mode: SM4Mode = "cbc"
    iv: bytes | None = dataclasses.field(default=None, repr=False)

    @classmethod
    def from_config(cls, key: Secret, mode: SM4Mode = "cbc", iv: Secret | None = None) -> SM4:
        """Build from configuration values (SecretStr, hex or text)."""
        if mode == "cbc" and iv is None:
            raise GmError(Text("SM4-CBC 需要初始向量 (iv)", "SM4-CBC needs an iv"))
        return cls(
            key_bytes(key, 16, what="SM4 密钥 / SM4 key"),
            mode,
            None if iv is None else key_bytes(iv, 16, what="SM4 iv"),
        )

    def _cipher(self) -> Any:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        mode = modes.CBC(self.iv or b"") if self.mode == "cbc" else modes.ECB()
        return Cipher(algorithms.SM4(self.key), mode)

    def encrypt(self, plain: bytes) -> bytes:
        """``plain`` padded (PKCS#7) and encrypted."""
        encryptor = self._cipher().encryptor()
        return bytes(encryptor.update(_pkcs7_pad(plain)) + encryptor.finalize())

    def decrypt(self, cipher: bytes) -> bytes:
        """The plain bytes; :class:`GmError` when the key is wrong or the data damaged."""
        if not cipher or len(cipher) % 16:
            raise GmError(
                Text(
                    "SM4 密文长度不是 16 字节的整数倍：密文已损坏",
                    "SM4 ciphertext is not a whole number of 16-byte blocks: it is damaged",
                )
            )
        decryptor = self._cipher().decryptor()
        return _pkcs7_unpad(bytes(decryptor.update(cipher) + decryptor.finalize()))

    def encrypt_text(self, text: str, encoding: Encoding = "base64") -> str:
        """UTF-8 ``text`` encrypted, as base64 or hex."""
        return _encode(self.encrypt(text.encode("utf-8")), encoding)

    def decrypt_text(self, text: str, encoding: Encoding = "base64") -> str:
        """The UTF-8 text of a base64 or hex ciphertext."""
        plain = self.decrypt(_decode(text, encoding, what="SM4"))
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError:
            raise GmError(
                Text(
                    "SM4 解密结果不是 UTF-8 文本：密钥不对",
                    "SM4 decryption gave no UTF-8 text: the key is wrong",
                )
            ) from None


def _encode(data: bytes, encoding: Encoding) -> str:
    return data.hex() if encoding == "hex" else base64.b64encode(data).decode("ascii")


def _decode(text: str, encoding: Encoding, *, what: str) -> bytes:
    try:
        if encoding == "hex":
            return bytes.fromhex(text)
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise GmError(
            Text(
                f"{what} 密文不是合法的 {encoding} 文本",
                f"{what} ciphertext is not valid {encoding}",
            )
        ) from None


# -- SM2 ---------------------------------------------------------------------------------


def sm2_sign(
    private_key: Secret,
    message: bytes,
    *,
    uid: bytes = DEFAULT_SM2_UID,
    signature_format: SignatureFormat = "rs",
) -> bytes:
    """An SM2 signature (GB/T 32918.2, with Z computed from ``uid``) of ``message``:
    ``r||s`` (64 bytes) or DER. Each call uses a fresh random ``k``."""
    scalar = _private_scalar(private_key)
    sm2 = _gmalg().SM2(scalar, uid)
    r, s = sm2.sign(message)
    if signature_format == "der":
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        return encode_dss_signature(int.from_bytes(r, "big"), int.from_bytes(s, "big"))
    return bytes(r).rjust(32, b"\x00") + bytes(s).rjust(32, b"\x00")


def sm2_verify(
    public_key: Secret,
    message: bytes,
    signature: bytes,
    *,
    uid: bytes = DEFAULT_SM2_UID,
    signature_format: SignatureFormat = "rs",
) -> bool:
    """Whether ``signature`` (``r||s`` or DER) is a valid SM2 signature of ``message``."""
    if signature_format == "der":
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        try:
            r_int, s_int = decode_dss_signature(signature)
        except ValueError:
            return False
        r, s = r_int.to_bytes(32, "big"), s_int.to_bytes(32, "big")
    else:
        if len(signature) != 64:
            return False
        r, s = signature[:32], signature[32:]
    sm2 = _gmalg().SM2(pk=_public_point(public_key), uid=uid)
    try:
        return bool(sm2.verify(message, r, s))
    except Exception:  # a malformed point or signature is simply not valid
        return False


def sm2_encrypt(public_key: Secret, plain: bytes, *, order: SM2CipherOrder = "c1c3c2") -> bytes:
    """SM2 public-key encryption (GB/T 32918.4): ``04||C1 ‖ C3 ‖ C2`` (the 2016 order) or
    ``C1 ‖ C2 ‖ C3`` (older platforms)."""
    sm2 = _gmalg().SM2(pk=_public_point(public_key))
    cipher = bytes(sm2.encrypt(plain))  # 04||x||y || C3 (32) || C2
    if order == "c1c2c3":
        c1, c3, c2 = cipher[:65], cipher[65:97], cipher[97:]
        return c1 + c2 + c3
    return cipher


def sm2_decrypt(private_key: Secret, cipher: bytes, *, order: SM2CipherOrder = "c1c3c2") -> bytes:
    """The plain bytes of an SM2 ciphertext; :class:`GmError` if the key is wrong (the C3
    check fails) or the ciphertext is damaged. A missing ``04`` prefix is tolerated (a
    ciphertext whose C1 starts with the byte 04 by chance is tried both ways)."""
    candidates = [cipher, b"\x04" + cipher] if cipher[:1] == b"\x04" else [b"\x04" + cipher]
    gmalg = _gmalg()
    sm2 = gmalg.SM2(_private_scalar(private_key))
    for candidate in candidates:
        if len(candidate) < 97:
            continue
        if order == "c1c2c3":
            candidate = candidate[:65] + candidate[-32:] + candidate[65:-32]
        try:
            return bytes(sm2.decrypt(candidate))
        except (gmalg.errors.GMError, ValueError, IndexError):
            continue
    raise GmError(
        Text(
            "SM2 解密失败：私钥不对，或密文已损坏",
            "SM2 decryption failed: the private key is wrong or the ciphertext is damaged",
        )
    )


# -- the gateway's canonical string ---------------------------------------------------------


def canonical_string(
    params: Mapping[str, Any], *, exclude: Iterable[str] = (SIGN_FIELD,), skip_empty: bool = True
) -> str:
    """``k1=v1&k2=v2…`` over the parameters sorted by name (byte order), without the
    signature itself and, as the gateways do, without empty values."""
    excluded = set(exclude)
    pairs = [
        (key, "" if value is None else str(value))
        for key, value in params.items()
        if key not in excluded
    ]
    return "&".join(f"{k}={v}" for k, v in sorted(pairs) if v or not skip_empty)


SignMethod = Literal["sm3", "hmac-sm3", "sm2"]


@dataclass(frozen=True)
class Signer:
    """Signs and verifies the gateway's canonical string.

    * ``sm3``: ``hex(SM3(canonical + "&key=" + secret))`` (the secret appended, as the
      MD5-era gateways did);
    * ``hmac-sm3``: ``hex(HMAC-SM3(secret, canonical))``;
    * ``sm2``: ``hex`` (or base64) of the SM2 signature with the client's private key; the
      gateway verifies with the registered public key.
    """

    method: SignMethod
    secret: Secret | None = dataclasses.field(default=None, repr=False)
    public_key: str | None = None
    uid: bytes = DEFAULT_SM2_UID
    encoding: Encoding = "hex"
    signature_format: SignatureFormat = "rs"
    key_suffix: str = "&key="

    def sign(self, params: Mapping[str, Any]) -> str:
        """The signature of ``params`` (its ``sign`` field is ignored)."""
        text = canonical_string(params).encode("utf-8")
        if self.secret is None:
            raise GmError(Text("没有配置签名密钥", "no signing key is configured"))
        if self.method == "sm3":
            secret = _reveal(self.secret)
            suffix = self.key_suffix.encode("utf-8") + (
                secret.encode("utf-8") if isinstance(secret, str) else secret
            )
            return sm3(text + suffix).hex()
        if self.method == "hmac-sm3":
            return hmac_sm3(self.secret, text).hex()
        raw = sm2_sign(self.secret, text, uid=self.uid, signature_format=self.signature_format)
        return _encode(raw, self.encoding)

    def verify(self, params: Mapping[str, Any], signature: str) -> bool:
        """Whether ``signature`` signs ``params`` (constant-time for the keyed methods)."""
        if self.method == "sm2":
            if self.public_key is None:
                raise GmError(Text("没有配置验签公钥", "no public key to verify with"))
            try:
                raw = _decode(signature, self.encoding, what="SM2")
            except GmError:
                return False
            text = canonical_string(params).encode("utf-8")
            return sm2_verify(
                self.public_key,
                text,
                raw,
                uid=self.uid,
                signature_format=self.signature_format,
            )
        return _hmac.compare_digest(self.sign(params).lower(), signature.strip().lower())


# -- request hooks -------------------------------------------------------------------------


def _with_form(request: R, form: dict[str, str]) -> R:
    return dataclasses.replace(request, form=form)  # type: ignore[type-var]


def sign_hook(signer: Signer, *, field: str = SIGN_FIELD) -> Callable[[R], R]:
    """A request hook that signs the form parameters (run it last: it covers what the
    other hooks wrote)."""

    def hook(request: R) -> R:
        form = dict(request.form or {})
        form.pop(field, None)
        form[field] = signer.sign(form)
        return _with_form(request, form)

    return hook


def sm4_encrypt_hook(
    cipher: SM4, *, field: str = "biz_content", encoding: Encoding = "base64"
) -> Callable[[R], R]:
    """A request hook that replaces the form field ``field`` by its SM4 encryption."""

    def hook(request: R) -> R:
        form = dict(request.form or {})
        if field in form:
            form[field] = cipher.encrypt_text(form[field], encoding)
        return _with_form(request, form)

    return hook


def _walk(data: Any, path: Sequence[str], change: Callable[[Any], Any]) -> Any:
    """``data`` with ``change`` applied at ``path`` (``[]`` steps into every list item)."""
    if not path:
        return change(data) if data is not None and data != "" else data
    step, rest = path[0], path[1:]
    if step == "[]":
        return [_walk(item, rest, change) for item in data] if isinstance(data, list) else data
    if isinstance(data, dict) and step in data:
        return {**data, step: _walk(data[step], rest, change)}
    return data


def field_path(path: str) -> list[str]:
    """``"items[].name"`` → ``["items", "[]", "name"]``."""
    steps: list[str] = []
    for part in path.split("."):
        while part.endswith("[]"):
            part = part[:-2]
            if part:
                steps.append(part)
            steps.append("[]")
            part = ""
        if part:
            steps.append(part)
    return steps


def transform_fields(data: Any, paths: Iterable[str], change: Callable[[str], str]) -> Any:
    """``data`` (parsed JSON) with ``change`` applied to the string at each path."""
    for path in paths:
        data = _walk(data, field_path(path), lambda v: change(v if isinstance(v, str) else str(v)))
    return data


def sm2_fields_hook(
    public_key: str,
    paths: Iterable[str],
    *,
    field: str = "biz_content",
    order: SM2CipherOrder = "c1c3c2",
    encoding: Encoding = "hex",
) -> Callable[[R], R]:
    """A request hook that SM2-encrypts personal fields (names, ID numbers) inside the JSON
    form field ``field`` with the platform's public key. Paths are dotted, ``[]`` for list
    items (``"items[].id_number"``). Run it before SM4 and signing."""
    wanted = list(paths)

    def encrypt(value: str) -> str:
        return _encode(sm2_encrypt(public_key, value.encode("utf-8"), order=order), encoding)

    def hook(request: R) -> R:
        form = dict(request.form or {})
        if field in form:
            content = json.loads(form[field])
            form[field] = json.dumps(
                transform_fields(content, wanted, encrypt),
                ensure_ascii=False,
                separators=(",", ":"),
            )
        return _with_form(request, form)

    return hook


def sm2_decrypt_fields(
    private_key: Secret,
    data: Any,
    paths: Iterable[str],
    *,
    order: SM2CipherOrder = "c1c3c2",
    encoding: Encoding = "hex",
) -> Any:
    """The gateway side of :func:`sm2_fields_hook` (and of platforms that return encrypted
    personal fields): the fields at ``paths`` decrypted."""

    def decrypt(value: str) -> str:
        raw = sm2_decrypt(private_key, _decode(value, encoding, what="SM2"), order=order)
        return raw.decode("utf-8")

    return transform_fields(data, paths, decrypt)


# -- response hooks ------------------------------------------------------------------------


def sm4_decrypt_response_hook(
    cipher: SM4, *, path: str = "data", encoding: Encoding = "base64"
) -> Callable[[Any, Any], Any]:
    """A response hook that decrypts the string at ``path`` of the parsed body (SM4) and
    parses it as JSON in place."""
    steps = field_path(path)

    def hook(response: Any, body: Any) -> Any:
        def decrypt(value: Any) -> Any:
            return (
                json.loads(cipher.decrypt_text(value, encoding))
                if isinstance(value, str)
                else value
            )

        return _walk(body, steps, decrypt)

    return hook


def sm2_verify_response_hook(
    verifier: Signer, *, sign_field: str = SIGN_FIELD
) -> Callable[[Any, Any], Any]:
    """A response hook that refuses a body whose ``sign`` does not verify (the platform
    signs its answers); the signature covers the body's other top-level fields."""

    def hook(response: Any, body: Any) -> Any:
        if not isinstance(body, dict) or sign_field not in body:
            raise GmError(Text("响应没有签名", "the response is not signed"))
        params = {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in body.items()
            if k != sign_field
        }
        if not verifier.verify(params, str(body[sign_field])):
            raise GmError(
                Text(
                    "响应签名验证失败：响应被改动，或平台公钥配置不对",
                    "the response signature does not verify: the response was changed or the "
                    "platform's public key is misconfigured",
                )
            )
        return body

    return hook


__all__ = [
    "DEFAULT_SM2_UID",
    "SIGN_FIELD",
    "SM4",
    "Encoding",
    "GmError",
    "SM2CipherOrder",
    "SM4Mode",
    "SignMethod",
    "SignatureFormat",
    "Signer",
    "canonical_string",
    "field_path",
    "hmac_sm3",
    "key_bytes",
    "sign_hook",
    "sm2_decrypt",
    "sm2_decrypt_fields",
    "sm2_encrypt",
    "sm2_fields_hook",
    "sm2_keypair",
    "sm2_public_key",
    "sm2_sign",
    "sm2_verify",
    "sm2_verify_response_hook",
    "sm3",
    "sm4_decrypt_response_hook",
    "sm4_encrypt_hook",
    "transform_fields",
]
