"""The exchange connector passes the connector conformance kit, against real hubs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.hub.conftest import RunningHub
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
    memory_records = 400

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
        from tests.hub.conftest import free_port

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

    def test_memory_is_flat(self, tmp_path: Path, hubs: list[RunningHub]) -> None:
        n = self.memory_records
        template = sample_entities(["volunteer"])[0]
        sources = []
        for size, name in ((n, "small"), (4 * n, "large")):
            url = self.fresh_hub(
                hubs, tmp_path / name if (tmp_path / name).mkdir() is None else tmp_path
            )
            write_objects(
                self.new_connector(),
                url,
                (template.model_copy(update={"id": f"{template.id}-{i}"}) for i in range(size)),
            )
            sources.append(url)
        peak_read_memory(self.new_connector(), sources[0])  # warm up
        count_small, peak_small = peak_read_memory(self.new_connector(), sources[0])
        count_large, peak_large = peak_read_memory(self.new_connector(), sources[1])
        assert (count_small, count_large) == (n, 4 * n)
        # Both the client and the in-process server are traced; pages are 100 records.
        assert peak_large - peak_small <= 1024 * 1024, (peak_small, peak_large)
