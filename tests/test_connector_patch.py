"""JSON Patch helper of the interop connectors: diff/apply round trips and the codec."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteer_standard.connectors.helpers.patch import LosslessCodec, PatchError, apply, diff

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_json, _json)
def test_diff_then_apply_gives_the_target(source: Any, target: Any) -> None:
    assert apply(source, diff(source, target)) == target


def test_diff_names_the_smallest_part() -> None:
    ops = diff({"a": [{"x": 1}, {"y": 2}]}, {"a": [{"x": 1}, {"y": 3, "z/~": None}]})
    assert ops == [
        {"op": "replace", "path": "/a/1/y", "value": 3},
        {"op": "add", "path": "/a/1/z~1~0", "value": None},
    ]


def test_true_is_not_one() -> None:
    assert diff({"a": 1}, {"a": True}) == [{"op": "replace", "path": "/a", "value": True}]


def test_strict_apply_refuses_a_patch_that_does_not_fit() -> None:
    with pytest.raises(PatchError):
        apply({}, [{"op": "remove", "path": "/gone"}])
    assert apply({"k": 1}, [{"op": "remove", "path": "/gone"}], strict=False) == {"k": 1}


def _codec() -> LosslessCodec:
    return LosslessCodec(
        "demo",
        to_foreign=lambda d: {"label": d.get("name")},
        from_foreign=lambda o: {"type": "thing", "name": o.get("label")},
    )


def test_codec_keeps_foreign_extras_and_gives_them_back() -> None:
    foreign = {"label": "x", "colour": "red"}
    data = _codec().import_(foreign)
    assert data["extensions"]["demo"]["patch"] == [{"op": "add", "path": "/colour", "value": "red"}]
    out, carry = _codec().export(data)
    assert out == foreign
    assert carry == []


def test_codec_carries_standard_fields_the_format_lacks() -> None:
    data = {"type": "thing", "name": "x", "size": 3, "extensions": {"other": {"a": 1}}}
    out, carry = _codec().export(data)
    assert out == {"label": "x"}
    assert _codec().import_(out, carry) == data
