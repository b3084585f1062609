"""The exchange connector passes the connector conformance kit, against real hubs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from tests.hub.conftest import RunningHub, free_port
from volunteer_standard.connectors.exchange import ExchangeConnector
from volunteer_standard.hub.settings import HubSettings
from volunteer_standard.testing import ConnectorAcceptanceTests
from volunteer_standard.testing.kit import (
    peak_read_memory,
    read_objects,
    sample_entities,
    write_objects,
)

ENV = "VSTD_EXCHANGE_TOKEN"


def _hub(folder: Path) -> tuple[RunningHub, str]:
    hub = RunningHub(HubSettings(db_url=f"sqlite:///{folder / 'hub.sqlite3'}", secret=b"k"))
    hub.start()
    return hub, hub.token("kit", "kit", write=True, sensitive=True)


class TestExchangeKit(ConnectorAcceptanceTests):
    connector = ExchangeConnector
    config: ClassVar[dict[str, Any]] = {"page_size": 100, "batch_size": 100}
    sample_input = "http://127.0.0.1"  # replaced by the running hub's URL
    garble = False  # not a file format: bad answers are tested in test_sync.py
    memory_records = 250

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def hubs(cls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RunningHub]]:
        started: list[RunningHub] = []
        old = os.environ.get(ENV)
        hub, token = _hub(tmp_path_factory.mktemp("exchange-kit"))
        started.append(hub)
        os.environ[ENV] = token  # secrets come from the environment, as in production
        write_objects(cls().new_connector(), hub.base_url, sample_entities())
        cls.sample_input = hub.base_url
        try:
            yield started
        finally:
            for running in started:
                running.stop()
            if old is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = old

    def fresh_hub(self, hubs: list[RunningHub], folder: Path) -> str:
        """An empty hub that takes writes with the kit's token."""
        hub = RunningHub(HubSettings(db_url=f"sqlite:///{folder / 'h.sqlite3'}", secret=b"k"))
        hub.start()
        hubs.append(hub)
        from volunteer_standard.hub import db
        from volunteer_standard.hub.tokens import Scopes, hash_token

        with hub.hub.engine.begin() as conn:
            conn.execute(
                db.tokens.insert().values(
                    token_hash=hash_token(os.environ[ENV]),
                    name="kit",
                    source_system="kit",
                    scopes=Scopes(write=True, sensitive=True).to_json(),
                    created_at=0,
                    revoked=False,
                )
            )
        return hub.base_url

    @pytest.fixture(scope="class")
    @classmethod
    def sample(cls, hubs: list[RunningHub]) -> Any:
        return hubs[0].base_url

    def test_check_reports_missing_input(self, tmp_path: Path, sample: Any) -> None:
        result = self.new_connector().check(f"http://127.0.0.1:{free_port()}")
        assert not result.ok and result.message
        assert not self.new_connector().check("ftp://example.org").ok

    def test_check_for_writing(self, tmp_path: Path, sample: Any) -> None:
        assert self.new_connector().check(sample, for_writing=True).ok

    def test_write_read_round_trip(self, tmp_path: Path, hubs: list[RunningHub]) -> None:
        expected = sample_entities()
        target = self.fresh_hub(hubs, tmp_path)
        write_objects(self.new_connector(), target, expected)
        back = read_objects(self.new_connector(), target)
        self._assert_same(expected, back, target)

    def test_memory_is_flat(self, tmp_path: Path) -> None:
        n = self.memory_records
        template = sample_entities(["volunteer"])[0]
        peaks = []
        for size in (n, 4 * n):
            with _served(tmp_path / str(size)) as url:  # the server in its own process
                write_objects(
                    self.new_connector(),
                    url,
                    (template.model_copy(update={"id": f"{template.id}-{i}"}) for i in range(size)),
                )
                peak_read_memory(self.new_connector(), url)  # warm up
                count, peak = peak_read_memory(self.new_connector(), url)
                assert count == size
                peaks.append(peak)
        assert peaks[1] - peaks[0] <= 512 * 1024, peaks


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    """``vstd serve`` in a child process on a fresh SQLite file, taking the kit's token."""
    from volunteer_standard.hub import db
    from volunteer_standard.hub.tokens import Scopes, hash_token

    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            db.tokens.insert().values(
                token_hash=hash_token(os.environ[ENV]),
                name="kit",
                source_system="kit",
                scopes=Scopes(write=True, sensitive=True).to_json(),
                created_at=0,
                revoked=False,
            )
        )
    engine.dispose()
    port = free_port()
    env = {**os.environ, "VSTD_HUB_HOME": str(folder), "VSTD_HUB_SECRET": "k"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "volunteer_standard", "serve", "--db", url, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "hub did not start"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)
