"""The gateway connector against a local gateway that checks every request.

The local gateway refuses what the real one refuses: a wrong key, a stale timestamp and a
body changed in transit each get their own code, and the connector says which in Chinese
and English. Uploads are signed, SM4-encrypted and carry SM2-encrypted personal fields.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from gateway_testkit import APP_SECRET, SM4_KEY, Keys, client_config, server_settings
from typer.testing import CliRunner
from vstd_connector_gateway import GatewayConnector, GatewayRefused
from vstd_connector_gateway.client import GatewayClient
from vstd_connector_gateway.server import LocalGateway

from volunteer_standard.cli import app
from volunteer_standard.connectors.http import OutgoingRequest, gm
from volunteer_standard.engine import convert
from volunteer_standard.testing import read_objects, sample_entities, write_objects

NVSI_SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "vstd-connector-nvsi"
    / "tests"
    / "data"
    / "nvsi-sample.jsonl"
)


def _volunteers(n: int = 5) -> list[Any]:
    return sample_entities(["volunteer"])[:n]


def _refusal(url: str, config: dict[str, Any], **hooks: Any) -> GatewayRefused:
    connector = TamperingConnector(config, **hooks)
    with pytest.raises(GatewayRefused) as caught:
        write_objects(connector, url, _volunteers(1))
    return caught.value


class TamperingConnector(GatewayConnector):
    """The connector with a "proxy" that changes requests after they were signed."""

    def __init__(self, config: dict[str, Any], *, tamper: Any = None) -> None:
        super().__init__(config)
        self.tamper = tamper

    def client(self, url: str) -> GatewayClient:
        hooks = [self.tamper] if self.tamper else []
        return GatewayClient(url, self.options, self.profile, extra_hooks=hooks)


def test_upload_then_lookup_gives_the_volunteers_back(
    gateway: LocalGateway, config: dict[str, Any]
) -> None:
    written = _volunteers()
    write_objects(GatewayConnector(config), gateway.url, written)
    assert [code for _, code in gateway.calls] == ["0000"]  # one batch
    back = read_objects(GatewayConnector({**config, "read_types": ["volunteer"]}), gateway.url)
    assert [v.id for v in back] == [v.id for v in written]
    for before, after in zip(written, back, strict=True):
        b, a = before.model_dump(), after.model_dump()
        for key in ("name", "id_document", "phone", "birth_date", "residence"):
            assert a[key] == b[key], key


def test_personal_fields_travel_encrypted(
    gateway: LocalGateway, config: dict[str, Any], keys: Keys
) -> None:
    (volunteer,) = _volunteers(1)
    write_objects(GatewayConnector(config), gateway.url, [volunteer])
    (form,) = gateway.forms
    assert set(form) >= {"app_id", "interface_id", "version", "biz_content", "timestamp", "sign"}
    assert form["interface_id"] == "addMember"
    raw = json.dumps(form, ensure_ascii=False)
    assert volunteer.name not in raw and volunteer.phone not in raw
    assert volunteer.id_document is not None and volunteer.id_document.number not in raw
    # Inside the SM4 payload the personal fields are still SM2 ciphertext.
    inner = json.loads(
        gm.SM4.from_config(SM4_KEY, "cbc", "0f0e0d0c0b0a09080706050403020100").decrypt_text(
            form["biz_content"]
        )
    )
    item = inner["list"][0]
    assert item["uid"] == volunteer.volunteer_no
    assert item["name"] != volunteer.name
    assert (
        gm.sm2_decrypt(keys.platform_private, bytes.fromhex(item["name"])).decode()
        == volunteer.name
    )
    # The gateway stored them decrypted.
    (stored,) = gateway.items("volunteer")
    assert stored["name"] == volunteer.name


def test_wrong_key_is_refused_and_named(gateway: LocalGateway, keys: Keys) -> None:
    refused = _refusal(gateway.url, client_config(keys, app_secret="not-the-secret"))
    assert refused.code == "40003"
    assert "signing key" in refused.message("en")
    assert "签名密钥" in refused.message("zh")
    assert "not-the-secret" not in refused.message("en") + refused.message("zh")
    assert APP_SECRET not in refused.message("en")


def test_stale_timestamp_is_refused_and_named(keys: Keys) -> None:
    with LocalGateway(server_settings(keys), clock=lambda: time.time() + 3600) as late:
        refused = _refusal(late.url, client_config(keys))
    assert refused.code == "40002"
    assert "stale timestamp" in refused.message("en")
    assert "时间戳过期" in refused.message("zh")


def _tamper(request: OutgoingRequest) -> OutgoingRequest:
    form = dict(request.form or {})
    body = form["biz_content"]
    form["biz_content"] = body[:-8] + ("A" if body[-8] != "A" else "B") + body[-7:]
    return OutgoingRequest(request.method, request.url, request.params, request.headers, form, None)


def test_tampered_body_is_refused_and_named(gateway: LocalGateway, keys: Keys) -> None:
    refused = _refusal(gateway.url, client_config(keys), tamper=_tamper)
    assert refused.code == "40008"
    assert "changed in transit" in refused.message("en")
    assert "传输途中被改动" in refused.message("zh")


def test_tampered_body_without_digest_is_still_refused(gateway: LocalGateway, keys: Keys) -> None:
    refused = _refusal(gateway.url, client_config(keys, body_digest=False), tamper=_tamper)
    assert refused.code == "40003"  # the signature no longer covers the body


def test_wrong_sm4_key_and_wrong_platform_key_are_named(gateway: LocalGateway, keys: Keys) -> None:
    refused = _refusal(gateway.url, client_config(keys, sm4_key="ff" * 16))
    assert refused.code == "40004" and "SM4" in refused.message("en")
    _, other_public = gm.sm2_keypair()
    refused = _refusal(gateway.url, client_config(keys, platform_public_key=other_public))
    assert refused.code == "40005" and "SM2" in refused.message("en")
    refused = _refusal(gateway.url, client_config(keys, app_id="somebody-else"))
    assert refused.code == "40001"


def test_sm2_signed_requests(keys: Keys) -> None:
    settings = server_settings(keys, sign_method="sm2", app_secret=None)
    with LocalGateway(settings) as gw:
        config = client_config(
            keys, sign_method="sm2", app_secret=None, sm2_private_key=keys.client_private
        )
        write_objects(GatewayConnector(config), gw.url, _volunteers(2))
        assert [code for _, code in gw.calls] == ["0000"]
        other_private, _ = gm.sm2_keypair()
        refused = _refusal(gw.url, {**config, "sm2_private_key": other_private})
        assert refused.code == "40003"


def test_batches_and_retries(gateway: LocalGateway, config: dict[str, Any]) -> None:
    records = sample_entities(["service_record"])[:25]
    gateway.fail_next = [503]
    write_objects(
        GatewayConnector({**config, "batch_size": 10, "retries": 2}), gateway.url, records
    )
    assert [code for name, code in gateway.calls] == ["0000"] * 3
    assert len(gateway.items("service_record")) == 25


def test_incremental_lookup_resumes_after_the_bookmark(keys: Keys) -> None:
    # Personal fields in clear inside the SM4 payload here: pure-Python SM2 is slow.
    config = client_config(keys, platform_public_key=None)
    with LocalGateway(server_settings(keys, platform_private_key=None)) as gateway:
        write_objects(GatewayConnector(config), gateway.url, _volunteers(6))
        connector = GatewayConnector({**config, "page_size": 4, "read_types": ["volunteer"]})
        first = convert(gateway.url, "-", source_connector=connector, rejects=None)
        assert first.written == 6 and first.state
        write_objects(GatewayConnector(config), gateway.url, _volunteers(8)[6:])
        second = convert(gateway.url, "-", source_connector=connector, state=first.state)
    # The last item of the first run is read again (inclusive bookmark), then the new two.
    assert second.written == 3


def test_secrets_never_in_help_or_errors(gateway: LocalGateway, keys: Keys, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["connectors", "show", "gateway"]).output
    assert "app_secret" in shown and APP_SECRET not in shown
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'app_id = "vstd-test"\napp_secret = "wrong-secret-xyz"\nsm4_key = "{SM4_KEY}"\n'
        'sm4_iv = "0f0e0d0c0b0a09080706050403020100"\nretries = 0\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "convert",
            "--from",
            "nvsi",
            "--to",
            "gateway",
            "--privacy",
            "raw",  # the gateway needs the real data (it SM2-encrypts it in transit)
            "--to-config",
            str(bad),
            "--rejects",
            str(tmp_path / "rejects.jsonl"),
            "-q",
            str(NVSI_SAMPLE),
            gateway.url,
        ],
    )
    assert result.exit_code == 2
    assert "wrong-secret-xyz" not in result.output
    assert "[40003]" in result.output or "40003" in result.output


def test_cli_nvsi_to_gateway_end_to_end(gateway: LocalGateway, keys: Keys, tmp_path: Path) -> None:
    cfg = tmp_path / "gateway.toml"
    values = client_config(keys)
    cfg.write_text(
        "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items()) + "\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        [
            "convert",
            "--from",
            "nvsi",
            "--to",
            "gateway",
            "--privacy",
            "raw",  # the gateway needs the real data (it SM2-encrypts it in transit)
            "--to-config",
            str(cfg),
            "--rejects",
            str(tmp_path / "rejects.jsonl"),
            "-q",
            str(NVSI_SAMPLE),
            gateway.url,
        ],
    )
    # Training, award and evaluation rows have no gateway interface: rejected, not lost.
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["written_by_type"] == {"volunteer": 6, "service_record": 18}
    assert summary["reject_codes"] == {"VS103": 12} and summary["balanced"]
    assert len(gateway.items("volunteer")) == 6
    assert len(gateway.items("service_record")) == 18


def test_a_run_killed_mid_way_and_run_again_loses_and_duplicates_nothing(
    keys: Keys, tmp_path: Path
) -> None:
    """The gateway goes down after two lookup pages: the run fails (exit 2), no bookmark is
    saved past unwritten records, and the re-run gives every record exactly once."""
    config = client_config(keys, platform_public_key=None, page_size=7)
    cfg = tmp_path / "gw.toml"
    cfg.write_text(
        "\n".join(f"{k} = {json.dumps(v)}" for k, v in config.items() if v is not None) + "\n",
        encoding="utf-8",
    )
    out, state = tmp_path / "out.jsonl", tmp_path / "state.json"
    args = [
        "convert",
        "--from",
        "gateway",
        "--from-config",
        str(cfg),
        "--state",
        str(state),
        "--rejects",
        str(tmp_path / "rejects.jsonl"),
        "-q",
    ]
    volunteers = _volunteers(20)
    with LocalGateway(server_settings(keys, platform_private_key=None)) as gw:
        write_objects(GatewayConnector(config), gw.url, volunteers)
        gw.fail_from_call = len(gw.forms) + 3  # pages 1 and 2 answer, page 3 does not
        runner = CliRunner()
        crashed = runner.invoke(app, [*args, gw.url, str(out)])
        assert crashed.exit_code == 2, crashed.output
        assert not state.exists() or json.loads(state.read_text()) == {}
        gw.fail_from_call = None
        again = runner.invoke(app, [*args, gw.url, str(out)])
        assert again.exit_code == 0, again.output
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(v.id for v in volunteers)  # each once, none missing


def test_signed_answers_are_verified(keys: Keys) -> None:
    """The platform signs its answers (SM2); a changed answer is refused, and says so."""
    config = client_config(keys, platform_public_key=None, platform_sign_key=keys.platform_public)
    settings = server_settings(
        keys, platform_private_key=None, response_sign_key=keys.platform_private
    )
    with LocalGateway(settings) as gw:
        write_objects(GatewayConnector(config), gw.url, _volunteers(2))
        back = read_objects(GatewayConnector({**config, "read_types": ["volunteer"]}), gw.url)
        assert len(back) == 2
        gw.settings.tamper_answers = True
        with pytest.raises(gm.GmError) as caught:
            read_objects(GatewayConnector(config), gw.url)
    assert "response signature does not verify" in caught.value.message("en")
    assert "响应签名验证失败" in caught.value.message("zh")


def test_secrets_and_personal_data_never_reach_the_logs(
    gateway: LocalGateway, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    gateway.fail_next = [503]
    volunteers = _volunteers(2)
    write_objects(GatewayConnector(client_config(keys, retries=2)), gateway.url, volunteers)
    text = caplog.text
    assert "retry" in text  # the retry was logged …
    for secret in (APP_SECRET, SM4_KEY, keys.platform_private, keys.client_private):
        assert secret not in text  # … without a key
    for volunteer in volunteers:
        assert volunteer.name not in text and volunteer.phone not in text


def test_sql_to_gateway_end_to_end(gateway: LocalGateway, keys: Keys, tmp_path: Path) -> None:
    """standard → sql (SQLite) → gateway, each step a `vstd convert` run."""
    from volunteer_standard.connectors.registry import get_connector

    volunteers = _volunteers(4)
    ids = {v.id for v in volunteers}
    records = [
        r for r in sample_entities(["service_record"]) if getattr(r, "volunteer_id", None) in ids
    ][:10]
    source = tmp_path / "in.jsonl"
    write_objects(get_connector("standard")(), source, [*volunteers, *records])
    sql_cfg = tmp_path / "sql.toml"
    sql_cfg.write_text("create_tables = true\n", encoding="utf-8")
    db = tmp_path / "vol.db"
    runner = CliRunner()
    to_sql = runner.invoke(
        app,
        [
            "convert",
            "-q",
            "--to",
            "sql",
            "--privacy",
            "raw",
            "--to-config",
            str(sql_cfg),
            str(source),
            str(db),
        ],
    )
    assert to_sql.exit_code == 0, to_sql.output
    gw_cfg = tmp_path / "gw.toml"
    gw_cfg.write_text(
        "\n".join(f"{k} = {json.dumps(v)}" for k, v in client_config(keys).items()) + "\n",
        encoding="utf-8",
    )
    to_gateway = runner.invoke(
        app,
        [
            "convert",
            "-q",
            "--from",
            "sql",
            "--to",
            "gateway",
            "--privacy",
            "raw",  # the gateway needs the real data (it SM2-encrypts it in transit)
            "--to-config",
            str(gw_cfg),
            "--rejects",
            str(tmp_path / "rejects.jsonl"),
            str(db),
            gateway.url,
        ],
    )
    assert to_gateway.exit_code == 0, to_gateway.output
    assert sorted(i["out_id"] for i in gateway.items("volunteer")) == sorted(ids)
    assert len(gateway.items("service_record")) == len(records)
