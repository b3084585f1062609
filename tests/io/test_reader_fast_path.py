"""The JSON Lines hot path (``_checked_line``) says exactly what the general check says."""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from volunteer_standard import codes
from volunteer_standard.io.limits import Limits
from volunteer_standard.io.reader import Location, _checked, _checked_line

_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


def _same(value: Any, text: bytes, bounds: Limits) -> None:
    where = Location("x.jsonl", 1)
    fast, general = (
        _checked_line(value, where, text, bounds),
        _checked(value, where, None, text, bounds),
    )
    assert (fast.data, fast.error, fast.code) == (general.data, general.error, general.code)


@given(_values, st.integers(min_value=1, max_value=6))
def test_fast_path_agrees_on_any_value(value: Any, depth: int) -> None:
    _same(value, orjson.dumps(value), Limits(max_depth=depth))


@given(
    st.dictionaries(
        st.text("abc", min_size=1, max_size=2), st.integers(0, 1000), min_size=1, max_size=4
    )
)
def test_fast_path_finds_repeated_keys_at_any_level(obj: dict[str, int]) -> None:
    key, val = next(iter(obj.items()))
    inner = orjson.dumps(obj)[:-1] + b',"' + key.encode() + b'":' + str(val + 1).encode() + b"}"
    for text in (inner, b'{"a":[' + inner + b"]}", b'{"a":{"b":' + inner + b"}}"):
        value = orjson.loads(text)
        _same(value, text, Limits())
        assert _checked_line(value, Location("x", 1), text, Limits()).code == codes.DUPLICATE_KEY


def test_deep_limits_use_the_iterative_walk() -> None:
    text = b'{"a":' * 300 + b"1" + b"}" * 300
    value = orjson.loads(text)
    _same(value, text, Limits(max_depth=1000))
    _same(value, text, Limits(max_depth=100))


@given(_values, st.integers(min_value=1, max_value=6), st.sampled_from([", ", ","]))
def test_fast_path_agrees_on_text_that_is_not_orjsons_own(
    value: Any, depth: int, separator: str
) -> None:
    """Spaced or ASCII-escaped JSON (Python's ``json.dumps``) skips the canonical shortcut
    and still gets the general check's answer."""
    text = json.dumps(value, separators=(separator, ": ")).encode()
    _same(orjson.loads(text), text, Limits(max_depth=depth))


def test_a_repeated_key_is_found_even_when_the_rest_is_canonical() -> None:
    text = b'{"type":"volunteer","id":"v1","id":"v1"}'
    assert orjson.dumps(orjson.loads(text)) != text
    found = _checked_line(orjson.loads(text), Location("x", 1), text, Limits())
    assert (found.code, found.error) == (codes.DUPLICATE_KEY, "'id'")
