"""The national algorithms against the standards' own worked examples, and the hooks.

Vectors typed in from the published examples:

* GB/T 32905-2016 (SM3) 附录 A: "abc" and the 64-byte "abcd"×16.
* GB/T 32907-2016 (SM4) 附录 A: key = plaintext = 0123456789abcdeffedcba9876543210, one
  encryption, and the same block encrypted 1 000 000 times.
* GB/T 32918.2-2016 (SM2 signature) 附录 A and GB/T 32918.4-2016 (SM2 encryption) 附录 A: the
  examples on the 256-bit test curve over Fp (the standards' example curve, not the
  recommended curve of part 5), with the standards' fixed random k, so the library's
  results must equal the published r, s and C1, C2, C3 to the bit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from volunteer_standard.connectors.http import OutgoingRequest, apply_request_hooks, gm

gmalg = pytest.importorskip("gmalg")


def _hex(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


# -- SM3 (GB/T 32905) ------------------------------------------------------------------------


def test_sm3_standard_example_1() -> None:
    assert gm.sm3(b"abc") == _hex(
        "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"
    )


def test_sm3_standard_example_2() -> None:
    assert gm.sm3(b"abcd" * 16) == _hex(
        "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"
    )


# -- SM4 (GB/T 32907) ------------------------------------------------------------------------

SM4_KEY = _hex("01234567 89abcdef fedcba98 76543210")


def test_sm4_standard_example_1() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    block = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor().update(SM4_KEY)
    assert block == _hex("681edf34 d206965e 86b3e94f 536e4246")


def test_sm4_standard_example_2_one_million_rounds() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()
    block = SM4_KEY
    for _ in range(1_000_000):
        block = encryptor.update(block)
    assert block == _hex("595298c7 c6fd271f 0402f804 c33d3f66")


def test_sm4_ecb_block_matches_our_wrapper() -> None:
    # Our wrapper pads with PKCS#7: the first block of ECB output is the standard's block.
    cipher = gm.SM4.from_config(SM4_KEY.hex(), "ecb")
    assert cipher.encrypt(SM4_KEY)[:16] == _hex("681edf34 d206965e 86b3e94f 536e4246")
    assert len(cipher.encrypt(SM4_KEY)) == 32  # a full padding block follows


@given(st.binary(max_size=200), st.sampled_from(["ecb", "cbc"]))
@settings(max_examples=50, deadline=None)
def test_sm4_round_trip(data: bytes, mode: Any) -> None:
    cipher = gm.SM4.from_config(SM4_KEY.hex(), mode, iv="00" * 16 if mode == "cbc" else None)
    assert cipher.decrypt(cipher.encrypt(data)) == data


def test_sm4_wrong_key_is_an_error_not_garbage() -> None:
    good = gm.SM4.from_config("k" * 16, "cbc", iv="i" * 16)
    wrong = gm.SM4.from_config("x" * 16, "cbc", iv="i" * 16)
    secret = good.encrypt_text('{"items": [1, 2, 3]}')
    with pytest.raises(gm.GmError) as caught:
        wrong.decrypt_text(secret)
    assert "key" in caught.value.message("en")
    assert "密钥" in caught.value.message("zh")


def test_sm4_key_forms_and_lengths() -> None:
    assert gm.key_bytes("30" * 16, 16) == b"0" * 16
    assert gm.key_bytes("abcdefghijklmnop", 16) == b"abcdefghijklmnop"
    assert gm.key_bytes(SecretStr("abcdefghijklmnop"), 16) == b"abcdefghijklmnop"
    with pytest.raises(gm.GmError) as caught:
        gm.key_bytes("short-secret-value", 16)
    assert "short-secret-value" not in str(caught.value)
    assert "kkkk" not in repr(gm.SM4.from_config("k" * 16, "ecb"))


# -- SM2 (GB/T 32918, the standard's 256-bit example curve) ----------------------------------


@dataclass(frozen=True)
class _TestCurve:
    p: int = 0x8542D69E_4C044F18_E8B92435_BF6FF7DE_45728391_5C45517D_722EDB8B_08F1DFC3
    a: int = 0x787968B4_FA32C3FD_2417842E_73BBFEFF_2F3C848B_6831D7E0_EC65228B_3937E498
    b: int = 0x63E4C6D3_B23B0C84_9CF84241_484BFE48_F61D59A5_B16BA06E_6E12D1DA_27C5249A
    gx: int = 0x421DEBD6_1B62EAB6_746434EB_C3CC315E_32220B3B_ADD50BDC_4C4E6C14_7FEDD43D
    gy: int = 0x0680512B_CBB42C07_D47349D2_153B70C4_E5D7FDFC_BFA36EA1_A85841B9_E46E09A2
    n: int = 0x8542D69E_4C044F18_E8B92435_BF6FF7DD_29772063_0485628D_5AE74EE7_C32E79B7


def _core(k: int) -> Any:
    from gmalg import ellipticcurve
    from gmalg.sm2 import SM2Core
    from gmalg.sm3 import SM3

    c = _TestCurve()
    curve = ellipticcurve.ECDLP(c.p, c.a, c.b, (c.gx, c.gy), c.n)
    return SM2Core(curve, SM3(), lambda bits: k)  # the standard's fixed "random" k


def test_sm2_signature_standard_example() -> None:
    """GB/T 32918.2-2016 附录 A.2: Alice signs "message digest"."""
    d = 0x128B2FA8_BD433C6C_068C8D80_3DFF7979_2A519A55_171B1B65_0C23661D_15897263
    k = 0x6CB28D99_385C175C_94F94E93_4817663F_C176D925_DD72B727_260DBAAE_1FB2F96F
    core = _core(k)
    public = core.generate_pk(d)
    assert public == (
        0x0AE4C779_8AA0F119_471BEE11_825BE462_02BB79E2_A5844495_E97C04FF_4DF2548A,
        0x7C0240F8_8F1CD4E1_6352A73C_17B7F16F_07353E53_A176D684_A9FE0C6B_B798E857,
    )
    uid = b"ALICE123@YAHOO.COM"
    assert core.entity_info(uid, public) == _hex(
        "F4A38489 E32B45B6 F876E3AC 2168CA39 2362DC8F 23459C1D 1146FC3D BFB7BC9A"
    )
    r, s = core.sign(b"message digest", d, uid, public)
    assert r == 0x40F1EC59_F793D9F4_9E09DCEF_49130D41_94F79FB1_EED2CAA5_5BACDB49_C4E755D1
    assert s == 0x6FC6DAC3_2C5D5CF1_0C77DFB2_0F7C2EB6_67A45787_2FB09EC5_6327A67E_C7DEEBE7
    # Verification of the standard's known signature, and refusal of a changed message.
    assert core.verify(b"message digest", r, s, uid, public)
    assert not core.verify(b"message digesT", r, s, uid, public)
    assert not core.verify(b"message digest", r, s + 1, uid, public)


def test_sm2_encryption_standard_example() -> None:
    """GB/T 32918.4-2016 附录 A.2: "encryption standard" encrypted for B."""
    d = 0x1649AB77_A00637BD_5E2EFE28_3FBF3535_34AA7F7C_B89463F2_08DDBC29_20BB0DA0
    k = 0x4C62EEFD_6ECFC2B9_5B92FD6C_3D957514_8AFA1742_5546D490_18E5388D_49DD7B4F
    core = _core(k)
    public = core.generate_pk(d)
    assert public == (
        0x435B39CC_A8F3B508_C1488AFC_67BE491A_0F7BA07E_581A0E48_49A5CF70_628A7E0A,
        0x75DDBA78_F15FEECB_4C7895E2_C1CDF5FE_01DEBB2C_DBADF453_99CCF77B_BA076A42,
    )
    c1, c2, c3 = core.encrypt(b"encryption standard", public)
    assert c1 == (
        0x245C26FB_68B1DDDD_B12C4B6B_F9F2B6D5_FE60A383_B0D18D1C_4144ABF1_7F6252E7,
        0x76CB9264_C2A7E88E_52B19903_FDC47378_F605E368_11F5C074_23A24B84_400F01B8,
    )
    assert c2 == _hex("650053 A89B41C4 18B0C3AA D00D886C 00286467")
    assert c3 == _hex("9C3D7360 C30156FA B7C80A02 76712DA9 D8094A63 4B766D3A 285E0748 0653426D")
    assert core.decrypt(c1, c2, c3, d) == b"encryption standard"


@pytest.fixture(scope="module")
def keypair() -> tuple[str, str]:
    return gm.sm2_keypair()


def test_sm2_sign_then_verify_on_the_recommended_curve(keypair: tuple[str, str]) -> None:
    private, public = keypair
    assert gm.sm2_public_key(private) == public
    forms: tuple[gm.SignatureFormat, ...] = ("rs", "der")
    for form in forms:
        signature = gm.sm2_sign(SecretStr(private), b"app_id=a&version=1.0", signature_format=form)
        assert gm.sm2_verify(public, b"app_id=a&version=1.0", signature, signature_format=form)
        assert not gm.sm2_verify(public, b"app_id=b&version=1.0", signature, signature_format=form)
    other_private, _ = gm.sm2_keypair()
    signature = gm.sm2_sign(other_private, b"x")
    assert not gm.sm2_verify(public, b"x", signature)
    # Signatures are randomised: two signatures of one message differ, both verify.
    assert gm.sm2_sign(private, b"x") != gm.sm2_sign(private, b"x")


@pytest.mark.parametrize("order", ["c1c3c2", "c1c2c3"])
def test_sm2_encrypt_decrypt_and_wrong_key(keypair: tuple[str, str], order: Any) -> None:
    private, public = keypair
    plain = "测试甲 110101199003070011".encode()
    cipher = gm.sm2_encrypt(public, plain, order=order)
    assert len(cipher) == 65 + 32 + len(plain)
    assert gm.sm2_decrypt(private, cipher, order=order) == plain
    assert gm.sm2_decrypt(private, cipher[1:], order=order) == plain  # without the 04 prefix
    other, _ = gm.sm2_keypair()
    with pytest.raises(gm.GmError) as caught:
        gm.sm2_decrypt(other, cipher, order=order)
    assert "private key is wrong" in caught.value.message("en")
    assert other not in str(caught.value)


def test_sm2_ciphertext_too_short_or_damaged(keypair: tuple[str, str]) -> None:
    private, public = keypair
    with pytest.raises(gm.GmError):
        gm.sm2_decrypt(private, b"\x04" + b"\x01" * 40)
    cipher = bytearray(gm.sm2_encrypt(public, b"hello"))
    cipher[-1] ^= 1  # one bit of C2 flipped: the C3 check fails
    with pytest.raises(gm.GmError):
        gm.sm2_decrypt(private, bytes(cipher))


def test_invalid_public_key_is_refused() -> None:
    with pytest.raises(gm.GmError):
        gm.sm2_encrypt("04" + "11" * 64, b"x")  # not a point of the curve
    with pytest.raises(gm.GmError):
        gm.sm2_encrypt("not hex!", b"x")


# -- canonical string, signers and hooks ---------------------------------------------------

FORM = {
    "app_id": "vstd-test",
    "interface_id": "activityTiming-batchAdd",
    "version": "1.0",
    "biz_content": '{"items":[{"name":"测试甲","hours":"2.00"}]}',
    "timestamp": "2024-03-05 09:00:00",
}


def test_canonical_string_sorts_and_skips_sign_and_empty() -> None:
    text = gm.canonical_string({**FORM, "sign": "zzz", "origin": ""})
    assert text.split("&")[0] == "app_id=vstd-test"
    assert [p.split("=")[0] for p in text.split("&")] == [
        "app_id",
        "biz_content",
        "interface_id",
        "timestamp",
        "version",
    ]
    assert "sign=" not in text


def test_sm3_signature_is_the_digest_of_the_canonical_string_and_key() -> None:
    signer = gm.Signer("sm3", SecretStr("s3cr3t"))
    expected = gm.sm3((gm.canonical_string(FORM) + "&key=s3cr3t").encode()).hex()
    assert signer.sign(FORM) == expected
    assert signer.verify(FORM, expected.upper())
    assert not signer.verify({**FORM, "version": "1.1"}, expected)
    assert not gm.Signer("sm3", "other").verify(FORM, expected)
    assert "s3cr3t" not in repr(signer)


def test_hmac_sm3_signer() -> None:
    signer = gm.Signer("hmac-sm3", "k")
    assert signer.verify(FORM, signer.sign(FORM))
    assert not gm.Signer("hmac-sm3", "k2").verify(FORM, signer.sign(FORM))


def test_sm2_signer(keypair: tuple[str, str]) -> None:
    private, public = keypair
    client = gm.Signer("sm2", SecretStr(private))
    server = gm.Signer("sm2", public_key=public)
    signature = client.sign(FORM)
    assert server.verify(FORM, signature)
    assert not server.verify({**FORM, "biz_content": "{}"}, signature)
    assert not server.verify(FORM, "not hex")


def _request() -> OutgoingRequest:
    return OutgoingRequest("POST", "http://127.0.0.1/gw", {}, {}, dict(FORM), None)


def test_hooks_encrypt_fields_then_payload_then_sign(keypair: tuple[str, str]) -> None:
    private, public = keypair
    cipher = gm.SM4.from_config("0123456789abcdef", "cbc", iv="fedcba9876543210")
    signer = gm.Signer("sm3", "s3cr3t")
    sent = apply_request_hooks(
        _request(),
        [
            gm.sm2_fields_hook(public, ["items[].name"]),
            gm.sm4_encrypt_hook(cipher),
            gm.sign_hook(signer),
        ],
    )
    form = sent.form
    assert form is not None
    assert signer.verify(form, form["sign"])
    assert "测试甲" not in form["biz_content"]
    content = json.loads(cipher.decrypt_text(form["biz_content"]))
    assert content["items"][0]["hours"] == "2.00"
    assert content["items"][0]["name"] != "测试甲"
    clear = gm.sm2_decrypt_fields(private, content, ["items[].name"])
    assert clear == {"items": [{"name": "测试甲", "hours": "2.00"}]}


def test_field_paths() -> None:
    assert gm.field_path("items[].id_number") == ["items", "[]", "id_number"]
    assert gm.field_path("name") == ["name"]
    assert gm.field_path("[]") == ["[]"]
    data = {"items": [{"a": "x"}, {"a": ""}, {"b": "y"}], "a": "z"}
    changed = gm.transform_fields(data, ["items[].a"], str.upper)
    assert changed == {"items": [{"a": "X"}, {"a": ""}, {"b": "y"}], "a": "z"}


def test_response_hooks(keypair: tuple[str, str]) -> None:
    private, public = keypair
    cipher = gm.SM4.from_config("0123456789abcdef", "ecb")
    body = {"code": "0000", "data": cipher.encrypt_text(json.dumps({"total": 1}))}
    assert gm.sm4_decrypt_response_hook(cipher)(None, body) == {
        "code": "0000",
        "data": {"total": 1},
    }
    platform = gm.Signer("sm2", private)
    signed = {"code": "0000", "msg": "ok"}
    signed["sign"] = platform.sign(signed)
    verify = gm.sm2_verify_response_hook(gm.Signer("sm2", public_key=public))
    assert verify(None, signed) == signed
    with pytest.raises(gm.GmError) as caught:
        verify(None, {**signed, "msg": "changed"})
    assert "响应" in caught.value.message("zh")
