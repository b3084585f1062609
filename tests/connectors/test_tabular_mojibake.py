"""Mojibake (UTF-8 decoded as GBK): recall and false positives on a synthetic corpus.

Figures at the time of writing (``python tests/connectors/mojibake_corpus.py``): 5,500
garbled cells, over 13,000 clean texts; recall 100%, false positives 0%. On garbled cells
without U+FFFD (whole, or cut with '?') the earlier heuristic found 75%.
"""

from __future__ import annotations

import pytest

from tests.connectors.mojibake_corpus import Corpus, build, garble, measure
from volunteer_standard.connectors.tabular.encoding import mojibake_hint
from volunteer_standard.connectors.tabular.mojibake import detect


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return build()


def test_recall_and_false_positives_meet_the_targets(corpus: Corpus) -> None:
    assert len(corpus.garbled) > 5000 and len(corpus.clean) > 10000
    recall, false_positives = measure(corpus, mojibake_hint)
    assert recall >= 0.98
    assert false_positives <= 0.001


def test_cells_without_replacement_characters_are_found_too(corpus: Corpus) -> None:
    """Whole cells made of everyday characters, and cells cut with '?', carry no U+FFFD
    marker: only the re-decode finds them."""
    plain = Corpus([g for g in corpus.garbled if "\ufffd" not in g[0]], corpus.clean)
    assert len(plain.garbled) > 1000
    recall, _ = measure(plain, detect)
    assert recall >= 0.98


def test_cells_damaged_only_at_the_end_are_repaired(corpus: Corpus) -> None:
    repaired = total = 0
    for cell, original in corpus.garbled:
        if "\ufffd" in cell[:-1]:
            continue  # bytes lost inside the cell: reported as lost, not repairable
        total += 1
        found = detect(cell)
        assert found is not None, cell
        if found.last_lost:
            repaired += original[:-1] == found.repaired
        else:
            repaired += original == found.repaired
    assert total > 2000
    assert repaired / total >= 0.98


def test_a_cut_cell_says_its_last_character_is_lost() -> None:
    cell = garble("张三丰")
    assert cell.endswith("\ufffd")
    found = detect(cell[:-1] + "?")
    assert found is not None and found.last_lost and found.repaired == "张三"
    hint = mojibake_hint(cell) or ""
    assert "'张三'" in hint and "lost" in hint


def test_short_and_everyday_text_is_left_alone() -> None:
    for text in ("李四", "北京市", "中共党员", "社区服务", "鏉庡"):
        assert detect(text) is None
