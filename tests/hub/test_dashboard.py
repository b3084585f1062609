"""The operators' dashboard: content in both languages, auth, and a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.hub.conftest import RunningHub, items, organization, service, volunteer
from volunteer_standard.hub.settings import HubSettings

CHROMIUM = shutil.which("chromium")


@pytest.fixture
def hub_settings(db_url: str) -> HubSettings:
    return HubSettings(db_url=db_url, secret=b"s", dashboard_public=True)


def _fill(hub: RunningHub) -> None:
    bj = hub.client(hub.token("bj", "bj-sys", write=True))
    sh = hub.client(hub.token("sh", "sh-sys", write=True))
    bj.post(
        "/v1/batches",
        json=items(
            organization("o1"),
            volunteer("v1", region="110105"),
            service(
                "s1", "v1", "o1", "2024-03-05T09:00:00+08:00", "2024-03-05T12:00:00+08:00", "3.00"
            ),
            service(
                "s2", "v1", "o1", "2024-04-05T09:00:00+08:00", "2024-04-05T10:00:00+08:00", "1.00"
            ),
            {"type": "volunteer", "id": "broken"},
        ),
    )
    sh.post(
        "/v1/batches",
        json=items(
            organization("o2", region="310115"),
            volunteer("w1", region="310115"),
            service(
                "t1", "w1", "o2", "2024-03-07T09:00:00+08:00", "2024-03-07T11:00:00+08:00", "2.00"
            ),
            service(
                "t2", "w1", "o2", "2024-03-08T09:00:00+08:00", "2024-03-08T10:00:00+08:00", "9.00"
            ),
        ),
    )


def test_dashboard_shows_systems_quality_and_hours(running_hub: RunningHub) -> None:
    _fill(running_hub)
    client = running_hub.client()
    zh = client.get("/dashboard?lang=zh").text
    assert "志愿服务数据归集中心" in zh and "bj-sys" in zh and "sh-sys" in zh
    assert 'id="quality-chart"' in zh and 'id="hours-chart"' in zh
    assert "VS110" in zh and "VR306" in zh  # rejected records' rules
    assert "北京市" in zh and "上海市" in zh and "2024-03" in zh and "2024-04" in zh
    assert "北京市 2024-03: 3" in zh  # the chart's accessible description
    en = client.get("/dashboard?lang=en").text
    assert "Volunteer data hub" in en and "Last sync" in en
    assert "测试甲" not in zh + en  # no personal data


def test_dashboard_needs_an_admin_token_unless_public(db_url: str) -> None:
    hub = RunningHub(HubSettings(db_url=db_url, secret=b"s"))
    hub.start()
    try:
        assert hub.client().get("/dashboard").status_code == 401
        assert hub.client(hub.token("p", "s")).get("/dashboard").status_code == 403
        assert hub.client(hub.token("a", "s", admin=True)).get("/dashboard").status_code == 200
    finally:
        hub.stop()


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("CI") and CHROMIUM is None,
    reason="chromium is not installed (it is installed and required in CI)",
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_screenshot_in_headless_chromium(
    running_hub: RunningHub, tmp_path: Path, lang: str
) -> None:
    assert CHROMIUM is not None, "CI must provide chromium"
    _fill(running_hub)
    png = tmp_path / "dashboard.png"
    shot = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={png}",
            "--window-size=1200,1400",
            f"{running_hub.base_url}/dashboard?lang={lang}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    width, height, pixels = _png_pixels(data)
    assert (width, height) == (1200, 1400)
    assert len(set(pixels)) > 16  # many colours: text, header, bars
    rows = {pixels[i : i + 200] for i in range(0, len(pixels), len(pixels) // 64)}
    assert len(rows) > 8  # not one flat colour top to bottom
