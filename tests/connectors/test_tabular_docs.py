"""Every mapping example in the docs is given in TOML and in YAML, and both mean the same.

A ``toml`` block holding ``[[entities]]`` must be followed by a ``yaml`` block with the
same mapping (or the other way round); examples that are complete mappings are compiled.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from volunteer_standard.connectors.tabular.mapping import (
    MappingError,
    MappingSpec,
    mapping_from_dict,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["tabular.md", "ledgers.md", "ledgers.zh.md"]
_BLOCK = re.compile(r"```(toml|yaml)\n(.*?)```", re.DOTALL)


def _mappings(page: str) -> list[tuple[str, Any]]:
    text = (DOCS / page).read_text(encoding="utf-8")
    out = []
    for lang, body in _BLOCK.findall(text):
        data = tomllib.loads(body) if lang == "toml" else yaml.safe_load(body)
        if isinstance(data, dict) and "entities" in data:
            out.append((lang, data))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_every_mapping_example_comes_in_toml_and_yaml(page: str) -> None:
    examples = _mappings(page)
    assert examples, f"{page} has no mapping examples"
    assert len(examples) % 2 == 0, f"{page}: an example lacks its TOML or YAML twin"
    for (lang_a, a), (lang_b, b) in zip(examples[::2], examples[1::2], strict=True):
        assert {lang_a, lang_b} == {"toml", "yaml"}
        assert (
            MappingSpec.model_validate(a).model_dump() == MappingSpec.model_validate(b).model_dump()
        )


@pytest.mark.parametrize("page", ["ledgers.md", "ledgers.zh.md"])
def test_the_ledger_examples_compile(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSTD_ID_KEY", "a-docs-test-key-long-enough")
    for _lang, data in _mappings(page):
        try:
            mapping_from_dict(data, page)
        except MappingError as exc:  # pragma: no cover - the message says what is wrong
            pytest.fail(str(exc))
